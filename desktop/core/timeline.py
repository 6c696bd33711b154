"""The ledger day by day: market value, cash and external flows at every close.

Pure and vectorised (numpy/pandas). Inputs are plain data: the trades, a frame of closes (one
column per symbol, NaN gaps) and, for instruments not in the base currency, their currency and
a frame of FX rates (units of base currency per unit, one column per currency code).

What counts as an external flow depends on whether the portfolio tracks cash:

- With a deposit or withdrawal in the ledger, the portfolio keeps a cash balance: its value is
  securities plus cash, and only deposits (in) and withdrawals (out) cross its boundary. Buys,
  sales, dividends, fees, taxes and interest move money inside it.
- Without any, buys (quantity * price + fee) are inflows, sales (proceeds less fee), dividends
  and interest are outflows, and standalone fees and taxes are inflows that are lost.

Yahoo's closes are split-adjusted back in time, so positions are counted in today's shares: a
trade's quantity is multiplied by every split the ledger records after its date. A trade on a
non-trading day joins the next trading day in the daily chain and keeps its own date in
``flows`` (for the money-weighted return). Prices and FX rates are carried forward over gaps; a
day on which something held has no price yet is left out, its flows joining the next day kept.
The series starts on the last trading day before the first entry (value 0) and ends at the last
close; entries after the last close are not in it yet.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from desktop.core.holdings import sort_trades
from desktop.core.model import CASH_FLOWS, ZERO, Trade, TradeType

COLUMNS = ("value", "inflow", "outflow", "cash")


@dataclass(frozen=True)
class Timeline:
    """``valuation``: columns value (securities plus cash when tracked), inflow, outflow (>= 0)
    and cash, on trading dates. ``flows``: external flows at their own dates, positive into the
    portfolio. All money in the base currency."""

    valuation: pd.DataFrame
    flows: pd.Series
    tracks_cash: bool


def _split_factors(trades: Sequence[Trade]) -> dict[str, tuple[list, list[Decimal]]]:
    """Per symbol: split dates and the product of the ratios of all splits after each one."""
    splits: dict[str, list[tuple]] = {}
    for t in trades:
        if t.type is TradeType.SPLIT:
            splits.setdefault(t.symbol, []).append((t.date, t.quantity))
    out = {}
    for sym, events in splits.items():
        events.sort()
        after = [Decimal(1)] * (len(events) + 1)
        for i in range(len(events) - 1, -1, -1):
            after[i] = after[i + 1] * events[i][1]
        out[sym] = ([d for d, _ in events], after)
    return out


def splits_after(trades: Sequence[Trade], symbol: str, day: dt.date) -> Decimal:
    """How many of today's shares one share of ``symbol`` held on ``day`` has become: the
    product of the ratios of every split the ledger records after ``day`` (1 without any).

    Closes split-adjusted back in time (Yahoo's) times this are the prices as quoted on
    ``day``, in the shares held then."""
    factor = Decimal(1)
    for t in trades:
        if t.type is TradeType.SPLIT and t.symbol == symbol and t.date > day:
            factor *= t.quantity
    return factor


def _today_shares(factors, t: Trade) -> Decimal:
    """The trade's quantity in today's shares: times every split dated after the trade."""
    if t.symbol not in factors:
        return t.quantity
    dates, after = factors[t.symbol]
    return t.quantity * after[bisect.bisect_right(dates, t.date)]


_KIND = {kind: i for i, kind in enumerate(TradeType)}
_EPOCH_ORDINAL = 719_163  # datetime.date(1970, 1, 1).toordinal()


def _positions(changes: dict[tuple[int, str], float], symbols: list[str], n: int, first: int):
    """Units held at each close from row ``first`` on (rows: days, columns: symbols): each
    symbol's end-of-day positions on the days it changed, carried forward."""
    column = {sym: j for j, sym in enumerate(symbols)}
    rows = np.fromiter((day - first for day, _ in changes), dtype=np.int64, count=len(changes))
    cols = np.fromiter((column[sym] for _, sym in changes), dtype=np.int64, count=len(changes))
    # Column-major, so pandas' fill runs down each column contiguously (several times faster).
    qty = np.full((n - first, len(symbols)), np.nan, order="F")
    qty[0] = 0.0  # nothing is held before a symbol's first change
    qty[rows, cols] = np.fromiter(changes.values(), dtype=float, count=len(changes))
    return pd.DataFrame(qty, copy=False).ffill().to_numpy()


def _last_valid(prefix: np.ndarray) -> np.ndarray:
    """The last non-NaN value of each column (NaN where there is none)."""
    valid = ~np.isnan(prefix)
    last = prefix.shape[0] - 1 - np.argmax(valid[::-1], axis=0)
    seed = prefix[last, np.arange(prefix.shape[1])]
    return np.where(valid.any(axis=0), seed, np.nan)


def _prices_from(closes: pd.DataFrame, symbols: list[str], first: int) -> np.ndarray:
    """Closes of ``symbols`` from row ``first`` on, carried forward over gaps, starting from the
    last close before ``first`` (a symbol with no closes at all stays NaN)."""
    raw = closes.to_numpy(dtype=float)
    cols = closes.columns.get_indexer(symbols)
    present = np.flatnonzero(cols >= 0)
    window = np.full((raw.shape[0] - first, len(symbols)), np.nan, order="F")
    window[:, present] = raw[first:, cols[present]]
    window[0, present] = _last_valid(raw[: first + 1, cols[present]])
    return pd.DataFrame(window, copy=False).ffill().to_numpy()


def _flows(kinds: np.ndarray, gross: np.ndarray, fee: np.ndarray, amount: np.ndarray):
    """Per entry (vectorised): the cash change inside the portfolio, and the inflow and outflow
    it would be without cash tracking, in the entry's currency."""
    k = {kind: kinds == _KIND[kind] for kind in TradeType}
    cost, proceeds = gross + fee, gross - fee
    income = k[TradeType.DIVIDEND] | k[TradeType.INTEREST] | k[TradeType.DEPOSIT]
    spent = k[TradeType.FEE] | k[TradeType.TAX] | k[TradeType.WITHDRAWAL]
    delta = np.select(
        [k[TradeType.BUY], k[TradeType.SELL], income, spent],
        [-cost, proceeds, amount, -amount],
        0.0,
    )
    inflow = np.select([k[TradeType.BUY], spent], [cost, amount], 0.0)
    outflow = np.select([k[TradeType.SELL], income], [proceeds, amount], 0.0)
    return delta, inflow, outflow


def build_timeline(
    trades: Sequence[Trade],
    closes: pd.DataFrame,
    *,
    currencies: Mapping[str, str] | None = None,
    fx: pd.DataFrame | None = None,
    base: str = "USD",
) -> Timeline:
    closes = closes.sort_index()
    dates = pd.DatetimeIndex(closes.index)
    n = len(dates)
    tracks_cash = any(t.type in CASH_FLOWS for t in trades)
    ordered = [t for t in sort_trades(trades) if t.type is not TradeType.SPLIT]
    # Calendar days as ordinals (date.toordinal); converting date objects is the slow part.
    ordinals = np.fromiter(
        (t.date.toordinal() for t in ordered), dtype=np.int64, count=len(ordered)
    )
    close_days = dates.values.astype("datetime64[D]").astype(np.int64) + _EPOCH_ORDINAL
    day_of = np.searchsorted(close_days, ordinals, side="left")
    count = int(np.searchsorted(day_of, n))  # entries are in date order: later ones wait
    if count == 0 or n == 0:
        return _empty(dates, tracks_cash)
    ordered, days = ordered[:count], day_of[:count].astype(np.int64)
    currencies = currencies or {}
    rates = _rates(dates, fx, base)
    missing = np.full(n, np.nan)

    factors = _split_factors(trades)
    held: dict[str, Decimal] = {}
    last_position: dict[tuple[int, str], float] = {}
    kinds = np.empty(count, dtype=np.int64)
    gross, fee, amount, rate = (np.empty(count) for _ in range(4))
    for i, t in enumerate(ordered):
        kinds[i] = _KIND[t.type]
        gross[i] = float(t.gross) if t.quantity else 0.0
        fee[i] = float(t.fee) if t.fee else 0.0
        amount[i] = float(t.amount) if t.amount else 0.0
        code = t.currency or (currencies.get(t.symbol, base) if t.symbol else base)
        rate[i] = 1.0 if code == base else rates.get(code, missing)[days[i]]
        if t.type is TradeType.BUY or t.type is TradeType.SELL:
            units = _today_shares(factors, t)
            signed = units if t.type is TradeType.BUY else -units
            held[t.symbol] = position = held.get(t.symbol, ZERO) + signed
            last_position[(int(days[i]), t.symbol)] = float(position)
    delta, inflow, outflow = (x * rate for x in _flows(kinds, gross, fee, amount))
    if tracks_cash:
        inflow = np.where(kinds == _KIND[TradeType.DEPOSIT], delta, 0.0)
        outflow = np.where(kinds == _KIND[TradeType.WITHDRAWAL], -delta, 0.0)
    moved = (inflow != 0) | (outflow != 0)
    flows = pd.Series(
        (inflow - outflow)[moved],
        index=pd.DatetimeIndex((ordinals[:count][moved] - _EPOCH_ORDINAL).astype("datetime64[D]")),
        name="flow",
        dtype=float,
    )

    first = max(int(days.min()) - 1, 0)  # nothing is held before the first entry
    securities = np.zeros(n)
    priced = np.ones(n, dtype=bool)
    symbols = sorted({sym for _, sym in last_position})
    if symbols:
        qty = _positions(last_position, symbols, n, first)
        prices = _prices_from(closes, symbols, first)
        foreign = [j for j, sym in enumerate(symbols) if currencies.get(sym, base) != base]
        if foreign:
            prices = prices.copy()
            for j in foreign:
                prices[:, j] *= rates.get(currencies[symbols[j]], missing)[first:]
        product = qty * prices
        total = product.sum(axis=1)
        # Rows with a NaN (an unpriced cell): fine if nothing is held there, else unpriced.
        bad = np.flatnonzero(np.isnan(total))
        if len(bad):
            part = product[bad]
            unknown = np.isnan(part)
            priced[first + bad] = ~(unknown & (qty[bad] != 0.0)).any(axis=1)
            part[unknown] = 0.0
            total[bad] = part.sum(axis=1)
        securities[first:] = total
    # A flow in a currency with no rate yet cannot be valued: that day waits too.
    per_day = np.bincount(days, weights=delta, minlength=n)
    priced &= ~np.isnan(per_day)
    cash_balance = np.cumsum(np.nan_to_num(per_day))
    value = securities + (cash_balance if tracks_cash else 0.0)
    keep = priced & (np.arange(n) >= first)
    cum_in = np.cumsum(np.nan_to_num(np.bincount(days, weights=inflow, minlength=n)))[keep]
    cum_out = np.cumsum(np.nan_to_num(np.bincount(days, weights=outflow, minlength=n)))[keep]
    valuation = pd.DataFrame(
        {
            "value": value[keep],
            "inflow": np.diff(cum_in, prepend=0.0),
            "outflow": np.diff(cum_out, prepend=0.0),
            "cash": cash_balance[keep],
        },
        index=dates[keep],
    )
    return Timeline(valuation, flows, tracks_cash)


def _rates(dates: pd.DatetimeIndex, fx: pd.DataFrame | None, base: str) -> dict[str, np.ndarray]:
    """Units of base currency per unit of each currency, on every date (carried forward)."""
    rates = {base: np.ones(len(dates))}
    if fx is not None and len(fx.columns):
        aligned = fx.sort_index().reindex(dates.union(fx.index)).ffill().reindex(dates)
        for code in aligned.columns:
            if code != base:
                rates[code] = aligned[code].to_numpy(dtype=float)
    return rates


def _empty(dates: pd.DatetimeIndex, tracks_cash: bool) -> Timeline:
    frame = pd.DataFrame({c: np.array([], dtype=float) for c in COLUMNS}, index=dates[:0])
    return Timeline(frame, pd.Series([], dtype=float, name="flow"), tracks_cash)
