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
#: The rates the markets lens reads, fetched with the benchmarks: the 10-year Treasury yield
#: and the 13-week bill's (Yahoo quotes both in percent).
RATE_SYMBOLS: tuple[str, ...] = ("^TNX", "^IRX")
#: A benchmark named ``SYMBOL:TR`` is compared with SYMBOL's dividend-adjusted closes only (a
#: total return), not its closes: ``IWM:TR`` stands for the Russell 2000 with dividends.
ADJUSTED_SUFFIX = ":TR"
#: The benchmarks offered one click away: small-cap value managers measure themselves against
#: the Russell 2000 Value, growth managers the Growth; the S&P 500 with dividends reinvested;
#: and, as no Russell 2000 total-return index is on Yahoo, the ETFs that track the two indices,
#: their adjusted closes standing in for the indices with dividends (less the funds' fees).
BENCHMARK_CHOICES: tuple[str, ...] = (
    "^RUT",
    "^GSPC",
    "^RUJ",
    "^RUO",
    "^SP500TR",
    "IWM" + ADJUSTED_SUFFIX,
    "SPY" + ADJUSTED_SUFFIX,
)
BENCHMARK_NAMES: dict[str, str] = {
    "^RUT": "Russell 2000",
    "^GSPC": "S&P 500",
    "^RUJ": "Russell 2000 Value",
    "^RUO": "Russell 2000 Growth",
    "^SP500TR": "S&P 500 Total Return",
    "IWM" + ADJUSTED_SUFFIX: "Russell 2000 with dividends",
    "SPY" + ADJUSTED_SUFFIX: "S&P 500 with dividends",
}
#: Indices whose level includes reinvested dividends; every other "^" index is a price index.
TOTAL_RETURN_INDICES = frozenset({"^SP500TR"})


def reads_adjusted(benchmark: str) -> bool:
    """Whether a benchmark is compared with its symbol's adjusted closes (``SYM:TR``)."""
    return benchmark.endswith(ADJUSTED_SUFFIX)


def benchmark_symbol(benchmark: str) -> str:
    """The symbol whose closes a benchmark reads (and a refresh fetches): ``IWM`` for
    ``IWM:TR``."""
    return benchmark[: -len(ADJUSTED_SUFFIX)] if reads_adjusted(benchmark) else benchmark


def benchmark_kind(benchmark: str) -> str:
    """What a benchmark's closes measure: "total return", "price index", "total return proxy
    (SYM adjusted closes)" for ``SYM:TR``, or, for a security, "price" (its closes)."""
    if benchmark in TOTAL_RETURN_INDICES:
        return "total return"
    if reads_adjusted(benchmark):
        return f"total return proxy ({benchmark_symbol(benchmark)} adjusted closes)"
    return "price index" if benchmark.startswith("^") else "price"


#: The setting's value when the user unticked every benchmark (an empty one means the defaults).
NO_BENCHMARKS = "none"


def parse_benchmarks(text: str | None) -> tuple[str, ...]:
    """The benchmarks a setting lists (comma-separated); none for ``NO_BENCHMARKS``; the
    defaults when it is not set."""
    if text == NO_BENCHMARKS:
        return ()
    chosen = tuple(dict.fromkeys(s.strip() for s in (text or "").split(",") if s.strip()))
    return chosen or DEFAULT_BENCHMARKS


class TradeType(enum.StrEnum):
    """What a ledger entry does.

    - ``buy``/``sell``: ``quantity`` units of ``symbol`` at ``price``, plus ``fee``.
    - ``dividend``: ``amount`` of cash received from ``symbol`` (the total, not per share).
    - ``split``: ``quantity`` new shares for every ``price`` old shares of ``symbol`` (``price``
      0 or 1: per old share), so that 2 for 1, 1 for 10 and 1 for 3 are each exact.
    - ``fee``, ``tax``: ``amount`` paid; ``symbol`` optional (a tax on a dividend names its
      security).
    - ``deposit``, ``withdrawal``: cash in and out of the portfolio (its external flows).
    - ``interest``: cash earned on the cash balance.
    """

    BUY = "buy"
    SELL = "sell"
    DIVIDEND = "dividend"
    SPLIT = "split"
    FEE = "fee"
    TAX = "tax"
    DEPOSIT = "deposit"
    WITHDRAWAL = "withdrawal"
    INTEREST = "interest"


