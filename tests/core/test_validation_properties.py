"""Hostile input to the trade validator (desktop/core/validation.py): whatever is typed or
pasted, the answer is the number as written or a problem naming its field, never an exception
and never a number read some other way ("1,5" as 15).

Every expected value comes from ``reading`` below: the validator's documented rules (a
positive or non-negative decimal number; commas only between groups of three digits; no
exponent; at most ``MAX_DECIMALS`` decimal places; below the cap on a sane quantity or price)
applied by plain string handling, with no code of the module under test.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from desktop.core.model import Problem, Trade, TradeType
from desktop.core.validation import MAX_DECIMALS, parse_amount, parse_trade, parse_trade_type

TODAY = dt.date(2026, 11, 24)
#: The documented cap on a sane quantity or price (validation's ``_MAX_MAGNITUDE``).
CAP = Decimal(10) ** 12
#: The longest text an accepted amount is stored as: 12 digits, a dot and 10 decimals.
STORED_MAX = 12 + 1 + MAX_DECIMALS
TYPE_NAMES = {
    "buy",
    "sell",
    "dividend",
    "split",
    "fee",
    "tax",
    "deposit",
    "withdrawal",
    "interest",
}
#: The money fields each type must have (TradeType's docstring): a refusal of one names it.
NEEDED = {
    "buy": ("quantity", "price"),
    "sell": ("quantity", "price"),
    "split": ("quantity",),
    **{t: ("amount",) for t in ("dividend", "fee", "tax", "deposit", "withdrawal", "interest")},
}
MONEY = ("quantity", "price", "fee", "amount")
TRADE_FIELDS = {"date", "type", "symbol", "currency", *MONEY}


# -- the independent reading -------------------------------------------------------------------
def _ascii_digits(text: str) -> str:
    """Digits of any script (Arabic-Indic, fullwidth, Devanagari...) as 0-9; the rest kept."""
    return "".join(
        str(unicodedata.decimal(c)) if unicodedata.category(c) == "Nd" else c for c in text
    )


def reading(text: str, *, allow_zero: bool) -> Decimal | None:
    """The value ``text`` writes under the validator's documented rules, or ``None``."""
    s = _ascii_digits(text.strip())
    if not s:
        return Decimal(0) if allow_zero else None
    sign = ""
    if s[0] in "+-":
        sign, s = s[0], s[1:]
    whole, _, frac = s.partition(".")
    if "," in whole:  # thousands separators only: 1,234 and 12,345,678, never 1,5 or 32,10
        groups = whole.split(",")
        if not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:]):
            return None
        whole = "".join(groups)
    if not whole + frac or not set(whole + frac) <= set("0123456789"):
        return None  # no exponent, no underscore, no NaN or infinity: digits and one dot only
    value = Decimal(f"{whole or 0}.{frac or 0}")
    if sign == "-" and value:
        return None
    if not value and not allow_zero:
        return None
    if value >= CAP or len(frac.rstrip("0")) > MAX_DECIMALS:
        return None
    return value


# -- what may be typed or pasted ---------------------------------------------------------------
DIGIT_SETS = (
    "0123456789",
    "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",  # Arabic-Indic
    "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9",  # Extended Arabic-Indic
    "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19",  # fullwidth
    "\u0966\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e\u096f",  # Devanagari
    "".join(chr(0x1D7D8 + i) for i in range(10)),  # mathematical double-struck
)
SPACES = ("", " ", "\t", "\n", "\u00a0", "\u2009", "\u202f", "\u3000")
SIGNS = ("", "+", "-", "\u2212", "\ufe63", "\uff0b", "\uff0d")  # U+2212 minus, small, fullwidth
HOSTILE = (
    "1e-999999",
    "1E-999999",
    "1e400",
    "-1e400",
    "1e1_0",
    "1_5",
    "1_000",
    "0_0",
    "._5",
    "9" * 400,
    "1" + "0" * 400,
    "0." + "0" * 400 + "1",
    "1." + "0" * 400,
    "0." + "0" * 400,
    "0" * 400 + "1.5",
    "1,5",
    "32,10",
    "10,00",
    "1.234,56",
    "1,234.56",
    "1,234,567.891",
    "1,23,456",
    ",5",
    "1,",
    "1,,000",
    "'32.10",
    '"32.10"',
    "'; DROP TABLE trades;--",
    "1; DROP TABLE trades;--",
    "=1+2",
    '=HYPERLINK("http://x")',
    "+1",
    "+32.10",
    "-1",
    "-0",
    "-0.00",
    "@SUM(A1)",
    "\u22125",
    "1\u00a0000",
    "1 000",
    "\u0663\u066b\u0665",  # 3٫5: the Arabic decimal separator
    "\u0661\u066c\u0662\u0663\u0664",  # 1٬234: the Arabic thousands separator
    "\u00b2",  # superscript two: a digit to isdigit(), not a decimal digit
    "\u2155",  # 1/5 as one character
    "\u0663",
    "\uff13\uff12.\uff11\uff10",
    "1\u0663",
    "0x10",
    "1.2.3",
    ".",
    "+",
    "-",
    "",
    "   ",
    "\u3000",
    "\x00",
    "1\x00",
    "\u202e5",
)


