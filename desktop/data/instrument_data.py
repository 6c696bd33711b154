"""An instrument's chart, read from the store: its closes and volumes, the benchmarks' closes,
and the ledger's entries of it (``core.instrument`` does the rest)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from desktop.core.instrument import InstrumentChart, instrument_chart
from desktop.core.model import DEFAULT_BENCHMARKS, benchmark_symbol, reads_adjusted
from desktop.core.periods import resolve_period
from desktop.core.price_changes import is_silent
from desktop.data.store import Store

DEFAULT_PERIOD = "YTD"


def load_instrument(
    store: Store,
    symbol: str,
    *,
    period: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    benchmarks: Sequence[str] = DEFAULT_BENCHMARKS,
    today: dt.date | None = None,
) -> InstrumentChart:
    """``symbol`` over the period called ``period`` (counted back from ``today``: the
    calendar's day), or from ``start`` to ``end``, against ``benchmarks``. Without either:
    YTD, or Max for an instrument that stopped trading before the year began (SUM: its whole
    history, not an empty year)."""
    as_of = today or dt.date.today()
    newest = _newest(store, as_of)  # the market's newest close, read once
    if period is None and start is None:  # no range asked for: YTD, or all of a silent one's
        period = DEFAULT_PERIOD
        span = store.price_span(symbol)
        year_start = dt.date(as_of.year, 1, 1)
        if span and span[1] < year_start and is_silent(span[1], newest):
            period = "Max"  # stopped trading before the year began: its whole history
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
        newest=newest,
    )


def _newest(store: Store, as_of: dt.date) -> dt.date | None:
    """The market's newest close, as of ``as_of`` (a silence is measured against it)."""
    newest = store.newest_close_date()
    return min(newest, as_of) if newest is not None else None
