"""Booking: replaying the ledger into positions, lots, realized gains, income and cash.

Exact ``Decimal`` arithmetic; no prices involved (``valuation`` adds those). Lots are relieved by
the portfolio's cost method (FIFO by default, or average cost), each a small function chosen
from ``RELIEF`` and sharing one helper. Expected problems (a sale of more than is held, a split of
something never held) are reported with the entry, in words, not raised.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from desktop.core.model import (
    CASH_FLOWS,
    ZERO,
    CostMethod,
    Lot,
    Position,
    Problem,
    Trade,
    TradeType,
)

# Within a day: a split applies to shares held before it; cash arrives before it is spent;
# shares are bought before they are sold; withdrawals come last.
_DAY_ORDER = {
    TradeType.SPLIT: 0,
    TradeType.DEPOSIT: 1,
    TradeType.INTEREST: 1,
    TradeType.DIVIDEND: 1,
    TradeType.BUY: 2,
    TradeType.SELL: 3,
    TradeType.FEE: 4,
    TradeType.TAX: 4,
    TradeType.WITHDRAWAL: 5,
}


def sort_trades(trades: Iterable[Trade]) -> list[Trade]:
    """Ledger order: by date, then by what an entry does within the day, then by entry order."""
    return sorted(trades, key=lambda t: (t.date, _DAY_ORDER[t.type], t.id or 0))


def _relieve_fifo(lots: list[Lot], quantity: Decimal) -> tuple[list[Lot], Decimal]:
    """Remove ``quantity`` units from the oldest lots; return the remaining lots and their cost."""
    remaining, relieved, kept = quantity, ZERO, []
    for lot in lots:
        if remaining <= 0:
            kept.append(lot)
        elif lot.quantity <= remaining:
            relieved += lot.cost
            remaining -= lot.quantity
        else:
            # Units by exact subtraction; only the cost is apportioned.
            part_cost = lot.cost * remaining / lot.quantity
            relieved += part_cost
            kept.append(replace(lot, quantity=lot.quantity - remaining, cost=lot.cost - part_cost))
            remaining = ZERO
    return kept, relieved


def _relieve_average(lots: list[Lot], quantity: Decimal) -> tuple[list[Lot], Decimal]:
    """Remove ``quantity`` units at the average cost of all lots.

    Units leave the oldest lots first, so quantities stay exact; the remaining cost is shared
    among the remaining lots by their units, the last lot taking what rounding leaves.
    """
    held = sum((lot.quantity for lot in lots), ZERO)
    cost = sum((lot.cost for lot in lots), ZERO)
    if quantity == held:
        return [], cost
    relieved = cost * quantity / held
    remaining_units, _ = _relieve_fifo(lots, quantity)
    remaining_cost = cost - relieved
    kept, assigned = [], ZERO
    for i, lot in enumerate(remaining_units):
        if i == len(remaining_units) - 1:
            share = remaining_cost - assigned
        else:
            share = remaining_cost * lot.quantity / (held - quantity)
        assigned += share
        kept.append(replace(lot, cost=share))
    return kept, relieved


RELIEF: dict[CostMethod, Callable[[list[Lot], Decimal], tuple[list[Lot], Decimal]]] = {
    CostMethod.FIFO: _relieve_fifo,
    CostMethod.AVERAGE: _relieve_average,
}


@dataclass
class _Account:
    lots: list[Lot] = field(default_factory=list)
    realized: Decimal = ZERO
    dividends: Decimal = ZERO
    fees: Decimal = ZERO
    taxes: Decimal = ZERO
    invested: Decimal = ZERO

    def position(self, symbol: str) -> Position:
        return Position(
            symbol=symbol,
            quantity=sum((lot.quantity for lot in self.lots), ZERO),
            cost_basis=sum((lot.cost for lot in self.lots), ZERO),
            realized_gain=self.realized,
            lots=tuple(self.lots),
            dividends=self.dividends,
            fees=self.fees,
            taxes=self.taxes,
            invested=self.invested,
        )


@dataclass(frozen=True)
class Book:
    """The ledger replayed: positions per security and the portfolio's cash and income.

    - ``positions``: one per security ever traded, closed ones included.
    - ``tracks_cash``: the ledger has a deposit or withdrawal, so the portfolio keeps a cash
      balance and its external flows are its deposits and withdrawals only.
    - ``cash``: the cash balance (deposits + income + sale proceeds - purchases - fees - taxes -
      withdrawals); meaningful when ``tracks_cash``.
    - ``fees``, ``taxes``: every standalone fee and tax entry (with or without a symbol).
    - ``interest``: interest received.
    """

    positions: dict[str, Position]
    tracks_cash: bool
    cash: Decimal
    fees: Decimal
    taxes: Decimal
    interest: Decimal
    deposits: Decimal
    withdrawals: Decimal

    @property
    def dividends(self) -> Decimal:
        return sum((p.dividends for p in self.positions.values()), ZERO)

    @property
    def realized_gain(self) -> Decimal:
        return sum((p.realized_gain for p in self.positions.values()), ZERO)


def book(
    trades: Iterable[Trade], method: CostMethod = CostMethod.FIFO
) -> tuple[Book, list[Problem]]:
    """Replay the ledger. A problem entry is reported and skipped, so a ledger read back from
    disk still shows what can be computed; the store refuses to save such a ledger."""
    relieve = RELIEF[method]
    accounts: dict[str, _Account] = {}
    problems: list[Problem] = []
    cash = fees = taxes = interest = deposits = withdrawals = ZERO
    trades = list(trades)
    for t in sort_trades(trades):
        kind = t.type
        account = accounts.setdefault(t.symbol, _Account()) if t.symbol else None
        if kind is TradeType.BUY:
            cost = t.gross + t.fee
            account.lots.append(Lot(t.symbol, t.date, t.quantity, cost, t.id))
            account.invested += cost
            cash -= cost
        elif kind is TradeType.SELL:
            held = sum((lot.quantity for lot in account.lots), ZERO)
            if t.quantity > held:
                problems.append(_oversold(t, held))
                continue
            account.lots, relieved = relieve(account.lots, t.quantity)
            proceeds = t.gross - t.fee
            account.realized += proceeds - relieved
            cash += proceeds
        elif kind is TradeType.SPLIT:
            if not account.lots:
                problems.append(
                    Problem(
                        "symbol",
                        f"the split of {t.symbol} on {t.date.isoformat()} applies to no shares "
                        "held on that date",
                    )
                )
                continue
            account.lots = [
                replace(lot, quantity=lot.quantity * t.quantity) for lot in account.lots
            ]
        elif kind is TradeType.DIVIDEND:
            account.dividends += t.amount
            cash += t.amount
        elif kind in (TradeType.FEE, TradeType.TAX):
            if kind is TradeType.FEE:
                fees += t.amount
                if account:
                    account.fees += t.amount
            else:
                taxes += t.amount
                if account:
                    account.taxes += t.amount
            cash -= t.amount
        elif kind is TradeType.INTEREST:
            interest += t.amount
            cash += t.amount
        elif kind is TradeType.DEPOSIT:
            deposits += t.amount
            cash += t.amount
        elif kind is TradeType.WITHDRAWAL:
            withdrawals += t.amount
            cash -= t.amount
    result = Book(
        positions={sym: acc.position(sym) for sym, acc in accounts.items()},
        tracks_cash=any(t.type in CASH_FLOWS for t in trades),
        cash=cash,
        fees=fees,
        taxes=taxes,
        interest=interest,
        deposits=deposits,
        withdrawals=withdrawals,
    )
    return result, problems


def _oversold(t: Trade, held: Decimal) -> Problem:
    return Problem(
        "quantity",
        f"the sale of {t.quantity:f} {t.symbol} on {t.date.isoformat()} is more than the "
        f"{held:f} held on that date",
    )


def build_positions(
    trades: Iterable[Trade], method: CostMethod = CostMethod.FIFO
) -> tuple[dict[str, Position], list[Problem]]:
    """Positions per security, and any problems (see ``book``)."""
    result, problems = book(trades, method)
    return result.positions, problems


def ledger_problems(trades: Iterable[Trade]) -> list[Problem]:
    """Problems that make a whole ledger invalid: a sale of more than is held, a split of
    nothing held."""
    return book(trades)[1]