@st.composite
def nan_or_infinity(draw) -> str:
    """NaN and infinity in any case and spelling Decimal or float knows, signed or not."""
    word = draw(st.sampled_from(["nan", "snan", "inf", "infinity", "nan12", "snan7", "-nan"]))
    cased = "".join(draw(st.sampled_from([c.lower(), c.upper()])) for c in word)
    return draw(st.sampled_from(["", "+", "-"])) + cased


@st.composite
def number_like(draw) -> str:
    """Text shaped like a number: any script's digits, maybe grouped (rightly or not), maybe
    a fraction of any length, a sign and spaces of any kind around it."""
    digits = draw(st.sampled_from(DIGIT_SETS))
    mixed = draw(st.booleans())
    alphabet = "".join(DIGIT_SETS) if mixed and draw(st.booleans()) else digits
    whole = draw(st.text(alphabet=alphabet, max_size=16))
    if draw(st.booleans()) and whole:
        sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=5))
        groups = [draw(st.text(alphabet=alphabet, min_size=n, max_size=n)) for n in sizes]
        whole = whole[:3] + "".join("," + g for g in groups)
    frac = ""
    if draw(st.booleans()):
        frac = "." + draw(st.text(alphabet=alphabet, max_size=14))
        frac += "0" * draw(st.sampled_from([0, 0, 3, 30]))  # trailing zeros are no decimals
    pad = st.sampled_from(SPACES)
    return draw(pad) + draw(st.sampled_from(SIGNS)) + whole + frac + draw(pad)


@st.composite
def spoiled(draw) -> str:
    """A plausible amount with something pasted in, around it, or instead of one character."""
    text = draw(st.sampled_from(["32.10", "1,234.56", "100", "0.5", "1000000"]))
    junk = draw(st.sampled_from(["e", "E", "e5", "_", ",", ".", "'", '"', "%", "$", "€", "x"]))
    where = draw(st.integers(0, len(text)))
    return text[:where] + junk + text[where + draw(st.integers(0, 1)) :]


AMOUNT_TEXT = st.one_of(
    number_like(),
    nan_or_infinity(),
    spoiled(),
    st.sampled_from(HOSTILE),
    st.integers(min_value=0, max_value=10**400).map(str),
    st.integers(0, 16)
    .flatmap(lambda places: st.decimals(min_value=-(10**14), max_value=10**14, places=places))
    .map(lambda d: format(d, "f")),
    st.text(max_size=20),
    st.text(alphabet="0123456789.,+-eE_ '\"=@", max_size=20),
)


def _check_accepted(value: Decimal) -> None:
    """What every accepted quantity, price, fee or amount is, whatever it was read from."""
    assert isinstance(value, Decimal) and value.is_finite()
    assert 0 <= value < CAP
    assert value == value.quantize(Decimal(1).scaleb(-MAX_DECIMALS))
    stored = format(value, "f")  # how the store writes it (desktop/data/store/rows.py)
    assert len(stored) <= STORED_MAX, stored
    assert Decimal(stored) == value


# -- parse_amount ------------------------------------------------------------------------------
@settings(max_examples=600, deadline=None)
@given(text=AMOUNT_TEXT, allow_zero=st.booleans())
@example(text="1_5", allow_zero=False)  # Decimal reads "1_5" as 15, as Python source would
@example(text="1e1_0", allow_zero=False)  # an exponent, past the exponent check
@example(text="1." + "0" * 400, allow_zero=False)  # stored as 402 characters
@example(text="0." + "0" * 400, allow_zero=True)
def test_an_amount_is_the_number_as_written_or_a_problem_naming_its_field(text, allow_zero):
    value, problem = parse_amount("price", text, allow_zero=allow_zero)
    expected = reading(text, allow_zero=allow_zero)
    if expected is None:
        assert value is None, f"{text!r} was read as {value!r}"
        assert isinstance(problem, Problem) and problem.field == "price" and problem.message
    else:
        assert problem is None, f"{text!r} (meaning {expected}) was refused: {problem}"
        assert value == expected
        _check_accepted(value)


