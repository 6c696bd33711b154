"""What the tables say about a price that may be out of date: the symbol's last fetch failed, or
it has had no close for weeks while the rest of the market moved on.

Both are shown in the row (a marker and a tooltip in plain words), never in a dialog: a refresh
of twenty symbols that all fail must not open twenty message boxes. No Qt here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from desktop.data.sources.fetch_errors import FetchErrorKind

#: Marks a row whose last fetch failed (at the start of its Close date cell).
MARKER = "⚠"


def fetch_problem(symbol: str, status: Mapping[str, Any] | None, *, behind: bool) -> str | None:
    """Why the last fetch of ``symbol`` failed, in plain words, or ``None`` if it did not.

    ``status`` is the symbol's row of ``Store.fetch_status()``. ``behind`` says whether its newest
    close is older than the others': an empty answer (``no_data``) is normal on a holiday, when
    every symbol gets one, and is only worth a marker when the symbol is also falling behind.
    Being offline is never recorded, so it never marks a row.
    """
    kind = (status or {}).get("error_kind")
    if not kind or kind == FetchErrorKind.OFFLINE:
        return None
    if kind == FetchErrorKind.NO_DATA and not behind:
        return None
    message = (status or {}).get("message") or "the fetch failed"
    if kind == FetchErrorKind.NOT_FOUND:
        words = f"Yahoo has no data for {symbol} (unknown or delisted symbol)"
    elif kind == FetchErrorKind.RATE_LIMITED:
        words = "Yahoo asked us to slow down; try again later"
    else:
        words = message[0].upper() + message[1:]
    when = _day((status or {}).get("attempted_at"))
    return f"The last price fetch{f' ({when})' if when else ''} failed: {words}."


class Priced(Protocol):
    """A table row with a symbol and the date of its newest cached close (holding, watch row)."""

    @property
    def symbol(self) -> str: ...
    @property
    def close_date(self) -> dt.date | None: ...


def fetch_problems(
    status: Mapping[str, Mapping[str, Any]], rows: Iterable[Priced], reference: dt.date | None
) -> dict[str, str]:
    """``{symbol: fetch_problem(...)}`` for the ``rows`` whose last fetch failed; ``status`` is
    ``Store.fetch_status()`` and ``reference`` the newest close of the holdings and benchmarks."""
    out = {}
    for row in rows:
        behind = reference is not None and (row.close_date is None or row.close_date < reference)
        words = fetch_problem(row.symbol, status.get(row.symbol), behind=behind)
        if words:
            out[row.symbol] = words
    return out


def reference_date(dates: Iterable[dt.date | None]) -> dt.date | None:
    """The newest of ``dates`` (the holdings' and benchmarks' newest closes): "today" as far as
    the cache knows, so a portfolio that was not refreshed for a month is not all flagged."""
    return max((d for d in dates if d is not None), default=None)


def cash_out_hint(silent: Mapping[str, dt.date]) -> str:
    """The summary line's suggestion for holdings that stopped trading, or ``""``.

    ``SUM has no price since 2025-02-07: if it was acquired, record the sale (Ctrl+N)``
    """
    if not silent:
        return ""
    each = [f"{symbol} has no price since {day.isoformat()}" for symbol, day in silent.items()]
    which = "it was" if len(silent) == 1 else "one was"
    return f"{', '.join(each)}: if {which} acquired, record the sale (Ctrl+N)"


def _day(timestamp: str | None) -> str:
    return timestamp[:10] if timestamp else ""
