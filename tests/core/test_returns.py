"""Daily valuation and time-weighted returns: small cases by hand, random ledgers against a loop."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.model import Trade, TradeType
from desktop.core.returns import (
    cumulative,
    daily_valuation,
    price_returns,
    range_start,
    time_weighted_returns,
)

NAN = float("nan")
# A week of trading days: Fri 5 Jan 2024, then Mon 8 .. Fri 12 (6-7 Jan is a weekend).
FRI, MON, TUE, WED, THU = (dt.date(2024, 1, d) for d in (5, 8, 9, 10, 11))
SAT = dt.date(2024, 1, 6)


def buy(day, symbol, qty, price, fee="0"):
    return Trade(day, TradeType.BUY, symbol, D(qty), D(price), D(fee))


def sell(day, symbol, qty, price, fee="0"):
    return Trade(day, TradeType.SELL, symbol, D(qty), D(price), D(fee))


def frame(days, unit="us", **columns):
    index = pd.DatetimeIndex([pd.Timestamp(d) for d in days]).as_unit(unit)
    return pd.DataFrame(columns, index=index, dtype=float)


def ts(day):
    return pd.Timestamp(day)


# -- daily_valuation and time_weighted_returns, by hand ------------------------------------------
def test_buy_hold_and_partial_sale():
    closes = frame([FRI, MON, TUE, WED], AAA=[99.0, 100.0, 110.0, 105.0])
    trades = [buy(MON, "AAA", "10", "100", "1"), sell(WED, "AAA", "5", "108", "1")]
    val = daily_valuation(trades, closes)
    # Starts on Friday, the trading day before the first trade: nothing held yet, the base.
    assert list(val.index) == [ts(FRI), ts(MON), ts(TUE), ts(WED)]
    assert list(val["value"]) == [0.0, 10 * 100.0, 10 * 110.0, 5 * 105.0]
    assert list(val["inflow"]) == [0.0, 10 * 100 + 1, 0.0, 0.0]
    assert list(val["outflow"]) == [0.0, 0.0, 0.0, 5 * 108 - 1]

    r = time_weighted_returns(val)
    assert r.iloc[0] == 0.0  # nothing held, nothing bought
    assert r.iloc[1] == pytest.approx(1000 / 1001 - 1)  # the fee is the first day's loss
    assert r.iloc[2] == pytest.approx(1100 / 1000 - 1)
    assert r.iloc[3] == pytest.approx((525 + 539) / 1100 - 1)

    cum = cumulative(r, None)
    assert cum.iloc[0] == 0.0
    assert cum.iloc[-1] == pytest.approx((1000 / 1001) * (1100 / 1000) * (1064 / 1100) - 1)


def test_weekend_trade_joins_the_next_trading_day():
    closes = frame([FRI, MON, TUE], unit="s", AAA=[50.0, 52.0, 54.0])
    val = daily_valuation([buy(SAT, "AAA", "2", "51", "0.5")], closes)
    assert list(val.index) == [ts(FRI), ts(MON), ts(TUE)]
    assert list(val["inflow"]) == [0.0, 2 * 51 + 0.5, 0.0]
    assert list(val["value"]) == [0.0, 2 * 52.0, 2 * 54.0]
    r = time_weighted_returns(val)
    assert r.iloc[1] == pytest.approx(104 / 102.5 - 1)


def test_gap_day_uses_the_last_close():
    closes = frame([MON, TUE, WED], AAA=[10.0, 11.0, 12.0], BBB=[20.0, NAN, 22.0])
    trades = [buy(MON, "AAA", "1", "10"), buy(MON, "BBB", "1", "20")]
    val = daily_valuation(trades, closes)
    assert list(val["value"]) == [10 + 20.0, 11 + 20.0, 12 + 22.0]  # Tuesday: BBB still 20
    r = time_weighted_returns(val)
    assert list(r) == pytest.approx([30 / 30 - 1, 31 / 30 - 1, 34 / 31 - 1])


def test_full_sale_leaves_nothing_held_and_zero_returns():
    days = [FRI, MON, TUE, WED, THU]
    closes = frame(days, AAA=[1.0, 1.0, 1.2, 1.5, 1.1])
    # Fractional units that do not add up exactly in binary floats: 0.1 + 0.2 - 0.3 != 0.
    trades = [
        buy(MON, "AAA", "0.1", "1"),
        buy(MON, "AAA", "0.2", "1"),
        sell(TUE, "AAA", "0.3", "1.2"),
    ]
    val = daily_valuation(trades, closes)
    assert list(val.index) == [ts(d) for d in days]
    assert list(val["value"][2:]) == [0.0, 0.0, 0.0]
    assert val["outflow"].iloc[2] == pytest.approx(0.3 * 1.2)
    r = time_weighted_returns(val)
    assert r.iloc[2] == pytest.approx(0.36 / 0.3 - 1)  # sold at the day's close: +20%
    assert list(r[3:]) == [0.0, 0.0]  # nothing held: no return while out of the market
    assert cumulative(r, None).iloc[-1] == pytest.approx(0.2)


def test_unpriced_instrument_is_left_out_until_its_first_close():
    closes = frame([FRI, MON, TUE, WED], NEW=[NAN, NAN, 5.0, 6.0])
    val = daily_valuation([buy(MON, "NEW", "10", "4", "1")], closes)
    # Monday holds NEW without a price: left out; its inflow joins Tuesday.
    assert list(val.index) == [ts(FRI), ts(TUE), ts(WED)]
    assert list(val["inflow"]) == [0.0, 10 * 4 + 1, 0.0]
    r = time_weighted_returns(val)
    assert list(r) == pytest.approx([0.0, 50 / 41 - 1, 60 / 50 - 1])


def test_later_buy_of_an_unpriced_instrument_and_symbol_without_column():
    closes = frame([MON, TUE, WED], AAA=[10.0, 10.0, 10.0], NEW=[NAN, NAN, 2.0])
    trades = [buy(MON, "AAA", "1", "10"), buy(TUE, "NEW", "1", "2"), buy(TUE, "GONE", "1", "3")]
    val = daily_valuation(trades[:2], closes)
    assert list(val.index) == [ts(MON), ts(WED)]
    assert list(val["inflow"]) == [10.0, 2.0]
    # An instrument with no closes at all: the series stops before the day it is bought.
    val = daily_valuation(trades[::2], closes)
    assert list(val.index) == [ts(MON)]


def test_trades_after_the_last_close_and_empty_inputs():
    closes = frame([MON, TUE], AAA=[1.0, 2.0])
    assert daily_valuation([buy(WED, "AAA", "1", "1")], closes).empty
    assert daily_valuation([], closes).empty
    val = daily_valuation([buy(MON, "AAA", "1", "1"), buy(WED, "AAA", "1", "2")], closes)
    assert list(val["inflow"]) == [1.0, 0.0]
    assert time_weighted_returns(val.iloc[:0]).empty


# -- cumulative, price_returns, range_start ------------------------------------------------------
def test_cumulative_rebases_at_the_last_close_before_start():
    index = pd.to_datetime(["2023-12-28", "2023-12-29", "2024-01-02", "2024-01-03"])
    r = pd.Series([0.5, 0.10, 0.20, -0.10], index=index)
    ytd = cumulative(r, ts(range_start("YTD", dt.date(2024, 1, 3))))
    assert list(ytd.index) == list(index[1:])  # base: 29 Dec, the last close of 2023
    assert list(ytd) == pytest.approx([0.0, 1.2 - 1, 1.2 * 0.9 - 1])
    everything = cumulative(r, None)
    assert list(everything) == pytest.approx([0.0, 0.1, 1.1 * 1.2 - 1, 1.1 * 1.2 * 0.9 - 1])
    early = cumulative(r, ts("2020-01-01"))  # nothing before start: the first date is the base
    assert list(early) == pytest.approx(list(everything))
    assert list(cumulative(r, ts("2030-01-01"))) == [0.0]
    assert cumulative(r.iloc[:0], None).empty
    with_gap = pd.Series([0.0, NAN, 0.5], index=index[:3])
    assert list(cumulative(with_gap, None)) == pytest.approx([0.0, 0.0, 0.5])


def test_one_year_base_is_the_close_a_year_before():
    index = pd.bdate_range("2023-01-02", "2024-03-08")
    r = pd.Series(0.001, index=index)
    start = range_start("1Y", dt.date(2024, 3, 8))
    assert start == dt.date(2023, 3, 9)
    line = cumulative(r, ts(start))
    assert line.index[0] == ts("2023-03-08")
    assert line.iloc[0] == 0.0
    assert line.iloc[-1] == pytest.approx(1.001 ** (len(line) - 1) - 1)


def test_price_returns_fill_gaps_and_drop_leading_nans():
    index = pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"])
    closes = pd.Series([NAN, 100.0, NAN, 120.0], index=index, name="^RUT")
    r = price_returns(closes)
    assert list(r.index) == list(index[1:])
    assert list(r) == pytest.approx([0.0, 0.0, 0.2])
    assert r.name == "^RUT"
    assert cumulative(r, None).iloc[-1] == pytest.approx(0.2)


@pytest.mark.parametrize(
    ("name", "as_of", "expected"),
    [
        ("YTD", dt.date(2024, 6, 14), dt.date(2024, 1, 1)),
        ("1Y", dt.date(2024, 6, 14), dt.date(2023, 6, 15)),
        ("3Y", dt.date(2024, 6, 14), dt.date(2021, 6, 15)),
        ("5Y", dt.date(2024, 6, 14), dt.date(2019, 6, 15)),
        ("1Y", dt.date(2024, 2, 29), dt.date(2023, 3, 1)),  # 28 Feb 2023 is the base
        ("5Y", dt.date(2024, 2, 29), dt.date(2019, 3, 1)),
        ("1Y", dt.date(2025, 2, 28), dt.date(2024, 2, 29)),
        ("1Y", dt.date(2024, 12, 31), dt.date(2024, 1, 1)),
        ("Max", dt.date(2024, 6, 14), None),
    ],
)
def test_range_start(name, as_of, expected):
    assert range_start(name, as_of) == expected


def test_unknown_range_is_a_bug():
    with pytest.raises(ValueError, match="unknown range"):
        range_start("2W", dt.date(2024, 1, 1))


# -- an independent plain-Python implementation, for random ledgers ------------------------------
def reference_returns(trades, closes):
    """Day by day: roll trades forward, carry prices, skip unpriced days, pool their flows."""
    dates = [d.date() for d in closes.index]
    rolled = []
    for t in trades:
        later = [i for i, d in enumerate(dates) if d >= t.date]
        if later:
            rolled.append((later[0], t))
    if not rolled:
        return [], []
    first = min(i for i, _ in rolled)
    last_price, held = {}, {}
    pending_in = pending_out = 0.0
    days, rows = [], []
    for i, day in enumerate(dates):
        for sym in closes.columns:
            if not math.isnan(closes[sym].iloc[i]):
                last_price[sym] = closes[sym].iloc[i]
        for j, t in rolled:
            if j != i:
                continue
            sign = 1 if t.type is TradeType.BUY else -1
            held[t.symbol] = held.get(t.symbol, D(0)) + sign * t.quantity
            if sign > 0:
                pending_in += float(t.quantity * t.price + t.fee)
            else:
                pending_out += float(t.quantity * t.price - t.fee)
        if i < first - 1 or any(q != 0 and s not in last_price for s, q in held.items()):
            continue
        value = sum(float(q) * last_price[s] for s, q in held.items() if q != 0)
        days.append(day)
        rows.append((value, pending_in, pending_out))
        pending_in = pending_out = 0.0
    returns, before = [], 0.0
    for value, inflow, outflow in rows:
        denominator = before + inflow
        returns.append(0.0 if denominator == 0 else (value + outflow) / denominator - 1)
        before = value
    return days, returns


SYMBOLS = ("AAA", "BBB", "CCC")
START = dt.date(2024, 1, 1)


@st.composite
def ledgers(draw):
    """Business-day closes with gaps (some leading), and a valid ledger of calendar-day trades."""
    n = draw(st.integers(3, 25))
    index = pd.bdate_range(START, periods=n)
    columns = {}
    for sym in SYMBOLS:
        prices = draw(st.lists(st.floats(1, 500), min_size=n, max_size=n))
        gaps = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        columns[sym] = [NAN if g else p for p, g in zip(prices, gaps, strict=True)]
    closes = pd.DataFrame(columns, index=index)
    raw = draw(
        st.lists(
            st.tuples(
                st.integers(0, n * 7 // 5 + 2),
                st.sampled_from(SYMBOLS),
                st.booleans(),
                st.integers(1, 400),
                st.integers(100, 50000),
                st.integers(0, 500),
            ),
            min_size=1,
            max_size=12,
        )
    )
    trades, held = [], dict.fromkeys(SYMBOLS, D(0))
    for offset, sym, is_buy, qty, cents, fee_cents in sorted(raw, key=lambda x: (x[0], not x[2])):
        quantity = D(qty) / 10
        kind = TradeType.BUY if is_buy else TradeType.SELL
        if not is_buy:
            quantity = min(quantity, held[sym])
            if quantity == 0:
                continue
        held[sym] += quantity if is_buy else -quantity
        day = START + dt.timedelta(days=offset)
        trades.append(Trade(day, kind, sym, quantity, D(cents) / 100, D(fee_cents) / 100))
    return trades, closes


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_matches_a_plain_python_loop(ledger):
    trades, closes = ledger
    days, expected = reference_returns(trades, closes)
    r = time_weighted_returns(daily_valuation(trades, closes))
    assert [d.date() for d in r.index] == days
    assert list(r) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(ledgers())
def test_scaling_quantities_and_fees_leaves_returns_unchanged(ledger):
    trades, closes = ledger
    scaled = [Trade(t.date, t.type, t.symbol, t.quantity * 10, t.price, t.fee * 10) for t in trades]
    r = time_weighted_returns(daily_valuation(trades, closes))
    r10 = time_weighted_returns(daily_valuation(scaled, closes))
    assert list(r10.index) == list(r.index)
    assert np.allclose(r10.to_numpy(), r.to_numpy(), rtol=1e-9, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.one_of(st.floats(1, 1000), st.just(NAN)), min_size=3, max_size=40),
    st.integers(0, 20),
    st.integers(1, 1000),
    st.sampled_from(["0", "2.5"]),
)
def test_holding_only_the_benchmark_tracks_it(prices, buy_at, qty, fee):
    index = pd.bdate_range("2024-01-01", periods=len(prices))
    closes = pd.Series(prices, index=index, name="^RUT")
    priced = closes.dropna()
    if len(priced) < 2:
        return
    buy_at = min(buy_at, len(priced) - 2)
    day, close = priced.index[buy_at], priced.iloc[buy_at]
    trade = buy(day.date(), "^RUT", str(qty), repr(float(close)), fee)
    portfolio = time_weighted_returns(daily_valuation([trade], closes.to_frame()))
    # Rebased at the buy's close, the portfolio is the benchmark, fee or not.
    after = ts(index[index > day][0])
    held = cumulative(portfolio, after)
    bench = cumulative(price_returns(closes), after)
    assert np.allclose(held.to_numpy(), bench.loc[held.index].to_numpy(), rtol=1e-9, atol=1e-12)
    if day == index[0]:
        return  # no close before the buy to measure the whole range from (see daily_valuation)
    # Over all of it, the fee is the only difference: a first-day loss of fee / cost.
    cost = qty * close
    whole = cumulative(portfolio, None)
    expected = (1 + bench.iloc[-1]) * cost / (cost + float(fee)) - 1
    assert whole.iloc[-1] == pytest.approx(expected, rel=1e-9, abs=1e-12)
    if fee == "0":
        assert whole.iloc[-1] == pytest.approx(bench.iloc[-1], rel=1e-9, abs=1e-12)
