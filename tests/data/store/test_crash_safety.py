"""Killed at any moment, the database keeps exactly the transactions that committed, and an
export keeps the old file whole.

A forked child writes in a loop (each transaction: one trade and 20 closes of a symbol of its
own, then the number of the transaction on a pipe, after the commit) and is killed with SIGKILL
after a random few milliseconds, 200 times over the same file. After each kill the file must
pass ``PRAGMA integrity_check`` and hold transactions 0..m-1 whole and nothing of any other,
where m is the count the child reported or one more (a kill can land between the commit and
the report). Fork, not a new interpreter: the child starts in a millisecond, so the kills land
anywhere in the writes rather than in the start-up. Linux only (fork is unsafe on macOS).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import sys
import time
from decimal import Decimal as D

import pytest

from desktop.core.model import Trade, TradeType

KILLS = 200
CLOSES = 20

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="fork is safe on Linux only")


def _child_writes(path, first: int, report: int) -> None:
    """In the child: transactions ``first``, ``first + 1``... until killed."""
    from desktop.data.store import Store

    store = Store(path)
    k = first
    start = dt.date(2000, 1, 3)
    while True:
        symbol = f"T{k}"
        closes = [{"date": start + dt.timedelta(days=i), "close": 10.0 + i} for i in range(CLOSES)]
        trade = Trade(start, TradeType.BUY, symbol, D(1), D("10.00"), D(0), note=str(k))
        with store.atomic():
            store.upsert_prices(symbol, closes, "csv")
            saved, problems = store.add_trades([trade])
            assert saved and not problems
        os.write(report, f"{k}\n".encode())
        k += 1


def _kill_after(delay: float, child) -> None:
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            child()
        finally:
            os._exit(1)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _check(path) -> int:
    """The file's committed transactions, checked whole; how many there are."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        notes = sorted(int(n) for (n,) in conn.execute("SELECT note FROM trades"))
        assert notes == list(range(len(notes))), "a transaction is missing or doubled"
        per_symbol = dict(conn.execute("SELECT symbol, count(*) FROM prices GROUP BY symbol"))
        assert per_symbol == {f"T{k}": CLOSES for k in notes}, "a transaction is partly there"
        return len(notes)
    finally:
        conn.close()


def test_the_database_survives_200_kills_with_exactly_the_committed_transactions(tmp_path):
    from desktop.data.store import Store

    path = tmp_path / "portfolio.sqlite"
    Store(path).close()
    rng = random.Random(20261202)
    committed = 0
    landed_mid_write = 0
    for _ in range(KILLS):
        read, write = os.pipe()
        _kill_after(
            rng.uniform(0.002, 0.03), lambda w=write, c=committed: _child_writes(path, c, w)
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            reported = [int(line) for line in pipe.read().split()]
        found = _check(path)
        said = reported[-1] + 1 if reported else committed
        assert found in (said, said + 1)  # the kill may fall between commit and report
        landed_mid_write += found == said  # (most kills land inside a transaction)
        committed = found
    assert committed > KILLS  # the child did commit between kills: the test wrote something
    assert landed_mid_write > KILLS // 2


def test_an_export_killed_midway_leaves_the_old_file_whole(tmp_path):
    from desktop.data.formats.atomic_file import write_atomically
    from desktop.data.formats.trades_csv import read_trades, write_trades

    trades = [
        Trade(dt.date(2020, 1, 1) + dt.timedelta(days=i), TradeType.DEPOSIT, "", amount=D(i + 1))
        for i in range(3000)
    ]
    target = tmp_path / "ledger.csv"
    write_trades(trades[:10], target)  # the old file: 10 entries

    def export_forever() -> None:
        n = 10
        while True:
            n = n % 2990 + 11
            write_atomically(target, lambda p, n=n: write_trades(trades[:n], p))

    rng = random.Random(7)
    sizes = set()
    for _ in range(50):
        _kill_after(rng.uniform(0.002, 0.03), export_forever)
        read, problems = read_trades(target, dt.date(2030, 1, 1))
        assert problems == []  # whole: every row reads
        assert [t.amount for t in read] == [t.amount for t in trades[: len(read)]]
        sizes.add(len(read))
        leftovers = [p for p in tmp_path.iterdir() if p != target]
        for p in leftovers:  # a partial file a kill left beside it is never the target
            p.unlink()
    assert len(sizes) > 5  # exports did land between kills