@settings(max_examples=150, deadline=None)
@given(
    number=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.decimals(allow_nan=True, allow_infinity=True),
    ),
    allow_zero=st.booleans(),
)
def test_numbers_that_are_not_text_are_read_as_their_exact_value(number, allow_zero):
    value, problem = parse_amount("fee", number, allow_zero=allow_zero)
    if isinstance(number, Decimal):
        exact = number if number.is_finite() else None
    else:  # a float or an int is read as Python writes it (no exponent: "1e+16" is refused)
        exact = reading(str(number), allow_zero=True)
    within = (
        exact is not None
        and 0 <= exact < CAP
        and (exact or allow_zero)
        and exact == exact.quantize(Decimal(1).scaleb(-MAX_DECIMALS))
    )
    if within:
        assert problem is None and value == exact
        _check_accepted(value)
    else:
        assert value is None and problem is not None and problem.field == "fee"


@pytest.mark.parametrize("digits", [40_000, 130_000])
def test_a_number_of_many_thousand_digits_is_refused_at_once(digits):
    # A csv field may hold 131,072 characters: one such cell of a trades file took the
    # exponent check's backtracking regular expression minutes (quadratic in the digits).
    started = time.perf_counter()
    value, problem = parse_amount("quantity", "9" * digits, allow_zero=False)
    elapsed = time.perf_counter() - started
    assert value is None and problem is not None and problem.field == "quantity"
    assert elapsed < 1.0, f"{digits} digits took {elapsed:.1f} s"


@pytest.mark.parametrize("text", ["1_5", "1_000", "1e1_0", "1e-1_0", "1_0e5", "._5", "1._5"])
def test_an_underscore_is_refused_never_dropped(text):
    # Decimal() reads "1_5" as 15 (digit grouping, as in Python source) and "1e1_0" as 1e10,
    # an exponent the exponent check did not see.
    value, problem = parse_amount("quantity", text, allow_zero=False)
    assert value is None and problem is not None and problem.field == "quantity"


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("1." + "0" * 400, "1.0000000000"),
        ("32.1" + "0" * 50, "32.1000000000"),
        ("0." + "0" * 400, "0.0000000000"),
    ],
)
def test_trailing_zeros_are_not_stored_past_the_last_decimal_place(text, stored):
    value, problem = parse_amount("fee", text, allow_zero=True)
    assert problem is None and value == Decimal(stored)
    assert format(value, "f") == stored


# -- parse_trade_type --------------------------------------------------------------------------
TYPE_TEXT = st.one_of(
    st.sampled_from(sorted(TYPE_NAMES)).flatmap(
        lambda w: st.tuples(
            st.sampled_from(SPACES),
            st.tuples(*[st.sampled_from([c, c.upper()]) for c in w]).map("".join),
            st.sampled_from(SPACES),
        ).map("".join)
    ),
    st.sampled_from(
        [
            "\uff42\uff55\uff59",  # fullwidth buy
            "bu\u0443",  # Cyrillic u
            "BUY\x00",
            "buy;DROP TABLE trades",
            "=buy",
            "'buy",
            '"buy"',
            "b uy",
            "D\u0130VIDEND",  # dotted capital I
            "\u212aey",  # Kelvin sign
            "",
            "   ",
            "hold",
            "buys",
        ]
    ),
    st.text(max_size=12),
    st.sampled_from(list(TradeType)),
)


@settings(max_examples=300, deadline=None)
@given(text=TYPE_TEXT)
def test_a_trade_type_is_one_of_the_types_spelled_in_any_case_or_refused(text):
    kind, problem = parse_trade_type(text)
    trimmed = str(text).strip()
    if trimmed.isascii() and trimmed.lower() in TYPE_NAMES:
        assert problem is None and kind is TradeType(trimmed.lower())
    else:
        assert kind is None
        assert isinstance(problem, Problem) and problem.field == "type" and problem.message


# -- parse_trade -------------------------------------------------------------------------------
DATE_TEXT = st.one_of(
    st.dates(min_value=dt.date(1850, 1, 1), max_value=dt.date(2100, 1, 1)).map(str),
    st.sampled_from(
        [
            "",
            "2024-02-30",
            "2024-13-01",
            "05/01/2024",
            "2026-11-25",
            "1899-12-31",
            "\uff12\uff10\uff12\uff14-01-05",
            "2024-01-05'; DROP TABLE trades;--",
            "=TODAY()",
        ]
    ),
    st.text(max_size=12),
)
SYMBOL_TEXT = st.one_of(
    st.sampled_from(["COHU", " cohu ", "^RUT", "BRK-B", "GS2C.DE", "EURUSD=X", "ES=F", "", "IWM"]),
    st.sampled_from(["=CMD()", "'; DROP TABLE trades;--", "\uff23\uff2f", "CO HU", "@SUM(1)"]),
    st.text(max_size=10),
)


