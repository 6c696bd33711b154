"""Tests for desktop/core/factors.py: the factor lens against independent arithmetic.

Synthetic portfolios are built from the real Fama/French daily factors (the 2018-01-02..2024-08-30
excerpt in tests/fixtures, read here with plain string operations, not with
desktop.data.sources.french), with known coefficients and seeded noise.
Standard errors, t-statistics and R² are checked against explicit normal-equation algebra and the
closed-form one-regressor formulas; monthly compounding against a loop; ETF proxies against
returns computed from the raw price files (excerpts in tests/fixtures) by hand.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.factors import (
    FACTORS,
    MIN_OBSERVATIONS,
    FactorExposure,
    compound_monthly,
    factor_regression,
    ols,
    portfolio_excess,
    proxy_factors,
)

TRUE = {"alpha": 0.0001, "mkt_rf": 1.1, "smb": 0.6, "hml": -0.3}


@functools.lru_cache
def _french_daily(path: str) -> pd.DataFrame:
    rows, dates = [], []
    for line in Path(path).read_bytes().decode().split("\r\n"):
        cells = line.split(",")
        if len(cells[0]) == 8 and cells[0].isdigit():
            dates.append(cells[0])
            rows.append([float(c) / 100 for c in cells[1:]])
    index = pd.to_datetime(dates, format="%Y%m%d")
    return pd.DataFrame(rows, index=index, columns=["mkt_rf", "smb", "hml", "rf"])


@pytest.fixture
def french(fixtures: Path) -> pd.DataFrame:
    frame = _french_daily(str(fixtures / "F-F_Research_Data_Factors_daily.CSV")).copy()
    frame.attrs["source"] = "Fama-French 202408"
    return frame


def synthetic(factors: pd.DataFrame, noise: float = 0.001, seed: int = 7) -> pd.Series:
    """y = 0.0001 + 1.1 mkt + 0.6 smb - 0.3 hml + seeded normal noise."""
    eps = np.random.default_rng(seed).normal(0.0, noise, len(factors))
    y = TRUE["alpha"] + sum(TRUE[f] * factors[f] for f in FACTORS) + eps
    return pd.Series(y, index=factors.index, name="portfolio")


def normal_equations(y: np.ndarray, x: np.ndarray) -> dict[str, np.ndarray | float]:
    """Textbook OLS: b = (X'X)^-1 X'y, cov = SSR/(n-k) (X'X)^-1, written out with inv."""
    design = np.column_stack([np.ones(len(y)), x])
    n, k = design.shape
    inv = np.linalg.inv(design.T @ design)
    b = inv @ design.T @ y
    resid = y - design @ b
    ssr = resid @ resid
    sst = ((y - y.mean()) ** 2).sum()
    se = np.sqrt(np.diag(ssr / (n - k) * inv))
    r2 = 1 - ssr / sst
    return {"b": b, "se": se, "t": b / se, "r2": r2, "adj": 1 - (1 - r2) * (n - 1) / (n - k)}


def coefficients(e: FactorExposure, what: str) -> list[float]:
    return [getattr(getattr(e, name), what) for name in ("alpha", *FACTORS)]


# -- coefficients, standard errors, R² --------------------------------------------------------
def test_recovers_known_coefficients_from_real_factors(french):
    # Little noise: the excerpt's 1,677 days must pin the betas as the whole file's 25,817 did.
    exposure, message = factor_regression(synthetic(french, noise=0.0003), french)
    assert message == ""
    assert exposure.n == len(french) == 1_677  # every daily row of the excerpt
    assert (exposure.start, exposure.end) == (dt.date(2018, 1, 2), dt.date(2024, 8, 30))
    assert exposure.source == "Fama-French 202408"
    assert exposure.frequency == "daily" and exposure.periods_per_year == 252
    assert exposure.alpha.value == pytest.approx(TRUE["alpha"], abs=3e-5)
    for name in FACTORS:
        assert exposure.betas[name].value == pytest.approx(TRUE[name], abs=0.005)
        assert abs(exposure.betas[name].t) > 100
    assert exposure.r2 > 0.99
    assert exposure.residual_se == pytest.approx(0.0003, rel=0.05)


def test_standard_errors_and_t_match_the_normal_equations(french):
    window = french.loc["2019":"2024"]
    y = synthetic(window, noise=0.004)
    exposure, _ = factor_regression(y, window)
    expected = normal_equations(y.to_numpy(), window[list(FACTORS)].to_numpy())
    np.testing.assert_allclose(coefficients(exposure, "value"), expected["b"], rtol=1e-9)
    np.testing.assert_allclose(coefficients(exposure, "se"), expected["se"], rtol=1e-9)
    np.testing.assert_allclose(coefficients(exposure, "t"), expected["t"], rtol=1e-9)


def test_r2_and_adjusted_r2_by_hand(french):
    window = french.loc["2021":"2023"]
    y = synthetic(window, noise=0.01, seed=3)
    exposure, _ = factor_regression(y, window)
    x = np.column_stack([np.ones(len(window)), window[list(FACTORS)].to_numpy()])
    b = np.array(coefficients(exposure, "value"))
    ssr = float(((y.to_numpy() - x @ b) ** 2).sum())
    sst = float(((y - y.mean()) ** 2).sum())
    n = len(y)
    assert exposure.r2 == pytest.approx(1 - ssr / sst, rel=1e-12)
    assert exposure.adj_r2 == pytest.approx(1 - (ssr / (n - 4)) / (sst / (n - 1)), rel=1e-12)
    assert exposure.residual_se == pytest.approx(math.sqrt(ssr / (n - 4)), rel=1e-12)
    assert 0 < exposure.adj_r2 < exposure.r2 < 1


def test_one_regressor_matches_the_closed_form(french):
    window = french.loc["2018":"2020"]
    x = window["mkt_rf"].to_numpy()
    y = synthetic(window, noise=0.003).to_numpy()
    fit, message = ols(y, x)
    assert message == "" and (fit.n, fit.k) == (len(y), 2)

    n = len(y)
    sxx = ((x - x.mean()) ** 2).sum()
    slope = ((x - x.mean()) * (y - y.mean())).sum() / sxx
    intercept = y.mean() - slope * x.mean()
    s2 = ((y - intercept - slope * x) ** 2).sum() / (n - 2)
    se_slope = math.sqrt(s2 / sxx)
    se_intercept = math.sqrt(s2 * (1 / n + x.mean() ** 2 / sxx))
    r = np.corrcoef(x, y)[0, 1]
    assert fit.coef == pytest.approx((intercept, slope), rel=1e-9)
    assert fit.se == pytest.approx((se_intercept, se_slope), rel=1e-9)
    assert fit.t == pytest.approx((intercept / se_intercept, slope / se_slope), rel=1e-9)
    assert fit.r2 == pytest.approx(r**2, rel=1e-9)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.integers(0, 850),  # start + length stays inside the excerpt's 1,677 days
    length=st.integers(MIN_OBSERVATIONS, 800),
    betas=st.tuples(*[st.floats(-2, 2, allow_nan=False)] * 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_lstsq_path_agrees_with_the_normal_equations(french, start, length, betas, seed):
    window = french.iloc[start : start + length]
    x = window[list(FACTORS)].to_numpy()
    y = x @ np.array(betas) + np.random.default_rng(seed).normal(0, 0.002, len(window))
    fit, _ = ols(y, x)
    expected = normal_equations(y, x)
    np.testing.assert_allclose(fit.coef, expected["b"], rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(fit.se, expected["se"], rtol=1e-6)
    assert fit.r2 == pytest.approx(expected["r2"], rel=1e-6, abs=1e-9)


# -- monthly ----------------------------------------------------------------------------------
def test_compounding_one_month_by_hand(french):
    march = french.loc["2020-03"]
    grown = 1.0
    for r in march["mkt_rf"]:
        grown *= 1 + r
    monthly = compound_monthly(french.loc["2020-02":"2020-04"])
    assert list(monthly.index) == [pd.Timestamp(f"2020-{m}") for m in ("02-29", "03-31", "04-30")]
    assert monthly.loc["2020-03-31", "mkt_rf"] == pytest.approx(grown - 1, rel=1e-12)
    assert monthly.loc["2020-03-31", "mkt_rf"] < -0.13  # the 2020 crash (monthly file: -13.39)


def test_month_without_data_is_absent_not_zero():
    days = pd.to_datetime(["2024-01-02", "2024-01-03", "2024-03-01"])
    monthly = compound_monthly(pd.Series([0.01, 0.02, -0.01], index=days))
    assert list(monthly.index) == [pd.Timestamp("2024-01-31"), pd.Timestamp("2024-03-31")]
    assert monthly.iloc[0] == pytest.approx(1.01 * 1.02 - 1)


def hand_monthly(frame: pd.DataFrame) -> pd.DataFrame:
    """Compound every column into calendar months with a plain loop."""
    totals: dict[tuple[int, int], np.ndarray] = {}
    for stamp, row in zip(frame.index, frame.to_numpy(), strict=True):
        key = (stamp.year, stamp.month)
        totals[key] = totals.get(key, np.ones(frame.shape[1])) * (1 + row)
    index = [pd.Timestamp(y, m, 1) + pd.offsets.MonthEnd(0) for y, m in totals]
    return pd.DataFrame(np.array(list(totals.values())) - 1, index=index, columns=frame.columns)


def test_monthly_regression_compounds_both_sides_over_common_days(french):
    factors = french.loc["2018":"2024"]
    y = synthetic(factors, noise=0.002).loc["2018-01-16":"2024-06-14"]  # starts mid-month
    exposure, message = factor_regression(y, factors, frequency="monthly")
    assert message == ""
    # The first month covers 16..31 January on both sides: the factors are cut to y's days.
    months = hand_monthly(pd.concat([y.rename("y"), factors.loc[y.index, list(FACTORS)]], axis=1))
    expected = normal_equations(months["y"].to_numpy(), months[list(FACTORS)].to_numpy())
    assert exposure.n == len(months) == 78  # January 2018 .. June 2024
    assert (exposure.start, exposure.end) == (dt.date(2018, 1, 31), dt.date(2024, 6, 30))
    assert exposure.periods_per_year == 12
    np.testing.assert_allclose(coefficients(exposure, "value"), expected["b"], rtol=1e-9)
    np.testing.assert_allclose(coefficients(exposure, "se"), expected["se"], rtol=1e-9)
    assert exposure.r2 == pytest.approx(expected["r2"], rel=1e-12)


def test_daily_returns_against_monthly_factors_are_matched_by_month(french):
    daily = french.loc["2018-01":"2024-06"]
    y = synthetic(daily, noise=0.002)
    monthly_factors = hand_monthly(daily[list(FACTORS)])
    from_monthly, _ = factor_regression(y, monthly_factors, frequency="monthly")
    from_daily, _ = factor_regression(y, daily, frequency="monthly")
    assert from_monthly.n == from_daily.n == 78
    assert coefficients(from_monthly, "value") == pytest.approx(
        coefficients(from_daily, "value"), rel=1e-9
    )


def test_daily_regression_refuses_monthly_factors(french):
    monthly = hand_monthly(french.loc["2018":"2022", list(FACTORS)])
    exposure, message = factor_regression(synthetic(french.loc["2018":"2022"]), monthly)
    assert exposure is None
    assert message == "the factors are monthly: use a monthly regression"


def test_alpha_is_annualised_by_compounding(french):
    window = french.loc["2018":"2024"]
    daily, _ = factor_regression(synthetic(window), window)
    monthly, _ = factor_regression(synthetic(window), window, frequency="monthly")
    assert daily.alpha_annual == pytest.approx((1 + daily.alpha.value) ** 252 - 1, rel=1e-12)
    assert monthly.alpha_annual == pytest.approx((1 + monthly.alpha.value) ** 12 - 1, rel=1e-12)


# -- what cannot be regressed -----------------------------------------------------------------
def test_too_few_observations_is_a_message(french):
    window = french.iloc[:MIN_OBSERVATIONS]
    y = synthetic(window)
    exposure, message = factor_regression(y.iloc[:-1], window)
    assert exposure is None
    assert message == "only 5 days with both returns and factors; the regression needs at least 6"
    exposure, message = factor_regression(y, window)
    assert exposure is not None and exposure.n == 6 and message == ""

    exposure, message = factor_regression(y.iloc[:0], window, frequency="monthly")
    assert exposure is None and message.startswith("only 0 months")
    assert ols(np.ones(3), np.ones(3))[0] is None


def test_collinear_factors_are_a_message(french):
    window = french.loc["2020"].copy()
    window["hml"] = 2 * window["smb"]
    exposure, message = factor_regression(synthetic(window), window)
    assert exposure is None
    assert "move together" in message


def test_missing_and_unmatched_dates_are_left_out(french):
    window = french.loc["2019":"2020"]
    y = synthetic(window)
    gappy = y.copy()
    gappy.iloc[[3, 40]] = np.nan
    extra = pd.Series([0.5], index=[pd.Timestamp("2021-06-30")])  # no factors that day
    gappy = pd.concat([gappy, extra])
    gappy.index = pd.DatetimeIndex(gappy.index).as_unit("ns")  # a unit unlike the factors'
    factors = window.copy()
    factors.iloc[10, 1] = np.nan
    exposure, _ = factor_regression(gappy, factors)
    keep = np.ones(len(window), bool)
    keep[[3, 10, 40]] = False
    clean, _ = factor_regression(y[keep], window[keep])
    assert exposure.n == len(window) - 3
    assert coefficients(exposure, "value") == pytest.approx(coefficients(clean, "value"))


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [({"frequency": "weekly"}, "unknown frequency 'weekly'"), ({"drop": "hml"}, "no hml column")],
)
def test_bad_arguments_are_a_message(french, kwargs, words):
    factors = french.drop(columns=kwargs.pop("drop")) if "drop" in kwargs else french
    exposure, message = factor_regression(synthetic(french), factors, **kwargs)
    assert exposure is None and words in message


def test_source_label(french):
    y = synthetic(french.loc["2020"])
    assert factor_regression(y, french)[0].source == "Fama-French 202408"
    assert factor_regression(y, french, source="mine")[0].source == "mine"
    assert factor_regression(y, french.copy().rename_axis("d").pipe(_no_attrs))[0].source == (
        "factors"
    )


def _no_attrs(frame: pd.DataFrame) -> pd.DataFrame:
    frame.attrs.clear()
    return frame


def test_exposure_is_immutable(french):
    exposure, _ = factor_regression(synthetic(french.loc["2020"]), french)
    with pytest.raises(dataclasses.FrozenInstanceError):
        exposure.r2 = 1.0  # type: ignore[misc]
    assert list(exposure.betas) == list(FACTORS)


# -- excess returns ---------------------------------------------------------------------------
def test_portfolio_excess_subtracts_rf_on_common_dates():
    days = pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"])
    returns = pd.Series([0.01, np.nan, 0.03, 0.04], index=days)
    rf = pd.Series([0.0002, 0.0002, 0.0002], index=days[:3])
    excess = portfolio_excess(returns, rf)
    assert excess.name == "excess"
    assert list(excess.index) == [days[0], days[2]]
    assert excess.tolist() == pytest.approx([0.0098, 0.0298])


# -- ETF proxies ------------------------------------------------------------------------------
#: Excerpts: SPY and IWM from 2023-12-01 (SPY also 1999-12-31..2000-01-31) to 2024-12-31; IWN and
#: IWO from 2024-01-02 to 2025-01-10, so each end of the proxies is set by a different pair.
PROXY_FILES = {
    "IWM": "IWM_raw_2023-2024.csv",
    "SPY": "SPY_raw_1999-2024.csv",
    "IWN": "IWN_daily_2024-2025.csv",
    "IWO": "IWO_daily_2024-2025.csv",
}


def raw_closes(path: Path) -> dict[str, float]:
    with path.open(newline="") as handle:
        return {row["Date"]: float(row["Close"]) for row in csv.DictReader(handle)}


@pytest.fixture
def closes(fixtures: Path) -> dict[str, dict[str, float]]:
    return {sym: raw_closes(fixtures / name) for sym, name in PROXY_FILES.items()}


@pytest.fixture
def closes_frame(closes) -> pd.DataFrame:
    frame = pd.DataFrame(closes)
    frame.index = pd.to_datetime(frame.index)
    return frame.sort_index()


def hand_return(series: dict[str, float], day: str) -> tuple[str, float]:
    dates = sorted(series)
    prev = dates[dates.index(day) - 1]
    return prev, series[day] / series[prev] - 1


@pytest.mark.parametrize("day", ["2024-01-03", "2024-07-05", "2024-08-05", "2024-12-31"])
def test_proxy_factors_match_returns_from_the_raw_files(closes, closes_frame, day):
    proxies = proxy_factors(closes_frame)
    r = {}
    for sym in PROXY_FILES:
        prev, r[sym] = hand_return(closes[sym], day)
        assert prev == hand_return(closes["SPY"], day)[0]  # the same calendar: 1-day returns
    row = proxies.loc[day]
    assert row["smb"] == pytest.approx(r["IWM"] - r["SPY"], rel=1e-12)
    assert row["hml"] == pytest.approx(r["IWN"] - r["IWO"], rel=1e-12)
    assert row["mkt_rf"] == pytest.approx(r["SPY"], rel=1e-12)
    assert row["rf"] == 0.0


def test_proxy_factors_span_and_labels(closes_frame):
    proxies = proxy_factors(closes_frame)
    assert list(proxies.columns) == ["mkt_rf", "smb", "hml", "rf"]
    assert proxies.index[0] == pd.Timestamp("2024-01-03")  # the first day all four have a return
    assert proxies.index[-1] == pd.Timestamp("2024-12-31")  # SPY and IWM excerpts end there
    assert proxies.attrs == {
        "source": "ETF proxies",
        "proxy": True,
        "frequency": "daily",
        "rf_assumed_zero": True,
    }
    assert not proxies.isna().any().any()


def test_proxy_factors_subtract_a_given_rf(closes_frame, french):
    proxies = proxy_factors(closes_frame, rf=french["rf"])
    plain = proxy_factors(closes_frame)
    assert proxies.index[-1] == pd.Timestamp("2024-08-30")  # French's daily rf ends there
    assert proxies.attrs["rf_assumed_zero"] is False
    day = pd.Timestamp("2024-08-30")
    assert proxies.loc[day, "rf"] == pytest.approx(0.00022)
    assert proxies.loc[day, "mkt_rf"] == pytest.approx(plain.loc[day, "mkt_rf"] - 0.00022)
    assert proxies.loc[day, "smb"] == plain.loc[day, "smb"]


def test_small_caps_regressed_on_proxies_are_market_plus_smb_exactly(closes_frame):
    proxies = proxy_factors(closes_frame)
    iwm = closes_frame["IWM"].loc["2023-12-29":]  # from the last close before IWN and IWO begin
    excess = portfolio_excess(iwm.pct_change().dropna(), proxies["rf"])
    exposure, _ = factor_regression(excess, proxies)
    assert exposure.source == "ETF proxies"
    assert coefficients(exposure, "value") == pytest.approx([0, 1, 1, 0], abs=1e-10)
    assert exposure.r2 == pytest.approx(1.0, abs=1e-12)


def test_proxy_factors_need_all_four_closes(closes_frame):
    with pytest.raises(KeyError, match="IWO"):
        proxy_factors(closes_frame.drop(columns="IWO"))
