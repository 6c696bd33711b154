"""A damaged file, a read-only disk and a full disk, each real: the store refuses with the reason
in words, writes nothing to a damaged or read-only file, and keeps what was there when the disk
fills; the command line says it in one line."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from decimal import Decimal as D
from pathlib import Path

import pytest

from desktop.app import main
from desktop.core.model import Trade, TradeType
from desktop.data.store import Store, StoreError, opening
from tests.data.store.disks import damage, fill, read_only, ro_disk, tmpfs

START = dt.date(2020, 1, 1)


def _buy(day: int, qty: str = "10", symbol: str = "COHU") -> Trade:
    return Trade(START + dt.timedelta(days=day), TradeType.BUY, symbol, D(qty), D("30"), D("1"))


def _closes(n: int, first: float = 10.0) -> list[dict]:
    return [{"date": START + dt.timedelta(days=i), "close": first + i / 100} for i in range(n)]


def _filled(path: Path) -> Path:
    """A portfolio with two buys and 800 closes of COHU (the prices over several pages)."""
    with Store(path) as store:
        store.add_trades([_buy(2), _buy(5, "5")])
        store.upsert_prices("COHU", _closes(800), "csv")
    return path


def _trades(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)  # the last connection to close removes the -wal and -shm
    try:
        return conn.execute("SELECT date, symbol, quantity FROM trades ORDER BY id").fetchall()
    finally:
        conn.close()


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# -- a damaged page ---------------------------------------------------------------------------
def test_a_damaged_file_is_refused_on_open_and_left_byte_identical(tmp_path):
    path = _filled(tmp_path / "p.sqlite")
    damage(path)
    before = path.read_bytes()
    with pytest.raises(StoreError) as refused:
        Store(path)
    message = str(refused.value)
    assert message.startswith(f"{path} is damaged (SQLite's check of the file found:")
    assert "nothing was written to it" in message and "Restore one of its backups" in message
    assert path.read_bytes() == before


def test_the_command_line_refuses_a_damaged_file_in_one_line_for_reads_and_writes(capsys, tmp_path):
    path = _filled(tmp_path / "p.sqlite")
    damage(path)
    before = path.read_bytes()
    for args in (
        ["report"],
        ["trade", "list"],
        ["trade", "add", "--date", "2024-01-05", "--type", "deposit", "--amount", "100"],
        ["--smoke-test"],
    ):
        code, out, err = _cli(capsys, "--db", str(path), *args)
        assert code == 1, args
        assert err.count("\n") == 1 and f"{path} is damaged" in err, (args, err)
        assert "Traceback" not in err
    assert path.read_bytes() == before


def test_with_the_check_deferred_a_damaged_file_is_read_but_never_written(tmp_path):
    path = _filled(tmp_path / "p.sqlite")
    damage(path)
    before = path.read_bytes()
    with Store(path, check=False) as store:
        assert [(t.date, t.quantity) for t in store.trades()] == [
            (START + dt.timedelta(days=2), D(10)),
            (START + dt.timedelta(days=5), D(5)),
        ]  # the trades' pages are whole: they read
        for write in (
            lambda: store.add_trade(_buy(9)),
            lambda: store.set_setting("base_currency", "EUR"),
            lambda: store.upsert_prices("SUM", _closes(3), "csv"),
            store.backup,  # a damaged copy would push a whole one out of the backups
        ):
            with pytest.raises(StoreError) as refused:
                write()
            assert f"{path} is damaged" in str(refused.value)
            assert refused.value.plain().startswith(f"{path} is damaged")
        assert store.check_integrity().startswith(f"{path} is damaged")
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_the_deferred_check_runs_once_on_any_thread_and_a_whole_file_is_written(
    tmp_path, monkeypatch
):
    path = _filled(tmp_path / "p.sqlite")
    calls = []
    real = opening.damage_found
    monkeypatch.setattr(opening, "damage_found", lambda *a: calls.append(a) or real(*a))
    with Store(path, check=False) as store:
        assert calls == []  # not at open
        found = []
        worker = threading.Thread(target=lambda: found.append(store.check_integrity()))
        worker.start()
        worker.join()
        assert found == [None] and len(calls) == 1
        store.add_trade(_buy(9, "2"))  # no second check before the write
        assert len(calls) == 1
    assert [q for _, _, q in _trades(path)] == ["10", "5", "2"]


def test_a_damaged_file_is_replaced_by_its_backup_and_then_written_again(tmp_path):
    path = _filled(tmp_path / "p.sqlite")
    with Store(path) as store:
        made = store.backup()
    damage(path)
    with Store(path, check=False) as store:
        store.restore_backup(made.name)
        store.add_trade(_buy(9, "2"))
        assert store.check_integrity() is None
        assert len(store.closes(["COHU"])) == 800
    assert _integrity(path) == "ok"
    assert [q for _, _, q in _trades(path)] == ["10", "5", "2"]


# -- a read-only disk -------------------------------------------------------------------------
def test_a_file_on_a_read_only_disk_opens_read_only_and_refuses_every_write(tmp_path):
    with ro_disk(tmp_path / "disk") as folder:
        path = _filled(folder / "p.sqlite")
        before, trades = path.read_bytes(), _trades(path)
        with read_only(folder):
            with Store(path) as store:
                assert store.read_only
                assert [
                    (t.date.isoformat(), t.symbol, str(t.quantity)) for t in store.trades()
                ] == [tuple(row) for row in trades]
                assert len(store.closes(["COHU"])) == 800
                for write in (
                    lambda: store.add_trade(_buy(9)),
                    lambda: store.upsert_prices("COHU", _closes(3, 50.0), "csv"),
                ):
                    with pytest.raises(StoreError) as refused:
                        write()
                    assert refused.value.plain().startswith("the portfolio file is read-only")
            assert path.read_bytes() == before
            assert sorted(os.listdir(folder)) == ["p.sqlite"]  # no -wal, -shm or lock made


def test_the_command_line_reads_a_read_only_file_and_refuses_a_write_in_one_line(capsys, tmp_path):
    with ro_disk(tmp_path / "disk") as folder:
        path = _filled(folder / "p.sqlite")
        before = path.read_bytes()
        with read_only(folder):
            code, out, err = _cli(capsys, "--db", str(path), "trade", "list")
            assert code == 0 and err == "" and out.count("COHU") == 2
            add = ["trade", "add", "--date", "2024-01-05", "--type", "deposit", "--amount", "1"]
            code, out, err = _cli(capsys, "--db", str(path), *add)
            assert code == 1 and err == (
                f"portfolio-desk: {path}: the portfolio file is read-only (its permissions, "
                "or a read-only disk): nothing was changed. Make it writable, or work on a "
                "copy.\n"
            )
            assert path.read_bytes() == before


def test_a_read_only_file_whose_last_changes_are_in_its_wal_is_refused_naming_it(tmp_path):
    with ro_disk(tmp_path / "disk") as folder:
        path = _filled(folder / "p.sqlite")
        wal = folder / "p.sqlite-wal"
        wal.write_bytes(b"\0" * 4096)  # changes SQLite could not read from a read-only disk
        with read_only(folder):
            with pytest.raises(StoreError, match="p.sqlite-wal beside it") as refused:
                Store(path)
            assert "Copy both files to a writable folder" in str(refused.value)


# -- a full disk ------------------------------------------------------------------------------
def test_a_full_disk_refuses_the_write_keeps_what_was_there_and_writes_once_freed(tmp_path):
    with tmpfs(tmp_path / "disk", "2m") as folder:
        path = folder / "p.sqlite"
        with Store(path) as store:
            store.add_trades([_buy(2), _buy(5, "5")])
            store.upsert_prices("COHU", _closes(100), "csv")
            filler = fill(folder)
            with pytest.raises(StoreError) as refused:
                store.upsert_prices("SUM", _closes(20_000), "csv")  # pages beyond the disk
            assert refused.value.plain() == (
                "the disk is full: nothing was changed. Free some space, then try again."
            )
            assert store.closes(["SUM"]).empty and len(store.closes(["COHU"])) == 100
            assert [t.quantity for t in store.trades()] == [D(10), D(5)]
            filler.unlink()
            store.upsert_prices("SUM", _closes(20_000), "csv")
        assert _integrity(path) == "ok"
        assert [q for _, _, q in _trades(path)] == ["10", "5"]


def test_an_export_onto_a_full_disk_leaves_the_old_export_whole(capsys, tmp_path):
    db = _filled(tmp_path / "p.sqlite")
    with Store(db) as store:
        store.add_trades([_buy(10 + i, "1", symbol=f"S{i}") for i in range(3000)])
    with tmpfs(tmp_path / "disk", "1m") as folder:
        target = folder / "trades.csv"
        target.write_text("date,type,symbol\n2020-01-03,buy,COHU\n")
        before = target.read_bytes()
        filler = fill(folder)
        code, _, err = _cli(capsys, "--db", str(db), "export", "trades", str(target))
        assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
        assert target.read_bytes() == before
        assert sorted(os.listdir(folder)) == ["filler", "trades.csv"]  # no partial file left
        filler.unlink()
        code, _, err = _cli(capsys, "--db", str(db), "export", "trades", str(target))
        assert code == 0, err
        assert target.read_text().count("\n") == 1 + 2 + 3000
