"""Did the portfolio beat an index over a period? Benchmark comparison.

The benchmark is measured over the portfolio's own ``Window`` (from its base close to its end
close, see ``periods``), so both cover the same days even when the portfolio began inside the
period. A benchmark's level on a date is its last close on or before that date (carried over
gaps, weekends and holidays).

Two kinds of comparison:

- Time-weighted: the portfolio's TTWROR against the index's return, their ratio day by day
  (relative strength), and regression statistics on daily returns.
- Money-weighted: what the same money, put into (or taken out of) the index when the portfolio
  received (or paid) it, would be worth (``benchmark_equivalent_value``, ``ks_pme``).

Daily statistics pair returns on the days both have a close: each side's return runs from the
previous such day (the first from the base), so a gap in either series compounds the other over
the same days. Statistics use a zero risk-free rate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from desktop.core.performance import TRADING_DAYS, end_values, in_window, link, period_returns
from desktop.core.periods import Period, Window, window
from desktop.core.returns import time_weighted_returns

#: A tracking error below this (annualized) is float noise: the portfolio is the index.
_ZERO_TE = 1e-10

EXPLAIN: dict[str, str] = {
    "benchmark_return": "The index's price return from the base close to the end close.",
    "excess_return": "Portfolio TTWROR minus the index's return: above 0 the portfolio beat it.",
    "benchmark_equivalent_value": "What the portfolio would be worth had its base value and "
    "every deposit gone into the index, and every withdrawal come out of it, on their dates.",
    "ks_pme": "Kaplan-Schoar public market equivalent: money out plus end value over money in, "
    "each grown by the index to the end; above 1 the portfolio beat the index, money-weighted.",
    "beta": "How much the portfolio moves per 1% move of the index (daily returns).",
    "alpha": "Yearly return beyond what beta times the index explains (zero risk-free rate).",
    "correlation": "How closely daily returns move together, from -1 to 1.",
    "tracking_error": "Yearly standard deviation of the daily difference from the index.",
    "information_ratio": "Yearly average difference from the index per unit of tracking error.",
    "up_capture": "In the months the index rose: the portfolio's annualized geometric mean "
    "return over the index's (above 1: it gained more than the index in rising months).",
    "down_capture": "In the months the index fell: the portfolio's annualized geometric mean "
    "return over the index's (below 1: it lost less than the index in falling months).",
}


@dataclass(frozen=True)
class BenchmarkComparison:
    """The portfolio against one benchmark over one period (fractions; ``None`` where
    undefined: no index level at the base, too few common days, no index moves)."""

    benchmark: str
    benchmark_return: float | None
    excess_return: float | None
    benchmark_equivalent_value: float | None
    ks_pme: float | None
    beta: float | None
    alpha: float | None
    correlation: float | None
    tracking_error: float | None
    information_ratio: float | None
    up_capture: float | None
    down_capture: float | None
    explain: dict[str, str] = field(
        default_factory=lambda: dict(EXPLAIN), repr=False, compare=False
    )


def levels(closes: pd.Series, dates: pd.DatetimeIndex) -> np.ndarray:
    """The benchmark's last close on or before each date; NaN before its first close."""
    known = closes.dropna().sort_index()
    at = known.index.searchsorted(pd.DatetimeIndex(dates).normalize(), side="right") - 1
    values = known.to_numpy(dtype=float)
    return np.where(at >= 0, values[np.maximum(at, 0)] if len(values) else np.nan, np.nan)


# -- time-weighted -------------------------------------------------------------------------------
def benchmark_return(r: pd.Series, closes: pd.Series, period: Period) -> float | None:
    """The index's return over the portfolio's window (``r``: its daily TWR, for the dates)."""
    w = window(pd.DatetimeIndex(r.index), period)
    if w is None:
        return None
    base, end = levels(closes, pd.DatetimeIndex([w.base, w.end]))
    return None if not base > 0.0 else float(end / base - 1.0)


def excess_return(r: pd.Series, closes: pd.Series, period: Period) -> float | None:
    """Portfolio TTWROR minus the benchmark's return over the same window (a difference)."""
    bench = benchmark_return(r, closes, period)
    return None if bench is None else link(period_returns(r, period)) - bench


