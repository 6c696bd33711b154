"""Entries in the base currency: each converted at the FX close of its own date.

Booking converted entries gives cost basis, realized gains and income in the base currency at
the rates of the days the money moved (so a realized gain includes the currency's move), which
is how a base-currency investor sees them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from desktop.core.model import Problem, Trade

RateOf = Callable[[str, dt.date], float | None]


def convert_trades(
    trades: Sequence[Trade], currencies: Mapping[str, str], base: str, rate_of: RateOf
) -> tuple[list[Trade], list[Problem]]:
    """The entries with prices, fees and amounts in ``base``; entries already in it unchanged.

    ``rate_of(code, date)`` is the base currency per unit on or before ``date`` (``None`` if
    unknown: reported as a problem and the entry left out).
    """
    out, problems = [], []
    for t in trades:
        code = t.currency or (currencies.get(t.symbol, base) if t.symbol else base)
        if code == base:
            out.append(t)
            continue
        rate = rate_of(code, t.date)
        if rate is None:
            problems.append(
                Problem("currency", f"no {code}{base}=X rate cached on or before {t.date}")
            )
            continue
        r = Decimal(repr(rate))
        out.append(replace(t, price=t.price * r, fee=t.fee * r, amount=t.amount * r, currency=base))
    return out, problems
