"""Each holding's own daily time-weighted returns, for many holdings in one pass.

The holdings table shows what every open holding did in the period, in the base currency and in
its own: the time-weighted return of its own entries (buys, sales, dividends and splits; the fee
and tax entries are the portfolio's costs, left out) valued at its own closes. The daily returns
are exactly those of ``returns.time_weighted_returns(timeline.build_timeline(...).valuation)``
for those entries and the closes of that one symbol; this module computes them with numpy,
reading the market's frames once for all the holdings, and keeps them per holding, so that
another period costs two binary searches and a product.

As in ``timeline``: a day is one of the symbol's closes; an entry joins the first close on or
after its date, and one after the last close is left out; the line starts on the close before
the first entry (the first close when there is none) and ends at the last close; quantities are
in today's shares (times every split the ledger records after the entry); flows are valued at
the rate of the close they join, and the security at each day's rate, carried forward; a day on
which the holding is unpriced, or whose flows have no rate, is left out and its flows join the
next day kept. Dividends are outflows (the holding paid them out), buys inflows.

"In its own currency": every close as quoted, and every entry in the holding's currency as
entered; an entry in another currency (its explicit ``currency``) is converted through the base
at the rates of the day its flow joins (left out, with its day, while a rate is unknown).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from desktop.core.model import CASH_FLOWS, Trade, TradeType
from desktop.core.periods import Period
from desktop.core.timeline import EPOCH_ORDINAL, KIND, entry_flows, entry_table

_LEFT_OUT = (TradeType.FEE, TradeType.TAX)


def _ns(day: dt.date) -> int:
    """A day's midnight in nanoseconds since the epoch (what ``pd.Timestamp(day)`` is)."""
    return int(np.datetime64(day, "ns").astype(np.int64))


def _stamps(index: pd.Index) -> np.ndarray:
    """A ``DatetimeIndex`` as int64 nanoseconds since the epoch, whatever its unit."""
    return pd.DatetimeIndex(index).values.astype("datetime64[ns]").view(np.int64)


@dataclass(frozen=True, eq=False)
class ReturnLine:
    """One holding's daily time-weighted returns: ``returns[i]`` on the close ``stamps[i]``
    (int64 nanoseconds since the epoch), from its first valued day to its last close."""

    stamps: np.ndarray
    returns: np.ndarray

    def __len__(self) -> int:
        return len(self.stamps)

    def ttwror(self, period: Period) -> float:
        """The return over ``period``, as ``performance.ttwror`` gives it for the holding's
        valuation: the product of (1 + r) after the base close through the end close, less 1
        (0.0 for a period with no close after its base, or that ends before the line begins)."""
        end = int(np.searchsorted(self.stamps, _ns(period.end), side="right"))
        if end == 0:
            return 0.0
        base = 0
        if period.start is not None:
            base = max(int(np.searchsorted(self.stamps, _ns(period.start), side="left")) - 1, 0)
        return float(np.prod(1.0 + self.returns[base + 1 : end])) - 1.0


_EMPTY = ReturnLine(np.array([], dtype=np.int64), np.array([], dtype=float))


@dataclass(frozen=True, eq=False)
class _Entries:
    """One symbol's entries in ledger order, on its closes, from row ``first`` on.

    ``rows``: each entry's close (from ``first``); ``delta``, ``inflow``, ``outflow``: the cash
    change and the flows without cash tracking, in the entry's currency; ``deposits`` and
    ``withdrawals``: which entries are the flows when it does track cash (``tracks_cash``);
    ``codes``: each entry's explicit currency (``""`` for the instrument's); ``held``: units
    held at each close from ``first`` (``None`` without any buy or sale)."""

    first: int
    rows: np.ndarray
    deposits: np.ndarray
    withdrawals: np.ndarray
    delta: np.ndarray
    inflow: np.ndarray
    outflow: np.ndarray
    codes: list[str]
    held: np.ndarray | None
    tracks_cash: bool


