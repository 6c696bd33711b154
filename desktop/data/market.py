"""What the performance engine needs from the store: closes, instrument currencies, FX rates.

FX rates are cached like any other symbol, as Yahoo's pairs (``EURUSD=X``: US dollars per euro),
and handed to the engine as one column per currency code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from desktop.core.model import Trade, benchmark_symbol, reads_adjusted
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
    extra = list(extra)
    wanted = list(dict.fromkeys([*symbols, *(b for b in extra if not reads_adjusted(b))]))
    closes = _with_adjusted(store.closes(wanted), store, [b for b in extra if reads_adjusted(b)])
    instruments = store.instruments()
    currencies = {s: instruments[s].currency for s in wanted if s in instruments}
    codes = foreign_currencies(store, trades, base)
    fx = store.closes([fx_symbol(c, base) for c in codes])
    fx.columns = codes
    index_closes = None
    if total_return:
        plain = [b for b in extra if not reads_adjusted(b)]
        adjusted = [b for b in extra if reads_adjusted(b)]
        index_closes = _with_adjusted(store.closes(plain, adjusted=True), store, adjusted)
    return MarketData(closes, currencies, fx, base, index_closes)


def _with_adjusted(frame, store: Store, benchmarks: list[str]):
    """``frame`` with a column per ``SYM:TR`` benchmark: SYM's adjusted closes alone."""
    import pandas as pd

    if not benchmarks:
        return frame
    adjusted = store.closes([benchmark_symbol(b) for b in benchmarks], adjusted_only=True)
    adjusted.columns = pd.Index(benchmarks, name=frame.columns.name)
    return _replaced(frame, adjusted)


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
    closes = _with_adjusted(closes, store, _proxies_of(market.closes.columns, changed))
    index_closes = market.index_closes
    if index_closes is not None:
        wanted = [s for s in changed if s in index_closes.columns]
        if wanted:
            index_closes = _replaced(index_closes, store.closes(wanted, adjusted=True))
        index_closes = _with_adjusted(
            index_closes, store, _proxies_of(index_closes.columns, changed)
        )
    fx = market.fx
    codes = foreign_currencies(store, trades, market.base)
    if any(fx_symbol(code, market.base) in changed for code in codes):
        fx = store.closes([fx_symbol(c, market.base) for c in codes])
        fx.columns = pd.Index(codes)
    return MarketData(closes, market.currencies, fx, market.base, index_closes)


def _proxies_of(columns, changed: list[str]) -> list[str]:
    """The ``SYM:TR`` benchmarks among ``columns`` whose symbol is in ``changed``."""
    return [c for c in columns if reads_adjusted(c) and benchmark_symbol(c) in changed]


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