GOOD_AMOUNT = st.one_of(
    st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(10**9), places=4).map(
        lambda d: format(d, "f")
    ),
    st.integers(1, 10**11).map(lambda n: f"{n:,}"),
)
#: Which money fields each type uses (TradeType's docstring); the others must be left blank.
USED = {**NEEDED, "buy": (*NEEDED["buy"], "fee"), "sell": (*NEEDED["sell"], "fee")}
USED["split"] = ("quantity", "price")


@st.composite
def entries(draw) -> dict:
    """A plausible entry with some of its fields (one in six, each) replaced by hostile text."""

    def one(good, hostile):
        return draw(hostile if draw(st.integers(0, 5)) == 0 else good)

    kind = one(st.sampled_from(sorted(TYPE_NAMES)), TYPE_TEXT)
    word = str(kind).strip().lower()
    if word in ("buy", "sell", "dividend", "split"):
        symbol = st.sampled_from(["COHU", " iwm ", "^RUT", "BRK-B", "GS2C.DE", "EURUSD=X"])
    elif word in ("deposit", "withdrawal", "interest"):
        symbol = st.just("")
    else:
        symbol = st.sampled_from(["", "COHU", "^RUT"])
    money = {}
    for name in MONEY:
        if name in USED.get(word, MONEY):
            money[name] = one(GOOD_AMOUNT, AMOUNT_TEXT)
        else:
            money[name] = one(st.sampled_from(["", "0", " ", "0.00", "-0"]), AMOUNT_TEXT)
    return dict(
        date=one(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY).map(str), DATE_TEXT),
        type=kind,
        symbol=one(symbol, SYMBOL_TEXT),
        currency=one(st.sampled_from(["", "USD", " eur "]), st.text(max_size=4)),
        note=draw(st.text()),
        **money,
    )


@settings(max_examples=400, deadline=None)
@given(entry=entries())
def test_any_entry_is_a_trade_read_exactly_or_problems_naming_fields(entry):
    trade, problems = parse_trade(**entry, today=TODAY)
    date, kind, symbol, currency = (entry[k] for k in ("date", "type", "symbol", "currency"))
    money = {name: entry[name] for name in MONEY}
    assert isinstance(problems, list)
    if trade is None:
        assert problems, "a refusal says why"
        for p in problems:
            assert isinstance(p, Problem) and p.field in TRADE_FIELDS and p.message, p
        word = str(kind).strip()
        if word.isascii() and word.lower() in TYPE_NAMES:
            named = {p.field for p in problems}
            for field in NEEDED[word.lower()]:
                if reading(money[field], allow_zero=False) is None:
                    assert field in named, (field, money[field], problems)
        return
    assert problems == []
    assert isinstance(trade, Trade)
    assert dt.date(1900, 1, 1) <= trade.date <= TODAY
    written = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date.strip(), re.ASCII)
    if written:  # other ISO 8601 forms Python reads (20240105, 2024-W01-1) are not checked here
        assert trade.date == dt.date(*map(int, written.groups()))
    assert trade.type.value == str(kind).strip().lower()
    for field in MONEY:  # a field the type uses is read as written; one it does not is blank
        expected = reading(money[field], allow_zero=True)
        assert expected is not None, (field, money[field])
        assert getattr(trade, field) == expected, (field, money[field])
        _check_accepted(getattr(trade, field))
    for field in NEEDED[trade.type.value]:
        assert getattr(trade, field) > 0
    assert trade.symbol == symbol.strip().upper() and trade.symbol.isascii()
    assert len(trade.symbol) <= 18  # ^, 15 characters and =X at most
    assert trade.currency == currency.strip().upper()
    assert trade.currency == "" or (len(trade.currency) == 3 and trade.currency.isascii())
    assert trade.note == entry["note"]  # kept exactly as typed


@settings(max_examples=200, deadline=None)
@given(quantity=AMOUNT_TEXT, price=AMOUNT_TEXT)
def test_a_buy_is_taken_exactly_when_both_numbers_read_and_as_they_read(quantity, price):
    trade, problems = parse_trade(
        date="2024-01-05", type="buy", symbol="COHU", quantity=quantity, price=price, today=TODAY
    )
    q = reading(quantity, allow_zero=False)
    p = reading(price, allow_zero=False)
    if q is None or p is None:
        assert trade is None
        named = {pr.field for pr in problems}
        assert named == {f for f, v in (("quantity", q), ("price", p)) if v is None}
    else:
        assert problems == [] and (trade.quantity, trade.price) == (q, p)
        assert trade.gross == q * p
