"""The ledger day by day, checked by hand: cash or no cash, splits in today's shares, FX,
weekend entries, gaps and a delisted holding."""

import datetime as dt
from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest

from desktop.core.model import Trade, TradeType
from desktop.core.timeline import build_timeline

T = TradeType


def e(day, kind, symbol="A", qty="0", price="0", fee="0", amount="0", currency=""):
    return Trade(
        dt.date(2024, 1, day),
        kind,
        symbol,
        D(qty),
        D(price),
        D(fee),
        amount=D(amount),
        currency=currency,
    )


def closes(**columns):
    """Trading days 2, 3, 4, 5 and 8 January 2024 (6 and 7 are a weekend)."""
    index = pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08"])
    return pd.DataFrame(columns, index=index, dtype=float)


def test_without_cash_buys_are_inflows_and_dividends_outflows():
    prices = closes(A=[10, 11, 12, 12, 13])
    tl = build_timeline(
        [e(3, T.BUY, qty="10", price="10", fee="1"), e(4, T.DIVIDEND, amount="5")], prices
    )
    v = tl.valuation
    assert not tl.tracks_cash
    assert list(v.index.day) == [2, 3, 4, 5, 8]
    assert list(v["value"]) == [0, 110, 120, 120, 130]
    assert list(v["inflow"]) == [0, 101, 0, 0, 0]
    assert list(v["outflow"]) == [0, 0, 5, 0, 0]
    assert list(tl.flows) == [101.0, -5.0]


def test_with_cash_only_deposits_and_withdrawals_cross_the_boundary():
    prices = closes(A=[10, 11, 12, 12, 13])
    trades = [
        e(2, T.DEPOSIT, symbol="", amount="1000"),
        e(3, T.BUY, qty="10", price="10", fee="1"),
        e(4, T.DIVIDEND, amount="5"),
        e(5, T.FEE, symbol="", amount="2"),
        e(8, T.WITHDRAWAL, symbol="", amount="100"),
    ]
    tl = build_timeline(trades, prices)
    v = tl.valuation
    assert tl.tracks_cash
    # cash: 1000, 1000 - 101 = 899, + 5 = 904, - 2 = 902, - 100 = 802
    assert list(v["cash"]) == [1000, 899, 904, 902, 802]
    assert list(v["value"]) == [1000, 899 + 110, 904 + 120, 902 + 120, 802 + 130]
    assert list(v["inflow"]) == [1000, 0, 0, 0, 0]
    assert list(v["outflow"]) == [0, 0, 0, 0, 100]
    assert list(tl.flows) == [1000.0, -100.0]


def test_a_position_bought_before_a_split_is_valued_at_its_true_value_the_day_before():
    # 2-for-1 split effective 5 January: Yahoo's closes are adjusted back, so the 50 on the 4th
    # was really 100 a share.
    prices = closes(A=[50, 50, 50, 51, 52])
    trades = [e(2, T.BUY, qty="10", price="100"), e(5, T.SPLIT, qty="2")]
    v = build_timeline(trades, prices).valuation
    assert v.loc["2024-01-04", "value"] == 1000.0  # 10 real shares at a real 100
    assert v.loc["2024-01-05", "value"] == 20 * 51.0


def test_a_weekend_trade_joins_monday_in_the_chain_and_keeps_its_date_in_the_flows():
    prices = closes(A=[10, 10, 10, 10, 12])
    tl = build_timeline([e(6, T.BUY, qty="1", price="10")], prices)
    assert tl.valuation.loc["2024-01-08", "inflow"] == 10.0
    assert tl.flows.index[0] == pd.Timestamp("2024-01-06")


def test_a_missing_close_is_carried_forward():
    prices = closes(A=[10, np.nan, 12, 12, 13], B=[5, 6, 7, 8, 9])
    tl = build_timeline(
        [e(2, T.BUY, qty="1", price="10"), e(2, T.BUY, symbol="B", qty="1", price="5")], prices
    )
    assert tl.valuation.loc["2024-01-03", "value"] == 10 + 6


def test_a_delisted_holding_keeps_its_last_close():
    prices = closes(SUM=[40, 41, np.nan, np.nan, np.nan], B=[5, 6, 7, 8, 9])
    tl = build_timeline(
        [
            e(2, T.BUY, symbol="SUM", qty="2", price="40"),
            e(2, T.BUY, symbol="B", qty="1", price="5"),
        ],
        prices,
    )
    assert list(tl.valuation["value"]) == [85, 88, 89, 90, 91]


