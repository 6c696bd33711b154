"""Killed at any moment, the database keeps exactly the transactions that committed, and an
export keeps the old file whole.

A forked child writes in a loop and is killed with SIGKILL after a random few milliseconds, 200
times over the same file. Its transactions take turns through the app's write paths, each
writing symbols of its own (the number of the transaction in the symbol) so a check can tell
which landed:

- ``store``: one trade and 20 closes in one ``Store.atomic()``, the store directly;
- ``trades file``: a CSV of a deposit and four buys, as ``portfolio-desk import trades`` imports it;
- ``prices file``: a Yahoo CSV of 20 days, half of them without an adjusted close (two batches
  of rows), as ``portfolio-desk import prices FILE --symbol SYM`` imports it;
- ``refresh``: ``run_refresh`` of a symbol of its own from a fake source: 20 closes, what the
  source said about the instrument, and the fetch status.

Around each the child says ``begin k`` and ``end k`` on a pipe. After each kill the file must
pass ``PRAGMA integrity_check`` and hold transactions 0..m-1 whole and nothing of any other
(every table compared with what those transactions write, the derived tables too), where m is
the count the child reported or, when it was killed inside transaction m, one more (the kill
can land between the commit and the report). Fork, not a new interpreter: the child starts in a
millisecond, so the kills land anywhere in the writes rather than in the start-up. Linux only
(fork is unsafe on macOS).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import random
import signal
import sqlite3
import sys
import time
import traceback
from collections import Counter
from decimal import Decimal as D

import pytest

from desktop import cli
from desktop.core.model import Instrument, Trade, TradeType
from desktop.data.formats.trades_csv import write_trades
from desktop.data.refresh import run_refresh
from desktop.data.sources.protocol import Fetched, PriceHistory

KILLS = 200
CLOSES = 20
#: The write paths the child takes in turn (transaction k takes ``KINDS[k % 4]``), and the first
#: letter of the symbols each writes.
KINDS = {"store": "T", "trades file": "C", "prices file": "P", "refresh": "R"}
START = dt.date(2000, 1, 3)
#: The refresh's "now": Saturday 9 March 2024, whose last completed session is Friday the 8th.
NOW = dt.datetime(2024, 3, 9, 15, 0, tzinfo=dt.UTC)
#: A kill lands this long after the fork: through the opening of the store and a few
#: transactions (each takes a few milliseconds).
DELAY = (0.002, 0.05)

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="fork is safe on Linux only")


def _kind(k: int) -> str:
    return list(KINDS)[k % len(KINDS)]


def _symbol(k: int) -> str:
    return f"{KINDS[_kind(k)]}{k}"


def _closes(first: dt.date) -> list[dict]:
    return [{"date": first + dt.timedelta(days=i), "close": 10.0 + i} for i in range(CLOSES)]


class _Source:
    """A ``PriceSource`` that never leaves the process: every symbol asked for gets 20 closes
    up to the last session, and an instrument named after it."""

    name = "fake"

    def fetch(self, requests, cancelled=lambda: False):
        for request in requests:
            first = request.end - dt.timedelta(days=CLOSES - 1)
            found = Instrument(request.symbol, f"Fetched {request.symbol}", verified=True)
            yield Fetched(request.symbol, PriceHistory(_closes(first), found))


def _prepare(k: int, inbox, source: _Source):
    """Transaction ``k``'s files, written; and the write, to call with the store."""
    kind, symbol = _kind(k), _symbol(k)
    if kind == "store":
        trade = Trade(START, TradeType.BUY, symbol, D(1), D("10.00"), D(0), note=str(k))

        def write(store) -> None:
            with store.atomic():
                store.upsert_prices(symbol, _closes(START), "csv")
                saved, problems = store.add_trades([trade])
                assert saved and not problems

        return write
    if kind == "trades file":
        # The deposit's amount is its own: an equal one would be skipped as already imported.
        deposit = Trade(START, TradeType.DEPOSIT, "", amount=D(1000 + k), note=str(k))
        days = [START + dt.timedelta(days=i) for i in range(4)]
        buys = [Trade(d, TradeType.BUY, symbol, D(1), D(10), D(0), note=str(k)) for d in days]
        file = inbox / f"trades-{k}.csv"
        write_trades([deposit, *buys], file)
        return lambda store: _succeeds(cli.import_trades(store, file))
    if kind == "prices file":
        lines = ["Date,Open,High,Low,Close,Adj Close,Volume"]
        for i, row in enumerate(_closes(START)):
            adjusted = row["close"] if i % 2 else "null"  # two batches: with and without
            lines.append(f"{row['date']},10,11,9,{row['close']},{adjusted},1000")
        file = inbox / f"prices-{k}.csv"
        file.write_text("\n".join(lines) + "\n")
        return lambda store: _succeeds(cli.import_prices(store, file, symbol))

    def write(store) -> None:
        report = run_refresh(store, source, [symbol], now=NOW)
        assert report.updated == {symbol: CLOSES} and not report.failed, report

    return write