def aligned_returns(r: pd.Series, closes: pd.Series, period: Period) -> pd.DataFrame:
    """Daily returns, columns ``portfolio`` and ``benchmark``, on the window's days that have
    both a portfolio value and a benchmark close, each from the previous such day (the first
    from the base; without an index level at the base, from the first common day)."""
    w = window(pd.DatetimeIndex(r.index), period)
    inside = in_window(r, w)
    days = pd.DatetimeIndex(inside.index).intersection(closes.dropna().index)
    if w is None or len(days) == 0:
        return pd.DataFrame({"portfolio": [], "benchmark": []}, dtype=float)
    growth = np.cumprod(1.0 + inside.to_numpy(dtype=float))
    portfolio = np.concatenate(([1.0], growth[inside.index.get_indexer(days)]))
    dates = pd.DatetimeIndex([w.base]).append(days)
    frame = pd.DataFrame({"portfolio": portfolio, "benchmark": levels(closes, dates)}, dates)
    return frame.dropna().pct_change().iloc[1:]


def relative_strength(rp: pd.Series, rb: pd.Series) -> pd.Series:
    """(1 + R_p(t)) / (1 + R_b(t)): the portfolio's growth over the benchmark's since the base,
    from daily returns over the same days (``aligned_returns``); 1 where they kept pace."""
    both = pd.concat([rp, rb], axis=1, join="inner")
    growth = np.cumprod(1.0 + both.to_numpy(dtype=float), axis=0)
    return pd.Series(growth[:, 0] / growth[:, 1], index=both.index, name="relative_strength")


# -- money-weighted ------------------------------------------------------------------------------
def _money(valuation, flows, closes, period) -> tuple[Window, np.ndarray, np.ndarray, float] | None:
    """The window, money in at each date (base value first; withdrawals negative), the index's
    growth from each date to the end, and the end value; ``None`` without index levels."""
    w = window(pd.DatetimeIndex(valuation.index), period)
    if w is None:
        return None
    v_base, v_end = end_values(valuation, w)
    inside = in_window(flows, w)
    dates = pd.DatetimeIndex([w.base]).append(pd.DatetimeIndex(inside.index))
    level = levels(closes, dates.append(pd.DatetimeIndex([w.end])))
    if not (level > 0.0).all():
        return None
    amounts = np.concatenate(([v_base], inside.to_numpy(dtype=float)))
    return w, amounts, level[-1] / level[:-1], v_end


def benchmark_equivalent_value(
    valuation: pd.DataFrame, flows: pd.Series, closes: pd.Series, period: Period
) -> float | None:
    """The end value had the base value bought the index at the base close and each flow of the
    period bought (deposit) or sold (withdrawal) it at its last close on or before the flow's
    date: sum(amount * B_end / B_date). A withdrawal larger than the holding goes short."""
    money = _money(valuation, flows, closes, period)
    return None if money is None else float(np.sum(money[1] * money[2]))


def ks_pme(
    valuation: pd.DataFrame, flows: pd.Series, closes: pd.Series, period: Period
) -> float | None:
    """Kaplan-Schoar PME, every amount grown by the index to the end (B_end / B_date):

        (sum of withdrawals grown + end value) / (base value grown + sum of deposits grown)

    Base value and deposits are the money in, withdrawals and the end value the money out.
    Above 1 the portfolio beat the index; 1 for a portfolio that only held the index. ``None``
    without index levels or with no money in.
    """
    money = _money(valuation, flows, closes, period)
    if money is None:
        return None
    _, amounts, growth, v_end = money
    grown = amounts * growth
    paid_in = float(grown[amounts > 0].sum())
    taken_out = float(-grown[amounts < 0].sum())
    return None if paid_in <= 0.0 else (taken_out + v_end) / paid_in


