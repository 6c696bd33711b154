"""A row of the watchlist: what the window reads from the store for each symbol followed (no
Qt, so the window has it before the Watchlist tab is built)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WatchRow:
    symbol: str
    name: str
    benchmark: bool
    last_close: float | None
    close_date: dt.date | None
    day_change: float | None  # fraction, from the previous cached close
    problem: str | None = None  # why the symbol's last fetch failed, in plain words
    #: The price change over 1M, YTD and 1Y (``core.price_changes``), fractions or None.
    month_change: float | None = None
    ytd_change: float | None = None
    year_change: float | None = None
