"""Refresh planning for 500 symbols, and reading 50 symbols x 10 years of closes from the store.

Builds a temporary database of synthetic daily rows (written in bulk, one ``upsert_prices`` per
symbol, as an import or a first fetch writes them), then times:

(a) ``plan_refresh`` over 500 symbols in mixed cache states (nothing cached, about a year stale,
    a few sessions stale, up to date): how many requests it makes, for which windows, and how
    long planning takes;
(b) ``Store.closes`` reading 50 symbols x 10 years of daily closes into the engine's DataFrame.

    python benchmarks/refresh_plan.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from desktop.data.refresh import last_completed_session, plan_refresh
from desktop.data.store import Store

#: Friday 13 March 2026, after the close: the last completed session is that day.
NOW = dt.datetime(2026, 3, 13, 18, 0, tzinfo=ZoneInfo("America/New_York"))
#: Cache state -> how many of the 500 symbols are in it.
STATES = {"empty": 50, "year_stale": 150, "days_stale": 100, "current": 150, "current_10y": 50}


def sessions(first: dt.date, last: dt.date) -> list[dt.date]:
    return [d.date() for d in pd.bdate_range(first, last)]


def build(store: Store, seed: int = 7) -> tuple[dict[str, str], int, float]:
    """Fill ``store``; return symbol -> cache state, rows written and seconds taken."""
    rng = np.random.default_rng(seed)
    end = last_completed_session(NOW)
    states: dict[str, str] = {}
    written, started = 0, time.perf_counter()
    for state, count in STATES.items():
        for _ in range(count):
            symbol = f"S{len(states):03d}"
            states[symbol] = state
            if state == "empty":
                store.ensure_instrument(symbol)
                continue
            years = 10 if state == "current_10y" else 2
            last = end
            if state == "year_stale":
                last = end - dt.timedelta(days=int(rng.integers(358, 373)))
            elif state == "days_stale":
                last = end - dt.timedelta(days=int(rng.integers(1, 6)))
            days = sessions(last - dt.timedelta(days=365 * years), last)
            closes = 20 * np.exp(np.cumsum(rng.normal(0.0003, 0.02, len(days))))
            rows = [
                {"date": d, "close": float(c), "adj_close": float(c) * 0.98, "volume": 1000}
                for d, c in zip(days, closes, strict=True)
            ]
            written += store.upsert_prices(symbol, rows, "csv")
    return states, written, time.perf_counter() - started


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median milliseconds of ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.sqlite") as store:
        states, written, seconds = build(store)
        print(f"store: {len(states)} symbols, {written:,} rows written in {seconds:.1f} s")
        print("cache states: " + ", ".join(f"{s} {n}" for s, n in STATES.items()))

        symbols = list(states)
        ms, plan = timed(lambda: plan_refresh(store, symbols, NOW), args.repeat)
        print(f"\n(a) plan_refresh, 500 symbols: {ms:.1f} ms (median of {args.repeat})")
        print(f"    {len(plan)} requests; {len(symbols) - len(plan)} symbols left out")
        by_state = collections.Counter(states[r.symbol] for r in plan)
        print("    requests by cache state: " + ", ".join(f"{s} {n}" for s, n in by_state.items()))
        reach = collections.Counter(
            "whole history"
            if r.start is None
            else "about a year"
            if (r.end - r.start).days > 300
            else "the last weeks"
            for r in plan
        )
        print("    requests by reach: " + ", ".join(f"{s} {n}" for s, n in reach.items()))
        windows = collections.Counter((r.start, r.end) for r in plan)
        print("    windows (start -> end: requests):")
        for (start, end), count in sorted(windows.items(), key=lambda w: w[0][0] or dt.date.min):
            first = start.isoformat() if start else "whole history"
            print(f"      {first:>13} -> {end.isoformat()}: {count}")

        ten_years = [s for s, state in states.items() if state == "current_10y"]
        ms, frame = timed(lambda: store.closes(ten_years), args.repeat)
        print(f"\n(b) Store.closes, {len(ten_years)} symbols x 10 years: {ms:.1f} ms")
        print(
            f"    frame {frame.shape[0]:,} dates x {frame.shape[1]} symbols, {frame.size:,} cells"
        )
        ms, _ = timed(lambda: store.closes(ten_years, adjusted=True), args.repeat)
        print(f"    adjusted=True: {ms:.1f} ms")


if __name__ == "__main__":
    main()
