"""Each holding's quality card, read from the store: its fundamentals snapshot as last fetched
and its liquidity from the cached closes and volumes (``core.quality`` does the rest). Never
fetches. The window's card and ``report --json --factors``'s ``quality`` both come from here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from desktop.core.model import InstrumentKind
from desktop.core.quality import LIQUIDITY_MONTHS, Liquidity, QualityFigure, liquidity, quality_card
from desktop.data.store import Store

_NOT_COMPANIES = {
    InstrumentKind.ETF: "an ETF",
    InstrumentKind.MUTUAL_FUND: "a mutual fund",
    InstrumentKind.INDEX: "an index",
}


@dataclass(frozen=True)
class HoldingQuality:
    """One holding's card: its ``figures`` (``quality_card``), the ``liquidity`` they were
    given (``None`` when not computed: no snapshot), and a ``note`` saying why figures are
    missing ("" when nothing needs saying)."""

    symbol: str
    figures: list[QualityFigure]
    liquidity: Liquidity | None
    note: str = ""


def store_liquidity(store: Store, symbol: str) -> Liquidity:
    """``symbol``'s liquidity from its cached closes and volumes (only the last months read)."""
    span = store.price_span(symbol)
    if span is None:
        return Liquidity(None, why="no closes cached")
    # A margin over the window: core.quality decides which sessions are in it.
    start = span[1] - dt.timedelta(days=31 * (LIQUIDITY_MONTHS + 1))
    closes = store.closes([symbol], start)[symbol]
    return liquidity(closes, store.volumes(symbol, start))


def holding_quality(
    store: Store,
    symbols: Iterable[str],
    *,
    currencies: Mapping[str, str] | None = None,
) -> dict[str, HoldingQuality]:
    """The card of each of ``symbols`` (in order). ``currencies``: each one's price currency
    (default: the instrument's), for its liquidity.

    A fund, an ETF or an index has no company figures (``None``) and a note saying it is not
    a company; an equity without a snapshot gets ``None`` and a note to refresh. The
    liquidity of each comes from its closes and volumes alone."""
    snapshots = store.fundamentals()
    instruments = store.instruments()
    out = {}
    for symbol in dict.fromkeys(symbols):
        instrument = instruments.get(symbol)
        kind = instrument.kind if instrument is not None else InstrumentKind.UNKNOWN
        currency = (currencies or {}).get(symbol) or (instrument.currency if instrument else "")
        snapshot = snapshots.get(symbol)
        liquid = store_liquidity(store, symbol)
        if snapshot is None:
            if kind in _NOT_COMPANIES:
                note = (
                    f"{symbol} is {_NOT_COMPANIES[kind]}, not a company: "
                    "the quality figures do not apply"
                )
            else:
                note = (
                    f"no fundamentals fetched for {symbol} yet: `portfolio-desk refresh` "
                    "fetches those of held equities"
                )
            card = quality_card(None, liquid, price_currency=currency)
            out[symbol] = HoldingQuality(symbol, card, liquid, note)
            continue
        figures = quality_card(snapshot, liquid, price_currency=currency)
        note = f"liquidity unknown: {liquid.why}" if liquid.value is None else ""
        out[symbol] = HoldingQuality(symbol, figures, liquid, note)
    return out
