"""Launch to paint of a fresh process: from just before it is spawned to the wall-clock time
it prints when it painted (``painted at: T`` or ``holdings painted at: T``), so the time a
process takes to exit afterwards (interpreter and Qt teardown) is not counted; its exit is
measured too, for reference."""

from __future__ import annotations

import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PAINTED = re.compile(r"painted at: ([0-9.]+)")


def launch(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Milliseconds from launch to paint and to exit, and what the process printed."""
    started, clock = time.time(), time.perf_counter()
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    exited = (time.perf_counter() - clock) * 1000
    found = PAINTED.search(result.stdout)
    if not found:
        raise RuntimeError(f"{cmd} printed no paint time: {result.stdout!r}")
    return (float(found.group(1)) - started) * 1000, exited, result.stdout.strip()


def medians(runs: int, cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Medians of ``runs`` launches: to paint, to exit; and the last one's output."""
    results = [launch(cmd, env) for _ in range(runs)]
    paint = statistics.median(r[0] for r in results)
    return paint, statistics.median(r[1] for r in results), results[-1][2]


def in_turn(
    runs: int, commands: dict[str, list[str]], env: dict[str, str]
) -> dict[str, list[float]]:
    """Launch to paint of each command, ``runs`` times, the commands launched in turn in each
    run (after one warm-up launch each), so every command sees the same machine: its speed
    drifts by a third from minute to minute here, more than the gaps measured."""
    for cmd in commands.values():
        launch(cmd, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            times[name].append(launch(cmd, env)[0])
    return times


def ratio(times: dict[str, list[float]], name: str, over: str) -> float:
    """The median of the per-run ratios of ``name``'s times to ``over``'s."""
    return statistics.median(a / b for a, b in zip(times[name], times[over], strict=True))


@contextlib.contextmanager
def demo_environment() -> Iterator[tuple[dict[str, str], Path]]:
    """An environment for launching the app offscreen on its own copy of the demo database,
    with the package's bytecode compiled (pip compiles it on install; this machine sets
    PYTHONDONTWRITEBYTECODE), and the database's path. Removed on exit."""
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "desktop")], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_DATA_HOME": tmp,
            "XDG_CONFIG_HOME": tmp,
            "XDG_STATE_HOME": tmp,  # the logs: never the real home folder's
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run(
            [sys.executable, "-m", "desktop", "--demo", "report"],
            env=env,
            check=True,
            capture_output=True,
        )
        yield env, next(Path(tmp).rglob("demo.sqlite"))


#: The real price files of ``../shared/data`` a real portfolio is built from: its holdings
#: (COHU, SUM and NAESX, a small-cap index fund standing in for WWSIX) and the benchmarks.
SHARED_DATA = Path(
    os.environ.get("PORTFOLIO_DESK_SHARED_DATA")
    or Path(__file__).resolve().parent.parent.parent / "shared" / "data"
)
REAL_PRICES = {
    "COHU": "COHU_yahoo_2000-2024.csv",
    "SUM": "SUM_yahoo_2015-2024.csv",
    "NAESX": "NAESX_yahoo_1980-2024.csv",
    "^RUT": "RUT_daily_1987-2026.csv",
    "^GSPC": "GSPC_daily_1927-2026.csv",
}
REAL_HOLDINGS = ("COHU", "SUM", "NAESX")


def real_portfolio(env: dict[str, str], folder: Path) -> Path:
    """A portfolio of real prices (``REAL_PRICES``, 54,000 closes, a 5.5 MB file) and of the
    trades a saver makes: 10 shares of each holding every January and July from 2005 (or its
    listing) at that day's close, a third of the COHU sold in July 2021; about 90 trades.
    Imported through the command line, as a user would. Its path."""
    import csv

    db = folder / "real.sqlite"
    app = [sys.executable, "-m", "desktop", "--db", str(db)]
    for symbol, name in REAL_PRICES.items():
        subprocess.run(
            [*app, "import", "prices", "--symbol", symbol, str(SHARED_DATA / name)],
            env=env,
            check=True,
            capture_output=True,
        )
    rows = ["date,type,symbol,quantity,price,fee,amount,currency,note"]
    held = 0
    for symbol in REAL_HOLDINGS:
        with open(SHARED_DATA / REAL_PRICES[symbol], newline="") as f:
            closes = [
                (r["Date"], r["Close"]) for r in csv.DictReader(f) if r["Close"] not in ("", "null")
            ]
        bought: set[str] = set()
        for day, close in closes:
            month = day[:7]
            if day >= "2005" and day[5:7] in ("01", "07") and month not in bought:
                bought.add(month)
                rows.append(f"{day},buy,{symbol},10,{float(close):.2f},1.00,,,")
                held += 10 if symbol == "COHU" and month < "2021-07" else 0
                if symbol == "COHU" and month == "2021-07":
                    rows.append(f"{day},sell,COHU,{held // 3},{float(close):.2f},1.00,,,")
    trades = folder / "real_trades.csv"
    trades.write_text("\n".join(rows) + "\n")
    subprocess.run(
        [*app, "import", "trades", str(trades)], env=env, check=True, capture_output=True
    )
    return db
