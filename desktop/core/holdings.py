"""Booking: replaying the ledger into positions, lots, realized gains, income and cash.

Exact ``Decimal`` arithmetic; no prices involved (``valuation`` adds those). Lots are relieved by
the portfolio's cost method (FIFO by default, or average cost) by ``_Lots``, whose running
totals keep booking linear in the number of entries. Expected problems (a sale of more than is
held, a split of something never held) are reported with the entry, in words, not raised.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable
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
DAY_ORDER = {
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
    return sorted(trades, key=lambda t: (t.date, DAY_ORDER[t.type], t.id or 0))


#: Decimal places a split leaves in a lot's quantity (far below any real fraction of a share).
SPLIT_PLACES = Decimal("1e-12")


class _Lots:
    """A security's open lots, oldest first, with running totals, so that booking a sale costs
    only the lots it closes: O(n) for a ledger of n entries, where rescanning every open lot on
    every sale grew with the square of it.

    Units always leave the oldest lots first, so quantities stay exact. What a sale relieves
    depends on the cost method:

    - FIFO: the cost of the units taken, lot by lot (a partly sold lot keeps the rest of its
      cost pro rata);
    - average: the units' share of the pooled cost. Lots bought before the last sale are pooled:
      they share the pool's cost by their units (worked out when the position is read, the
      last pooled lot taking what rounding leaves); lots bought since keep their own cost until
      the next sale pools them too.
    """

    def __init__(self, method: CostMethod) -> None:
        self.average = method is CostMethod.AVERAGE
        self.open: deque[Lot] = deque()
        self.units = ZERO  #: units held
        self.cost = ZERO  #: cost of the units held
        self.pooled = 0  #: average cost: how many of the oldest lots are in the pool
        self.pool_cost = ZERO  #: average cost: the pooled lots' cost
        self.unpooled_cost = ZERO  #: average cost: the cost of the lots bought since the pool

    def buy(self, lot: Lot) -> None:
        self.open.append(lot)
        self.units += lot.quantity
        self.cost += lot.cost
        self.unpooled_cost += lot.cost

    def relieve(self, quantity: Decimal) -> Decimal:
        """Take ``quantity`` units (at most ``units``) out; return their cost."""
        if self.average:
            relieved = self._relieve_average(quantity)
        else:
            relieved = self._take_oldest(quantity)
        self.units -= quantity
        self.cost -= relieved
        if self.units == 0:
            self.cost = ZERO  # nothing held costs nothing, whatever rounding left
        return relieved

    def split(self, split: Trade) -> None:
        """Every open lot through ``split`` (times its new shares, divided by its old: 300 at
        1 for 3 are exactly 100). A result with no exact decimal is rounded to
        ``SPLIT_PLACES``, so lots of 1 and 5 shares become 0.333333333333 and 1.666666666667,
        which add up to the 2 a user sees and sells."""
        self.open = deque(
            replace(
                lot, quantity=split.split_apply(lot.quantity).quantize(SPLIT_PLACES).normalize()
            )
            for lot in self.open
        )
        self.units = sum((lot.quantity for lot in self.open), ZERO)

    def lots(self) -> tuple[Lot, ...]:
        """The open lots as they stand, each with its cost (pooled ones' shares worked out)."""
        if not self.pooled:
            return tuple(self.open)
        pooled = list(self.open)[: self.pooled]
        units = sum((lot.quantity for lot in pooled), ZERO)
        shares, assigned = [], ZERO
        for i, lot in enumerate(pooled):
            if i == len(pooled) - 1:
                share = self.pool_cost - assigned
            else:
                share = self.pool_cost * lot.quantity / units
            assigned += share
            shares.append(replace(lot, cost=share))
        return (*shares, *list(self.open)[self.pooled :])

    def _take_oldest(self, quantity: Decimal) -> Decimal:
        remaining, relieved = quantity, ZERO
        while remaining > 0 and self.open:
            lot = self.open[0]
            if lot.quantity <= remaining:
                self.open.popleft()
                relieved += lot.cost
                remaining -= lot.quantity
            else:
                # Units by exact subtraction; only the cost is apportioned.
                part_cost = lot.cost * remaining / lot.quantity
                relieved += part_cost
                self.open[0] = replace(
                    lot, quantity=lot.quantity - remaining, cost=lot.cost - part_cost
                )
                remaining = ZERO
        return relieved

    def _relieve_average(self, quantity: Decimal) -> Decimal:
        # Every lot bought since the last sale joins the pool.
        self.pool_cost += self.unpooled_cost
        self.unpooled_cost = ZERO
        if quantity == self.units:
            relieved = self.pool_cost
        else:
            relieved = self.pool_cost * quantity / self.units
        self.pool_cost -= relieved
        remaining = quantity
        while remaining > 0 and self.open:  # units leave the oldest lots first; costs pooled
            lot = self.open[0]
            if lot.quantity <= remaining:
                self.open.popleft()
                remaining -= lot.quantity
            else:
                self.open[0] = replace(lot, quantity=lot.quantity - remaining)
                remaining = ZERO
        self.pooled = len(self.open)
        if not self.open:
            self.pool_cost = ZERO
        return relieved


@dataclass
class _Account:
    lots: _Lots
    realized: Decimal = ZERO
    dividends: Decimal = ZERO
    fees: Decimal = ZERO
    taxes: Decimal = ZERO
    invested: Decimal = ZERO

    def position(self, symbol: str) -> Position:
        lots = self.lots.lots()
        return Position(
            symbol=symbol,
            quantity=self.lots.units,
            cost_basis=sum((lot.cost for lot in lots), ZERO),
            realized_gain=self.realized,
            lots=lots,
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
    - ``cash_by_symbol``: what each security's entries moved in cash, and under ``""`` the
      entries naming none; they add up to ``cash`` (each entry's cash does not depend on
      another's), so a book of one security's entries gives its share.
    """

    positions: dict[str, Position]
    tracks_cash: bool
    cash: Decimal
    fees: Decimal
    taxes: Decimal
    interest: Decimal
    deposits: Decimal
    withdrawals: Decimal
    cash_by_symbol: dict[str, Decimal] = field(default_factory=dict)

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
    accounts: dict[str, _Account] = {}
    problems: list[Problem] = []
    cash = fees = taxes = interest = deposits = withdrawals = ZERO
    trades = list(trades)
    moved: dict[str, Decimal] = {}
    first_buy: dict[str, dt.date] = {}
    for t in trades:
        if t.type is TradeType.BUY and t.date < first_buy.get(t.symbol, dt.date.max):
            first_buy[t.symbol] = t.date
    for t in sort_trades(trades):
        kind = t.type
        before = cash
        account = None
        if t.symbol:
            account = accounts.get(t.symbol)
            if account is None:
                account = accounts[t.symbol] = _Account(_Lots(method))
        if kind is TradeType.BUY:
            cost = t.gross + t.fee
            account.lots.buy(Lot(t.symbol, t.date, t.quantity, cost, t.id))
            account.invested += cost
            cash -= cost
        elif kind is TradeType.SELL:
            held = account.lots.units
            if t.quantity > held:
                problems.append(_oversold(t, held))
                continue
            relieved = account.lots.relieve(t.quantity)
            proceeds = t.gross - t.fee
            account.realized += proceeds - relieved
            cash += proceeds
        elif kind is TradeType.SPLIT:
            if not account.lots.open:
                problems.append(
                    Problem(
                        "symbol",
                        f"the split of {t.symbol} on {t.date.isoformat()} applies to no shares "
                        "held on that date",
                    )
                )
                continue
            account.lots.split(t)
        elif kind is TradeType.DIVIDEND:
            if t.date < first_buy.get(t.symbol, dt.date.max):
                problems.append(_unheld_dividend(t))
                continue
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
        if cash != before:
            moved[t.symbol] = moved.get(t.symbol, ZERO) + (cash - before)
    result = Book(
        positions={sym: acc.position(sym) for sym, acc in accounts.items()},
        tracks_cash=any(t.type in CASH_FLOWS for t in trades),
        cash=cash,
        fees=fees,
        taxes=taxes,
        interest=interest,
        deposits=deposits,
        withdrawals=withdrawals,
        cash_by_symbol=moved,
    )
    return result, problems


def combine(books: Iterable[Book]) -> Book:
    """One book of the entries of several, the entries of each naming securities no other
    names (a security's entries, the entries naming none): positions side by side, money
    summed. Booking each group apart and combining gives what booking them together does."""
    books = list(books)
    positions: dict[str, Position] = {}
    cash_by_symbol: dict[str, Decimal] = {}
    for b in books:
        positions.update(b.positions)
        for symbol, moved in b.cash_by_symbol.items():
            cash_by_symbol[symbol] = cash_by_symbol.get(symbol, ZERO) + moved

    def total(name: str) -> Decimal:
        return sum((getattr(b, name) for b in books), ZERO)

    return Book(
        positions=positions,
        tracks_cash=any(b.tracks_cash for b in books),
        cash=total("cash"),
        fees=total("fees"),
        taxes=total("taxes"),
        interest=total("interest"),
        deposits=total("deposits"),
        withdrawals=total("withdrawals"),
        cash_by_symbol=cash_by_symbol,
    )


def _unheld_dividend(t: Trade) -> Problem:
    return Problem(
        "symbol",
        f"the dividend of {t.symbol} on {t.date.isoformat()} comes before any purchase of "
        f"{t.symbol}: record the buy first (or check the symbol)",
    )


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
    nothing held, a dividend of a security before any purchase of it."""
    return book(trades)[1]
