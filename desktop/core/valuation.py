"""Holdings at their last close: market value, unrealized gain and weight, per holding and in total.

Pure Python over the ledger's positions and one close per symbol; cheap enough for the start-up path
(no numpy or pandas). Prices are floats from the market; cost figures are exact Decimals and are
converted to float once, here, where they meet a price.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from desktop.core.model import Position


@dataclass(frozen=True, slots=True)
class Holding:
    """One open position valued at its last cached close.

    - ``quantity``, ``cost_basis``, ``average_cost``: from the ledger (fees in the cost).
    - ``last_close`` and ``close_date``: the newest cached close, ``None`` when none is cached.
    - ``market_value``, ``unrealized_gain``, ``unrealized_return`` (a fraction), ``weight`` (a
      fraction of the total of the priced holdings): ``None`` when the holding has no price.
    """

    symbol: str
    name: str
    quantity: float
    cost_basis: float
    average_cost: float
    last_close: float | None
    close_date: dt.date | None
    market_value: float | None
    unrealized_gain: float | None
    unrealized_return: float | None
    weight: float | None


@dataclass(frozen=True, slots=True)
class PortfolioTotals:
    """Totals over the open holdings.

    ``cost_basis`` covers every holding. ``market_value`` and ``unrealized_gain`` are ``None``
    when any holding has no cached close (``unpriced`` lists them): a partial sum would
    understate the portfolio without saying so. ``priced_value`` is the sum of what is priced.
    """

    market_value: float | None
    cost_basis: float
    unrealized_gain: float | None
    priced_value: float
    unpriced: tuple[str, ...]

    @property
    def unrealized_return(self) -> float | None:
        if self.unrealized_gain is None or not self.cost_basis:
            return None
        return self.unrealized_gain / self.cost_basis


def in_todays_shares(
    last_closes: Mapping[str, tuple[dt.date, float]],
    splits: Mapping[str, Sequence[tuple[dt.date, Decimal]]],
) -> dict[str, tuple[dt.date, float]]:
    """Each close in today's shares: divided by the ``splits`` dated after it, which a close
    fetched before them does not reflect yet (the positions count today's shares)."""
    out = {}
    for symbol, (day, close) in last_closes.items():
        factor = math.prod((float(r) for d, r in splits.get(symbol, ()) if d > day), start=1.0)
        out[symbol] = (day, close / factor)
    return out


def value_holdings(
    positions: Mapping[str, Position],
    last_closes: Mapping[str, tuple[dt.date, float]],
    names: Mapping[str, str] | None = None,
) -> tuple[list[Holding], PortfolioTotals]:
    """Value every open position; closed positions (quantity zero) are left out."""
    names = names or {}
    open_positions = [p for p in positions.values() if p.quantity > 0]
    draft: list[dict] = []
    for pos in sorted(open_positions, key=lambda p: p.symbol):
        quantity = float(pos.quantity)
        cost = float(pos.cost_basis)
        close_date, close = last_closes.get(pos.symbol, (None, None))
        value = quantity * close if close is not None else None
        gain = value - cost if value is not None else None
        draft.append(
            dict(
                symbol=pos.symbol,
                name=names.get(pos.symbol, ""),
                quantity=quantity,
                cost_basis=cost,
                average_cost=float(pos.cost_basis / pos.quantity),
                last_close=close,
                close_date=close_date,
                market_value=value,
                unrealized_gain=gain,
                unrealized_return=gain / cost if gain is not None and cost else None,
            )
        )
    priced = [d for d in draft if d["market_value"] is not None]
    total_value = sum((d["market_value"] for d in priced), 0.0)
    total_cost = sum((d["cost_basis"] for d in draft), 0.0)
    complete = len(priced) == len(draft)
    holdings = [
        Holding(
            **d,
            weight=(d["market_value"] / total_value)
            if d["market_value"] is not None and total_value
            else None,
        )
        for d in draft
    ]
    totals = PortfolioTotals(
        market_value=total_value if complete else None,
        cost_basis=total_cost,
        unrealized_gain=total_value - total_cost if complete else None,
        priced_value=total_value,
        unpriced=tuple(d["symbol"] for d in draft if d["market_value"] is None),
    )
    return holdings, totals
