"""Daily valuation and time-weighted returns of the portfolio, and of benchmarks, over a range.

Pure and vectorised (numpy/pandas, no Qt, no I/O). The ledger's exact ``Decimal`` quantities and
money are converted to float once, here, where they meet the market's float closes.

The portfolio series (``daily_valuation``) lives on the closes' trading dates:

- A trade dated on a non-trading day (weekend, holiday) joins the next trading day.
- Prices are carried forward over gaps: a day where one instrument has no close uses its last one.
- A day is in the series only if every instrument held at its close is priced. Before an
  instrument's first close it is unpriced, so a day holding it is left out, and the flows of days
  left out join the next day in the series (a time-weighted return over the longer sub-period).
- The series starts on the last trading day before the first trade (nothing held: value 0, the
  base of the range) and ends at the last day that is priced; trades after the last close are
  not in it yet. When the first trade falls on the closes' first date there is no earlier close,
  so the series starts on that day: its return (trade price and fee to close) is in the series,
  but a range measured from that first day starts after it.

Returns are daily fractions; ``cumulative`` compounds them from a range's base close, where it is 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from desktop.core.model import Trade
from desktop.core.periods import period_start
from desktop.core.timeline import build_timeline

#: The chart's ranges, shortest first; ``range_start`` understands each of them.
RANGES: tuple[str, ...] = ("1M", "3M", "6M", "YTD", "1Y", "3Y", "5Y", "10Y", "Max")
COLUMNS = ("value", "inflow", "outflow")


def _empty(index: pd.DatetimeIndex) -> pd.DataFrame:
    return pd.DataFrame({c: np.array([], dtype=float) for c in COLUMNS}, index=index[:0])


def daily_valuation(trades: Sequence[Trade], closes: pd.DataFrame) -> pd.DataFrame:
    """Market value at each close and the money that went in and came out that day.

    ``closes`` has a ``DatetimeIndex`` of trading dates and one float column per symbol (NaN
    where a symbol has no close). Returns columns ``value``, ``inflow`` and ``outflow`` on the
    dates described in the module docstring (see ``timeline`` for every entry type, cash and
    splits); empty when no entry falls on or before the last close.
    """
    return build_timeline(trades, closes).valuation[list(COLUMNS)]


def time_weighted_returns(valuation: pd.DataFrame) -> pd.Series:
    """Daily returns r_t = (V_t + O_t) / (V_{t-1} + I_t) - 1, with V before the first day 0.

    Money moved on a day counts as moved at the start of the day (in) or its end (out), so flows
    do not count as gains. A day with nothing held and nothing bought (a zero denominator) is 0.
    """
    value = valuation["value"].to_numpy(dtype=float)
    before = np.concatenate(([0.0], value[:-1]))
    denominator = before + valuation["inflow"].to_numpy(dtype=float)
    ending = value + valuation["outflow"].to_numpy(dtype=float)
    safe = np.where(denominator == 0.0, 1.0, denominator)
    r = np.where(denominator == 0.0, 0.0, ending / safe - 1.0)
    return pd.Series(r, index=valuation.index, name="return")


def price_returns(closes: pd.Series) -> pd.Series:
    """Daily returns of a price series (a benchmark), starting at its first close with 0.

    Gaps are carried forward (a day without a close returns 0, the next one the whole move).
    """
    prices = closes.sort_index().ffill().dropna()
    r = prices.pct_change().fillna(0.0)
    r.name = closes.name
    return r


def cumulative(returns: pd.Series, start: pd.Timestamp | dt.date | None) -> pd.Series:
    """Compound daily returns over a range, as fractions rebased to 0.0 at the range's base.

    The base is the last date before ``start`` present in ``returns`` (the close a range is
    measured from: for YTD, the last close of the previous year); when there is none, or
    ``start`` is ``None``, it is the first date. The result runs from the base to the end.
    """
    if returns.empty:
        return returns.astype(float)
    base = 0
    if start is not None:
        base = max(int(returns.index.searchsorted(pd.Timestamp(start), side="left")) - 1, 0)
    r = returns.iloc[base:].fillna(0.0).to_numpy(dtype=float, copy=True)
    r[0] = 0.0
    return pd.Series(np.cumprod(1.0 + r) - 1.0, index=returns.index[base:], name=returns.name)


def range_start(name: str, as_of: dt.date) -> dt.date | None:
    """The first day of the range ``name`` ending at ``as_of``; ``None`` for "Max" (all).

    YTD starts on Jan 1 (base: the last close of the previous year). NY starts the day after the
    same date N years earlier, so the base is the last close on or before that date. Any name of
    ``desktop.core.periods.PERIODS`` works; see ``periods.period_start``.
    """
    return period_start(name, as_of)
