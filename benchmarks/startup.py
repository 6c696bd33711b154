"""Cold start: launch to painted window with holdings, against a bare PySide6 window.

Each run launches, in turn, a bare PySide6 window that paints (``bare_window.py``), a table
window written the usual way (``table_window.py``: a Python model, so the ``Qt`` namespace;
item views, sqlite3), the least such a window that paints the store's holdings loads
(``holdings_window.py``: that, plus the store, the domain model and the holdings model; the
app paints its first frame without the namespace, so it can start below both) and the app
(``--smoke-test``) on a copy of the demo database (3 holdings, ^RUT, ^GSPC) and on a real
portfolio (``launch_timing.real_portfolio``: the real prices of ``../shared/data``, 54,000
closes, and 97 trades over 20 years), each a fresh process timed from launch to its first
paint (``launch_timing``). The ratios are taken per run, so all five see the same machine,
and their medians are reported: this machine's speed drifts by a third from minute to
minute, more than the gaps measured.

    python benchmarks/startup.py [--runs 21]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from launch_timing import demo_environment, in_turn, launch, ratio, real_portfolio

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    with demo_environment() as (env, db):
        app_cmd = [sys.executable, "-m", "desktop", "--smoke-test", "--db", str(db)]
        real = real_portfolio(env, db.parent)
        real_cmd = [sys.executable, "-m", "desktop", "--smoke-test", "--db", str(real)]
        bare_cmd = [sys.executable, str(HERE / "bare_window.py")]
        table_cmd = [sys.executable, str(HERE / "table_window.py"), str(db)]
        holdings_cmd = [sys.executable, str(HERE / "holdings_window.py"), str(db)]
        commands = {
            "bare": bare_cmd,
            "table": table_cmd,
            "holdings": holdings_cmd,
            "app": app_cmd,
            "real": real_cmd,
        }
        times = in_turn(runs, commands, env)
        printed = launch(app_cmd, env)[2]

    print(f"launch to paint, medians of {runs} runs taken in turn:")
    print(f"  bare PySide6 window: {statistics.median(times['bare']):.0f} ms")
    print(
        f"  table window (Qt namespace, item views, sqlite3): "
        f"{statistics.median(times['table']):.0f} ms, "
        f"{ratio(times, 'table', 'bare'):.2f}x the bare window"
    )
    print(
        f"  holdings window (that, plus the store and the holdings model): "
        f"{statistics.median(times['holdings']):.0f} ms, "
        f"{ratio(times, 'holdings', 'bare'):.2f}x the bare window"
    )
    print(
        f"  Portfolio Desk, holdings painted: {statistics.median(times['app']):.0f} ms, "
        f"{ratio(times, 'app', 'bare'):.2f}x the bare window (target 1.5x), "
        f"{ratio(times, 'app', 'holdings'):.2f}x the holdings window"
    )
    print(
        f"  Portfolio Desk on a real portfolio: {statistics.median(times['real']):.0f} ms, "
        f"{ratio(times, 'real', 'bare'):.2f}x the bare window (target 1.5x)"
    )
    print(f"  in-process (last run, demo): {printed.splitlines()[0]}")


if __name__ == "__main__":
    main()
