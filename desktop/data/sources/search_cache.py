"""Symbol-search answers remembered between runs, so a query typed again is answered at once.

One small JSON file in the app's cache folder (``symbol-search.json``) maps a normalised query
(trimmed, case-folded, inner spaces collapsed) to when it was asked and the instruments found.
An entry older than ``max_age`` is ignored and dropped at the next write; at most ``max_entries``
queries are kept (the newest). Only successful searches are stored, an empty answer included:
an offline or rate-limited search says nothing about the query.

The file is only a cache: a missing, unreadable or corrupt file is treated as empty, and a write
that fails is dropped silently. Writes are atomic (a temporary file in the same folder, then
``os.replace``), so a crash never leaves half a file. Meant to be used from one thread (the UI's).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from desktop.core.model import Instrument, InstrumentKind
from desktop.data.paths import cache_dir

FILE_NAME = "symbol-search.json"
FORMAT_VERSION = 1
MAX_AGE = dt.timedelta(days=7)
MAX_ENTRIES = 500


def normalize_query(query: str) -> str:
    """The cache key of a query: ``"  Apple   Inc "`` and ``"apple inc"`` are the same search."""
    return " ".join((query or "").split()).casefold()


class SearchCache:
    """``get(query)`` -> the instruments found for it, or ``None`` if not cached (or too old);
    ``put(query, instruments)`` remembers an answer and writes the file."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        max_age: dt.timedelta = MAX_AGE,
        max_entries: int = MAX_ENTRIES,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.path = path if path is not None else cache_dir() / FILE_NAME
        self.max_age = max_age
        self.max_entries = max(1, max_entries)
        self._now = now
        self._entries: dict[str, dict[str, Any]] | None = None  # read on first use

    def get(self, query: str) -> list[Instrument] | None:
        key = normalize_query(query)
        entry = self._loaded().get(key)
        if entry is None or not self._fresh(entry):
            return None
        try:
            return [_instrument(hit) for hit in entry["hits"]]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # a hand-edited or foreign entry: ask again

    def put(self, query: str, instruments: Iterable[Instrument]) -> None:
        key = normalize_query(query)
        if not key:
            return
        entries = self._loaded()
        entries.pop(key, None)  # re-inserted last: the dict's order is the age order
        entries[key] = {
            "saved": self._now().isoformat(),
            "hits": [_record(i) for i in instruments],
        }
        fresh = [(k, e) for k, e in entries.items() if self._fresh(e)]
        self._entries = dict(fresh[-self.max_entries :])
        self._write()

    def clear(self) -> None:
        self._entries = {}
        self._write()

    # -- the file -----------------------------------------------------------------------------
    def _loaded(self) -> dict[str, dict[str, Any]]:
        if self._entries is None:
            self._entries = self._read()
        return self._entries

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            return {}
        entries = data.get("entries")
        if not isinstance(entries, dict):
            return {}
        return {k: e for k, e in entries.items() if isinstance(k, str) and isinstance(e, dict)}

    def _write(self) -> None:
        payload = {"version": FORMAT_VERSION, "entries": self._entries or {}}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".symbol-search-", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump(payload, out, ensure_ascii=False, separators=(",", ":"))
                os.replace(temp, self.path)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # only a cache: the next search asks again

    def _fresh(self, entry: dict[str, Any]) -> bool:
        try:
            saved = dt.datetime.fromisoformat(entry["saved"])
        except (KeyError, TypeError, ValueError):
            return False
        if saved.tzinfo is None:
            return False
        age = self._now() - saved
        return dt.timedelta(0) <= age <= self.max_age


def _record(instrument: Instrument) -> dict[str, Any]:
    return {
        "symbol": instrument.symbol,
        "name": instrument.name,
        "kind": instrument.kind.value,
        "currency": instrument.currency,
        "exchange": instrument.exchange,
    }


def _instrument(hit: dict[str, Any]) -> Instrument:
    symbol = hit["symbol"]
    if not isinstance(symbol, str) or not symbol:
        raise ValueError("no symbol")
    return Instrument(
        symbol=symbol,
        name=str(hit.get("name") or ""),
        kind=InstrumentKind(hit.get("kind") or InstrumentKind.UNKNOWN.value),
        currency=str(hit.get("currency") or ""),
        exchange=str(hit.get("exchange") or ""),
        verified=True,
    )
