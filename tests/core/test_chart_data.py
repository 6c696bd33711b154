"""The frames the performance screen draws and ``portfolio-desk chart`` writes, by hand."""

import datetime as dt
from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest

from desktop.core import chart_data
from desktop.core.benchmarks import benchmark_equivalent_value
from desktop.core.model import Trade, TradeType
from desktop.core.snapshot import MarketData, PortfolioSnapshot

T = TradeType
DAYS = pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08"])


def buy(day, qty, price, symbol="A"):
    return Trade(day, T.BUY, symbol, D(qty), D(price), D(0))


@pytest.fixture
def s():
    # 10 A at 10 on the 2nd, 10 more at 12 on the 4th. A: 10, 11, 12, 9, 10.
    ledger = [buy(dt.date(2024, 1, 2), "10", "10"), buy(dt.date(2024, 1, 4), "10", "12")]
    closes = pd.DataFrame(
        {
            "A": [10, 11, 12, 9, 10],
            "IDX": [100, 110, 99, 99, 121],
            "LATE": [np.nan, np.nan, 50, 55, 60],  # no level at the base
        },
        index=DAYS,
        dtype=float,
    )
    market = MarketData(closes, {}, pd.DataFrame(index=DAYS), "USD")
    return PortfolioSnapshot.create(ledger, market, benchmarks=["IDX", "LATE"], period="Max")


# Day returns: 110/100 - 1; 240 / (110 + 120) - 1; 180/240 - 1; 200/180 - 1.
R = [0.1, 240 / 230 - 1, 0.75 - 1, 200 / 180 - 1]
CUMULATIVE = [0.0, *(np.cumprod(1 + np.array(R)) - 1)]
IDX = [0.0, 0.1, -0.01, -0.01, 0.21]


def test_performance_is_the_cumulative_return_of_each_series_from_the_base(s):
    f = chart_data.performance(s, ["IDX", "LATE", "NONE"])
    assert list(f.columns) == ["portfolio", "IDX", "LATE", "NONE"]
    assert f.index.name == "date" and list(f.index) == list(DAYS)
    assert f["portfolio"].tolist() == pytest.approx(CUMULATIVE)
    assert f["portfolio"].iloc[-1] == s.ttwror  # the summary's figure, to the last digit
    assert f["IDX"].tolist() == pytest.approx(IDX)
    assert f["LATE"].isna().all() and f["NONE"].isna().all()  # no data, never 0


def test_relative_strength_and_drawdown(s):
    rs = chart_data.relative_strength(s, ["IDX"])
    expected = (1 + np.array(CUMULATIVE)) / (1 + np.array(IDX))
    assert rs["IDX"].tolist() == pytest.approx(expected)
    assert rs["IDX"].iloc[0] == 1.0
    dd = chart_data.drawdown(s, ["IDX"])
    wealth = 1 + np.array(CUMULATIVE)
    assert dd["portfolio"].tolist() == pytest.approx(
        [0, 0, 0, wealth[3] / wealth[2] - 1, wealth[4] / wealth[2] - 1]
    )
    assert dd["IDX"].tolist() == pytest.approx([0, 0, 0.99 / 1.1 - 1, 0.99 / 1.1 - 1, 0])
    assert (dd.to_numpy() <= 0).all()


def test_value_against_the_same_money_in_the_index(s):
    f = chart_data.value(s, ["IDX"])
    assert f["market_value"].tolist() == pytest.approx([100, 110, 240, 180, 200])
    assert f["invested_capital"].tolist() == pytest.approx([100, 100, 220, 220, 220])
    # 1 unit of IDX at 100, then 120 / 99 units on the 4th.
    units = [1, 1, 1 + 120 / 99, 1 + 120 / 99, 1 + 120 / 99]
    assert f["IDX"].tolist() == pytest.approx(np.array(units) * [100, 110, 99, 99, 121])
    end = benchmark_equivalent_value(s.valuation, s.timeline.flows, s.index_closes("IDX"), s.period)
    assert f["IDX"].iloc[-1] == pytest.approx(end, rel=1e-12)  # the report's figure


def test_heatmap_rows_for_the_portfolio_and_its_excess(s):
    f = chart_data.heatmap(s, ["IDX", "LATE"])
    assert list(f.columns) == ["year", "month", "series", "return"]
    rows = {(y, m, k): v for y, m, k, v in f.itertuples(index=False, name=None)}
    total = CUMULATIVE[-1]
    assert rows == pytest.approx(
        {
            (2024, 1, "portfolio"): total,
            (2024, "total", "portfolio"): total,
            (2024, 1, "excess:IDX"): total - 0.21,
            (2024, "total", "excess:IDX"): total - 0.21,
        }
    )


def test_rolling_one_year_returns_start_once_a_year_of_history_exists():
    days = pd.bdate_range("2022-01-03", "2024-01-31")
    grow = pd.Series(np.exp(0.001 * np.arange(len(days))), index=days)
    index = pd.Series(np.exp(0.0005 * np.arange(len(days))), index=days)
    closes = pd.DataFrame({"A": grow, "IDX": index})
    market = MarketData(closes, {}, pd.DataFrame(index=days), "USD")
    ledger = [buy(dt.date(2022, 1, 3), "10", str(round(grow.iloc[0], 6)))]
    s = PortfolioSnapshot.create(
        ledger, market, benchmarks=["IDX"], period="1Y", today=days[-1].date()
    )
    f = chart_data.rolling(s, ["IDX"])
    for day, row in f.iterrows():
        back = day - pd.Timedelta(days=365)
        if back < days[0]:
            assert np.isnan(row["portfolio"]) and np.isnan(row["IDX"])
            continue
        then = grow.loc[:back].index[-1]  # the last close on or before a year earlier
        assert row["portfolio"] == pytest.approx(grow[day] / grow[then] - 1, rel=1e-9)
        assert row["IDX"] == pytest.approx(index[day] / index[then] - 1, rel=1e-12)
    assert f["portfolio"].notna().sum() > 200


def test_rolling_three_year_returns_look_back_1095_days():
    days = pd.bdate_range("2019-01-02", "2024-01-31")
    grow = pd.Series(np.exp(0.0007 * np.arange(len(days))), index=days)
    closes = pd.DataFrame({"A": grow, "IDX": grow**0.5})
    market = MarketData(closes, {}, pd.DataFrame(index=days), "USD")
    ledger = [buy(dt.date(2019, 1, 2), "10", str(round(grow.iloc[0], 6)))]
    s = PortfolioSnapshot.create(
        ledger, market, benchmarks=["IDX"], period="1Y", today=days[-1].date()
    )
    f = chart_data.rolling(s, ["IDX"], days=3 * 365)
    assert f["portfolio"].notna().all()  # the range's year has three years before it
    for day in f.index[::25]:
        then = grow.loc[: day - pd.Timedelta(days=1095)].index[-1]
        assert f.loc[day, "portfolio"] == pytest.approx(grow[day] / grow[then] - 1, rel=1e-9)
        assert f.loc[day, "IDX"] == pytest.approx((grow[day] / grow[then]) ** 0.5 - 1, rel=1e-9)


def test_contribution_rows_are_the_snapshot_s(s):
    f = chart_data.contribution(s)
    assert list(f.columns) == ["symbol", "contribution"]
    assert dict(zip(f["symbol"], f["contribution"], strict=True)) == s.contributions
    assert f["contribution"].sum() == pytest.approx(s.ttwror, abs=1e-12)


def test_an_unknown_chart_is_refused_naming_the_choices(s):
    with pytest.raises(ValueError, match="relative-strength"):
        chart_data.chart_frame("pie", s, [])
