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

from desktop.core.model import Problem, Trade, TradeType

RateOf = Callable[[str, dt.date], float | None]
FirstRateOf = Callable[[str], tuple[dt.date, float] | None]


def convert_trades(
    trades: Sequence[Trade],
    currencies: Mapping[str, str],
    base: str,
    rate_of: RateOf,
    first_rate_of: FirstRateOf | None = None,
) -> tuple[list[Trade], list[Problem]]:
    """The entries with prices, fees and amounts in ``base``; entries already in it unchanged.

    ``rate_of(code, date)`` is the base currency per unit on or before ``date``. An entry
    older than every cached rate is converted at the first one after it
    (``first_rate_of(code) -> (day, rate)``), and said; with no rate at all it is left out of
    the figures, and said, naming the entry (its quantity is never silently dropped).
    """
    out, problems = [], []
    for t in trades:
        code = t.currency or (currencies.get(t.symbol, base) if t.symbol else base)
        if code == base:
            out.append(t)
            continue
        rate = rate_of(code, t.date)
        if rate is None:
            first = first_rate_of(code) if first_rate_of is not None else None
            what = describe(t)
            if first is None:
                problems.append(
                    Problem(
                        "currency",
                        f"the {what} is left out of every figure: no {code}{base}=X rate is "
                        f"cached to convert it (refresh prices, or import {code}{base}=X)",
                    )
                )
                continue
            day, rate = first
            problems.append(
                Problem(
                    "currency",
                    f"the {what} is converted at the first cached {code}{base}=X rate, of "
                    f"{day.isoformat()} (none is cached on or before {t.date.isoformat()})",
                )
            )
        r = Decimal(repr(rate))
        if t.type is TradeType.SPLIT:  # no money: its price is the old shares it replaces
            out.append(replace(t, currency=base))
            continue
        out.append(replace(t, price=t.price * r, fee=t.fee * r, amount=t.amount * r, currency=base))
    return out, problems


def describe(t: Trade) -> str:
    """An entry in a few words: "buy of 10 SAP.DE on 2024-01-05"."""
    if t.quantity and t.type.value in ("buy", "sell"):
        return f"{t.type.value} of {t.quantity:f} {t.symbol} on {t.date.isoformat()}"
    what = f" of {t.symbol}" if t.symbol else ""
    return f"{t.type.value}{what} on {t.date.isoformat()}"
