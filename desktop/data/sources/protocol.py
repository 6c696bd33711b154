"""The market-data sources' protocols, and the one shape of their answers.

A source is asked about things (a symbol's prices, a symbol's fundamentals, a search query) and
answers each with a ``Fetched``: the value, or the kind of error and a message for a user.
Problems are data: a source never raises for a failure of the network or of one symbol.

- ``PriceSource``: daily prices for a batch of ``FetchRequest``, one answer per request, yielded
  as each completes so the caller can store it and show progress;
- ``FundamentalsSource``: a snapshot of the company's figures per symbol;
- ``SymbolSearch``: instruments matching what a user typed.

What a feed can do is said, not probed: ``MarketSources`` names the source for each capability,
``None`` where there is none (a CSV folder cannot search). The ``yahoo`` package is the only code
that imports yfinance; a test or an offline source stands in by implementing the same protocols.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from desktop.core.model import Instrument
from desktop.data.sources.fetch_errors import FetchErrorKind

if TYPE_CHECKING:
    from desktop.core.fundamentals import Fundamentals


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """Daily rows wanted for ``symbol`` from ``start`` (``None``: its whole history) to ``end``,
    both inclusive, as exchange trading dates."""

    symbol: str
    start: dt.date | None
    end: dt.date


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Fetched(Generic[T]):
    """What a source answered about one thing asked.

    - ``key``: what was asked about: the symbol, or the search query;
    - ``value``: the answer (``PriceHistory``, ``Fundamentals``, a list of ``Instrument``), or
      ``None`` when there is none;
    - ``error``: ``None`` on success (a price answer with no new rows is a success), else why
      there is no value;
    - ``message``: words for the user on what went wrong (empty on success).
    """

    key: str
    value: T | None = None
    error: FetchErrorKind | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None

    @classmethod
    def failed(cls, key: str, error: FetchErrorKind, message: str) -> Fetched[T]:
        return cls(key, None, error, message)


@dataclass(frozen=True, slots=True)
class PriceHistory:
    """A symbol's daily prices as a source returned them.

    - ``rows``: dicts with ``date`` (``datetime.date``) and ``close``, plus any of ``open, high,
      low, adj_close, volume, dividend, split, capital_gain`` (``split``: new shares per old, 0
      for none; ``dividend`` and ``capital_gain``: paid per share that day, 0 for none).
      Only completed sessions, oldest first; NaN closes dropped.
    - ``instrument``: what the source said about the symbol (name, kind, currency...), if
      anything.
    """

    rows: list[dict[str, Any]] = field(default_factory=list)
    instrument: Instrument | None = None


class PriceSource(Protocol):
    """Anything that can fetch daily prices."""

    #: Short name stored with every row this source writes (``yahoo``, ``csv``, ...).
    name: str

    def fetch(
        self,
        requests: Sequence[FetchRequest],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[Fetched[PriceHistory]]:
        """Yield one answer per request (keyed by its symbol), in request order; stop early
        when ``cancelled()``."""
        ...


class FundamentalsSource(Protocol):
    """Anything that can fetch a company's fundamentals snapshot."""

    def fundamentals(
        self,
        symbols: Sequence[str],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[Fetched[Fundamentals]]:
        """Yield one answer per distinct symbol, in order; stop early when ``cancelled()``."""
        ...


class SymbolSearch(Protocol):
    """Anything that can find instruments by symbol or name."""

    def search(self, query: str, max_results: int = 8) -> Fetched[list[Instrument]]:
        """The instruments matching ``query`` (keyed by it), best first; an empty list when
        nothing matches."""
        ...


@dataclass(frozen=True)
class MarketSources:
    """The sources the refresh and the window use, one per capability; ``None`` where no source
    offers it."""

    prices: PriceSource
    fundamentals: FundamentalsSource | None = None
    search: SymbolSearch | None = None
