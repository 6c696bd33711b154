"""Every way a typed trade can be wrong is refused, naming the field."""

import datetime as dt
from decimal import Decimal

import pytest

from desktop.core.model import TradeType
from desktop.core.validation import parse_amount, parse_trade, symbol_problem

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
    assert trade.gross == Decimal("3210.00")


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


def entry(**fields):
    base = dict(date="2024-03-01", symbol="", quantity="", price="", fee="", amount="")
    return parse_trade(**{**base, **fields}, today=TODAY)


@pytest.mark.parametrize(
    "fields, expected",
    [
        (dict(type="dividend", symbol="COHU", amount="12.50"), ("COHU", "0", "12.50")),
        (dict(type="split", symbol="COHU", quantity="2"), ("COHU", "2", "0")),
        (dict(type="fee", amount="5"), ("", "0", "5")),
        (dict(type="tax", symbol="COHU", amount="1.88"), ("COHU", "0", "1.88")),
        (dict(type="deposit", amount="10000", currency="usd"), ("", "0", "10000")),
        (dict(type="withdrawal", amount="500"), ("", "0", "500")),
        (dict(type="interest", amount="3.21"), ("", "0", "3.21")),
    ],
)
def test_every_entry_type_parses(fields, expected):
    trade, problems = entry(**fields)
    assert problems == []
    assert (trade.symbol, str(trade.quantity), str(trade.amount)) == expected


@pytest.mark.parametrize(
    "fields, field, fragment",
    [
        (dict(type="dividend", symbol="COHU"), "amount", "empty"),
        (dict(type="dividend", amount="5"), "symbol", "empty"),
        (dict(type="dividend", symbol="COHU", amount="5", price="0.1"), "price", "total cash"),
        (dict(type="split", symbol="COHU", quantity="1"), "quantity", "changes nothing"),
        (dict(type="split", symbol="COHU", quantity="-2"), "quantity", "negative"),
        (dict(type="deposit", amount="100", symbol="COHU"), "symbol", "names no security"),
        (dict(type="deposit", amount="0"), "amount", "greater than zero"),
        (dict(type="withdrawal", amount="nan"), "amount", "finite"),
        (
            dict(type="buy", symbol="COHU", quantity="1", price="1", amount="5"),
            "amount",
            "quantity times price",
        ),
        (dict(type="fee", amount="5", currency="dollars"), "currency", "currency code"),
    ],
)
def test_entry_problems_name_the_field(fields, field, fragment):
    trade, problems = entry(**fields)
    assert trade is None
    assert field in [p.field for p in problems]
    assert fragment in next(p.message for p in problems if p.field == field)


@pytest.mark.parametrize(
    "text, pair",
    [
        ("2:1", ("2", "1")),
        ("1:10", ("1", "10")),
        ("3:2", ("3", "2")),
        ("1:3", ("1", "3")),
        ("4", ("4", "1")),
    ],
)
def test_split_ratios_are_kept_as_new_for_old(text, pair):
    from desktop.core.validation import parse_ratio

    value, problem = parse_ratio(text)
    assert problem is None and value == (Decimal(pair[0]), Decimal(pair[1]))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234.56", "1234.56"),
        ("12,345,678.9", "12345678.9"),
        ("1,000", "1000"),
        ("32.10", "32.10"),
    ],
)
def test_commas_are_read_only_as_thousands_separators(text, value):
    assert parse_amount("price", text, allow_zero=False) == (Decimal(value), None)


@pytest.mark.parametrize("text", ["1,5", "32,10", "10,00", "1,23,456", ",5", "1,234,5"])
def test_a_decimal_comma_is_refused_never_stripped(text):
    # Stripped, "1,5" became 15 and "32,10" 3210: cash went to -26,883 and TTWROR to -107%.
    value, problem = parse_amount("price", text, allow_zero=False)
    assert value is None and problem.field == "price"
    assert "comma" in problem.message and "dot" in problem.message


@pytest.mark.parametrize("text", ["1e3", "1E-999999", "2.5e1"])
def test_exponents_are_refused(text):
    value, problem = parse_amount("quantity", text, allow_zero=False)
    assert value is None and "without an exponent" in problem.message


def test_at_most_ten_decimal_places_trailing_zeros_aside():
    assert parse_amount("quantity", "0.0000000001", allow_zero=False)[0] == Decimal("1E-10")
    assert parse_amount("quantity", "1.50000000000000", allow_zero=False)[0] == Decimal("1.5")
    value, problem = parse_amount("quantity", "0.00000000001", allow_zero=False)
    assert value is None and "more than 10 decimal places" in problem.message


def test_a_price_far_from_the_close_is_doubted_either_way_and_a_near_one_is_not():
    from decimal import Decimal

    from desktop.core.validation import price_doubt

    day = dt.date(2024, 1, 5)
    assert price_doubt("COHU", Decimal("32.10"), 32.0, day) == ""
    assert price_doubt("COHU", Decimal("150"), 32.0, day) == ""  # 4.7x: a big move, not a slip
    assert price_doubt("COHU", Decimal("0.3210"), 32.1, day).startswith(
        "The price 0.3210 is 1/100 of the cached close of COHU"
    )
    assert "10 times" in price_doubt("COHU", Decimal("321"), 32.1, day)
    assert price_doubt("COHU", Decimal("3210"), None, day) == ""  # no close: nothing to say
