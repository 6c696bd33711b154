"""Rolling beta, rate sensitivity, the curve's slope and the style in words, against numbers
computed here another way (plain loops, numpy's least squares)."""

from __future__ import annotations

import csv
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from desktop.core.markets import (
    curve_slope,
    index_returns,
    rate_sensitivity,
    rolling_beta,
    style_in_words,
)
from tests.conftest import FIXTURES


def _closes(name: str) -> pd.Series:
    with open(FIXTURES / name, newline="") as f:
        rows = list(csv.DictReader(f))
    date = next(k for k in rows[0] if k.lower() == "date")
    close = next(k for k in rows[0] if k.lower() == "close")
    return pd.Series(
        [float(r[close]) for r in rows], index=pd.DatetimeIndex([r[date] for r in rows])
    )


RUT = _closes("RUT_daily_2023-2024.csv")
GSPC = _closes("GSPC_daily_2023-2024.csv")


def _slope(y, x) -> float:
    """Least squares slope of y on x with an intercept (numpy's lstsq)."""
    a = np.column_stack([np.ones(len(x)), x])
    return float(np.linalg.lstsq(a, y, rcond=None)[0][1])


def test_the_rolling_beta_is_the_least_squares_slope_of_each_window():
    days = RUT.index
    rut = index_returns(RUT, days)
    gspc = index_returns(GSPC, days)
    beta = rolling_beta(rut, gspc, days=20)
    both = pd.concat([rut, gspc], axis=1).dropna()
    for end in (19, 30, len(both) - 1):
        window = both.iloc[end - 19 : end + 1]
        expected = _slope(window.iloc[:, 0].to_numpy(), window.iloc[:, 1].to_numpy())
        assert beta[both.index[end]] == pytest.approx(expected)
    assert beta.iloc[:20].isna().all()  # the first day has no return; then 19 too few


def test_index_returns_carry_the_last_close_over_a_missing_day():
    days = pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-04"])
    closes = pd.Series([100.0, 110.0], index=pd.DatetimeIndex(["2024-01-02", "2024-01-04"]))
    r = index_returns(closes, days)
    assert np.isnan(r.iloc[0]) and r.iloc[1] == 0.0 and r.iloc[2] == pytest.approx(0.1)


def test_rate_sensitivity_is_the_slope_on_the_yield_s_daily_change():
    rng = np.random.default_rng(3)
    days = pd.bdate_range("2024-01-01", periods=120)
    dy = rng.normal(0, 0.05, len(days))
    yields = pd.Series(4.0 + np.cumsum(dy), index=days)
    returns = pd.Series(-0.02 * np.diff(yields.to_numpy(), prepend=np.nan), index=days)
    returns += rng.normal(0, 0.001, len(days))
    got = rate_sensitivity(returns, yields)
    change = np.diff(yields.to_numpy())
    assert got.n == len(days) - 1
    assert got.beta == pytest.approx(_slope(returns.to_numpy()[1:], change))
    assert got.beta == pytest.approx(-0.02, abs=0.003)
    assert rate_sensitivity(returns.iloc[:10], yields).beta is None  # too few days


def test_the_curve_slope_on_common_days():
    tnx = pd.Series(
        [4.2, 4.3, 4.1], index=pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-04"])
    )
    irx = pd.Series([5.3, 5.25], index=pd.DatetimeIndex(["2024-01-02", "2024-01-04"]))
    slope = curve_slope(tnx, irx)
    assert list(slope.index.date) == [dt.date(2024, 1, 2), dt.date(2024, 1, 4)]
    assert slope.tolist() == pytest.approx([4.2 - 5.3, 4.1 - 5.25])  # inverted


@pytest.mark.parametrize(
    ("size", "value", "said"),
    [
        (0.6, 0.3, "behaves like a small-cap value fund: size +0.60, value +0.30, market 1.05"),
        (-0.3, -0.4, "behaves like a large-cap growth fund: size -0.30, value -0.40, market 1.05"),
        (0.1, -0.1, "behaves like a broad-market blend fund: size +0.10, value -0.10, market 1.05"),
    ],
)
def test_the_style_in_words(size, value, said):
    assert style_in_words(size, value, 1.05) == said
