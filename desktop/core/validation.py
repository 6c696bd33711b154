"""Turning what a user typed into a ``Trade``, or into a list of problems that say what is wrong.

Expected problems are data, not exceptions: ``parse_trade`` returns ``(trade, problems)`` and the
dialog and the command line show the problems to the user. Nothing here knows about Qt or SQLite.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from desktop.core.model import Problem, Trade, TradeType

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


def parse_amount(
    field_name: str, text: str | Decimal | float | int, *, allow_zero: bool
) -> tuple[Decimal | None, Problem | None]:
    """Parse a positive (or, with ``allow_zero``, non-negative) finite decimal number."""
    if isinstance(text, Decimal):
        value = text
    else:
        raw = str(text).strip().replace(",", "") if text is not None else ""
        if not raw:
            if allow_zero:
                return Decimal(0), None
            return None, Problem(field_name, "is empty; enter a number")
        try:
            value = Decimal(raw)
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
    return value, None


def parse_trade_type(text: str | TradeType) -> tuple[TradeType | None, Problem | None]:
    raw = str(text or "").strip().lower()
    try:
        return TradeType(raw), None
    except ValueError:
        allowed = ", ".join(t.value for t in TradeType)
        return None, Problem("type", f"'{raw}' is not a trade type; use one of: {allowed}")


def parse_trade(
    *,
    date: str | dt.date,
    type: str | TradeType,
    symbol: str,
    quantity: str | Decimal,
    price: str | Decimal,
    fee: str | Decimal = "",
    note: str = "",
    today: dt.date,
    trade_id: int | None = None,
) -> tuple[Trade | None, list[Problem]]:
    """Validate every field and build a ``Trade``; all problems are reported, not just the first.

    Whether a sale exceeds the holding depends on the rest of the ledger: see
    ``holdings.ledger_problems``.
    """
    problems: list[Problem] = []
    d, p = parse_date(date, today)
    problems += [p] if p else []
    t, p = parse_trade_type(type)
    problems += [p] if p else []
    sym = normalize_symbol(symbol)
    p = symbol_problem(sym)
    problems += [p] if p else []
    q, p = parse_amount("quantity", quantity, allow_zero=False)
    problems += [p] if p else []
    px, p = parse_amount("price", price, allow_zero=False)
    problems += [p] if p else []
    f, p = parse_amount("fee", fee, allow_zero=True)
    problems += [p] if p else []
    if problems:
        return None, problems
    assert d and t and q is not None and px is not None and f is not None
    return Trade(d, t, sym, q, px, f, note or "", trade_id), []
