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


def _today_shares(factors, t: Trade) -> Decimal:
    """The trade's quantity in today's shares: times every split dated after the trade."""
    if t.symbol not in factors:
        return t.quantity
    dates, after = factors[t.symbol]
    return t.quantity * after[bisect.bisect_right(dates, t.date)]


def _money(t: Trade) -> tuple[Decimal, Decimal, Decimal]:
    """(cash change inside the portfolio, inflow, outflow) of one entry, without cash tracking
    for the last two; in the entry's own currency."""
    kind = t.type
    if kind is TradeType.BUY:
        cost = t.gross + t.fee
        return -cost, cost, ZERO
    if kind is TradeType.SELL:
        proceeds = t.gross - t.fee
        return proceeds, ZERO, proceeds
    if kind in (TradeType.DIVIDEND, TradeType.INTEREST, TradeType.DEPOSIT):
        return t.amount, ZERO, t.amount
    if kind in (TradeType.FEE, TradeType.TAX, TradeType.WITHDRAWAL):
        return -t.amount, t.amount, ZERO
    return ZERO, ZERO, ZERO


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
    day_of = dates.searchsorted(pd.DatetimeIndex([pd.Timestamp(t.date) for t in ordered]), "left")
    in_range = [(t, int(d)) for t, d in zip(ordered, day_of, strict=True) if d < n]
    if not in_range or n == 0:
        return _empty(dates, tracks_cash)
    currencies = currencies or {}
    rates = _rates(dates, fx, base)

    def currency_of(t: Trade) -> str:
        return t.currency or currencies.get(t.symbol, base) if t.symbol else (t.currency or base)

    factors = _split_factors(trades)
    held: dict[str, Decimal] = {}
    pos_day, pos_sym, pos_val = [], [], []
    days = np.empty(len(in_range), dtype=np.int64)
    cash = np.empty(len(in_range))
    inflow = np.empty(len(in_range))
    outflow = np.empty(len(in_range))
    flow_dates, flow_amounts = [], []
    for i, (t, day) in enumerate(in_range):
        if t.type in (TradeType.BUY, TradeType.SELL):
            units = _today_shares(factors, t)
            signed = units if t.type is TradeType.BUY else -units
            held[t.symbol] = held.get(t.symbol, ZERO) + signed
            pos_day.append(day)
            pos_sym.append(t.symbol)
            pos_val.append(float(held[t.symbol]))
        rate = rates.get(currency_of(t), np.full(n, np.nan))[day]
        delta, into, out = (float(x) * rate for x in _money(t))
        if tracks_cash:
            into = delta if t.type is TradeType.DEPOSIT else 0.0
            out = -delta if t.type is TradeType.WITHDRAWAL else 0.0
        days[i], cash[i], inflow[i], outflow[i] = day, delta, into, out
        if into or out:
            flow_dates.append(pd.Timestamp(t.date))
            flow_amounts.append(into - out)

    symbols = sorted(set(pos_sym))
    securities = np.zeros(n)
    priced = np.ones(n, dtype=bool)
    if symbols:
        ledger = pd.DataFrame({"day": pos_day, "symbol": pos_sym, "position": pos_val})
        end_of_day = ledger.groupby(["day", "symbol"], sort=True)["position"].last().unstack()
        qty = end_of_day.reindex(index=range(n), columns=symbols).ffill().fillna(0.0).to_numpy()
        prices = closes.reindex(columns=symbols).ffill().to_numpy(dtype=float)
        fx_cols = np.column_stack(
            [rates.get(currencies.get(s, base), np.full(n, np.nan)) for s in symbols]
        )
        local = prices * fx_cols
        held_mask = qty != 0.0
        priced = ~(held_mask & np.isnan(local)).any(axis=1)
        securities = np.where(held_mask, qty * np.nan_to_num(local), 0.0).sum(axis=1)
    # A flow in a currency with no rate yet cannot be valued: that day waits too.
    priced &= ~np.isnan(np.bincount(days, weights=cash, minlength=n))
    cash_balance = np.cumsum(np.nan_to_num(np.bincount(days, weights=cash, minlength=n)))
    value = securities + (cash_balance if tracks_cash else 0.0)
    keep = priced & (np.arange(n) >= max(int(days.min()) - 1, 0))
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
    flows = pd.Series(flow_amounts, index=pd.DatetimeIndex(flow_dates), name="flow", dtype=float)
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
