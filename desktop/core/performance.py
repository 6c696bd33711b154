"""How the portfolio did over a period: time-weighted, money-weighted and risk measures.

Inputs are the ledger engine's two plain series (see ``timeline``):

- ``valuation``: on trading dates, ``value`` at the close and the day's external ``inflow`` and
  ``outflow`` (both >= 0). Time-weighted returns come from it alone.
- ``flows``: the same external money at its own calendar dates, positive into the portfolio.
  Money-weighted measures (IRR, gain, simple return) date each flow by it.

Every measure runs over the period's ``Window`` on the valuation's dates: from the base close
to the end close. A flow belongs to the period when its date is after the base close and on or
before the end close: a flow on the base day is already in the base value, a Saturday flow after
a Friday base joins Monday, and a flow after the last close is not valued yet.

A period that holds no close after its base (a weekend) gains nothing: TTWROR, gain, simple
return and drawdown 0; yearly rates and volatility ``None``. One that ends before the valuation's
first date has no base: the same, with the simple return ``None`` too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import pandas as pd
import pyxirr

from desktop.core.periods import Period, Window, window
from desktop.core.returns import time_weighted_returns

S = TypeVar("S", pd.Series, pd.DataFrame)

#: Trading days in a year, for annualizing daily statistics.
TRADING_DAYS = 252

EXPLAIN: dict[str, str] = {
    "ttwror": "True time-weighted return: how 1 unit held from the base close grew, with "
    "deposits and withdrawals taken out; the number to compare with an index.",
    "ttwror_annualized": "The time-weighted return as a yearly rate, compounded over the "
    "calendar days from the base close to the end close.",
    "irr": "Internal rate of return (money-weighted, yearly): the one rate at which the base "
    "value and every deposit, less withdrawals, grow into the end value; it counts when you "
    "put money in or took it out.",
    "absolute_gain": "Money made: end value less base value less net deposits "
    "(deposits minus withdrawals) in the period.",
    "simple_return": "Gain divided by the money at work: base value plus deposits in the "
    "period; not a yearly rate and blind to when the money came in.",
    "max_drawdown": "Largest fall of the time-weighted return from an earlier high, "
    "e.g. -0.055 for a 5.5% drop.",
    "volatility": "How much daily time-weighted returns swing: their standard deviation, "
    "scaled to a year (times the square root of 252).",
}


@dataclass(frozen=True)
class PerformanceSummary:
    """The portfolio's measures over one period (fractions: 0.1 is 10%); ``None`` where
    undefined. ``base`` and ``end`` are the closes measured between (``None`` with no data);
    ``explain`` says in one line what each measure means."""

    base: pd.Timestamp | None
    end: pd.Timestamp | None
    ttwror: float
    ttwror_annualized: float | None
    irr: float | None
    absolute_gain: float
    simple_return: float | None
    max_drawdown: float
    volatility: float | None
    explain: dict[str, str] = field(
        default_factory=lambda: dict(EXPLAIN), repr=False, compare=False
    )


# -- the period's slices ------------------------------------------------------------------------
def in_window(series: S, w: Window | None) -> S:
    """The rows of ``series`` dated after the base and on or before the end (by calendar day)."""
    if w is None:
        return series.iloc[:0]
    days = pd.DatetimeIndex(series.index).normalize()
    return series[(days > w.base) & (days <= w.end)]


def period_returns(r: pd.Series, period: Period) -> pd.Series:
    """The daily time-weighted returns that make up ``period``: after the base through the end."""
    return in_window(r, window(pd.DatetimeIndex(r.index), period))


def end_values(valuation: pd.DataFrame, w: Window) -> tuple[float, float]:
    """The portfolio's value at the window's base close and at its end close."""
    values = valuation["value"]
    return float(values.loc[w.base]), float(values.loc[w.end])


# -- time-weighted -------------------------------------------------------------------------------
def link(r: pd.Series) -> float:
    """Geometric linking of daily returns: prod(1 + r) - 1; 0.0 for no days."""
    return float(np.prod(1.0 + r.to_numpy(dtype=float))) - 1.0


def ttwror(valuation: pd.DataFrame, period: Period) -> float:
    """True time-weighted rate of return over ``period`` (``returns.time_weighted_returns``)."""
    return link(period_returns(time_weighted_returns(valuation), period))


def annualized(r: float, days: int) -> float | None:
    """(1 + r) ** (365 / days) - 1: a return over ``days`` calendar days as a yearly rate.

    ``None`` for no days, or a loss of more than everything (1 + r < 0).
    """
    if days <= 0 or 1.0 + r < 0.0:
        return None
    return (1.0 + r) ** (365.0 / days) - 1.0


def max_drawdown(r: pd.Series) -> float:
    """The deepest fall of the index prod(1 + r), starting at 1 on the base, from its running
    high: a negative fraction (-0.055 for a 5.5% fall), 0.0 when it never falls."""
    wealth = np.cumprod(np.concatenate(([1.0], 1.0 + r.to_numpy(dtype=float))))
    peak = np.maximum.accumulate(wealth)
    return min(float((wealth / peak - 1.0).min()), 0.0)


def volatility(r: pd.Series) -> float | None:
    """Annualized volatility: std(r, ddof=1) * sqrt(252); ``None`` with fewer than 2 days."""
    if len(r) < 2:
        return None
    return float(np.std(r.to_numpy(dtype=float), ddof=1)) * math.sqrt(TRADING_DAYS)


def monthly_returns(r: pd.Series) -> pd.DataFrame:
    """Returns compounded within each calendar month: one row per year, columns 1..12 (NaN for
    months without a day in ``r``; the first and last month count only their days in ``r``)."""
    index = pd.DatetimeIndex(r.index)
    growth = (1.0 + r.astype(float)).groupby([index.year, index.month]).prod() - 1.0
    table = growth.unstack() if len(growth) else pd.DataFrame(index=pd.Index([], dtype=int))
    table = table.reindex(columns=range(1, 13))
    table.index.name, table.columns.name = "year", "month"
    return table


def yearly_returns(r: pd.Series) -> pd.Series:
    """Returns compounded within each calendar year, indexed by year."""
    index = pd.DatetimeIndex(r.index)
    growth = (1.0 + r.astype(float)).groupby(index.year).prod() - 1.0
    growth.index.name = "year"
    return growth.rename("return")


# -- money-weighted ------------------------------------------------------------------------------
def irr(valuation: pd.DataFrame, flows: pd.Series, period: Period) -> float | None:
    """Money-weighted yearly rate (XIRR, ACT/365, by ``pyxirr.xirr``) over ``period``.

    Cash flows from the investor's side (money into the portfolio negative): the value at the
    base close paid in on the period's first day (``--from``; the base date for Max or when the
    data starts later), each flow of the period at its own date, the end value taken out at the
    end close's date. -1.0 when nothing came back. ``None`` when it is undefined (an empty
    period, no money before the end day, no solution); never raises.
    """
    w = window(pd.DatetimeIndex(valuation.index), period)
    if w is None or w.empty:
        return None
    v_base, v_end = end_values(valuation, w)
    inside = in_window(flows, w)
    first_day = w.base if period.start is None else max(w.base, pd.Timestamp(period.start))
    dates = np.concatenate(
        (
            [first_day.to_datetime64()],
            pd.DatetimeIndex(inside.index).normalize().to_numpy(),
            [w.end.to_datetime64()],
        )
    ).astype("datetime64[D]")
    amounts = np.concatenate(([-v_base], -inside.to_numpy(dtype=float), [v_end]))
    # A rate needs money that was at work before the end day.
    if not np.isfinite(amounts).all() or not (amounts[dates < dates[-1]] != 0.0).any():
        return None
    if not (amounts > 0.0).any():
        return -1.0  # nothing came back: everything was lost
    # In units of the largest amount: the root-finder's tolerances are absolute, so the same
    # flows in cents or in millions could end on different sides of a hard case (a root a
    # hair above -100%: found at one scale, "no solution" at ten times it).
    rate = pyxirr.xirr(dates, amounts / np.abs(amounts).max(), silent=True)
    return float(rate) if rate is not None and math.isfinite(rate) else None


def _in_and_out(flows: pd.Series, w: Window | None) -> tuple[float, float]:
    """Money put in and taken out (both >= 0) in the window."""
    amounts = in_window(flows, w).to_numpy(dtype=float)
    return float(amounts[amounts > 0].sum()), float(-amounts[amounts < 0].sum())


def absolute_gain(valuation: pd.DataFrame, flows: pd.Series, period: Period) -> float:
    """V_end - V_base - (money in - money out) over ``period``; 0.0 for a period with no data."""
    w = window(pd.DatetimeIndex(valuation.index), period)
    if w is None:
        return 0.0
    v_base, v_end = end_values(valuation, w)
    money_in, money_out = _in_and_out(flows, w)
    return v_end - v_base - (money_in - money_out)


def simple_return(valuation: pd.DataFrame, flows: pd.Series, period: Period) -> float | None:
    """Gain over the money at work: absolute_gain / (V_base + money put in during the period).

    Withdrawals do not reduce the denominator (money once at work counts). ``None`` when nothing
    was invested.
    """
    w = window(pd.DatetimeIndex(valuation.index), period)
    if w is None:
        return None
    invested = end_values(valuation, w)[0] + _in_and_out(flows, w)[0]
    if invested <= 0.0:
        return None
    return absolute_gain(valuation, flows, period) / invested


def summarize(valuation: pd.DataFrame, flows: pd.Series, period: Period) -> PerformanceSummary:
    """Every measure of this module over ``period``."""
    w = window(pd.DatetimeIndex(valuation.index), period)
    r = period_returns(time_weighted_returns(valuation), period)
    total = link(r)
    return PerformanceSummary(
        base=None if w is None else w.base,
        end=None if w is None else w.end,
        ttwror=total,
        ttwror_annualized=None if w is None else annualized(total, w.days),
        irr=irr(valuation, flows, period),
        absolute_gain=absolute_gain(valuation, flows, period),
        simple_return=simple_return(valuation, flows, period),
        max_drawdown=max_drawdown(r),
        volatility=volatility(r),
    )
