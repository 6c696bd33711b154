"""The window and the report on large portfolios, each figure a ratio measured in one run.

A generator builds a portfolio through the store, as a user's would be: N instruments with 30
years of daily closes (a random walk from a fixed seed, listings starting at different times),
^RUT and ^GSPC, and M trades (buys, and sales of part of what is held). Sizes:

- ``large``: 300 instruments x 30 years x 10,000 trades;
- ``trades``: 300 instruments x 30 years x 100,000 trades;
- ``instruments``: 1,000 instruments x 30 years x 10,000 trades;
- ``small``: 3 instruments x 3 years x 30 trades (a sanity check).

Then, for the size asked:

1. cold start, launch to a painted window with holdings (``--smoke-test``), against a bare
   PySide6 window that paints (``bare_window.py``): fresh processes launched in turn, to the
   paint each prints the time of, the median of the per-run ratios (``launch_timing``);
2. in one process with real worker threads: launch to chart drawn, one trade added to every
   view updated (the holdings, the strip, the chart), and the longest event-loop stall while it
   recomputes (a 1 ms timer's longest gap), and the window's peak RSS;
3. ``report --json``: wall time against ``python -c "import pandas"``, and its peak RSS;
4. a full recompute from the store (SQLite read included: ``load_snapshot`` and the period's
   figures) against one numpy pass over the same price matrix (quantity x price, per day).

    python benchmarks/large_portfolio.py [--size large] [--runs 3] [--folder DIR]

Databases are built once and kept in ``--folder`` (default: ``~/.cache/portfolio-desk-bench``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from launch_timing import in_turn, ratio  # noqa: E402

SIZES = {
    "small": (3, 3, 30),
    "large": (300, 30, 10_000),
    "trades": (300, 30, 100_000),
    "instruments": (1_000, 30, 10_000),
}


# -- the generator ----------------------------------------------------------------------------
def build(path: Path, instruments: int, years: int, trades: int, seed: int = 7) -> None:
    import numpy as np
    import pandas as pd

    from desktop.core.model import Trade, TradeType
    from desktop.data.store import Store

    rng = np.random.default_rng(seed)
    end = dt.date(2026, 11, 27)
    dates = pd.bdate_range(end=end, periods=years * 252)
    days = [d.date() for d in dates]
    symbols = [f"S{i:04d}" for i in range(instruments)]
    starts = rng.integers(0, len(days) // 2, instruments)
    store = Store(path)
    for j, symbol in enumerate([*symbols, "^RUT", "^GSPC"]):
        steps = rng.normal(0.0003, 0.02, len(days))
        prices = 20 * np.exp(np.cumsum(steps))
        first = int(starts[j]) if j < instruments else 0
        rows = [
            {"date": days[i], "close": float(prices[i]), "adj_close": float(prices[i])}
            for i in range(first, len(days))
        ]
        store.replace_prices(symbol, rows, "csv")
    held = dict.fromkeys(symbols, 0)
    entries = []
    for k in range(trades):
        day_index = int(len(days) // 2 + k * (len(days) // 2 - 1) // trades)
        symbol = symbols[int(rng.integers(instruments))]
        listed = starts[symbols.index(symbol)]
        day_index = max(day_index, int(listed))
        price = Decimal(f"{20 + float(rng.uniform(0, 80)):.2f}")
        if held[symbol] > 10 and rng.random() < 0.35:
            quantity = int(rng.integers(1, held[symbol] // 2))
            held[symbol] -= quantity
            kind = TradeType.SELL
        else:
            quantity = int(rng.integers(1, 100))
            held[symbol] += quantity
            kind = TradeType.BUY
        entries.append(Trade(days[day_index], kind, symbol, Decimal(quantity), price, Decimal("1")))
    saved, problems = store.add_trades(entries)
    assert not problems, problems[:3]
    store.close()


# -- measurements -----------------------------------------------------------------------------
def run_child(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and stdout of a fresh process."""
    started = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = child.stdout.read().decode() if child.stdout else ""
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode:
        raise RuntimeError(f"{cmd} exited {child.returncode}")
    return wall, usage.ru_maxrss / 1024, out


