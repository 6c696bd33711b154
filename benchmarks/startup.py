"""Cold start: launch to painted window with holdings, against a bare PySide6 window.

Runs each as a fresh process (median of N) and reports the time from launch to the first paint
of the holdings (the bare window: of itself), and to the process's exit for reference
(``launch_timing``). The app is measured on a copy of the demo database (3 holdings, ^RUT,
^GSPC).

    python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from launch_timing import launch, medians

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    # An installed app has its bytecode compiled (pip does it); this machine sets
    # PYTHONDONTWRITEBYTECODE, so compile once here and measure as a user would run it.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(HERE.parent / "desktop")], check=True
    )
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_DATA_HOME": tmp,
            "XDG_CONFIG_HOME": tmp,
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        db = Path(tmp) / "demo.sqlite"
        subprocess.run(
            [sys.executable, "-m", "desktop", "--demo", "report"],
            env=env,
            check=True,
            capture_output=True,
        )
        demo = Path(tmp) / "PortfolioDesk" / "demo.sqlite"
        db = demo if demo.exists() else db
        app_cmd = [sys.executable, "-m", "desktop", "--smoke-test", "--db", str(db)]
        bare_cmd = [sys.executable, str(HERE / "bare_window.py")]
        launch(app_cmd, env), launch(bare_cmd, env)  # warm the OS file cache once
        bare_ms, bare_exit, _ = medians(runs, bare_cmd, env)
        app_ms, app_exit, printed = medians(runs, app_cmd, env)
    print(
        f"bare PySide6 window, launch to paint: median {bare_ms:.0f} ms of {runs} "
        f"(exit {bare_exit:.0f})"
    )
    print(
        f"Portfolio Desk, launch to holdings painted: median {app_ms:.0f} ms (exit {app_exit:.0f})"
    )
    print(f"  in-process (last run): {printed.splitlines()[0]}")
    print(f"ratio: {app_ms / bare_ms:.2f}x (target 1.5x); to exit {app_exit / bare_exit:.2f}x")


if __name__ == "__main__":
    main()