# -- daily statistics (``rp``, ``rb`` from ``aligned_returns``) --------------------------------
def _pair(rp: pd.Series, rb: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    both = pd.concat([rp, rb], axis=1, join="inner").to_numpy(dtype=float)
    return both[:, 0], both[:, 1]


def _flat(returns: np.ndarray) -> bool:
    """Daily returns that never vary, but for float noise (1e-12 is a thousandth of a basis
    point of a basis point): a variance there is rounding, and a ratio of it is meaningless."""
    return bool(np.ptp(returns) <= 1e-12)


def beta(rp: pd.Series, rb: pd.Series) -> float | None:
    """cov(rp, rb) / var(rb); ``None`` with fewer than 2 days or a benchmark that never varies."""
    p, b = _pair(rp, rb)
    if len(b) < 2 or _flat(b):
        return None
    return float(np.cov(p, b, ddof=1)[0, 1] / np.var(b, ddof=1))


def alpha(rp: pd.Series, rb: pd.Series) -> float | None:
    """Annualized Jensen's alpha: the daily intercept a = mean(rp) - beta * mean(rb) of the
    regression of rp on rb, compounded over a year: (1 + a) ** 252 - 1. ``None`` when that
    is beyond a float (two days can give an intercept of +1,570%) or below -100%."""
    slope = beta(rp, rb)
    if slope is None:
        return None
    p, b = _pair(rp, rb)
    daily = float(p.mean() - slope * b.mean())
    if daily <= -1.0:
        return None
    try:
        return (1.0 + daily) ** TRADING_DAYS - 1.0
    except OverflowError:
        return None


def correlation(rp: pd.Series, rb: pd.Series) -> float | None:
    """Pearson correlation of daily returns; ``None`` when either never varies."""
    p, b = _pair(rp, rb)
    if len(b) < 2 or _flat(b) or _flat(p):
        return None
    return float(np.corrcoef(p, b)[0, 1])


def tracking_error(rp: pd.Series, rb: pd.Series) -> float | None:
    """std(rp - rb, ddof=1) * sqrt(252); ``None`` with fewer than 2 days."""
    p, b = _pair(rp, rb)
    if len(b) < 2:
        return None
    return float(np.std(p - b, ddof=1)) * math.sqrt(TRADING_DAYS)


def information_ratio(rp: pd.Series, rb: pd.Series) -> float | None:
    """Annualized mean excess over tracking error: mean(rp - rb) * 252 / tracking_error, i.e.
    mean / std of daily excess * sqrt(252); ``None`` when the tracking error is zero."""
    te = tracking_error(rp, rb)
    if te is None or te < _ZERO_TE:
        return None
    p, b = _pair(rp, rb)
    return float((p - b).mean()) * TRADING_DAYS / te


#: An index move (a month's) smaller than this is rounding (1000 / 1000.0000000000001 - 1), not a
#: rise or a fall: dividing by it made a capture of 2.0 out of two rounding errors.
FLAT = 1e-12


def monthly_pairs(rp: pd.Series, rb: pd.Series) -> pd.DataFrame:
    """The paired daily returns (``aligned_returns``) compounded within each calendar month,
    columns ``portfolio`` and ``benchmark``; a partial first or last month counts as it is."""
    both = pd.concat([rp.rename("portfolio"), rb.rename("benchmark")], axis=1, join="inner")
    index = pd.DatetimeIndex(both.index)
    return (1.0 + both).groupby([index.year, index.month]).prod() - 1.0


def _geometric_yearly(returns: np.ndarray) -> float | None:
    """The annualized geometric mean of monthly returns: prod(1 + r) ** (12 / n) - 1."""
    growth = float(np.prod(1.0 + returns))
    return None if growth <= 0.0 else growth ** (12.0 / len(returns)) - 1.0


def _capture(rp: pd.Series, rb: pd.Series, up: bool) -> float | None:
    months = monthly_pairs(rp, rb)
    b = months["benchmark"].to_numpy(dtype=float)
    chosen = b > FLAT if up else b < -FLAT
    if not chosen.any():
        return None
    mine = _geometric_yearly(months["portfolio"].to_numpy(dtype=float)[chosen])
    theirs = _geometric_yearly(b[chosen])
    if mine is None or theirs is None or abs(theirs) <= FLAT:
        return None
    return mine / theirs


def up_capture(rp: pd.Series, rb: pd.Series) -> float | None:
    """Over the months the benchmark rose (``monthly_pairs``; by more than ``FLAT``): the
    portfolio's annualized geometric mean return over the benchmark's. Above 1: it rose more.
    ``None`` if the benchmark never rose in a month."""
    return _capture(rp, rb, up=True)


def down_capture(rp: pd.Series, rb: pd.Series) -> float | None:
    """Over the months the benchmark fell: the portfolio's annualized geometric mean return
    over the benchmark's. Below 1: it fell less. ``None`` if the benchmark never fell in a
    month."""
    return _capture(rp, rb, up=False)


def compare(
    valuation: pd.DataFrame, flows: pd.Series, closes: pd.Series, period: Period
) -> BenchmarkComparison:
    """Every comparison of this module, for one benchmark's ``closes`` over ``period``."""
    r = time_weighted_returns(valuation)
    daily = aligned_returns(r, closes, period)
    rp, rb = daily["portfolio"], daily["benchmark"]
    return BenchmarkComparison(
        benchmark="" if closes.name is None else str(closes.name),
        benchmark_return=benchmark_return(r, closes, period),
        excess_return=excess_return(r, closes, period),
        benchmark_equivalent_value=benchmark_equivalent_value(valuation, flows, closes, period),
        ks_pme=ks_pme(valuation, flows, closes, period),
        beta=beta(rp, rb),
        alpha=alpha(rp, rb),
        correlation=correlation(rp, rb),
        tracking_error=tracking_error(rp, rb),
        information_ratio=information_ratio(rp, rb),
        up_capture=up_capture(rp, rb),
        down_capture=down_capture(rp, rb),
    )