def _entries(trades: Sequence[Trade], days: np.ndarray) -> _Entries | None:
    """``trades`` (one symbol's, fee and tax entries left out) on the closes dated ``days``
    (datetime64[D] as int64); ``None`` when none falls on or before the last close. Read from
    the timeline's own ``EntryTable``."""
    table = entry_table("", trades)
    day_of = np.searchsorted(days, table.ordinals - EPOCH_ORDINAL, side="left")
    count = int(np.searchsorted(day_of, len(days)))  # entries are in date order: later ones wait
    if count == 0:
        return None
    rows = day_of[:count].astype(np.int64)
    first = max(int(rows[0]) - 1, 0)  # nothing is held before the first entry
    rows -= first
    kinds = table.kinds[:count]
    delta, inflow, outflow = entry_flows(
        kinds, table.gross[:count], table.fee[:count], table.amount[:count]
    )
    position = table.position[:count]
    traded = np.flatnonzero(~np.isnan(position))
    held = None
    if len(traded):
        # Each day's position: that of its last buy or sale, carried to the days after.
        at, last_from_end = np.unique(rows[traded][::-1], return_index=True)
        units = np.concatenate(([0.0], position[traded][::-1][last_from_end]))
        held = units[np.searchsorted(at, np.arange(len(days) - first), side="right")]
    return _Entries(
        first=first,
        rows=rows,
        deposits=kinds == KIND[TradeType.DEPOSIT],
        withdrawals=kinds == KIND[TradeType.WITHDRAWAL],
        delta=delta,
        inflow=inflow,
        outflow=outflow,
        codes=list(table.codes[:count]),
        held=held,
        tracks_cash=bool(np.isin(table.kinds, [KIND[k] for k in CASH_FLOWS]).any()),
    )


def _line(
    e: _Entries,
    prices: np.ndarray,
    price_rate: np.ndarray | None,
    entry_rate: np.ndarray,
    stamps: np.ndarray,
) -> ReturnLine:
    """The daily returns of ``e`` with the closes ``prices`` (from row ``e.first``) times
    ``price_rate`` (``None`` in the base currency), each entry at ``entry_rate``."""
    span = len(prices)
    delta, inflow, outflow = e.delta * entry_rate, e.inflow * entry_rate, e.outflow * entry_rate
    if e.tracks_cash:
        inflow = np.where(e.deposits, delta, 0.0)
        outflow = np.where(e.withdrawals, -delta, 0.0)
    if e.held is None:
        securities, priced = np.zeros(span), np.ones(span, dtype=bool)
    else:
        product = e.held * (prices if price_rate is None else prices * price_rate)
        unknown = np.isnan(product)
        priced = ~(unknown & (e.held != 0.0))  # no price is fine while nothing is held
        securities = np.where(unknown, 0.0, product)
    # A flow without a rate: that day waits too, and the flow counts as nothing (the other
    # entries of its day still count), as in the timeline.
    priced &= ~(np.bincount(e.rows, weights=np.isnan(delta), minlength=span) > 0)
    delta, inflow, outflow = np.nan_to_num(delta), np.nan_to_num(inflow), np.nan_to_num(outflow)
    per_day = np.bincount(e.rows, weights=delta, minlength=span)
    value = securities + (np.cumsum(per_day) if e.tracks_cash else 0.0)
    # Flows of the days left out join the next day kept, as the timeline's cumulative sums do.
    cum_in = np.cumsum(np.bincount(e.rows, weights=inflow, minlength=span))
    cum_out = np.cumsum(np.bincount(e.rows, weights=outflow, minlength=span))
    value, cum_in, cum_out = value[priced], cum_in[priced], cum_out[priced]
    money_in = cum_in - np.concatenate(([0.0], cum_in[:-1]))
    money_out = cum_out - np.concatenate(([0.0], cum_out[:-1]))
    # r_t = (V_t + O_t) / (V_{t-1} + I_t) - 1, with V before the first day 0; 0 on a zero base.
    denominator = np.concatenate(([0.0], value[:-1])) + money_in
    zero = denominator == 0.0
    r = np.where(zero, 0.0, (value + money_out) / np.where(zero, 1.0, denominator) - 1.0)
    return ReturnLine(stamps[priced], r)


