"""How numbers look on screen: money with thousands separators, signed gains, percentages."""

from __future__ import annotations

from decimal import Decimal

DASH = "—"


def money(value: float | Decimal | None, decimals: int = 2) -> str:
    return DASH if value is None else f"{float(value):,.{decimals}f}"


def signed_money(value: float | None) -> str:
    return DASH if value is None else f"{value:+,.2f}"


def percent(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return DASH
    return f"{value:+.2%}" if signed else f"{value:.1%}"


def quantity(value: float | Decimal) -> str:
    """Whole shares without decimals, fractional units (funds) with up to four."""
    v = float(value)
    return f"{v:,.0f}" if v == int(v) else f"{v:,.4f}".rstrip("0").rstrip(".")


def decimal_text(value: Decimal) -> str:
    """A Decimal as money is written: at least two decimals, more only when they were typed."""
    text = format(value, "f")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.rstrip('0').ljust(2, '0')}"


def rich_text(text: str) -> str:
    """Plain text made safe inside a rich-text label's element: ``&``, ``<`` and ``>`` escaped
    (the ``html`` module costs about 3 ms to import, on the first paint's path)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def compact_money(value: float | None, currency: str = "") -> str:
    """A large amount in a few digits: "1.23 B USD", "456.7 M USD", "12,345 USD"."""
    if value is None:
        return DASH
    size = abs(value)
    for step, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if size >= step:
            text = f"{value / step:,.2f} {unit}"
            break
    else:
        text = f"{value:,.0f}"
    return f"{text} {currency}".strip()
