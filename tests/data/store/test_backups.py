"""Backups: consistent copies beside the database, kept N deep, made before a migration and a
restore; a restore brings back exactly what the backup held, and refuses a damaged backup."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal as D

import pytest
import sqlite_utils

from desktop.core.holdings import book
from desktop.core.model import Trade, TradeType
from desktop.data.store import Store, StoreError, backups, migrations


def _buy(day: int, qty: str = "10") -> Trade:
    return Trade(dt.date(2024, 1, day), TradeType.BUY, "COHU", D(qty), D("30.00"), D("1.00"))


def _rows(path) -> list[tuple]:
    """The trades a file holds, read over a read-only connection of its own."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT date, type, symbol, quantity, price FROM trades").fetchall()
    finally:
        conn.close()


def test_a_backup_is_a_whole_copy_in_the_backups_folder_beside_the_file(store, tmp_path):
    store.add_trade(_buy(2))
    store.add_trade(_buy(3, "5"))
    made = store.backup()
    assert made.path.parent == tmp_path / "backups"
    assert made.reason == "manual" and made.trades == 2
    assert _rows(made.path) == _rows(tmp_path / "portfolio.sqlite")
    assert _rows(made.path) == [
        ("2024-01-02", "buy", "COHU", "10", "30.00"),
        ("2024-01-03", "buy", "COHU", "5", "30.00"),
    ]
    # One plain file (no -wal beside it), whole by SQLite's own check.
    assert not made.path.with_name(made.path.name + "-wal").exists()
    backups.check(made.path)
    assert [b.path for b in store.backups()] == [made.path]
    assert not list((tmp_path / "backups").glob(".*"))  # no partial file left


def test_only_the_newest_backups_are_kept(store, tmp_path):
    store.set_setting("backups_kept", "3")
    start = dt.datetime(2026, 1, 1, 9)
    made = [
        backups.create(store.conn, store.path, "daily", keep=3, now=start + dt.timedelta(days=i))
        for i in range(5)
    ]
    kept = store.backups()
    assert [b.path for b in kept] == [m.path for m in reversed(made[2:])]  # newest first
    assert [b.made for b in kept] == [start + dt.timedelta(days=i) for i in (4, 3, 2)]
    assert store.backups_kept() == 3


@pytest.mark.parametrize("value, kept", [("", 10), ("0", 1), ("many", 10), ("25", 25)])
def test_the_number_kept_comes_from_the_setting_with_a_floor_of_one(store, value, kept):
    store.set_setting("backups_kept", value)
    assert store.backups_kept() == kept


def test_a_restore_brings_back_the_backup_and_keeps_the_current_file_first(store, tmp_path):
    store.add_trade(_buy(2))
    made = store.backup()
    store.add_trade(_buy(3, "5"))
    store.add_trade(_buy(4, "7"))
    ledger, _ = book(store.trades(), store.cost_method())
    store.save_positions(ledger, changes=store.ledger_changes())  # as the window keeps them
    assert store.positions_now()[0]["COHU"].quantity == D("22")
    before = store.restore_backup(made.path.stem)
    assert [(t.date.day, t.quantity) for t in store.trades()] == [(2, D("10"))]
    kept = store.positions_now()  # the kept positions are the backup's, never the 22 shares
    assert kept is None or kept[0]["COHU"].quantity == D("10")
    assert before.reason == "before-restore" and before.trades == 3
    assert [r[3] for r in _rows(before.path)] == ["10", "5", "7"]
    # The restored file is still the store's: it writes and reopens.
    store.add_trade(_buy(5, "1"))
    store.close()
    with Store(tmp_path / "portfolio.sqlite", create=False) as again:
        assert [t.quantity for t in again.trades()] == [D("10"), D("1")]


def test_a_damaged_backup_is_refused_and_the_database_is_unchanged(store, tmp_path):
    store.add_trade(_buy(2))
    made = store.backup()
    store.add_trade(_buy(3, "5"))
    data = bytearray(made.path.read_bytes())
    page = 4096
    data[page : 4 * page] = b"\xff" * (3 * page)  # the pages after the header's
    made.path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged|cannot be read"):
        store.restore_backup(made.name)
    assert [t.quantity for t in store.trades()] == [D("10"), D("5")]
    assert [b.reason for b in store.backups()] == ["manual"]  # no before-restore copy made


def test_a_backup_another_program_wrote_or_a_newer_version_made_is_refused(store, tmp_path):
    store.add_trade(_buy(2))
    made = store.backup()
    conn = sqlite3.connect(made.path)
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
        "VALUES (?, 'm999_from_the_future', '2030-01-01')",
        [migrations.MIGRATION_SET],
    )
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer version"):
        store.restore_backup(made.name)
    foreign = tmp_path / "backups" / "portfolio-20260101-090000-000000-manual.sqlite"
    sqlite3.connect(foreign).execute("CREATE TABLE notes(x)").connection.commit()
    with pytest.raises(StoreError, match="not a Portfolio Desk database"):
        store.restore_backup(foreign.name)
    assert [t.quantity for t in store.trades()] == [D("10")]


def test_an_unknown_backup_name_is_refused_with_the_way_to_list_them(store):
    with pytest.raises(StoreError, match="no backup called 'nope'.*backup list"):
        store.restore_backup("nope")


def test_a_migration_is_preceded_by_a_backup_of_the_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "portfolio.sqlite"
    with Store(path) as store:
        store.add_trade(_buy(2))
    assert backups.list_backups(path) == []  # a current file: no migration, no backup

    def m999_notes(db) -> None:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, m999_notes])
    with Store(path) as store:  # a newer version opens it
        (made,) = store.backups()
        assert made.reason == "before-migration" and made.trades == 1
        assert "notes" in sqlite_utils.Database(store.conn).table_names()
    conn = sqlite3.connect(made.path)
    assert "m999_notes" not in {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'notes'").fetchone() is None
    conn.close()


def test_a_restored_older_backup_is_migrated_to_this_version(tmp_path, monkeypatch):
    path = tmp_path / "portfolio.sqlite"
    with Store(path) as store:
        store.add_trade(_buy(2))
        old = store.backup()

    def m999_notes(db) -> None:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, m999_notes])
    with Store(path) as store:
        store.restore_backup(old.name)
        assert migrations.is_current(store.conn)
        assert [t.quantity for t in store.trades()] == [D("10")]


def test_the_day_s_backup_is_due_once_a_day(store, tmp_path):
    path = tmp_path / "portfolio.sqlite"
    assert backups.due_today(path, today=dt.date(2026, 3, 2))
    backups.create(store.conn, path, "daily", now=dt.datetime(2026, 3, 2, 8, 30))
    assert not backups.due_today(path, today=dt.date(2026, 3, 2))
    assert backups.due_today(path, today=dt.date(2026, 3, 3))


def test_a_backup_that_cannot_be_written_is_refused_and_leaves_nothing(store, tmp_path):
    (tmp_path / "backups").write_text("a file where the folder would be")
    with pytest.raises(StoreError, match="could not back up"):
        store.backup()
    assert (tmp_path / "backups").read_text() == "a file where the folder would be"


def test_backups_of_another_file_in_the_same_folder_are_not_listed(tmp_path):
    with Store(tmp_path / "portfolio.sqlite") as one, Store(tmp_path / "portfolio2.sqlite") as two:
        one.backup()
        two.backup()
        assert [b.path.name.startswith("portfolio-") for b in one.backups()] == [True]
        assert [b.path.name.startswith("portfolio2-") for b in two.backups()] == [True]
