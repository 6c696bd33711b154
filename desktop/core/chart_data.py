"""The data of each chart of the performance screen, from one snapshot.

The screen draws these frames and ``portfolio-desk chart NAME --out FILE.csv`` writes them, so
what a user sees can be checked from a script. Every series is measured over the snapshot's
window (its base close to its end close) on the portfolio's valued days; a benchmark's value on
a day is its last close on or before it (``benchmarks.levels``), NaN before its first close (a
benchmark without closes is all NaN: "no data", never 0). Returns are fractions.

- ``performance``: cumulative returns, 0 at the base close;
- ``relative_strength``: (1 + portfolio) / (1 + benchmark), 1 at the base: rising while the
  portfolio beats the benchmark;
- ``drawdown``: the fraction below the running peak of (1 + cumulative), 0 or less;
- ``value``: market value, invested capital (the base value plus the external flows since) and
  each benchmark's equivalent value (the same money, put in and taken out on the same days, in
  the index);
- ``heatmap``: monthly returns of the portfolio and its excess over each benchmark (the
  portfolio's month less the benchmark's, both compounded over the month's days), with each
  year's total;
- ``rolling``: the trailing one-year TTWROR of each day (from the last close on or before the
  same day a year earlier), NaN until a year of history exists;
- ``contribution``: each holding's part of the period's TTWROR (``snapshot.contributions``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from desktop.core.benchmarks import levels
from desktop.core.performance import in_window, monthly_returns, yearly_returns

if TYPE_CHECKING:
    from desktop.core.snapshot import PortfolioSnapshot

PORTFOLIO = "portfolio"
#: The chart names ``portfolio-desk chart`` accepts, in the screen's order.
CHARTS = (
    "performance",
    "relative-strength",
    "drawdown",
    "value",
    "heatmap",
    "rolling",
    "rolling-3y",
    "contribution",
)


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    frame.index = pd.DatetimeIndex(frame.index, name="date")
    return frame


def _days(s: PortfolioSnapshot) -> pd.DatetimeIndex:
    """The base close and the window's valued days."""
    return pd.DatetimeIndex(s.line.index)


def _levels(s: PortfolioSnapshot, symbol: str, days: pd.DatetimeIndex) -> np.ndarray:
    closes = s.index_closes(symbol)
    if closes.empty:
        return np.full(len(days), np.nan)
    found = levels(closes, days)
    return np.where(found > 0.0, found, np.nan)


def performance(s: PortfolioSnapshot, benchmarks: Sequence[str]) -> pd.DataFrame:
    """``portfolio`` and each benchmark's cumulative return from the base close."""
    days = _days(s)
    frame = pd.DataFrame({PORTFOLIO: s.line.to_numpy(dtype=float)}, index=days)
    for symbol in benchmarks:
        level = _levels(s, symbol, days)
        base = level[0] if len(level) else np.nan
        frame[symbol] = level / base - 1.0  # NaN throughout without a level at the base
    return _dated(frame)


def relative_strength(s: PortfolioSnapshot, benchmarks: Sequence[str]) -> pd.DataFrame:
    """(1 + portfolio) / (1 + benchmark) for each benchmark."""
    growth = performance(s, benchmarks) + 1.0
    return _dated(growth[list(benchmarks)].rdiv(growth[PORTFOLIO], axis=0))


def drawdown(s: PortfolioSnapshot, benchmarks: Sequence[str]) -> pd.DataFrame:
    """Each series' fall below its running peak, as a fraction of the peak (0 or less)."""
    growth = performance(s, benchmarks) + 1.0
    return _dated(growth / growth.cummax() - 1.0)


def value(s: PortfolioSnapshot, benchmarks: Sequence[str]) -> pd.DataFrame:
    """``market_value``, ``invested_capital`` and each benchmark's equivalent value, in the
    base currency, on the base close and the window's days."""
    w, days = s.window, _days(s)
    if w is None:
        columns = ["market_value", "invested_capital", *benchmarks]
        return _dated(pd.DataFrame(columns=columns, index=days, dtype=float))
    values = s.valuation["value"].reindex(days).to_numpy(dtype=float)
    flows = in_window(s.timeline.flows, w)  # external flows after the base through the end
    at = np.searchsorted(days.normalize(), pd.DatetimeIndex(flows.index).normalize(), "left")
    per_day = np.bincount(at, weights=flows.to_numpy(dtype=float), minlength=len(days))
    frame = pd.DataFrame(
        {"market_value": values, "invested_capital": values[0] + np.cumsum(per_day)},
        index=days,
    )
    for symbol in benchmarks:
        level = _levels(s, symbol, days)
        # Units of the index: the base value bought at the base close, each flow bought (or
        # sold) at the index's last close on or before the flow's own date.
        at_flow = _levels(s, symbol, pd.DatetimeIndex(flows.index))
        bought = np.bincount(at, weights=flows.to_numpy(dtype=float) / at_flow, minlength=len(days))
        units = values[0] / level[0] + np.cumsum(bought)
        frame[symbol] = units * level
    return _dated(frame)


