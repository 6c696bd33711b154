"""Start a frozen build and fail on anything but a clean start: the release workflow's check.

    python packaging/smoke_frozen.py PATH/TO/portfolio-desk[.exe] [--runs N]

On a new database in a temporary folder (and temporary user folders, so nothing of the
runner's is read or written), it adds a trade with the frozen command line, then starts the
frozen window with ``--smoke-test`` (offscreen; it exits after the first paint) with
``QT_FATAL_WARNINGS=1``, so a Qt warning aborts it. It fails on a non-zero exit, a missing
paint line, or any line on stderr (no line is known to be harmless: each would be a library
missing from the bundle, a plugin that failed to load, or a warning), and prints the paint
times (the median of ``--runs``). Standard library only: it runs with any Python 3.9+.
tests/test_frozen_build.py makes the same checks, and more, on the Linux build.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PAINT = re.compile(r"first paint: (\d+) ms; holdings shown: (\d+) ms \((\d+) holdings\)")


def _env(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "QT_")) and k not in ("VIRTUAL_ENV",)
    }
    env.update(
        HOME=str(home),
        USERPROFILE=str(home),
        APPDATA=str(home / "AppData" / "Roaming"),
        LOCALAPPDATA=str(home / "AppData" / "Local"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "config"),
        QT_FATAL_WARNINGS="1",
    )
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("executable", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    exe = args.executable.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        env = _env(home)
        db = Path(tmp) / "p.sqlite"
        add = [str(exe), "trade", "add", "--db", str(db), "--date", "2024-01-05"]
        add += ["--symbol", "COHU", "--type", "buy", "--quantity", "100", "--price", "32.10"]
        done = subprocess.run(add, env=env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0 or done.stderr:
            print(f"trade add failed ({done.returncode}):\n{done.stderr}", file=sys.stderr)
            return 1
        firsts, shown = [], []
        for _ in range(args.runs):
            run = subprocess.run(
                [str(exe), "--smoke-test", "--db", str(db)],
                env=env,
                cwd=tmp,
                capture_output=True,
                text=True,
                timeout=120,
            )
            match = PAINT.search(run.stdout)
            if run.returncode != 0 or run.stderr or not match or match.group(3) != "1":
                print(
                    f"--smoke-test failed (exit {run.returncode})\n"
                    f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}",
                    file=sys.stderr,
                )
                return 1
            firsts.append(int(match.group(1)))
            shown.append(int(match.group(2)))
    print(
        f"{exe.name}: clean start; first paint {statistics.median(firsts):.0f} ms, holdings "
        f"shown {statistics.median(shown):.0f} ms (median of {args.runs})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