def median_of(runs: int, cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    results = [run_child(cmd, env) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def window_timings(db: Path) -> dict[str, float]:
    """In this process, offscreen, with real worker threads (see the module docstring)."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.core.model import Trade, TradeType
    from desktop.data.store import Store
    from desktop.ui.main_window import MainWindow
    from desktop.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    started = time.perf_counter()
    store = Store(db)
    window = MainWindow(store, TaskRunner(), fetch_factors=False)
    window.show()
    app.processEvents()

    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def tick() -> None:
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e6)
        last[0] = now

    ticker = QTimer()
    ticker.setInterval(1)
    ticker.timeout.connect(tick)

    def wait_for(condition, limit: float = 600.0) -> None:
        deadline = time.perf_counter() + limit
        while not condition():
            app.processEvents()
            time.sleep(0.0005)
            if time.perf_counter() > deadline:
                raise TimeoutError("the window did not get there")

    window.start_background(refresh=False)
    wait_for(lambda: window.performance is not None and window.chart is not None)
    chart_drawn = time.perf_counter() - started
    # The other ranges are computed in the background meanwhile: the longest stall while
    # they are, then a range button's redraw (computed already) to the chart updated.
    from desktop.ui.chart import RANGES

    perf = window.performance
    gaps.clear()
    last[0] = clock.nsecsElapsed()
    ticker.start()
    t0 = time.perf_counter()
    wait_for(lambda: all(perf.prepared(name) for name in RANGES))
    ranges_s = time.perf_counter() - t0
    ticker.stop()
    ranges_stall = max(gaps, default=0.0)
    # Let the window paint what it just got (the chart's first paint, ~20 ms at this size)
    # before the edit, as a user's edit would come: else that paint is counted as the edit's.
    settle = time.perf_counter() + 0.5
    while time.perf_counter() < settle:
        app.processEvents()
        time.sleep(0.001)
    clicks = []
    for name in ("Max", "1Y", "3Y", "1M", "1Y"):
        t0 = time.perf_counter()
        window.chart.range_button(name).click()
        app.processEvents()  # the paint it asks for
        clicks.append((time.perf_counter() - t0) * 1000)
    trades = store.trades()
    symbol = trades[-1].symbol
    day = trades[-1].date
    before = window.performance
    gaps.clear()
    last[0] = clock.nsecsElapsed()
    ticker.start()
    t0 = time.perf_counter()
    problems = window.editor.add_trade(
        Trade(day, TradeType.BUY, symbol, Decimal("1"), Decimal("10"), Decimal("0"))
    )
    assert problems == [], problems
    edit_returned = time.perf_counter() - t0
    wait_for(lambda: window.performance is not before)
    updated = time.perf_counter() - t0
    ticker.stop()
    stall = max(gaps, default=0.0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    measured = window.performance
    window.undo_stack.undo()  # the database is kept for the next run: as it was built
    wait_for(lambda: window.performance is not measured)
    window.close()
    store.close()
    return {
        "launch_to_chart_s": chart_drawn,
        "edit_returns_ms": edit_returned * 1000,
        "edit_to_all_views_ms": updated * 1000,
        "longest_stall_ms": max(stall, edit_returned * 1000),
        "window_peak_rss_mb": rss,
        "ranges_background_s": ranges_s,
        "ranges_longest_stall_ms": ranges_stall,
        "range_click_ms": statistics.median(clicks),
    }


def recompute(db: Path, repeat: int = 3) -> tuple[float, float]:
    """Seconds of ``load_snapshot`` + figures, and of one numpy pass over the same matrix."""
    import numpy as np

    from desktop.data.report import load_snapshot
    from desktop.data.store import Store

    def full() -> None:
        with Store(db) as store:
            snapshot = load_snapshot(store)
            assert snapshot.summary is not None
            _ = snapshot.holdings, snapshot.comparisons

    with Store(db) as store:
        symbols = sorted({t.symbol for t in store.trades()})
        prices = store.closes(symbols).to_numpy()
    quantities = np.random.default_rng(1).integers(0, 100, prices.shape).astype(float)

    def numpy_pass() -> None:
        np.nansum(quantities * prices, axis=1)

    def timed(fn) -> float:
        out = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
        return statistics.median(out)

    return timed(full), timed(numpy_pass)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=list(SIZES), default="large")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=Path.home() / ".cache/portfolio-desk-bench")
    parser.add_argument("--window-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    instruments, years, trades = SIZES[args.size]
    args.folder.mkdir(parents=True, exist_ok=True)
    db = args.folder / f"{args.size}.sqlite"
    if args.window_only:  # a child: the window's own measurements, as JSON
        print(json.dumps(window_timings(db)))
        return
    if not db.exists():
        started = time.perf_counter()
        build(db.with_suffix(".partial"), instruments, years, trades)
        db.with_suffix(".partial").rename(db)
        print(f"built {db} in {time.perf_counter() - started:.0f} s")
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(HERE.parent / "desktop")], check=True
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"{args.size}: {instruments:,} instruments x {years} years x {trades:,} trades")

    app = [sys.executable, "-m", "desktop", "--smoke-test", "--db", str(db)]
    bare = [sys.executable, str(HERE / "bare_window.py")]
    times = in_turn(max(args.runs, 7), {"bare": bare, "app": app}, env)
    print(
        f"1. cold start, launch to holdings painted: {statistics.median(times['app']):.0f} ms; "
        f"bare window painted {statistics.median(times['bare']):.0f} ms: "
        f"{ratio(times, 'app', 'bare'):.2f}x (median of per-run ratios, launched in turn)"
    )

    child = run_child(
        [
            sys.executable,
            __file__,
            "--size",
            args.size,
            "--folder",
            str(args.folder),
            "--window-only",
        ],
        env,
    )
    w = json.loads(child[2].strip().splitlines()[-1])
    print(
        f"2. launch to chart drawn {w['launch_to_chart_s']:.2f} s; add one trade: the edit "
        f"returns in {w['edit_returns_ms']:.0f} ms, every view updated in "
        f"{w['edit_to_all_views_ms']:.0f} ms; longest event-loop stall "
        f"{w['longest_stall_ms']:.0f} ms; window peak RSS {w['window_peak_rss_mb']:.0f} MB"
    )

    print(
        f"   every range computed in the background (from a second after) in "
        f"{w['ranges_background_s']:.2f} s, "
        f"longest stall meanwhile {w['ranges_longest_stall_ms']:.0f} ms; a range button to "
        f"the chart redrawn {w['range_click_ms']:.0f} ms (median of 5)"
    )

    report = [sys.executable, "-m", "desktop", "report", "--json", "--db", str(db)]
    pandas = [sys.executable, "-c", "import pandas"]
    report_s, report_rss = median_of(args.runs, report, env)
    pandas_s, _ = median_of(args.runs, pandas, env)
    print(
        f"3. report --json {report_s:.2f} s; import pandas {pandas_s:.2f} s: "
        f"{report_s / pandas_s:.1f}x; report peak RSS {report_rss:.0f} MB"
    )

    full_s, numpy_s = recompute(db, args.runs)
    print(
        f"4. full recompute from the store {full_s * 1000:.0f} ms; one numpy pass "
        f"{numpy_s * 1000:.1f} ms: {full_s / numpy_s:.0f}x"
    )


if __name__ == "__main__":
    main()