def test_foreign_holdings_convert_at_the_days_rate_carrying_missing_days():
    prices = closes(SAP=[100, 100, 110, 110, 110])
    fx = pd.DataFrame(
        {"EUR": [1.10, np.nan, 1.20]},
        index=pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-05"]),
    )
    tl = build_timeline(
        [e(2, T.BUY, symbol="SAP", qty="1", price="100")], prices, currencies={"SAP": "EUR"}, fx=fx
    )
    v = tl.valuation
    assert v["value"].tolist() == pytest.approx([110, 110, 121, 132, 132])
    assert v["inflow"].iloc[0] == pytest.approx(110.0)  # 100 EUR at 1.10


def test_fractional_units_sold_in_full_leave_nothing():
    prices = closes(A=[10, 10, 10, 10, 10])
    trades = [
        e(2, T.BUY, qty="0.1", price="10"),
        e(2, T.BUY, qty="0.2", price="10"),
        e(3, T.SELL, qty="0.3", price="10"),
    ]
    assert build_timeline(trades, prices).valuation["value"].iloc[-1] == 0.0


def test_a_fund_paying_a_capital_gain_distribution_loses_nothing_on_the_ex_date():
    # NAV 10 -> 9 on the ex-date of a 1.00 distribution: 100 units pay 100 in cash.
    prices = closes(FUND=[10, 10, 9, 9, 9])
    trades = [
        e(2, T.BUY, symbol="FUND", qty="100", price="10"),
        e(4, T.DIVIDEND, symbol="FUND", amount="100"),
    ]
    from desktop.core.returns import time_weighted_returns

    tl = build_timeline(trades, prices)
    r = time_weighted_returns(tl.valuation)
    assert tl.valuation.loc["2024-01-04", "outflow"] == 100.0  # no cash kept: paid out
    assert r.loc["2024-01-04"] == 0.0  # (900 + 100) / 1000 - 1
    assert r.loc["2024-01-05"] == 0.0


def test_an_entry_without_a_rate_holds_its_day_back_but_not_the_other_entries_of_that_day():
    """On the 3rd: a buy of A in dollars and a dividend of B in euros, with no euro rate yet.
    The day cannot be valued (it waits), but the buy's 101 still goes in: before, the whole
    day's money was dropped with the one entry that could not be converted."""
    prices = closes(A=[10, 11, 12, 12, 13], B=[5, 5, 5, 5, 5])
    fx = pd.DataFrame({"EUR": [np.nan, np.nan, 1.1, 1.1, 1.1]}, index=prices.index)
    tl = build_timeline(
        [
            e(3, T.BUY, qty="10", price="10", fee="1"),
            e(3, T.DIVIDEND, symbol="B", amount="5", currency="EUR"),
        ],
        prices,
        fx=fx,
    )
    v = tl.valuation
    assert list(v.index.day) == [2, 4, 5, 8]  # the 3rd waits for its dividend's rate
    assert v.loc["2024-01-04", "inflow"] == pytest.approx(101)  # joins the next day valued
    assert v.loc["2024-01-04", "value"] == pytest.approx(120)
    assert v["outflow"].sum() == 0  # the dividend has no value in dollars


def test_each_holding_s_gains_add_up_to_the_portfolio_s_every_day():
    prices = closes(A=[10, 11, 12, 12, 13], B=[5, 6, np.nan, 7, 7])
    tl = build_timeline(
        [
            e(2, T.DEPOSIT, symbol="", amount="1000"),
            e(3, T.BUY, qty="10", price="10", fee="1"),
            e(3, T.BUY, symbol="B", qty="20", price="6"),
            e(4, T.DIVIDEND, symbol="B", amount="3"),
            e(5, T.SELL, qty="5", price="12", fee="1"),
            e(5, T.FEE, symbol="", amount="2"),
            e(8, T.INTEREST, symbol="", amount="0.5"),
        ],
        prices,
        gains=True,
    )
    g = tl.gains
    # By hand. A: bought 10 at 10 + 1 on the 3rd (worth 110): +9; the 4th 120: +10; the 5th 5
    # sold at 12 less 1 (59) and 5 left at 12 (60): -1; the 8th 5 x 13: +5.
    assert g["A"].tolist() == pytest.approx([0, 9, 10, -1, 5])
    # B: 20 at 6 on the 3rd: 0; no close on the 4th (6 carried): +3 dividend; the 5th 7: +20.
    assert g["B"].tolist() == pytest.approx([0, 0, 3, 20, 0])
    assert g["cash"].tolist() == pytest.approx([0, 0, 0, -2, 0.5])  # the fee, the interest
    v = tl.valuation
    day_gain = v["value"] + v["outflow"] - v["value"].shift(fill_value=0.0) - v["inflow"]
    assert g.sum(axis=1).tolist() == pytest.approx(day_gain.tolist())
