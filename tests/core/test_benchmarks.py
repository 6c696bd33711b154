"""Benchmark comparison: a small case by hand, statistics against the ``statistics`` module, and a
portfolio that only holds the index matching it exactly."""

from __future__ import annotations

import datetime as dt
import math
import statistics

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.benchmarks import (
    EXPLAIN,
    BenchmarkComparison,
    aligned_returns,
    alpha,
    benchmark_equivalent_value,
    benchmark_return,
    beta,
    compare,
    correlation,
    down_capture,
    excess_return,
    information_ratio,
    ks_pme,
    relative_strength,
    tracking_error,
    up_capture,
)
from desktop.core.performance import ttwror
from desktop.core.periods import Period, resolve_period
from desktop.core.returns import time_weighted_returns
from tests.core.test_performance import flow_series, periods, portfolios, reference_window

D = dt.date
NAN = float("nan")
FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def series(pairs, name=None) -> pd.Series:
    index = pd.DatetimeIndex([pd.Timestamp(d) for d, _ in pairs]).as_unit("s")
    return pd.Series([v for _, v in pairs], index=index, dtype=float, name=name)


def period(start, end) -> Period:
    return resolve_period(None, start=start, end=end, as_of=end)


# -- by hand -------------------------------------------------------------------------------------
# Thu 4 .. Wed 10 Jan 2024. The index has no close on Mon 8 Jan (a gap: 102 carries over).
CLOSES = series(
    [
        (D(2024, 1, 4), 100.0),
        (D(2024, 1, 5), 102.0),
        (D(2024, 1, 8), NAN),
        (D(2024, 1, 9), 96.9),  # 102 * 0.95
        (D(2024, 1, 10), 101.745),  # 96.9 * 1.05
    ],
    name="^RUT",
)
# 500 in on Saturday 6 Jan and 100 out on Monday 8 Jan (both join Monday), 50 in on Tue 9 Jan.
FLOWS = flow_series([(D(2024, 1, 6), 500.0), (D(2024, 1, 8), -100.0), (D(2024, 1, 9), 50.0)])
VALUATION = pd.DataFrame(
    {
        "value": [1000.0, 1030.0, 1420.0, 1400.0, 1470.0],
        "inflow": [1000.0, 0.0, 500.0, 50.0, 0.0],
        "outflow": [0.0, 0.0, 100.0, 0.0, 0.0],
    },
    index=pd.bdate_range("2024-01-04", "2024-01-10").as_unit("us"),
)
WEEK = period(D(2024, 1, 5), D(2024, 1, 10))  # base: the Thu 4 Jan close
R = time_weighted_returns(VALUATION)
# Portfolio: +3% Fri, (1420 + 100) / (1030 + 500) Mon, 1400 / (1420 + 50) Tue, +5% Wed.
MON_TUE = (1520 / 1530) * (1400 / 1470) - 1


def test_time_weighted_comparison_by_hand():
    assert benchmark_return(R, CLOSES, WEEK) == pytest.approx(101.745 / 100 - 1)
    portfolio = 1.03 * (1520 / 1530) * (1400 / 1470) * 1.05 - 1
    assert ttwror(VALUATION, WEEK) == pytest.approx(portfolio)
    assert excess_return(R, CLOSES, WEEK) == pytest.approx(portfolio - 0.01745)

    daily = aligned_returns(R, CLOSES, WEEK)
    # Days with both: Fri, Tue (the portfolio compounded over Mon and Tue), Wed.
    assert list(daily.index) == [
        pd.Timestamp(d) for d in ("2024-01-05", "2024-01-09", "2024-01-10")
    ]
    assert list(daily["portfolio"]) == pytest.approx([0.03, MON_TUE, 0.05])
    assert list(daily["benchmark"]) == pytest.approx([0.02, -0.05, 0.05])

    rs = relative_strength(daily["portfolio"], daily["benchmark"])
    expected = [1.03 / 1.02, 1.03 * (1 + MON_TUE) / (1.02 * 0.95), (1 + portfolio) / 1.01745]
    assert list(rs) == pytest.approx(expected)
    assert list(rs.index) == list(daily.index)


