"""An instrument's chart, read from the store: its closes and volumes, the benchmarks' closes,
and the ledger's entries of it (``core.instrument`` does the rest)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from desktop.core.instrument import InstrumentChart, instrument_chart
from desktop.core.model import DEFAULT_BENCHMARKS, benchmark_symbol, reads_adjusted
from desktop.core.periods import resolve_period
from desktop.data.store import Store


def load_instrument(
    store: Store,
    symbol: str,
    *,
    period: str | None = "YTD",
    start: dt.date | None = None,
    end: dt.date | None = None,
    benchmarks: Sequence[str] = DEFAULT_BENCHMARKS,
    today: dt.date | None = None,
) -> InstrumentChart:
    """``symbol`` over the period called ``period`` (default YTD, counted back from ``today``:
    the calendar's day), or from ``start`` to ``end``, against ``benchmarks``."""
    as_of = today or dt.date.today()
    chosen = resolve_period(None if start else period, start=start, end=end, as_of=as_of)
    others = [b for b in dict.fromkeys(benchmarks) if b != symbol]
    closes = store.closes([symbol])[symbol]
    compared = {}
    for b in others:  # SYM:TR reads SYM's adjusted closes alone, as the performance screen
        read = store.closes([benchmark_symbol(b)], adjusted_only=reads_adjusted(b))
        compared[b] = read.iloc[:, 0]
    return instrument_chart(
        symbol,
        closes,
        chosen,
        volumes=store.volumes(symbol),
        benchmarks=compared,
        trades=store.trades([symbol]),
        newest=store.newest_close_date(),
    )
