"""The price-source interface: what any market-data feed must offer the refresh.

A source answers a batch of ``FetchRequest`` with one ``FetchResult`` per symbol, yielded as each
completes so the caller can store it and show progress. Problems are data: a result carries rows
or an error kind, and a source never raises for a failure of the network or of one symbol.
``yahoo.py`` is the only module that imports yfinance; a test or an offline source stands in by
implementing the same protocol.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from desktop.core.model import Instrument


class FetchErrorKind(enum.StrEnum):
    """Why a symbol's fetch failed. Only ``NOT_FOUND`` may ever suggest a dead symbol."""

    OFFLINE = "offline"  # no connection, DNS failure, timeout: the symbol is fine
    RATE_LIMITED = "rate_limited"  # the source asked us to slow down
    NOT_FOUND = "not_found"  # the source says the symbol has no data (unknown or delisted)
    NO_DATA = "no_data"  # an empty answer for the window asked (holiday, weekend)
    ERROR = "error"  # anything else; the message says what


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """Daily rows wanted for ``symbol`` from ``start`` (``None``: its whole history) to ``end``,
    both inclusive, as exchange trading dates."""

    symbol: str
    start: dt.date | None
    end: dt.date


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What a source returned for one symbol.

    - ``rows``: dicts with ``date`` (``datetime.date``) and ``close``, plus any of ``open, high,
      low, adj_close, volume, dividend, split, capital_gain`` (``split``: new shares per old, 0
      for none; ``dividend`` and ``capital_gain``: paid per share that day, 0 for none).
      Only completed sessions; NaN closes dropped.
    - ``error``: ``None`` on success (even with no new rows), else why it failed.
    - ``instrument``: what the source said about the symbol (name, kind, currency...).
    """

    symbol: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    error: FetchErrorKind | None = None
    message: str = ""
    instrument: Instrument | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class PriceSource(Protocol):
    """Anything that can fetch daily prices."""

    #: Short name stored with every row this source writes (``yahoo``, ``csv``, ...).
    name: str

    def fetch(
        self,
        requests: Sequence[FetchRequest],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[FetchResult]:
        """Yield one result per request, in any order; stop early when ``cancelled()``."""
        ...