class HoldingLines:
    """Each holding's own daily returns, in the base currency and in its own, computed for all
    the symbols asked in one pass and kept.

    ``entries``: each symbol's entries as entered; ``closes``: one column per symbol, NaN where
    it has none; ``currencies``, ``fx``, ``base``: as for ``timeline.build_timeline``.
    """

    def __init__(
        self,
        entries: Mapping[str, Sequence[Trade]],
        closes: pd.DataFrame,
        *,
        currencies: Mapping[str, str],
        fx: pd.DataFrame | None,
        base: str,
    ) -> None:
        if not closes.index.is_monotonic_increasing:
            closes = closes.sort_index()
        self._entries = entries
        self._currencies = currencies
        self._base = base
        self._stamps = _stamps(closes.index)
        self._days = pd.DatetimeIndex(closes.index).values.astype("datetime64[D]").view(np.int64)
        self._closes = closes.to_numpy(dtype=float)
        self._column: dict[str, int] = {}
        for j, symbol in enumerate(closes.columns):
            self._column.setdefault(symbol, j)
        self._fx = fx if fx is not None else pd.DataFrame()
        self._rates: dict[str, np.ndarray] = {}
        self._lines: dict[str, tuple[ReturnLine, ReturnLine]] = {}

    def of(self, symbols: Iterable[str]) -> dict[str, tuple[ReturnLine, ReturnLine]]:
        """Each symbol's line in the base currency and in its own (empty without a valued day)."""
        symbols = list(symbols)
        for symbol in symbols:
            if symbol not in self._lines:
                self._lines[symbol] = self._compute(symbol)
        return {symbol: self._lines[symbol] for symbol in symbols}

    def _rate(self, code: str) -> np.ndarray:
        """Units of the base currency per unit of ``code`` at every close (the last known rate,
        carried forward; NaN before any, or without a column for it)."""
        if code not in self._rates:
            rate = np.full(len(self._stamps), np.nan)
            known = self._fx[code].dropna().sort_index() if code in self._fx else None
            if known is not None and len(known):
                at = np.searchsorted(_stamps(known.index), self._stamps, side="right") - 1
                rate = np.where(at >= 0, known.to_numpy(dtype=float)[np.maximum(at, 0)], np.nan)
            self._rates[code] = rate
        return self._rates[code]

    def _compute(self, symbol: str) -> tuple[ReturnLine, ReturnLine]:
        j = self._column.get(symbol)
        if j is None:
            return _EMPTY, _EMPTY
        column = self._closes[:, j]
        quoted = ~np.isnan(column)
        trades = [t for t in self._entries.get(symbol, ()) if t.type not in _LEFT_OUT]
        e = _entries(trades, self._days[quoted])
        if e is None:
            return _EMPTY, _EMPTY
        prices = column[quoted][e.first :]
        stamps = self._stamps[quoted][e.first :]
        rows = np.flatnonzero(quoted)  # the symbol's closes among all the closes

        base = self._base
        own = self._currencies.get(symbol, base)
        price_rate = self._rate(own)[rows[e.first :]] if own != base else None
        entry_rate = np.ones(len(e.rows))
        for i, code in enumerate(e.codes):
            code = code or own
            if code != base:
                entry_rate[i] = self._rate(code)[rows[e.first + e.rows[i]]]
        in_base = _line(e, prices, price_rate, entry_rate, stamps)

        # In its own currency: its closes as quoted; an entry in another currency converted
        # through the base (units of base per unit of it, over units of base per unit of own).
        local_rate = np.ones(len(e.rows))
        for i, code in enumerate(e.codes):
            code = code or own
            if code != own:
                row = rows[e.first + e.rows[i]]
                to_base = 1.0 if code == base else self._rate(code)[row]
                local_rate[i] = to_base / (1.0 if own == base else self._rate(own)[row])
        if price_rate is None and np.array_equal(entry_rate, local_rate, equal_nan=True):
            return in_base, in_base  # the same closes and flows at the same rates
        return in_base, _line(e, prices, None, local_rate, stamps)
