"""The portfolio snapshot every screen reads: the ledger and the market, computed once, for a
period.

Portfolio Performance computes read-only snapshots of a client for a date; ours is built from
the ledger's entries, the market data (closes, currencies, FX) and the settings (cost method,
base currency), passed in, never looked up. What the report prints, what the window's summary
strip and tables show and what every chart draws are read from one ``PortfolioSnapshot``, so
they cannot drift apart: the chart's last point, the strip's TTWROR and ``report --json``'s are
the same number.

A snapshot is for one ``Period``. What does not depend on the period (the entries booked in the
base currency, the daily timeline, the daily time-weighted returns) lives in a ``_Basis`` that
``for_period`` shares, so changing the chart's range computes only the new period's figures.
Everything is computed on first use (``cached_property``) and then kept: a snapshot is
immutable, and an edit of the ledger or new prices make a new one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import numpy as np
import pandas as pd

from desktop.core.benchmarks import BenchmarkComparison, compare, levels
from desktop.core.fx import convert_trades
from desktop.core.holding_lines import HoldingLines
from desktop.core.holdings import Book, book, combine
from desktop.core.model import SECURITY_TRADES, CostMethod, Problem, Trade, TradeType
from desktop.core.performance import (
    PerformanceSummary,
    in_window,
    monthly_returns,
    period_returns,
    summarize,
    yearly_returns,
)
from desktop.core.periods import Period, Window, resolve_period, window
from desktop.core.returns import time_weighted_returns
from desktop.core.timeline import (
    CASH,
    EntryTable,
    Timeline,
    build_timeline,
    carried_forward,
    entry_table,
    splits_after,
)
from desktop.core.valuation import Holding, PortfolioTotals, value_holdings

#: Prices this many calendar days old are still current (a weekend and a holiday between).
STALE_DAYS = 4


@dataclass(frozen=True)
class MarketData:
    """The prices a snapshot values the ledger with.

    - ``closes``: one column per symbol (the ledger's securities and the benchmarks), a
      ``DatetimeIndex`` of dates, NaN where a symbol has no close; split-adjusted back in time
      for the splits up to each symbol's last close (as Yahoo gives them; a split the ledger
      records after it is not in them yet: the snapshot divides them by it);
    - ``currencies``: each symbol's currency (a symbol not listed is in ``base``);
    - ``fx``: one column per foreign currency code, units of ``base`` per unit of it;
    - ``base``: the currency the portfolio is measured in;
    - ``index_closes``: the closes the benchmarks are compared with, when they are not
      ``closes`` (dividend-adjusted closes, for total-return benchmarks).
    """

    closes: pd.DataFrame
    currencies: Mapping[str, str]
    fx: pd.DataFrame
    base: str
    index_closes: pd.DataFrame | None = None


@dataclass(frozen=True, slots=True)
class HoldingFigures:
    """One open holding at the period's end: its valuation (money in the base currency) and
    what it did in the period.

    - ``currency``: the holding's own currency;
    - ``realized_gain``, ``dividends``: of the period, in the base currency;
    - ``ttwror``: its time-weighted return in the period in the base currency, ``ttwror_local``
      in its own currency (the same when it is in the base currency).
    """

    holding: Holding
    currency: str
    realized_gain: float
    dividends: float
    ttwror: float | None
    ttwror_local: float | None


@dataclass(frozen=True, slots=True)
class Income:
    """Money of the period's entries, in the base currency: ``fees`` are the fee entries (as in
    the booking), ``commissions`` the fees paid on buys and sales (inside the cost basis and the
    realized gain)."""

    dividends: Decimal
    fees: Decimal
    commissions: Decimal
    taxes: Decimal


class _Basis:
    """What every period of one ledger and one market shares, computed on first use."""

    def __init__(
        self,
        trades: Sequence[Trade],
        market: MarketData,
        method: CostMethod,
        benchmarks: Sequence[str],
        names: Mapping[str, str],
        previous: _Basis | None = None,
    ) -> None:
        self.trades = list(trades)
        self.market = market
        self.method = method
        self.benchmarks = tuple(benchmarks)
        self.names = dict(names)
        self.symbols = sorted({t.symbol for t in self.trades if t.symbol})
        #: Each security's entries as entered, in ledger order.
        self.by_symbol: dict[str, list[Trade]] = {}
        #: ... and under "" the entries naming none: the groups booked apart (``group_book``).
        self.groups: dict[str, list[Trade]] = {}
        for t in self.trades:
            self.groups.setdefault(t.symbol, []).append(t)
        self.by_symbol = {s: entries for s, entries in self.groups.items() if s}
        #: Each group's book and entry table once computed: a previous basis's for the groups
        #: whose entries are the same objects (an edit changes one group; the others are
        #: kept), the books only of the same market and cost method: only that group is
        #: booked and read again.
        self._group_books: dict[str, Book] = {}
        self._tables: dict[str, EntryTable] = {}
        #: Each security's entries alone, as ``PortfolioSnapshot.position`` asked for them.
        self.positions: dict[str, _Basis] = {}
        self._filled: np.ndarray | None = None
        if previous is not None:
            unchanged = {
                group
                for group, entries in previous.groups.items()
                if _same(entries, self.groups.get(group, ()))
            }
            self._tables = {g: t for g, t in previous._tables.items() if g in unchanged}
            if previous.market is market and previous.method == method:
                self._group_books = {
                    g: b for g, b in previous._group_books.items() if g in unchanged
                }
        self.unquoted_splits = self._unquoted_splits()
        if (
            previous is not None
            and previous.market is market
            and previous.symbols == self.symbols
            and previous.unquoted_splits == self.unquoted_splits
        ):
            # The same closes of the same securities: what was computed of them is kept.
            self._filled = previous.__dict__.get("filled_closes")
            if "held_closes" in previous.__dict__:
                self.__dict__["held_closes"] = previous.__dict__["held_closes"]

    def _unquoted_splits(self) -> dict[str, float]:
        """Per security, the product of the splits the ledger records after its last cached
        close (those closes were fetched before them, so they are not adjusted for them; a
        later fetch brings them adjusted). Only securities with such splits are listed."""
        closes = self.market.closes
        found = {}
        for symbol in self.symbols:
            splits = self.entry_table(symbol).splits
            if not splits or symbol not in closes:
                continue
            last = closes[symbol].last_valid_index()
            if last is None:
                continue
            factor = math.prod((ratio for day, ratio in splits if day > last.date()), start=1)
            if factor != 1:
                found[symbol] = float(factor)
        return found

    @cached_property
    def held_closes(self) -> pd.DataFrame:
        """The closes of the ledger's securities, on days any of them has one (a benchmark's
        extra days must not stretch the portfolio with carried-forward prices), by date, in
        today's shares: divided by the splits not yet in them (``unquoted_splits``)."""
        closes = self.market.closes.reindex(columns=self.symbols).dropna(how="all")
        for symbol, factor in self.unquoted_splits.items():
            closes[symbol] = closes[symbol] / factor
        return closes if closes.index.is_monotonic_increasing else closes.sort_index()

    @cached_property
    def timeline(self) -> Timeline:
        """The ledger day by day, with each holding's gain per day (``Timeline.gains``: what
        the contributions divide), in one pass."""
        m = self.market
        tables = [self.entry_table(group) for group in self.groups]
        return build_timeline(
            self.trades,
            self.held_closes,
            currencies=m.currencies,
            fx=m.fx,
            base=m.base,
            tables=tables,
            filled=self.filled_closes,
            gains=True,
        )

    @cached_property
    def filled_closes(self) -> np.ndarray:
        """``held_closes`` carried forward over gaps: a previous basis's of the same market and
        securities (an edit within them does not change it)."""
        if self._filled is not None:
            return self._filled
        return carried_forward(self.held_closes)

    def entry_table(self, group: str) -> EntryTable:
        """One group's entries as the timeline reads them (they do not depend on the market:
        a previous basis's are kept for the groups whose entries did not change)."""
        if group not in self._tables:
            self._tables[group] = entry_table(group, self.groups.get(group, []))
        return self._tables[group]

    @cached_property
    def daily_returns(self) -> pd.Series:
        """The portfolio's daily time-weighted returns (every period's are a slice of these)."""
        return time_weighted_returns(self.timeline.valuation)

    @cached_property
    def converted(self) -> tuple[list[Trade], list[Problem]]:
        """The entries in the base currency, each at its own day's rate."""
        m = self.market
        return convert_trades(self.trades, m.currencies, m.base, self.rate_of, self.first_rate)

    def first_rate(self, code: str) -> tuple[dt.date, float] | None:
        """The first cached rate of ``code`` (its day and units of the base per unit)."""
        if code not in self.market.fx:
            return None
        known = self.market.fx[code].dropna()
        return (known.index[0].date(), float(known.iloc[0])) if len(known) else None

    def rate_of(self, code: str, day: dt.date) -> float | None:
        """Units of the base currency per unit of ``code`` at the close of ``day`` (the last
        known rate); ``None`` when none is known yet."""
        if code == self.market.base:
            return 1.0
        if code not in self.market.fx:
            return None
        known = self.market.fx[code].loc[: pd.Timestamp(day)].dropna()
        return float(known.iloc[-1]) if len(known) else None

    def booked(self, until: dt.date | None) -> Book:
        """The ledger in the base currency booked through ``until`` (nothing for ``None``)."""
        in_base, _ = self.converted
        return book([t for t in in_base if until is not None and t.date <= until], self.method)[0]

    def group_book(self, group: str) -> Book:
        """The book of one group's entries (a security's, or under "" those naming none) in
        the base currency."""
        if group not in self._group_books:
            m = self.market
            entries = self.groups.get(group, [])
            in_base, _ = convert_trades(
                entries, m.currencies, m.base, self.rate_of, self.first_rate
            )
            self._group_books[group] = book(in_base, self.method)[0]
        return self._group_books[group]

    @property
    def holding_gains(self) -> pd.DataFrame:
        """Each holding's gain on each day of the timeline (``Timeline.gains``)."""
        gains = self.timeline.gains
        return gains if gains is not None else pd.DataFrame(index=self.timeline.valuation.index)

    @cached_property
    def holding_lines(self) -> HoldingLines:
        """Each security's own daily returns, in the base currency and in its currency (from
        its entries as entered and its closes), computed for the holdings asked about only."""
        m = self.market
        return HoldingLines(
            self.by_symbol, self.held_closes, currencies=m.currencies, fx=m.fx, base=m.base
        )

    def last_closes(self, day: dt.date) -> dict[str, tuple[dt.date, float]]:
        """Each security's last close on or before ``day`` and its date (a security without
        one is left out)."""
        closes = self.held_closes
        end = int(closes.index.searchsorted(pd.Timestamp(day), side="right"))
        if end == 0:
            return {}
        values = closes.to_numpy(dtype=float)[:end]
        known = ~np.isnan(values)
        # Each column's last known row: the first one counting back from the end.
        last = end - 1 - np.argmax(known[::-1], axis=0)
        return {
            closes.columns[j]: (closes.index[last[j]].date(), float(values[last[j], j]))
            for j in np.flatnonzero(known.any(axis=0))
        }


