"""What the performance engine needs from the store: closes, instrument currencies, FX rates.

FX rates are cached like any other symbol, as Yahoo's pairs (``EURUSD=X``: US dollars per euro),
and handed to the engine as one column per currency code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from desktop.core.model import Trade
from desktop.data.store import Store

if TYPE_CHECKING:
    from desktop.core.snapshot import MarketData

DEFAULT_BASE = "USD"


def base_currency(store: Store) -> str:
    return store.setting("base_currency", DEFAULT_BASE) or DEFAULT_BASE


def fx_symbol(currency: str, base: str) -> str:
    """Yahoo's symbol for the rate in ``base`` per unit of ``currency``."""
    return f"{currency}{base}=X"


def foreign_currencies(store: Store, trades: Iterable[Trade], base: str) -> list[str]:
    """Currencies other than the base that the ledger's instruments or entries are in."""
    instruments = store.instruments()
    found = []
    for t in trades:
        code = t.currency or (instruments[t.symbol].currency if t.symbol in instruments else "")
        if code and code != base:
            found.append(code)
    return sorted(set(found))


def load_market(
    store: Store, trades: list[Trade], extra: Iterable[str] = (), *, total_return: bool = False
) -> MarketData:
    """Read closes for every traded symbol plus ``extra`` (benchmarks), and the FX they need;
    with ``total_return``, the benchmarks' dividend-adjusted closes to compare with."""
    from desktop.core.snapshot import MarketData  # pandas: never on the start-up path

    base = base_currency(store)
    symbols = sorted({t.symbol for t in trades if t.symbol})
    wanted = list(dict.fromkeys([*symbols, *extra]))
    closes = store.closes(wanted)
    instruments = store.instruments()
    currencies = {s: instruments[s].currency for s in wanted if s in instruments}
    codes = foreign_currencies(store, trades, base)
    fx = store.closes([fx_symbol(c, base) for c in codes])
    fx.columns = codes
    index_closes = store.closes(list(extra), adjusted=True) if total_return else None
    return MarketData(closes, currencies, fx, base, index_closes)
