"""Turning what a user typed into a ``Trade``, or into a list of problems that say what is wrong.

Expected problems are data, not exceptions: ``parse_trade`` returns ``(trade, problems)`` and the
dialog and the command line show the problems to the user. Nothing here knows about Qt or SQLite.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from desktop.core.model import (
    AMOUNT_TYPES,
    NEEDS_SYMBOL,
    NO_SYMBOL,
    ZERO,
    Problem,
    Trade,
    TradeType,
)

# Yahoo symbols: letters and digits, optionally an index caret, share-class dashes, exchange
# suffixes (GS2C.DE), futures (ES=F) and FX pairs (EURUSD=X).
_SYMBOL_RE = re.compile(r"^\^?[A-Z0-9][A-Z0-9.\-]{0,14}(=[A-Z])?$")
#: Cap on a sane quantity or price, to catch typos such as a pasted account number.
_MAX_MAGNITUDE = Decimal("1e12")


def normalize_symbol(text: str) -> str:
    """Upper-case and trim a typed symbol."""
    return (text or "").strip().upper()


def symbol_problem(symbol: str) -> Problem | None:
    """Why ``symbol`` (already normalised) is not a well-formed Yahoo symbol, or ``None``."""
    if not symbol:
        return Problem("symbol", "is empty; type a ticker symbol such as COHU or ^RUT")
    if not _SYMBOL_RE.match(symbol):
        return Problem(
            "symbol",
            f"'{symbol}' is not a valid ticker symbol (letters, digits, '.', '-', "
            "a leading '^' for an index)",
        )
    return None


def parse_date(text: str | dt.date, today: dt.date) -> tuple[dt.date | None, Problem | None]:
    """Parse an ISO date (``YYYY-MM-DD``) that is not in the future."""
    if isinstance(text, dt.date):
        value = text
    else:
        raw = (text or "").strip()
        if not raw:
            return None, Problem("date", "is empty; use the form YYYY-MM-DD")
        try:
            value = dt.date.fromisoformat(raw)
        except ValueError:
            return None, Problem("date", f"'{raw}' is not a real date in the form YYYY-MM-DD")
    if value > today:
        return None, Problem("date", f"{value.isoformat()} is in the future")
    if value.year < 1900:
        return None, Problem("date", f"{value.isoformat()} is before 1900")
    return value, None


#: Commas only as thousands separators ("1,234.56"): "1,5" or "32,10" is refused, never read
#: as 15 or 3210.
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
#: A finite number as it may be written (commas taken out): digits and one dot. Decimal also
#: reads exponents and underscores ("1_5" as 15, "1e1_0" as 1e10). Linear on a long run of
#: digits (a pattern with an optional exponent backtracked: minutes on a 100,000-digit cell).
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
#: The most decimal places a quantity, price or amount may have (a share count to a
#: billionth; no exponents, so "1e-999999" is not a number of a million digits).
MAX_DECIMALS = 10


def _number_text(raw: str) -> tuple[str | None, str]:
    """``raw`` without its thousands separators, or ``None`` and why it is refused."""
    plain = raw.replace(",", "")
    try:
        value = Decimal(plain)
    except InvalidOperation:
        return None, f"'{raw}' is not a number"
    if "," in raw and not _GROUPED.fullmatch(raw):
        return None, (
            f"'{raw}': a comma may only separate thousands (1,234.56); write decimals "
            "with a dot (32.10)"
        )
    if value.is_finite() and not _PLAIN.fullmatch(plain):  # NaN and infinity: said later
        if "e" in plain.lower():
            return None, f"'{raw}': write the number out in full, without an exponent"
        return None, f"'{raw}' is not a number"
    return plain, ""


def parse_amount(
    field_name: str, text: str | Decimal | float | int, *, allow_zero: bool
) -> tuple[Decimal | None, Problem | None]:
    """Parse a positive (or, with ``allow_zero``, non-negative) finite decimal number, with at
    most ``MAX_DECIMALS`` decimal places; commas only as thousands separators."""
    if isinstance(text, Decimal):
        value = text
    else:
        raw = str(text).strip() if text is not None else ""
        if not raw:
            if allow_zero:
                return Decimal(0), None
            return None, Problem(field_name, "is empty; enter a number")
        plain, why = _number_text(raw)
        if plain is None:
            return None, Problem(field_name, why)
        try:
            value = Decimal(plain)
        except InvalidOperation:
            return None, Problem(field_name, f"'{raw}' is not a number")
    if not value.is_finite():
        return None, Problem(field_name, "must be a finite number (not NaN or infinity)")
    if value < 0:
        return None, Problem(field_name, "must not be negative")
    if value == 0 and not allow_zero:
        return None, Problem(field_name, "must be greater than zero")
    if value >= _MAX_MAGNITUDE:
        return None, Problem(field_name, "is implausibly large")
    last_place = Decimal(1).scaleb(-MAX_DECIMALS)
    if value != value.quantize(last_place):
        return None, Problem(field_name, f"has more than {MAX_DECIMALS} decimal places")
    if value.as_tuple().exponent < -MAX_DECIMALS:  # "1.000...0": zeros never stored past it
        value = value.quantize(last_place)
    return value, None


#: A price this many times the cached close (or a this-many-th of it) is asked about: a price
#: typed in cents, or in another currency, or a slip of the decimal point.
DOUBT_FACTOR = 5


def price_doubt(symbol: str, price: Decimal, close: float | None, day: dt.date) -> str:
    """Why a trade's ``price`` looks mistyped against the close of ``symbol`` on or before
    ``day`` (as quoted then), or "" (no close known, or near enough)."""
    if close is None or close <= 0 or price <= 0:
        return ""
    ratio = float(price) / close
    if 1 / DOUBT_FACTOR <= ratio <= DOUBT_FACTOR:
        return ""
    how = f"{ratio:,.0f} times" if ratio > 1 else f"1/{1 / ratio:,.0f} of"
    return (
        f"The price {price:f} is {how} the cached close of {symbol} on or before "
        f"{day.isoformat()} ({close:,.2f}). Typed in cents, in another currency, or with the "
        "decimal point in the wrong place?"
    )


def parse_trade_type(text: str | TradeType) -> tuple[TradeType | None, Problem | None]:
    raw = str(text or "").strip().lower()
    try:
        return TradeType(raw), None
    except ValueError:
        allowed = ", ".join(t.value for t in TradeType)
        return None, Problem("type", f"'{raw}' is not a trade type; use one of: {allowed}")


def parse_ratio(text: str) -> tuple[tuple[Decimal, Decimal] | None, Problem | None]:
    """A split ratio as (new shares, old shares): ``2:1``, ``1:3`` (a reverse split: exact,
    never 0.333...), or a plain number of new shares per old (``1.5``: (1.5, 1))."""
    raw = (text or "").strip()
    if ":" in raw:
        new, _, old = raw.partition(":")
        n, p1 = parse_amount("ratio", new, allow_zero=False)
        o, p2 = parse_amount("ratio", old, allow_zero=False)
        if p1 or p2 or n is None or o is None:
            return None, Problem("ratio", f"'{raw}' is not a ratio such as 2:1 or 1:10")
        return (n, o), None
    n, problem = parse_amount("ratio", raw, allow_zero=False)
    return (None, problem) if n is None else ((n, Decimal(1)), None)


# Which money fields each type uses; any other must be left blank (or zero).
_REQUIRED = {
    TradeType.BUY: ("quantity", "price"),
    TradeType.SELL: ("quantity", "price"),
    TradeType.SPLIT: ("quantity",),
}
#: A split's price is the old shares its quantity of new ones replaces (blank: one).
_OPTIONAL = {TradeType.BUY: ("fee",), TradeType.SELL: ("fee",), TradeType.SPLIT: ("price",)}
_NOT_USED_HINT = {
    (TradeType.DIVIDEND, "price"): "a dividend is the total cash received: put it in amount",
    (TradeType.DIVIDEND, "quantity"): "a dividend is the total cash received: put it in amount",
    (TradeType.BUY, "amount"): "a buy's money is quantity times price",
    (TradeType.SELL, "amount"): "a sale's money is quantity times price",
}
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, Decimal):
        return value == 0
    text = str(value).strip()
    if not text:
        return True
    plain, _ = _number_text(text)
    try:
        return plain is not None and Decimal(plain) == 0
    except InvalidOperation:
        return False


def parse_trade(
    *,
    date: str | dt.date,
    type: str | TradeType,
    symbol: str = "",
    quantity: str | Decimal = "",
    price: str | Decimal = "",
    fee: str | Decimal = "",
    amount: str | Decimal = "",
    currency: str = "",
    note: str = "",
    today: dt.date,
    trade_id: int | None = None,
) -> tuple[Trade | None, list[Problem]]:
    """Validate every field for the entry's type and build a ``Trade``; all problems are
    reported, not just the first.

    Whether a sale exceeds the holding depends on the rest of the ledger: see
    ``holdings.ledger_problems``.
    """
    problems: list[Problem] = []
    d, p = parse_date(date, today)
    problems += [p] if p else []
    t, p = parse_trade_type(type)
    problems += [p] if p else []
    sym = normalize_symbol(symbol)
    cur = (currency or "").strip().upper()
    if cur and not _CURRENCY_RE.match(cur):
        problems.append(Problem("currency", f"'{currency}' is not a currency code such as USD"))
    if t is None:
        return None, problems
    if t in NO_SYMBOL and sym:
        problems.append(Problem("symbol", f"a {t.value} names no security; leave it blank"))
    elif t in NEEDS_SYMBOL or sym:
        p = symbol_problem(sym)
        problems += [p] if p else []
    raw = {"quantity": quantity, "price": price, "fee": fee, "amount": amount}
    required = _REQUIRED.get(t, ("amount",) if t in AMOUNT_TYPES else ())
    optional = _OPTIONAL.get(t, ())
    values: dict[str, Decimal] = {}
    for name, value in raw.items():
        if name in required:
            v, p = parse_amount(name, value, allow_zero=False)
        elif name in optional:
            v, p = parse_amount(name, value, allow_zero=True)
        elif _blank(value):
            v, p = ZERO, None
        else:
            hint = _NOT_USED_HINT.get((t, name), f"is not used for a {t.value}; leave it blank")
            v, p = None, Problem(name, hint)
        if p:
            problems.append(p)
        else:
            values[name] = v
    if t is TradeType.SPLIT and values.get("quantity") == (values.get("price") or 1):
        problems.append(Problem("quantity", "a split ratio of 1 changes nothing"))
    if problems:
        return None, problems
    assert d is not None
    trade = Trade(
        date=d,
        type=t,
        symbol=sym,
        quantity=values["quantity"],
        price=values["price"],
        fee=values["fee"],
        amount=values["amount"],
        currency=cur,
        note=note or "",
        id=trade_id,
    )
    return trade, []