class PortfolioSnapshot:
    """The portfolio over one period, as every screen shows it (see the module docstring)."""

    def __init__(self, basis: _Basis, period: Period) -> None:
        self._basis = basis
        self.period = period

    @classmethod
    def create(
        cls,
        trades: Sequence[Trade],
        market: MarketData,
        *,
        period: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        method: CostMethod = CostMethod.FIFO,
        benchmarks: Sequence[str] = (),
        names: Mapping[str, str] | None = None,
        today: dt.date | None = None,
        previous: PortfolioSnapshot | None = None,
    ) -> PortfolioSnapshot:
        """The snapshot for the period called ``period`` (``PERIODS``), or ``start`` to ``end``
        (default: since the first entry), ending ``today`` (default: the calendar's day) unless
        ``end`` says otherwise; its figures end at the last valued day in it."""
        before = previous._basis if previous is not None else None
        basis = _Basis(trades, market, method, benchmarks, names or {}, before)
        snapshot = cls(basis, Period(None, today or dt.date.today(), "Max"))
        return snapshot.for_period(snapshot.resolve(period, start=start, end=end, today=today))

    def resolve(
        self,
        name: str | None,
        *,
        start: dt.date | None = None,
        end: dt.date | None = None,
        today: dt.date | None = None,
    ) -> Period:
        """A period of this portfolio: named (``1Y``...), or from ``start`` to ``end``, counted
        back from ``today`` (default: the calendar's; YTD is its year), not from the last close:
        prices that end before the period leave it without a return, not with one of 0%."""
        if name is None and start is None:
            name = "Max"
        as_of = today or dt.date.today()
        return resolve_period(name, start=start, end=end, as_of=as_of)

    def for_period(self, period: Period) -> PortfolioSnapshot:
        """The same ledger and market over another period (what they share is not redone)."""
        return PortfolioSnapshot(self._basis, period)

    def position(self, symbol: str) -> PortfolioSnapshot:
        """One security's entries alone (its buys, sales, splits, dividends and the fees and
        taxes naming it), on the same market, cost method and benchmarks, over the same
        period: its TTWROR and IRR are the position's own, its income its dividends. Kept per
        symbol: every period of it shares one basis."""
        basis = self._basis
        kept = basis.positions.get(symbol)
        if kept is None:
            kept = basis.positions[symbol] = _Basis(
                basis.by_symbol.get(symbol, []),
                basis.market,
                basis.method,
                basis.benchmarks,
                {k: v for k, v in basis.names.items() if k == symbol},
            )
        return PortfolioSnapshot(kept, self.period)

    # -- the ledger and the market ------------------------------------------------------------
    @property
    def trades(self) -> list[Trade]:
        return self._basis.trades

    @property
    def market(self) -> MarketData:
        return self._basis.market

    @property
    def base_currency(self) -> str:
        return self._basis.market.base

    @property
    def method(self) -> CostMethod:
        return self._basis.method

    @property
    def benchmarks(self) -> tuple[str, ...]:
        return self._basis.benchmarks

    @property
    def timeline(self) -> Timeline:
        return self._basis.timeline

    @property
    def valuation(self) -> pd.DataFrame:
        return self._basis.timeline.valuation

    @property
    def tracks_cash(self) -> bool:
        return self._basis.timeline.tracks_cash

    @property
    def daily_returns(self) -> pd.Series:
        return self._basis.daily_returns

    @property
    def as_of(self) -> dt.date | None:
        """The last valued day (the newest close of anything held), ``None`` before any."""
        valuation = self.valuation
        return valuation.index[-1].date() if len(valuation) else None

    # -- the period ---------------------------------------------------------------------------
    @cached_property
    def window(self) -> Window | None:
        """The closes the period is measured between; ``None`` without a valued day in it
        (also when the prices end before it starts: a range has no return, not one of 0%)."""
        if not len(self.valuation):
            return None
        w = window(pd.DatetimeIndex(self.valuation.index), self.period)
        start = self.period.start
        if w is not None and start is not None and w.end < pd.Timestamp(start):
            return None
        return w

    @property
    def base_day(self) -> dt.date | None:
        return self.window.base.date() if self.window else self.period.start

    @property
    def end_day(self) -> dt.date:
        return self.window.end.date() if self.window else self.period.end

    @property
    def conversion_notes(self) -> list[str]:
        """Entries converted at a later rate, or left out for want of any (in words)."""
        return [p.message for p in self._basis.converted[1]]

    @cached_property
    def notes(self) -> list[str]:
        """What the figures could not take into account, in words."""
        notes = [p.message for p in self._basis.converted[1]]
        for symbol in self.benchmarks:
            ends = self.benchmark_ends(symbol)
            if ends is not None:
                notes.append(
                    f"the closes of benchmark {symbol} end {ends.isoformat()}, before the "
                    f"period's last close {self.end_day.isoformat()}: it is held at that close "
                    "after it (refresh to bring it up to date)"
                )
        if self.window is None:
            as_of = self.as_of
            ends = f" (the prices end {as_of.isoformat()})" if as_of is not None else ""
            notes.append(f"no valued days in the period{ends}: performance figures are null")
        return notes

    @cached_property
    def book_at_end(self) -> Book:
        return self._basis.booked(self.end_day)

    @cached_property
    def book_at_base(self) -> Book:
        return self._basis.booked(self.base_day)

    @cached_property
    def _valued(self) -> tuple[list[Holding], PortfolioTotals]:
        basis, end_day = self._basis, self.end_day
        rates: dict[str, float | None] = {}
        closes_at_end = {}
        for symbol, (day, close) in basis.last_closes(end_day).items():
            code = basis.market.currencies.get(symbol, basis.market.base)
            if code not in rates:
                rates[code] = basis.rate_of(code, end_day)
            # The closes are in today's shares; the booking at the end is in the shares held
            # then: the price as quoted then is the close times the splits since.
            since = float(splits_after(basis.by_symbol.get(symbol, ()), symbol, end_day))
            if rates[code] is not None:
                closes_at_end[symbol] = (day, close * rates[code] * since)
        return value_holdings(self.book_at_end.positions, closes_at_end, basis.names)

    @property
    def totals(self) -> PortfolioTotals:
        return self._valued[1]

    @cached_property
    def cash(self) -> float | None:
        """The cash balance at the end, when the portfolio keeps one."""
        return float(self.book_at_end.cash) if self.tracks_cash else None

    @cached_property
    def market_value(self) -> float | None:
        """Securities (and cash, when kept) at the end; ``None`` while any holding is unpriced."""
        value = self.totals.market_value
        if value is not None and self.cash is not None:
            value += self.cash
        return value

    @cached_property
    def holdings(self) -> list[HoldingFigures]:
        """The open holdings at the end, by symbol."""
        basis, w = self._basis, self.window
        by_symbol: dict[str, list[Trade]] = {}
        for t in basis.converted[0]:
            by_symbol.setdefault(t.symbol, []).append(t)
        at_base = self.book_at_base.positions
        lines = basis.holding_lines.of(h.symbol for h in self._valued[0])
        out = []
        for h in self._valued[0]:
            own = by_symbol.get(h.symbol, [])
            dividends = sum(
                (t.amount for t in self._in_period(own) if t.type is TradeType.DIVIDEND),
                Decimal(0),
            )
            realized = self.book_at_end.positions[h.symbol].realized_gain
            if h.symbol in at_base:
                realized -= at_base[h.symbol].realized_gain
            line, local = lines[h.symbol]
            out.append(
                HoldingFigures(
                    holding=h,
                    currency=basis.market.currencies.get(h.symbol, basis.market.base),
                    realized_gain=float(realized),
                    dividends=float(dividends),
                    ttwror=line.ttwror(self.period) if len(line) and w else None,
                    ttwror_local=local.ttwror(self.period) if len(local) and w else None,
                )
            )
        return out

    @cached_property
    def realized_gain(self) -> float:
        return float(self.book_at_end.realized_gain - self.book_at_base.realized_gain)

    @cached_property
    def income(self) -> Income:
        entries = self._in_period(self._basis.converted[0])
        zero = Decimal(0)
        return Income(
            dividends=sum((t.amount for t in entries if t.type is TradeType.DIVIDEND), zero),
            fees=sum((t.amount for t in entries if t.type is TradeType.FEE), zero),
            commissions=sum((t.fee for t in entries if t.type in SECURITY_TRADES), zero),
            taxes=sum((t.amount for t in entries if t.type is TradeType.TAX), zero),
        )

    def _in_period(self, trades: Sequence[Trade]) -> list[Trade]:
        base = self.base_day if self.window else None
        return [t for t in trades if (base is None or t.date > base) and t.date <= self.end_day]

    # -- performance --------------------------------------------------------------------------
    @cached_property
    def summary(self) -> PerformanceSummary | None:
        """TTWROR, IRR, gain, drawdown, volatility over the period; ``None`` without data."""
        if self.window is None:
            return None
        return summarize(self.valuation, self.timeline.flows, self.period)

    @property
    def ttwror(self) -> float | None:
        """The period's true time-weighted return: the number to compare with an index."""
        return self.summary.ttwror if self.summary else None

    @cached_property
    def contributions(self) -> dict[str, float] | None:
        """Each holding's part of the period's TTWROR, largest first, and cash's (interest,
        fees and taxes naming no security) when cash is kept or it has any: they add up to
        ``ttwror``. Holdings without a gain in the period are left out.

        A day's contribution of a holding is its gain that day (``holding_gains``) over the
        money the portfolio starts the day with (V_{t-1} + I_t, the TTWROR's denominator), so
        a day's add up to its return. Days are linked with Carino's method: each day's
        weighted by ln(1 + r_t) / r_t over ln(1 + R) / R (R the period's TTWROR), which keeps
        the sum equal to R. ``None`` without a valued day, or after a loss of everything
        (a day's return of -100% or worse: the logarithms are undefined)."""
        w, r = self.window, self.period_returns
        if w is None or self.ttwror is None:
            return None
        value = self.valuation["value"]
        starts = in_window(value.shift(fill_value=0.0) + self.valuation["inflow"], w)
        gains = in_window(self._basis.holding_gains, w)
        rates = r.to_numpy(dtype=float)
        total = float(np.prod(1.0 + rates)) - 1.0
        if (rates <= -1.0).any() or total <= -1.0:
            return None
        with np.errstate(divide="ignore", invalid="ignore"):
            daily = np.where(
                starts.to_numpy()[:, None] != 0.0,
                gains.to_numpy(dtype=float) / starts.to_numpy()[:, None],
                0.0,
            )
            k = np.where(rates == 0.0, 1.0, np.log1p(rates) / rates)
        linked = 1.0 if total == 0.0 else math.log1p(total) / total
        parts = (daily * (k / linked)[:, None]).sum(axis=0)
        moved = (gains.to_numpy() != 0.0).any(axis=0)  # a holding with no gain in the period
        found = {
            name: float(part)
            for name, part, any_gain in zip(gains.columns, parts, moved, strict=True)
            if any_gain or (name == CASH and self.tracks_cash)
        }
        return dict(sorted(found.items(), key=lambda item: -item[1]))

    @cached_property
    def period_returns(self) -> pd.Series:
        """The daily time-weighted returns that make up the period."""
        return period_returns(self.daily_returns, self.period)

    @cached_property
    def monthly_returns(self) -> pd.DataFrame:
        return monthly_returns(self.period_returns) if len(self.period_returns) else pd.DataFrame()

    @cached_property
    def yearly_returns(self) -> pd.Series:
        r = self.period_returns
        return yearly_returns(r) if len(r) else pd.Series(dtype=float)

    @cached_property
    def line(self) -> pd.Series:
        """The cumulative return from the period's base close (0.0 there) to each day: the
        chart's portfolio line. Its last point is ``ttwror``, to the last digit."""
        if self.window is None:
            return pd.Series(dtype=float)
        r = self.period_returns.to_numpy(dtype=float)
        values = np.concatenate(([0.0], np.cumprod(1.0 + r) - 1.0))
        index = pd.DatetimeIndex([self.window.base]).append(
            pd.DatetimeIndex(self.period_returns.index)
        )
        return pd.Series(values, index=index, name="portfolio")

    def benchmark_ends(self, symbol: str, days: int = STALE_DAYS) -> dt.date | None:
        """The last close of ``symbol`` when it is more than ``days`` calendar days before the
        period's last valued day (its level is held flat after it), else ``None``."""
        last = self._index_last_days.get(symbol)
        if self.window is None or last is None:
            return None
        return last if (self.end_day - last).days > days else None

    @cached_property
    def _index_last_days(self) -> dict[str, dt.date]:
        """Each benchmark's last cached close (read once: the window asks at each range)."""
        frame = (
            self.market.index_closes if self.market.index_closes is not None else self.market.closes
        )
        found = {}
        for symbol in self.benchmarks:
            if symbol in frame:
                last = frame[symbol].last_valid_index()
                if last is not None:
                    found[symbol] = last.date()
        return found

    def index_closes(self, symbol: str) -> pd.Series:
        """The closes a benchmark is compared with (empty when none is cached)."""
        frame = (
            self.market.index_closes if self.market.index_closes is not None else self.market.closes
        )
        if symbol not in frame:
            return pd.Series(dtype=float, name=symbol)
        return frame[symbol].dropna().rename(symbol)

    def benchmark_line(self, symbol: str) -> pd.Series:
        """The benchmark's return from the period's base close, on the portfolio line's days
        (its last point is the comparison's ``benchmark_return``). Empty where the benchmark's
        cached history begins after the base: every series is compared over the same days, so
        one that cannot be is not drawn from a later day either (its comparison is null, and the
        chart's CSV column blank). Without any valued day, on the benchmark's own days in the
        period."""
        closes = self.index_closes(symbol)
        empty = pd.Series(dtype=float, name=symbol)
        if closes.empty:
            return empty
        if self.window is None:
            days = closes.loc[: pd.Timestamp(self.period.end)]
            if self.period.start is not None and len(days):
                before = days.loc[: pd.Timestamp(self.period.start) - pd.Timedelta(days=1)]
                first = before.index[-1] if len(before) else days.index[0]
                days = days.loc[first:]
            if not len(days):
                return empty
            return (days / float(days.iloc[0]) - 1.0).rename(symbol)
        dates = pd.DatetimeIndex(self.line.index)
        level = levels(closes, dates)
        if not len(level) or not (np.isfinite(level[0]) and level[0] > 0.0):
            return empty  # no level at the base close
        return pd.Series(level / level[0] - 1.0, index=dates, name=symbol).dropna()

    @cached_property
    def comparisons(self) -> dict[str, BenchmarkComparison | None]:
        """Each benchmark against the portfolio over the period; ``None`` without data."""
        out: dict[str, BenchmarkComparison | None] = {}
        for symbol in self.benchmarks:
            closes = self.index_closes(symbol)
            if self.window is None or closes.empty:
                out[symbol] = None
            else:
                out[symbol] = compare(self.valuation, self.timeline.flows, closes, self.period)
        return out

    # -- now ----------------------------------------------------------------------------------
    @cached_property
    def latest_book(self) -> Book:
        """Every entry booked, in the base currency, those after the last close too: each
        group apart (``holdings.combine``), so after an edit only the group it changed is."""
        basis = self._basis
        return combine(basis.group_book(group) for group in basis.groups)

    @cached_property
    def latest(self) -> tuple[list[Holding], PortfolioTotals]:
        """The holdings now, as the window's table shows them: every entry booked, each holding
        at its own last close, in the base currency at that day's rate (unpriced while it has
        no close, or no rate yet), in today's shares (``held_closes``)."""
        basis = self._basis
        held = basis.held_closes
        last = basis.last_closes(held.index[-1].date()) if len(held) else {}
        closes: dict[str, tuple[dt.date, float]] = {}
        for symbol, position in self.latest_book.positions.items():
            if position.quantity <= 0 or symbol not in last:
                continue
            day, close = last[symbol]
            rate = basis.rate_of(basis.market.currencies.get(symbol, basis.market.base), day)
            if rate is not None:
                closes[symbol] = (day, close * rate)
        return value_holdings(self.latest_book.positions, closes, basis.names)

    @cached_property
    def latest_cash(self) -> float | None:
        """The cash balance after every entry, when the portfolio keeps one."""
        return float(self.latest_book.cash) if self.tracks_cash else None


def _same(before: Sequence[Trade], now: Sequence[Trade]) -> bool:
    """The same entries: the same objects in the same order (an edit makes new ones)."""
    return len(before) == len(now) and all(a is b for a, b in zip(before, now, strict=True))
