"""Positions from trades: lots relieved first-in first-out, cost basis, realized gains.

Exact ``Decimal`` arithmetic over the ledger; no prices involved (see ``valuation`` for those).
A sale of more than is held at its date is an expected problem, reported with the trade.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from desktop.core.model import ZERO, Lot, Position, Problem, Trade, TradeType


def sort_trades(trades: Iterable[Trade]) -> list[Trade]:
    """Ledger order: by date, buys before sells on the same day, then by entry order."""
    order = {TradeType.BUY: 0, TradeType.SELL: 1}
    return sorted(trades, key=lambda t: (t.date, order[t.type], t.id or 0))


def _relieve_fifo(lots: list[Lot], quantity: Decimal) -> tuple[list[Lot], Decimal]:
    """Remove ``quantity`` units from the oldest lots; return the remaining lots and their cost."""
    remaining = quantity
    relieved_cost = ZERO
    kept: list[Lot] = []
    for lot in lots:
        if remaining <= 0:
            kept.append(lot)
            continue
        if lot.quantity <= remaining:
            relieved_cost += lot.cost
            remaining -= lot.quantity
            continue
        part_cost = lot.cost * remaining / lot.quantity
        relieved_cost += part_cost
        kept.append(replace(lot, quantity=lot.quantity - remaining, cost=lot.cost - part_cost))
        remaining = ZERO
    return kept, relieved_cost


def build_positions(trades: Iterable[Trade]) -> tuple[dict[str, Position], list[Problem]]:
    """Replay the ledger; return one position per symbol traded, and any oversold sales.

    An oversold sale is reported and skipped, so a ledger read back from disk still shows what
    can be computed. The store refuses to write such a ledger in the first place.
    """
    lots: dict[str, list[Lot]] = {}
    realized: dict[str, Decimal] = {}
    problems: list[Problem] = []
    for t in sort_trades(trades):
        book = lots.setdefault(t.symbol, [])
        realized.setdefault(t.symbol, ZERO)
        if t.type is TradeType.BUY:
            book.append(Lot(t.symbol, t.date, t.quantity, t.amount + t.fee, t.id))
            continue
        held = sum((lot.quantity for lot in book), ZERO)
        if t.quantity > held:
            problems.append(
                Problem(
                    "quantity",
                    f"the sale of {t.quantity:f} {t.symbol} on {t.date.isoformat()} is more "
                    f"than the {held:f} held on that date",
                )
            )
            continue
        kept, cost = _relieve_fifo(book, t.quantity)
        lots[t.symbol] = kept
        realized[t.symbol] += t.amount - t.fee - cost
    positions = {
        sym: Position(
            symbol=sym,
            quantity=sum((lot.quantity for lot in book), ZERO),
            cost_basis=sum((lot.cost for lot in book), ZERO),
            realized_gain=realized[sym],
            lots=tuple(book),
        )
        for sym, book in lots.items()
    }
    return positions, problems


def ledger_problems(trades: Iterable[Trade]) -> list[Problem]:
    """Problems that make a whole ledger invalid (today: a sale of more than is held)."""
    return build_positions(trades)[1]
