"""The ledger's record types: plain, immutable data with every field documented.

Money and quantities in the ledger are exact ``Decimal`` values; market prices, which come from
outside as binary floats, stay ``float`` and are converted once, where they meet the ledger.
Change a record by making a new one (``dataclasses.replace``).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)

#: Benchmarks that are always available, whatever the user holds or watches.
DEFAULT_BENCHMARKS: tuple[str, ...] = ("^RUT", "^GSPC")
BENCHMARK_NAMES: dict[str, str] = {"^RUT": "Russell 2000", "^GSPC": "S&P 500"}


class TradeType(enum.StrEnum):
    """What a ledger entry does. Only buy and sell move positions in this first slice."""

    BUY = "buy"
    SELL = "sell"


class InstrumentKind(enum.StrEnum):
    """The kind of security, as Yahoo classifies it (``unknown`` until verified)."""

    EQUITY = "equity"
    ETF = "etf"
    MUTUAL_FUND = "mutualfund"
    INDEX = "index"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Trade:
    """One entry of the ledger, as the user typed it.

    - ``id``: the store's row id; ``None`` for a trade not yet saved.
    - ``date``: the trade date (the exchange's calendar date, no time).
    - ``type``: buy or sell.
    - ``symbol``: the Yahoo symbol, upper case (``COHU``, ``WWSIX``, ``^RUT``).
    - ``quantity``: number of shares or units, always positive; the type gives the direction.
    - ``price``: price per unit in the instrument's currency, positive.
    - ``fee``: commission paid on the trade, zero or positive; part of a buy's cost basis and
      deducted from a sale's proceeds.
    - ``note``: free text, stored exactly as typed.
    """

    date: dt.date
    type: TradeType
    symbol: str
    quantity: Decimal
    price: Decimal
    fee: Decimal = ZERO
    note: str = ""
    id: int | None = None

    @property
    def amount(self) -> Decimal:
        """Quantity times price, before the fee."""
        return self.quantity * self.price


@dataclass(frozen=True, slots=True)
class Lot:
    """Shares bought together and not yet sold.

    - ``symbol``, ``date``: what was bought, and when.
    - ``quantity``: units still open in this lot.
    - ``cost``: total cost of the open units, fee included, pro rata when partly sold.
    - ``trade_id``: the buy that opened it (``None`` for trades not yet saved).
    """

    symbol: str
    date: dt.date
    quantity: Decimal
    cost: Decimal
    trade_id: int | None = None


@dataclass(frozen=True, slots=True)
class Position:
    """What is held of one instrument after a sequence of trades (no prices involved).

    - ``quantity``: units held; zero for a closed position.
    - ``cost_basis``: the cost of the open lots, fees included.
    - ``realized_gain``: proceeds less fees less the cost of relieved lots, over all sales.
    - ``lots``: the open lots, oldest first.
    """

    symbol: str
    quantity: Decimal
    cost_basis: Decimal
    realized_gain: Decimal
    lots: tuple[Lot, ...] = field(default=())

    @property
    def average_cost(self) -> Decimal | None:
        """Cost basis per unit held, or ``None`` for a closed position."""
        if self.quantity == 0:
            return None
        return self.cost_basis / self.quantity


@dataclass(frozen=True, slots=True)
class Instrument:
    """A security or index the app knows about.

    - ``symbol``: the Yahoo symbol; ``name``: its display name (may be empty until verified).
    - ``kind``: equity, ETF, mutual fund or index; ``currency``: its quote currency (ISO code).
    - ``exchange`` and ``timezone``: where it trades; empty when unknown.
    - ``verified``: whether the data source has confirmed the symbol exists.
    """

    symbol: str
    name: str = ""
    kind: InstrumentKind = InstrumentKind.UNKNOWN
    currency: str = "USD"
    exchange: str = ""
    timezone: str = ""
    verified: bool = False


@dataclass(frozen=True, slots=True)
class Problem:
    """An expected problem with user input: which field, and what is wrong, in plain words."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"
