"""FIFO lots, cost basis with fees, realized gains: checked against arithmetic done by hand."""

import datetime as dt
from decimal import Decimal as D

from desktop.core.holdings import build_positions
from desktop.core.model import Trade, TradeType

BUY, SELL = TradeType.BUY, TradeType.SELL


def t(day, kind, qty, price, fee="0", symbol="COHU", tid=None):
    return Trade(dt.date(2024, 1, day), kind, symbol, D(qty), D(price), D(fee), "", tid)


def test_buy_fee_is_part_of_cost_basis():
    positions, problems = build_positions([t(5, BUY, "100", "32.10", "1.00")])
    p = positions["COHU"]
    assert problems == []
    assert p.quantity == D("100")
    assert p.cost_basis == D("3211.00")  # 100 * 32.10 + 1.00
    assert p.average_cost == D("32.11")
    assert p.realized_gain == 0


def test_fifo_relieves_oldest_lot_first():
    trades = [
        t(2, BUY, "10", "100", "5"),  # lot 1 cost 1005
        t(3, BUY, "10", "120", "5"),  # lot 2 cost 1205
        t(4, SELL, "15", "130", "6"),  # relieves lot 1 + half of lot 2
    ]
    p = build_positions(trades)[0]["COHU"]
    # proceeds 15*130 - 6 = 1944; cost relieved 1005 + 1205/2 = 1607.5
    assert p.realized_gain == D("336.5")
    assert p.quantity == D("5")
    assert p.cost_basis == D("602.5")  # the other half of lot 2
    assert len(p.lots) == 1 and p.lots[0].date == dt.date(2024, 1, 3)


def test_full_sale_closes_the_position():
    p = build_positions([t(2, BUY, "3", "10"), t(9, SELL, "3", "12", "1")])[0]["COHU"]
    assert p.quantity == 0 and p.cost_basis == 0
    assert p.average_cost is None
    assert p.realized_gain == D("5")  # 36 - 1 - 30


def test_overselling_is_reported_and_skipped():
    positions, problems = build_positions([t(2, BUY, "10", "10"), t(3, SELL, "11", "10")])
    assert len(problems) == 1
    assert "more than the 10 held" in problems[0].message
    assert positions["COHU"].quantity == D("10")


def test_sale_before_the_buy_is_an_oversell_even_if_entered_later():
    _, problems = build_positions([t(9, BUY, "10", "10", tid=1), t(3, SELL, "5", "10", tid=2)])
    assert len(problems) == 1 and "2024-01-03" in problems[0].message


def test_same_day_buy_then_sell_is_allowed_whatever_the_entry_order():
    _, problems = build_positions([t(3, SELL, "5", "11", tid=1), t(3, BUY, "5", "10", tid=2)])
    assert problems == []


def test_symbols_are_independent():
    positions, _ = build_positions(
        [t(2, BUY, "1", "10", symbol="SUM"), t(2, BUY, "2", "20", symbol="COHU")]
    )
    assert positions["SUM"].cost_basis == D("10") and positions["COHU"].cost_basis == D("40")
