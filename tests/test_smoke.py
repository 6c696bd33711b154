"""`portfolio-desk --smoke-test`: the real entry point paints the holdings, then exits."""

import re
import subprocess
import sys


def test_smoke_test_paints_holdings_and_exits(tmp_path, subprocess_env):
    db = tmp_path / "p.sqlite"
    add = [
        sys.executable,
        "-m",
        "desktop",
        "trade",
        "add",
        "--db",
        str(db),
        "--date",
        "2024-01-05",
        "--symbol",
        "COHU",
        "--type",
        "buy",
        "--quantity",
        "100",
        "--price",
        "32.10",
    ]
    assert subprocess.run(add, env=subprocess_env, capture_output=True).returncode == 0
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--smoke-test", "--db", str(db)],
        env=subprocess_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    match = re.search(
        r"first paint: (\d+) ms; holdings shown: (\d+) ms \((\d+) holdings\)", result.stdout
    )
    assert match, result.stdout
    assert int(match.group(3)) == 1
    assert int(match.group(1)) <= int(match.group(2))
    assert "TEST TRIED TO USE THE NETWORK" not in result.stderr


def test_smoke_test_on_an_unreadable_file_fails_cleanly(tmp_path, subprocess_env):
    db = tmp_path / "garbage.sqlite"
    db.write_bytes(b"\x00garbage" * 1000)
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--smoke-test", "--db", str(db)],
        env=subprocess_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "not a readable Portfolio Desk database" in result.stderr
    assert "Traceback" not in result.stderr