def test_money_weighted_comparison_by_hand():
    # 1000 buys 10 units at 100; Saturday's 500 buys at Friday's 102; Monday's 100 sells at the
    # carried 102; Tuesday's 50 buys at 96.9. Worth 101.745 each at the end.
    units = 1000 / 100 + 500 / 102 - 100 / 102 + 50 / 96.9
    assert benchmark_equivalent_value(VALUATION, FLOWS, CLOSES, WEEK) == pytest.approx(
        units * 101.745
    )
    grown_out = 100 * 101.745 / 102
    grown_in = 1000 * 101.745 / 100 + 500 * 101.745 / 102 + 50 * 101.745 / 96.9
    assert ks_pme(VALUATION, FLOWS, CLOSES, WEEK) == pytest.approx((grown_out + 1470) / grown_in)
    # KS-PME is the end value against the benchmark-equivalent, with withdrawals added to both.
    bev = benchmark_equivalent_value(VALUATION, FLOWS, CLOSES, WEEK)
    assert ks_pme(VALUATION, FLOWS, CLOSES, WEEK) == pytest.approx(
        (1470 + grown_out) / (bev + grown_out)
    )


def test_daily_statistics_by_hand():
    daily = aligned_returns(R, CLOSES, WEEK)
    rp, rb = daily["portfolio"], daily["benchmark"]
    # Capture is monthly: the week is one month, in which the index rose; no month fell.
    month_p = (1.03) * (1 + MON_TUE) * 1.05 - 1
    month_b = 1.02 * 0.95 * 1.05 - 1
    assert up_capture(rp, rb) == pytest.approx(
        ((1 + month_p) ** 12 - 1) / ((1 + month_b) ** 12 - 1)
    )
    assert down_capture(rp, rb) is None
    p, b = [0.03, MON_TUE, 0.05], [0.02, -0.05, 0.05]
    mp, mb = sum(p) / 3, sum(b) / 3
    cov = sum((x - mp) * (y - mb) for x, y in zip(p, b, strict=True)) / 2
    var = sum((y - mb) ** 2 for y in b) / 2
    assert beta(rp, rb) == pytest.approx(cov / var)
    assert alpha(rp, rb) == pytest.approx((1 + mp - cov / var * mb) ** 252 - 1)
    diff = [x - y for x, y in zip(p, b, strict=True)]
    te = math.sqrt(sum((d - sum(diff) / 3) ** 2 for d in diff) / 2) * math.sqrt(252)
    assert tracking_error(rp, rb) == pytest.approx(te)
    assert information_ratio(rp, rb) == pytest.approx(sum(diff) / 3 * 252 / te)


def test_compare_bundles_everything():
    c = compare(VALUATION, FLOWS, CLOSES, WEEK)
    daily = aligned_returns(R, CLOSES, WEEK)
    assert c.benchmark == "^RUT"
    assert c.benchmark_return == benchmark_return(R, CLOSES, WEEK)
    assert c.ks_pme == ks_pme(VALUATION, FLOWS, CLOSES, WEEK)
    assert c.beta == beta(daily["portfolio"], daily["benchmark"])
    fields = {f for f in BenchmarkComparison.__dataclass_fields__} - {"benchmark", "explain"}
    assert set(c.explain) == set(EXPLAIN) == fields


def test_undefined_comparisons_are_none():
    late = CLOSES.loc["2024-01-05":]  # the index starts after the portfolio's base
    c = compare(VALUATION, FLOWS, late, WEEK)
    assert (c.benchmark_return, c.excess_return) == (None, None)
    assert (c.benchmark_equivalent_value, c.ks_pme) == (None, None)
    assert c.beta is not None  # daily statistics still use the days both have
    assert len(aligned_returns(R, late, WEEK)) == 2  # Tue, Wed from Friday's close
    flat = pd.Series(100.0, index=CLOSES.index)  # an index that never moves
    c = compare(VALUATION, FLOWS, flat, WEEK)
    assert c.benchmark_return == 0.0
    assert (c.beta, c.alpha, c.correlation, c.up_capture, c.down_capture) == (None,) * 5
    weekend = compare(VALUATION, FLOWS, CLOSES, period(D(2024, 1, 6), D(2024, 1, 7)))
    assert (weekend.benchmark_return, weekend.excess_return) == (0.0, 0.0)
    assert weekend.benchmark_equivalent_value == pytest.approx(1030.0)  # the base value
    assert (weekend.beta, weekend.tracking_error) == (None, None)
    nothing = compare(VALUATION.iloc[:0], FLOWS.iloc[:0], CLOSES, WEEK)
    assert nothing.benchmark_return is None and nothing.ks_pme is None
    assert relative_strength(pd.Series([], dtype=float), pd.Series([], dtype=float)).empty


# -- daily statistics against the statistics module ---------------------------------------------
returns = st.lists(st.integers(-1000, 1000).map(lambda x: x / 10000), min_size=2, max_size=30)


