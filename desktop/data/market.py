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


def update_market(
    store: Store, market: MarketData, symbols: Iterable[str], trades: list[Trade]
) -> MarketData:
    """``market`` with the closes of ``symbols`` read again (a refresh or an import wrote
    them), and the FX rates again when one of them is a rate the ledger uses; the rest is
    kept. (A benchmark's total-return closes are read again too, when it has them.)"""
    import pandas as pd

    from desktop.core.snapshot import MarketData

    changed = list(dict.fromkeys(symbols))
    held = [s for s in changed if s in market.closes.columns]  # not FX pairs, not others
    closes = _replaced(market.closes, store.closes(held)) if held else market.closes
    index_closes = market.index_closes
    if index_closes is not None:
        wanted = [s for s in changed if s in index_closes.columns]
        if wanted:
            index_closes = _replaced(index_closes, store.closes(wanted, adjusted=True))
    fx = market.fx
    codes = foreign_currencies(store, trades, market.base)
    if any(fx_symbol(code, market.base) in changed for code in codes):
        fx = store.closes([fx_symbol(c, market.base) for c in codes])
        fx.columns = pd.Index(codes)
    return MarketData(closes, market.currencies, fx, market.base, index_closes)


def _replaced(frame, fresh):
    """``frame`` with the columns of ``fresh`` taken from it (new dates joined in), in the
    same column order; a column ``frame`` lacked is added at the end."""
    if not len(fresh.columns):
        return frame
    kept = frame.drop(columns=[c for c in fresh.columns if c in frame.columns])
    joined = kept.join(fresh, how="outer")
    order = [*frame.columns, *(c for c in fresh.columns if c not in frame.columns)]
    out = joined.reindex(columns=order).dropna(how="all")
    out.columns.name, out.index.name = frame.columns.name, frame.index.name
    return out
