"""Every way a typed trade can be wrong is refused, naming the field."""

import datetime as dt
from decimal import Decimal

import pytest

from desktop.core.model import TradeType
from desktop.core.validation import parse_trade, symbol_problem

TODAY = dt.date(2026, 11, 24)
GOOD = dict(date="2024-01-05", type="buy", symbol="COHU", quantity="100", price="32.10", fee="1.00")


def parse(**changes):
    return parse_trade(**{**GOOD, **changes}, today=TODAY)


def test_a_good_trade_parses_exactly():
    trade, problems = parse(symbol=" cohu ", note="  first buy  ")
    assert problems == []
    assert trade.date == dt.date(2024, 1, 5)
    assert trade.type is TradeType.BUY
    assert trade.symbol == "COHU"
    assert trade.quantity == Decimal("100")
    assert trade.price == Decimal("32.10")
    assert trade.fee == Decimal("1.00")
    assert trade.note == "  first buy  "  # notes are stored exactly as typed
    assert trade.amount == Decimal("3210.00")


def test_blank_fee_means_zero():
    trade, problems = parse(fee="")
    assert problems == [] and trade.fee == 0


@pytest.mark.parametrize(
    "field, value, fragment",
    [
        ("symbol", "", "empty"),
        ("symbol", "CO HU", "not a valid ticker"),
        ("symbol", "$$$", "not a valid ticker"),
        ("symbol", "ABCDEFGHIJKLMNOPQ", "not a valid ticker"),
        ("quantity", "0", "greater than zero"),
        ("quantity", "-5", "negative"),
        ("quantity", "ten", "not a number"),
        ("quantity", "NaN", "finite"),
        ("quantity", "inf", "finite"),
        ("quantity", "-Infinity", "finite"),
        ("quantity", "", "empty"),
        ("price", "0", "greater than zero"),
        ("price", "-1.5", "negative"),
        ("price", "1,2,x", "not a number"),
        ("price", "nan", "finite"),
        ("fee", "-1", "negative"),
        ("fee", "abc", "not a number"),
        ("date", "2024-02-30", "not a real date"),
        ("date", "2024-13-01", "not a real date"),
        ("date", "05/01/2024", "not a real date"),
        ("date", "2026-11-25", "in the future"),
        ("date", "", "empty"),
        ("type", "hold", "not a trade type"),
        ("type", "", "not a trade type"),
    ],
)
def test_bad_field_is_refused_and_named(field, value, fragment):
    trade, problems = parse(**{field: value})
    assert trade is None
    assert [p.field for p in problems] == [field]
    assert fragment in problems[0].message


def test_all_problems_are_reported_at_once():
    trade, problems = parse(symbol="", quantity="0", price="x")
    assert trade is None
    assert {p.field for p in problems} == {"symbol", "quantity", "price"}


def test_today_is_allowed():
    trade, problems = parse(date=TODAY.isoformat())
    assert problems == [] and trade.date == TODAY


@pytest.mark.parametrize(
    "symbol", ["COHU", "^RUT", "^GSPC", "BRK-B", "GS2C.DE", "EURUSD=X", "WWSIX"]
)
def test_real_yahoo_symbols_are_accepted(symbol):
    assert symbol_problem(symbol) is None