@FAST
@given(returns, returns)
def test_daily_statistics_match_the_statistics_module(p, b):
    n = min(len(p), len(b))
    p, b = p[:n], b[:n]
    index = pd.bdate_range("2024-01-01", periods=n)
    rp, rb = pd.Series(p, index=index), pd.Series(b, index=index)
    if len(set(b)) > 1:
        slope, intercept = statistics.linear_regression(b, p)
        assert beta(rp, rb) == pytest.approx(slope, rel=1e-9, abs=1e-12)
        try:
            yearly = (1 + intercept) ** 252 - 1 if intercept > -1 else None
        except OverflowError:  # two days can make an intercept whose year is beyond a float
            yearly = None
        if yearly is None:
            assert alpha(rp, rb) is None
        else:
            assert alpha(rp, rb) == pytest.approx(yearly, rel=1e-7, abs=1e-9)
    else:
        assert beta(rp, rb) is None and alpha(rp, rb) is None
    if len(set(b)) > 1 and len(set(p)) > 1:
        assert correlation(rp, rb) == pytest.approx(statistics.correlation(p, b), abs=1e-9)
    else:
        assert correlation(rp, rb) is None
    diff = [x - y for x, y in zip(p, b, strict=True)]
    te = statistics.stdev(diff) * math.sqrt(252)
    assert tracking_error(rp, rb) == pytest.approx(te, rel=1e-9, abs=1e-15)
    if te > 1e-9:
        ir = statistics.fmean(diff) * 252 / te
        assert information_ratio(rp, rb) == pytest.approx(ir, rel=1e-7, abs=1e-9)
    # Capture: the days compounded into calendar months, by hand here.
    months: dict[tuple[int, int], list[float]] = {}
    for day, x, y in zip(index, p, b, strict=True):
        grown = months.setdefault((day.year, day.month), [1.0, 1.0])
        grown[0], grown[1] = grown[0] * (1 + x), grown[1] * (1 + y)
    for up, capture in ((True, up_capture), (False, down_capture)):
        chosen = [
            (gp, gb) for gp, gb in months.values() if (gb - 1 > 1e-12 if up else gb - 1 < -1e-12)
        ]
        if not chosen:
            assert capture(rp, rb) is None
            continue
        mine = math.prod(gp for gp, _ in chosen) ** (12 / len(chosen)) - 1
        theirs = math.prod(gb for _, gb in chosen) ** (12 / len(chosen)) - 1
        if abs(theirs) > 1e-12:
            assert capture(rp, rb) == pytest.approx(mine / theirs, rel=1e-9, abs=1e-12)


# -- money-weighted against a loop ---------------------------------------------------------------
@st.composite
def index_closes(draw, n=45):
    """Closes on business days from 29 Dec 2023, some missing (never the first)."""
    prices = draw(st.lists(st.floats(10, 1000), min_size=n, max_size=n))
    gaps = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    values = [NAN if gaps[i] and i else price for i, price in enumerate(prices)]
    return pd.Series(values, index=pd.bdate_range("2023-12-29", periods=n).as_unit("s"))


def level(closes, day):
    known = [v for d, v in closes.items() if d <= day and not math.isnan(v)]
    return known[-1] if known else None


@FAST
@given(portfolios(), periods(), index_closes())
def test_money_weighted_match_a_loop(portfolio, p, closes):
    frame, flows = portfolio
    w = reference_window(list(frame.index), p)
    bev = benchmark_equivalent_value(frame, flows, closes, p)
    pme = ks_pme(frame, flows, closes, p)
    if w is None:
        assert bev is None and pme is None
        return
    end = level(closes, w[1])
    money = [(w[0], frame["value"][w[0]])] + [(d, a) for d, a in flows.items() if w[0] < d <= w[1]]
    units, grown_in, grown_out = 0.0, 0.0, 0.0
    for day, amount in money:
        price = level(closes, day)
        units += amount / price
        if amount > 0:
            grown_in += amount * end / price
        else:
            grown_out -= amount * end / price
    assert bev == pytest.approx(units * end, rel=1e-9, abs=1e-9)
    if grown_in > 0:
        assert pme == pytest.approx((grown_out + frame["value"][w[1]]) / grown_in, rel=1e-9)
    else:
        assert pme is None