def _succeeds(code: int) -> None:
    assert code == cli.EXIT_OK, f"the command failed ({code}): see its message on stderr"


def _write_here(path, inbox, count: int) -> None:
    """Transactions 0..count-1 in this process, what the commands print left out."""
    from desktop.data.store import Store

    inbox.mkdir()
    with contextlib.redirect_stdout(io.StringIO()), Store(path) as store:
        for k in range(count):
            _prepare(k, inbox, _Source())(store)


def _child_writes(path, inbox, first: int, report: int) -> None:
    """In the child: transactions ``first``, ``first + 1``... until killed."""
    from desktop.data.store import Store

    sys.stdout = open(os.devnull, "w")  # what the commands print is not this test's output
    source = _Source()
    store = Store(path)
    k = first
    while True:
        write = _prepare(k, inbox, source)
        os.write(report, f"begin {k}\n".encode())
        write(store)
        os.write(report, f"end {k}\n".encode())
        k += 1


def _kill_after(delay: float, child) -> None:
    """Fork ``child``, kill it after ``delay`` seconds; it must not have ended by itself."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            child()
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(1)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
        f"the child ended by itself (exit code {os.waitstatus_to_exitcode(status)}) before it "
        "was killed: its traceback is on stderr"
    )


def _written_by(m: int) -> dict:
    """Every row transactions 0..m-1 write, in the shape ``_found`` reads the file in."""
    expected = {
        "trades": Counter(),
        "prices": Counter(),
        "series": Counter(),
        "instruments": {},
        "fetched": set(),
    }
    for k in range(m):
        kind, symbol = _kind(k), _symbol(k)
        expected["instruments"][symbol] = f"Fetched {symbol}" if kind == "refresh" else ""
        if kind == "trades file":  # a deposit (no symbol) and four buys
            expected["trades"].update({("", str(k)): 1, (symbol, str(k)): 4})
            continue
        if kind == "store":
            expected["trades"][symbol, str(k)] = 1
        if kind == "refresh":
            expected["fetched"].add(symbol)
        expected["prices"][symbol, "fake" if kind == "refresh" else "csv"] = CLOSES
        expected["series"][symbol] = CLOSES
    return expected


def _found(conn: sqlite3.Connection) -> dict:
    """What the file holds, as ``_written_by`` says it."""

    def rows(sql: str) -> list[tuple]:
        return conn.execute(sql).fetchall()

    prices = rows("SELECT symbol, source, count(*) FROM prices GROUP BY symbol, source")
    fetched = rows("SELECT symbol FROM fetch_status WHERE succeeded_at IS NOT NULL")
    found = {
        "trades": Counter(rows("SELECT COALESCE(symbol, ''), note FROM trades")),
        "prices": Counter({(symbol, source): n for symbol, source, n in prices}),
        # the packed closes (int32 days): as many as the symbol's rows
        "series": Counter(dict(rows("SELECT symbol, length(days) / 4 FROM close_series"))),
        "instruments": dict(rows("SELECT symbol, COALESCE(name, '') FROM instruments")),
        "fetched": {symbol for (symbol,) in fetched},
    }
    # The ledger's change count, kept by triggers in the trades' own transaction: inserts only.
    (changes,) = conn.execute("SELECT changes FROM ledger_version").fetchone()
    assert changes == found["trades"].total(), "the ledger's change count is not its entries"
    return found


def _differences(found, expected) -> dict:
    """Each key whose rows differ: (found, expected); a set's keys as (in the file, wanted)."""
    if isinstance(expected, set):
        return {key: (key in found, key in expected) for key in found ^ expected}
    keys = found.keys() | expected.keys()
    return {k: (found.get(k), expected.get(k)) for k in keys if found.get(k) != expected.get(k)}


