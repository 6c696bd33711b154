"""The small-against-large frame from the store: ``core.size.size_ratio`` of the cached ^RUT
and ^GSPC closes (price closes: both are price indexes), or why it cannot be drawn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.data.store import Store

if TYPE_CHECKING:
    import pandas as pd


def size_frame(store: Store) -> tuple[pd.DataFrame | None, str]:
    """``date, ratio, excess_12m`` over every common session, or ``None`` and one line saying
    which symbol is missing and how to get it."""
    from desktop.core.size import LARGE, SMALL, size_ratio

    closes = store.closes([SMALL, LARGE])
    for symbol in (SMALL, LARGE):
        if symbol not in closes or closes[symbol].dropna().empty:
            return None, (
                f"no cached closes for {symbol}: `portfolio-desk refresh {symbol}` fetches them, "
                f"or `portfolio-desk import prices FILE --symbol {symbol}` reads a CSV"
            )
    frame = size_ratio(closes[SMALL], closes[LARGE])
    if frame.empty:
        return None, f"{SMALL} and {LARGE} have no session in common: refresh or import both"
    return frame, ""
