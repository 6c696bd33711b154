"""Cold start: launch to painted window with holdings, against a bare PySide6 window.

Runs each as a fresh process (median of N) and reports wall-clock time from launch to exit after
the first paint. The app is measured on a copy of the demo database (3 holdings, ^RUT, ^GSPC).

    python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def wall(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return (time.perf_counter() - t0) * 1000, result.stdout.strip()


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
        wall(app_cmd, env), wall(bare_cmd, env)  # warm the OS file cache once
        app_runs, bare_runs = [], []
        for _ in range(runs):
            bare_runs.append(wall(bare_cmd, env))
            app_runs.append(wall(app_cmd, env))
    app_ms = statistics.median(r[0] for r in app_runs)
    bare_ms = statistics.median(r[0] for r in bare_runs)
    print(
        f"bare PySide6 window, launch to exit after first paint: median {bare_ms:.0f} ms of {runs}"
    )
    print(f"Portfolio Desk with holdings, launch to exit after paint: median {app_ms:.0f} ms")
    print(f"  in-process (last run): {app_runs[-1][1]}")
    print(f"ratio: {app_ms / bare_ms:.2f}x (target 1.5x)")


if __name__ == "__main__":
    main()