def heatmap(s: PortfolioSnapshot, benchmarks: Sequence[str]) -> pd.DataFrame:
    """Rows ``year, month, series, return``: month 1-12 or ``total``; series ``portfolio`` or
    ``excess:SYM``. A month counts only its days in the window."""
    growth = performance(s, benchmarks) + 1.0
    daily = (growth / growth.shift(1) - 1.0).iloc[1:]  # each day's return from the one before
    daily[PORTFOLIO] = s.period_returns.to_numpy(dtype=float)  # the very figures of the TTWROR
    rows: list[tuple[int, object, str, float]] = []

    def add(series: str, returns: pd.Series) -> None:
        table = monthly_returns(returns)
        for year, months in table.iterrows():
            for month, value in months.items():
                if np.isfinite(value):
                    rows.append((int(year), int(month), series, float(value)))
            rows.append((int(year), "total", series, float(yearly_returns(returns)[year])))

    if len(daily):
        add(PORTFOLIO, daily[PORTFOLIO])
        mine = monthly_returns(daily[PORTFOLIO])
        mine_years = yearly_returns(daily[PORTFOLIO])
        for symbol in benchmarks:
            theirs = daily[symbol].dropna()
            if theirs.empty:
                continue
            months = mine - monthly_returns(theirs).reindex_like(mine)
            years = mine_years - yearly_returns(theirs).reindex(mine_years.index)
            for year, values in months.iterrows():
                for month, value in values.items():
                    if np.isfinite(value):
                        rows.append((int(year), int(month), f"excess:{symbol}", float(value)))
                if np.isfinite(years[year]):
                    rows.append((int(year), "total", f"excess:{symbol}", float(years[year])))
    return pd.DataFrame(rows, columns=["year", "month", "series", "return"])


def rolling(s: PortfolioSnapshot, benchmarks: Sequence[str], days: int = 365) -> pd.DataFrame:
    """Each window day's trailing TTWROR over ``days`` calendar days (the portfolio's from its
    whole history, a benchmark's from its closes); NaN until that much history exists."""
    dates = _days(s)
    returns = s.daily_returns  # the whole history: a window's first year looks back before it
    wealth = np.cumprod(1.0 + returns.to_numpy(dtype=float))
    history = pd.DatetimeIndex(returns.index).normalize()
    back = dates.normalize() - pd.Timedelta(days=days)
    frame = pd.DataFrame(index=dates)
    if len(history):
        now = np.searchsorted(history, dates.normalize(), "right") - 1
        then = np.searchsorted(history, back, "right") - 1
        ok = (then >= 0) & (now >= 0)
        frame[PORTFOLIO] = np.where(
            ok, wealth[np.maximum(now, 0)] / wealth[np.maximum(then, 0)] - 1.0, np.nan
        )
    else:
        frame[PORTFOLIO] = np.nan
    for symbol in benchmarks:
        closes = s.index_closes(symbol)
        if closes.empty:
            frame[symbol] = np.nan
            continue
        first = pd.Timestamp(closes.index.min()).normalize()
        level_now, level_then = levels(closes, dates), levels(closes, back)
        frame[symbol] = np.where(back >= first, level_now / level_then - 1.0, np.nan)
    return _dated(frame)


def rolling_excess(frame: pd.DataFrame, benchmarks: Sequence[str]) -> pd.DataFrame:
    """The rolling portfolio return less each benchmark's (``rolling``'s frame), columns
    ``excess:SYM``: above 0 the portfolio led that benchmark over the trailing window."""
    out = pd.DataFrame(index=frame.index)
    for symbol in benchmarks:
        out[f"excess:{symbol}"] = frame[PORTFOLIO] - frame[symbol]
    return _dated(out)


def contribution(s: PortfolioSnapshot) -> pd.DataFrame:
    """Rows ``symbol, contribution``, largest first (``cash`` among them when it counts)."""
    parts = s.contributions or {}
    return pd.DataFrame(list(parts.items()), columns=["symbol", "contribution"])


def chart_frame(name: str, s: PortfolioSnapshot, benchmarks: Sequence[str]) -> pd.DataFrame:
    """The frame of the chart called ``name`` (one of ``CHARTS``)."""
    makers = {
        "performance": performance,
        "relative-strength": relative_strength,
        "drawdown": drawdown,
        "value": value,
        "heatmap": heatmap,
        "rolling": rolling,
        "rolling-3y": lambda s, b: rolling(s, b, days=3 * 365),
    }
    if name == "contribution":
        return contribution(s)
    if name not in makers:
        raise ValueError(f"unknown chart {name!r}: one of {', '.join(CHARTS)}")
    return makers[name](s, benchmarks)