#: Types that trade units of a security at a price.
SECURITY_TRADES = frozenset({TradeType.BUY, TradeType.SELL})
#: Types whose money is in ``amount``.
AMOUNT_TYPES = frozenset(
    {
        TradeType.DIVIDEND,
        TradeType.FEE,
        TradeType.TAX,
        TradeType.DEPOSIT,
        TradeType.WITHDRAWAL,
        TradeType.INTEREST,
    }
)
#: Types that must name a security, and those that must not.
NEEDS_SYMBOL = frozenset({TradeType.BUY, TradeType.SELL, TradeType.DIVIDEND, TradeType.SPLIT})
NO_SYMBOL = frozenset({TradeType.DEPOSIT, TradeType.WITHDRAWAL, TradeType.INTEREST})
#: Cash moving across the portfolio's boundary when it tracks cash.
CASH_FLOWS = frozenset({TradeType.DEPOSIT, TradeType.WITHDRAWAL})


class CostMethod(enum.StrEnum):
    """How a sale relieves lots: the oldest first, or at the average cost of all of them."""

    FIFO = "fifo"
    AVERAGE = "average"


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
    - ``type``: what the entry does (see ``TradeType``).
    - ``symbol``: the Yahoo symbol, upper case (``COHU``, ``WWSIX``, ``^RUT``); ``""`` for cash
      entries that name no security.
    - ``quantity``: units bought or sold (positive; the type gives the direction), or for a split
      the new shares per old share; 0 where it does not apply.
    - ``price``: price per unit in the trade's currency; 0 where it does not apply.
    - ``fee``: commission on a buy or sale, zero or positive; part of a buy's cost basis and
      deducted from a sale's proceeds.
    - ``amount``: the cash of a dividend, fee, tax, deposit, withdrawal or interest entry.
    - ``currency``: the currency the money is in; ``""`` means the instrument's (or for cash
      entries the portfolio's base) currency.
    - ``note``: free text, stored exactly as typed.
    """

    date: dt.date
    type: TradeType
    symbol: str
    quantity: Decimal = ZERO
    price: Decimal = ZERO
    fee: Decimal = ZERO
    note: str = ""
    id: int | None = None
    amount: Decimal = ZERO
    currency: str = ""

    @property
    def gross(self) -> Decimal:
        """Quantity times price, before the fee (buys and sales)."""
        return self.quantity * self.price

    @property
    def split_ratio(self) -> Decimal:
        """A split's new shares per old one (to the 28 digits of Decimal: 1 for 3 is
        0.3333...; ``split_apply`` multiplies exactly)."""
        return self.quantity / self.price if self.price else self.quantity

    def split_apply(self, shares: Decimal) -> Decimal:
        """``shares`` held before this split, after it: times new, divided by old, so that
        300 shares at 1 for 3 are exactly 100 (not 99.9999999999...)."""
        return shares * self.quantity / self.price if self.price else shares * self.quantity


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
    """What is held of one instrument after a sequence of entries (no prices involved).

    - ``quantity``: units held, in shares after every split so far; zero for a closed position.
    - ``cost_basis``: the cost of the open lots, buy fees included (splits leave it unchanged).
    - ``realized_gain``: over all sales, proceeds less sale fees less the cost of relieved lots.
    - ``dividends``: cash dividends received.
    - ``fees``, ``taxes``: standalone fee and tax entries naming this security (not buy or sale
      fees, which are in the cost basis and the realized gain).
    - ``invested``: the cost of everything bought, fees included.
    - ``lots``: the open lots, oldest first.
    """

    symbol: str
    quantity: Decimal
    cost_basis: Decimal
    realized_gain: Decimal
    lots: tuple[Lot, ...] = field(default=())
    dividends: Decimal = ZERO
    fees: Decimal = ZERO
    taxes: Decimal = ZERO
    invested: Decimal = ZERO

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
