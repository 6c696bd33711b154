"""Cold start counted in instructions, not milliseconds: the CPU instructions from launch to the
first paint of the bare PySide6 window, the two yardstick tables and the app (``--smoke-test``
on the demo and on a real portfolio), each run once under valgrind's callgrind and left at its
first paint.

This machine's speed drifts by a third from minute to minute, so ``startup.py``'s ratios move
by ±0.1 between runs; instruction counts do not move, and on a fast moment the time ratio is
close to theirs (most of a start is the interpreter running module bodies and PySide setting
up enums, not waiting). Use it to tell whether a change to the start helps; report the time
ratio of ``startup.py`` too. Needs ``valgrind`` (``apt-get install valgrind``); about a minute.

    python benchmarks/startup_instructions.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from launch_timing import demo_environment, real_portfolio

HERE = Path(__file__).resolve().parent

#: Runs a yardstick script, leaving the process (``os._exit``) on the turn of the event loop
#: after its first paint, as the yardstick would quit there.
YARDSTICK = """
import os, runpy, sys
sys.path.insert(0, {here!r})
import yardstick
from PySide6.QtCore import QTimer

class _Timer:
    @staticmethod
    def singleShot(ms, call):
        QTimer.singleShot(0, lambda: (sys.stdout.flush(), os._exit(0)))

yardstick.QTimer = _Timer
script = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(script, run_name="__main__")
"""

#: Runs the app's --smoke-test, leaving the process when the rest of the window would be
#: built (right after the holdings' first paint): ``MainWindow.finish_build`` is replaced as its
#: module is loaded, so everything is imported in the app's own order. The collector is off
#: from the start, as ``app.main`` has it before it imports the window.
APP = """
import gc
gc.disable()
import importlib.machinery, os, sys


class _AtFirstPaint:
    def find_spec(self, name, path, target=None):
        if name != "desktop.ui.main_window":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            module.MainWindow.finish_build = lambda self: (sys.stdout.flush(), os._exit(0))

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _AtFirstPaint())
from desktop.app import main

sys.argv = ["portfolio-desk", "--smoke-test", "--db", sys.argv[1]]
main()
"""


def instructions(cmd: list[str], env: dict[str, str], out: Path) -> int:
    """The instructions callgrind counted for ``cmd``."""
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *cmd],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if not found:
        raise RuntimeError(f"callgrind counted nothing for {cmd}: {result.stderr[-500:]}")
    return int(found.group(1))


def main() -> None:
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    with demo_environment() as (env, db), tempfile.TemporaryDirectory() as tmp:
        yard = Path(tmp) / "yardstick_run.py"
        yard.write_text(YARDSTICK.format(here=str(HERE)))
        app = Path(tmp) / "app_run.py"
        app.write_text(APP)
        python = sys.executable
        real = real_portfolio(env, db.parent)
        # One start first, as startup.py's warm-up: it keeps the positions beside the ledger,
        # which every later start reads instead of booking the ledger.
        for portfolio in (db, real):
            subprocess.run(
                [python, "-m", "desktop", "--smoke-test", "--db", str(portfolio)],
                env=env,
                capture_output=True,
                check=True,
            )
        commands = {
            "bare": [python, str(yard), str(HERE / "bare_window.py")],
            "table": [python, str(yard), str(HERE / "table_window.py"), str(db)],
            "holdings": [python, str(yard), str(HERE / "holdings_window.py"), str(db)],
            "app": [python, str(app), str(db)],
            "real": [python, str(app), str(real)],
        }
        counts = {
            name: instructions(cmd, env, Path(tmp) / f"{name}.out")
            for name, cmd in commands.items()
        }
    bare = counts["bare"]
    print("instructions from launch to first paint (callgrind):")
    labels = {
        "bare": "bare PySide6 window",
        "table": "table window (Qt namespace, item views, sqlite3)",
        "holdings": "holdings window (that, plus the store and the holdings model)",
        "app": "Portfolio Desk, holdings painted",
        "real": "Portfolio Desk on a real portfolio (real prices, 97 trades)",
    }
    for name, count in counts.items():
        print(f"  {labels[name]}: {count / 1e6:.0f} M, {count / bare:.2f}x the bare window")


if __name__ == "__main__":
    main()
