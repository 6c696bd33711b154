"""The small-against-large lens beyond the size ratio: how much the portfolio moves with each
index (rolling beta), how it moves with interest rates, the yield curve's slope, and its
factor exposures in plain words.

- **Rolling beta.** Over the trailing ``days`` sessions (252: a year) of days both have a
  return: cov(portfolio, index) / var(index) of daily returns (the index's from its closes,
  carried over days it has none). Blank until a full window exists.
- **Rate sensitivity.** The slope of daily returns on the day's change in the 10-year yield
  (^TNX, quoted in percent: a change of 1.0 is one percentage point): the return a one-point
  rise came with, over the days both have. A more negative number is more rate-sensitive.
- **The curve's slope.** ^TNX less ^IRX (the 13-week bill), in percentage points, on the days
  both have a close: below zero, the curve is inverted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: A year of sessions: the rolling beta's window.
BETA_DAYS = 252
#: Below this share of beta, the lens calls a tilt neutral (size or value).
TILT = 0.2


def index_returns(closes: pd.Series, days: pd.DatetimeIndex) -> pd.Series:
    """An index's daily price returns on ``days``: its last close on or before each day over
    the one before (NaN on the first day and before its closes begin)."""
    closes = closes.dropna().sort_index()
    if closes.empty:
        return pd.Series(np.nan, index=days, dtype=float)
    at = closes.index.searchsorted(days, side="right") - 1
    values = np.where(at >= 0, closes.to_numpy(dtype=float)[np.maximum(at, 0)], np.nan)
    level = pd.Series(values, index=days)
    return level / level.shift(1) - 1.0


def rolling_beta(returns: pd.Series, index: pd.Series, days: int = BETA_DAYS) -> pd.Series:
    """The trailing ``days``-session beta of ``returns`` to ``index`` (both daily returns on
    the same dates); NaN until ``days`` days with both exist."""
    both = pd.concat([returns, index], axis=1, join="inner").dropna()
    both.columns = ["r", "i"]
    beta = both["r"].rolling(days).cov(both["i"]) / both["i"].rolling(days).var()
    return beta.reindex(returns.index)


@dataclass(frozen=True)
class RateSensitivity:
    """``beta``: the daily return that came with a one-point rise in the yield (a fraction per
    percentage point); ``n``: the days it is measured over; ``None`` with fewer than 20."""

    beta: float | None
    n: int


def rate_sensitivity(returns: pd.Series, yield_closes: pd.Series) -> RateSensitivity:
    """The slope of ``returns`` (daily) on the day's change of ``yield_closes`` (percent)."""
    level = yield_closes.dropna().sort_index()
    change = level.diff()
    both = pd.concat([returns, change], axis=1, join="inner").dropna()
    if len(both) < 20:
        return RateSensitivity(None, len(both))
    r, dy = both.iloc[:, 0].to_numpy(dtype=float), both.iloc[:, 1].to_numpy(dtype=float)
    var = float(np.var(dy, ddof=1))
    if var == 0.0:
        return RateSensitivity(None, len(both))
    return RateSensitivity(float(np.cov(r, dy, ddof=1)[0, 1] / var), len(both))


def rate_sensitivities(
    returns: Mapping[str, pd.Series], yield_closes: pd.Series
) -> dict[str, RateSensitivity]:
    """``rate_sensitivity`` of each series, over its own days."""
    return {name: rate_sensitivity(r, yield_closes) for name, r in returns.items()}


def curve_slope(ten_year: pd.Series, short: pd.Series) -> pd.Series:
    """The 10-year yield less the short one, on the days both have a close (points)."""
    both = pd.concat([ten_year, short], axis=1, join="inner").dropna()
    return (both.iloc[:, 0] - both.iloc[:, 1]).rename("slope")


def style_in_words(size: float, value: float, market: float) -> str:
    """Factor betas as a fund style: "behaves like a small-cap value fund: size +0.60, value
    +0.30, market 1.05". A size beta above ``TILT`` is small-cap, below -``TILT`` large-cap;
    a value beta above ``TILT`` is value, below -``TILT`` growth; else neutral."""
    cap = "small-cap" if size > TILT else "large-cap" if size < -TILT else "broad-market"
    style = "value" if value > TILT else "growth" if value < -TILT else "blend"
    return (
        f"behaves like a {cap} {style} fund: size {size:+.2f}, value {value:+.2f}, "
        f"market {market:.2f}"
    )