# -- a portfolio that holds only the index ---------------------------------------------------------
@st.composite
def index_holders(draw):
    """Units of the index bought on the first day, deposits on days without a close (weekends and
    gaps: at the last close, the TWR's start of the next day) and withdrawals on business days
    (at that day's level, the TWR's end of day). Its value is always units * level."""
    closes = draw(index_closes(n=draw(st.integers(3, 35))))
    days = closes.index
    levels = closes.ffill()
    raw = draw(
        st.lists(
            st.tuples(
                st.integers(1, (days[-1] - days[0]).days), st.floats(1, 5000), st.floats(0, 0.5)
            ),
            max_size=8,
        )
    )
    units = draw(st.floats(0.5, 100))
    flows = [(days[0], units * levels.iloc[0])]
    rows = [(units * levels.iloc[0], units * levels.iloc[0], 0.0)]
    for i in range(1, len(days)):
        inflow = outflow = 0.0
        for offset, amount, _ in raw:
            day = days[0] + pd.Timedelta(days=offset)
            if not days[i - 1] < day <= days[i]:
                continue
            if day != days[i] or math.isnan(closes.iloc[i]):  # no close on that day: deposit
                units += amount / levels.iloc[i - 1]
                inflow += amount
                flows.append((day, amount))
        for offset, _, share in raw:
            if days[0] + pd.Timedelta(days=offset) == days[i] and share:
                out = share * units * levels.iloc[i]
                units -= share * units
                outflow += out
                flows.append((days[i], -out))
        rows.append((units * levels.iloc[i], inflow, outflow))
    frame = pd.DataFrame(rows, index=days.as_unit("us"), columns=["value", "inflow", "outflow"])
    return frame, flow_series([(d.date(), a) for d, a in flows]), closes


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index_holders(), periods())
def test_holding_only_the_index_matches_it(holder, p):
    frame, flows, closes = holder
    c = compare(frame, flows, closes, p)
    w = reference_window(list(frame.index), p)
    if w is None:
        assert c.benchmark_return is None
        return
    assert c.excess_return == pytest.approx(0.0, abs=1e-9)
    assert c.benchmark_equivalent_value == pytest.approx(frame["value"][w[1]], rel=1e-9)
    assert c.ks_pme == pytest.approx(1.0, rel=1e-9)
    daily = aligned_returns(time_weighted_returns(frame), closes, p)
    assert np.allclose(daily["portfolio"], daily["benchmark"], rtol=1e-9, atol=1e-12)
    rs = relative_strength(daily["portfolio"], daily["benchmark"])
    assert np.allclose(rs.to_numpy(), 1.0, rtol=1e-9)
    if len(daily) >= 2:
        assert c.tracking_error == pytest.approx(0.0, abs=1e-9)
        assert c.information_ratio is None  # no tracking error: undefined
    if c.beta is not None:
        assert c.beta == pytest.approx(1.0, rel=1e-6)
        assert c.alpha == pytest.approx(0.0, abs=1e-9)
    if c.correlation is not None:
        assert c.correlation == pytest.approx(1.0, rel=1e-6)
    for capture in (c.up_capture, c.down_capture):
        assert capture is None or capture == pytest.approx(1.0, rel=1e-6)


@FAST
@given(portfolios(), periods(), index_closes())
def test_scaling_every_amount_by_ten_leaves_comparisons_unchanged(portfolio, p, closes):
    frame, flows = portfolio
    one = compare(frame, flows, closes, p)
    ten = compare(frame * 10, flows * 10, closes, p)
    for name in EXPLAIN:
        a, b = getattr(one, name), getattr(ten, name)
        assert (a is None) == (b is None), name
        if a is not None:
            factor = 10 if name == "benchmark_equivalent_value" else 1
            assert b == pytest.approx(factor * a, rel=1e-7, abs=1e-9), name


def test_a_move_of_rounding_size_is_neither_a_rise_nor_a_fall():
    from desktop.core.benchmarks import down_capture, up_capture

    days = pd.bdate_range("2024-01-01", periods=3)
    index = pd.Series([0.0, -1.1102230246251565e-16, 0.01], index=days)
    portfolio = pd.Series([0.0, -2.220446049250313e-16, 0.02], index=days)
    assert down_capture(portfolio, index) is None  # was 2.0: two rounding errors divided
    # The month's real rise: about 2% against 1%, each annualized.
    mine, theirs = (1 + 0.02 - 2.2e-16) ** 12 - 1, (1 + 0.01 - 1.1e-16) ** 12 - 1
    assert up_capture(portfolio, index) == pytest.approx(mine / theirs)


def test_an_alpha_beyond_a_float_is_unknown_not_a_crash():
    index = pd.bdate_range("2024-01-01", periods=2)
    rp = pd.Series([0.0, 0.0537], index=index)
    rb = pd.Series([-0.0293, -0.0292], index=index)  # a slope of 537 and an intercept of 15.7
    assert beta(rp, rb) == pytest.approx(537.0)
    assert alpha(rp, rb) is None