def _check(path) -> int:
    """The file's committed transactions, checked whole; how many there are."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        found = _found(conn)
        m = len(found["instruments"])  # every transaction makes the instrument of its symbol
        expected = _written_by(m)
        wrong = {table: _differences(found[table], expected[table]) for table in expected}
        wrong = {table: differences for table, differences in wrong.items() if differences}
        assert not wrong, f"a transaction is partly there, missing or doubled: {wrong}"
        return m
    finally:
        conn.close()


def _events(text: str) -> list[tuple[str, int]]:
    return [(word, int(k)) for word, k in (line.split() for line in text.splitlines())]


def test_the_database_survives_200_kills_with_exactly_the_committed_transactions(
    tmp_path, record_property
):
    from desktop.data.store import Store

    path = tmp_path / "portfolio.sqlite"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    Store(path).close()
    # Each write path once, on a file of its own, before the forks: the modules the paths
    # import when first run are then imported, and a child does not spend its life importing.
    _write_here(tmp_path / "warm-up.sqlite", tmp_path / "warm-up", len(KINDS))
    rng = random.Random(20261202)
    committed = 0
    inside = Counter()  # kills inside a transaction (begun, not reported), by kind
    unreported = Counter()  # ... of which the transaction had committed
    for _ in range(KILLS):
        read, write = os.pipe()
        _kill_after(
            rng.uniform(*DELAY), lambda w=write, c=committed: _child_writes(path, inbox, c, w)
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            events = _events(pipe.read())
        found = _check(path)
        ended = [k for word, k in events if word == "end"]
        said = ended[-1] + 1 if ended else committed
        assert events[:1] in ([], [("begin", committed)])  # it went on from the last commit
        begun = events[-1][1] if events and events[-1][0] == "begin" else None
        held = f"the file holds transactions 0..{found - 1}, the child said 0..{said - 1}"
        if begun is None:  # killed opening the store, or between two transactions
            assert found == said, held
        else:  # killed inside transaction `begun`: it committed or not
            assert begun == said and found in (said, said + 1), f"{held}, then began {begun}"
            inside[_kind(begun)] += 1
            unreported[_kind(begun)] += found == said + 1
        committed = found

    commits = Counter(_kind(k) for k in range(committed))
    counts = {"kills": KILLS, "killed inside a transaction": inside.total()}
    for kind in KINDS:
        counts[f"{kind}: committed"] = commits[kind]
        counts[f"{kind}: killed inside"] = inside[kind]
        counts[f"{kind}: killed after its commit, before its report"] = unreported[kind]
    for name, value in counts.items():
        record_property(name, value)
    print("\ncrash safety:", ", ".join(f"{name} {value}" for name, value in counts.items()))
    assert committed > KILLS  # the child did commit between kills: the test wrote something
    assert inside.total() > KILLS // 2  # most kills landed inside a write
    for kind in KINDS:  # every write path was both committed and cut short
        assert commits[kind] > KILLS // 10 and inside[kind] > KILLS // 40, counts


def test_the_check_finds_a_transaction_partly_there_or_doubled(tmp_path):
    """What the kills test relies on: its check fails for a file that is not whole."""
    path = tmp_path / "portfolio.sqlite"
    _write_here(path, tmp_path / "inbox", 8)
    assert _check(path) == 8
    broken = {
        "half a price file": "DELETE FROM prices WHERE symbol = 'P6' AND adj_close IS NULL",
        "a trades file less its deposit": "DELETE FROM trades WHERE note = '5' AND symbol IS NULL",
        "a refresh without its fetch status": "DELETE FROM fetch_status WHERE symbol = 'R7'",
        "an instrument without its rows": "INSERT INTO instruments(symbol) VALUES ('T8')",
        "a trade twice": "INSERT INTO trades(date, type, symbol, quantity, price, fee, amount, "
        "currency, note) SELECT date, type, symbol, quantity, price, fee, amount, currency, note "
        "FROM trades WHERE note = '4'",
    }
    missed = []
    for what, sql in broken.items():
        copy = tmp_path / f"{what}.sqlite"
        whole, conn = sqlite3.connect(path), sqlite3.connect(copy)
        whole.backup(conn)
        with conn:
            conn.execute(sql)
        whole.close()
        conn.close()
        try:
            _check(copy)
        except AssertionError:
            continue
        missed.append(what)
    assert missed == []


def test_an_export_killed_midway_leaves_the_old_file_whole(tmp_path):
    from desktop.data.formats.atomic_file import write_atomically
    from desktop.data.formats.trades_csv import read_trades

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
