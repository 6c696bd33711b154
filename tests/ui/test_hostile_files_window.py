"""The window on a file it must not write: damaged (found by the check after the first paint),
on a read-only disk, or refused at start (too new, a damaged schema record, a damaged page):
it says why, writes nothing, and offers the way on."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal as D

import pytest

from desktop.app import main
from desktop.core.model import Trade, TradeType
from desktop.data.store import Store, backups, migrations
from desktop.ui.actions import Act
from desktop.ui.open_problem import Choice, open_or_recover
from tests.data.store.disks import damage, read_only, ro_disk
from tests.ui.conftest import buy


def _portfolio(path, *, backup: bool = True):
    """Two buys of COHU and its closes; a backup of that when asked."""
    with Store(path) as store:
        store.add_trades([buy(qty="100"), buy(qty="50", day=dt.date(2024, 1, 8))])
        day = dt.date(2024, 1, 2)
        store.upsert_prices(
            "COHU",
            [{"date": day + dt.timedelta(days=i), "close": 30 + i / 10} for i in range(60)],
            "csv",
        )
        return store.backup() if backup else None


def _window(qtbot, store, **kwargs):
    from desktop.ui.main_window import MainWindow
    from desktop.ui.tasks import TaskRunner

    window = MainWindow(store, TaskRunner(synchronous=True), **kwargs)
    qtbot.addWidget(window)
    told: list[str] = []
    window.show_refusal = told.append
    return window, told


def test_a_file_found_damaged_after_the_first_paint_is_shown_read_only_until_a_backup_replaces_it(
    qtbot, tmp_path
):
    path = tmp_path / "p.sqlite"
    made = _portfolio(path)
    damage(path, "close_series")  # a table the first paint does not read
    before = path.read_bytes()
    store = Store(path, check=False)
    try:
        window, told = _window(qtbot, store, daily_backup=True)
        window.lock = object()  # this window holds the file: it may restore it
        assert window.holdings_model.rowCount() == 1  # painted from what reads
        window.start_background(refresh=False)
        assert len(told) == 1 and told[0].startswith(f"{path} is damaged (SQLite's check")
        assert "nothing can be changed until a backup replaces it" in told[0]
        assert window.windowTitle().endswith("(read-only)")
        said = window.statusBar().currentMessage()  # the chart could not read close_series
        assert "damaged" in said and "File > Restore from backup" in said, said
        for key in window.WRITES:
            assert window.actions[key].isEnabled() == (key is Act.RESTORE_BACKUP), key
        problems = window.editor.add_trade(buy(qty="5"))
        assert problems and problems[0].message.startswith(f"{path} is damaged")
        assert path.read_bytes() == before
        assert [b.name for b in backups.list_backups(path)] == [made.name]  # no daily copy

        assert window.restore_backup(made.name) is None
        assert not window.read_only and not window.windowTitle().endswith("(read-only)")
        assert window.actions[Act.ADD_TRADE].isEnabled()
        assert window.editor.add_trade(buy(qty="5")) == []
        assert sorted(t.quantity for t in store.trades()) == [D(5), D(50), D(100)]
        assert store.check_integrity() is None
        window.close()
    finally:
        store.close()


def test_a_file_on_a_read_only_disk_is_shown_and_every_write_refused_in_words(qtbot, tmp_path):
    with ro_disk(tmp_path / "disk") as folder:
        path = folder / "p.sqlite"
        _portfolio(path, backup=False)
        before = path.read_bytes()
        with read_only(folder):
            store = Store(path)
            try:
                window, _ = _window(qtbot, store, daily_backup=True)
                window.start_background(refresh=True)
                assert window.windowTitle().endswith("(read-only)")
                assert window.holdings_model.rowCount() == 1
                for key in window.WRITES:
                    assert not window.actions[key].isEnabled(), key
                problems = window.editor.add_trade(buy(qty="5"))
                assert problems[0].message.startswith("This portfolio file cannot be written")
                window.close()
            finally:
                store.close()
            assert path.read_bytes() == before


def test_damage_the_window_meets_before_the_check_is_said_by_the_smoke_test(capsys, tmp_path):
    """The check runs after the first paint; a read of a damaged page before then is checked
    at once and said."""
    path = tmp_path / "p.sqlite"
    _portfolio(path, backup=False)
    damage(path, "prices")  # read by the first paint
    before = path.read_bytes()
    code = main(["--db", str(path), "--smoke-test"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith(f"portfolio-desk: {path} is damaged (SQLite's check")
    assert err.count("\n") == 1 and path.read_bytes() == before


def _too_new(path):
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
        "VALUES (?, 'm999_future', 'x')",
        [migrations.MIGRATION_SET],
    )
    conn.commit()
    conn.close()


def _schema_gap(path):
    conn = sqlite3.connect(path)
    conn.execute(
        "DELETE FROM _sqlite_migrations WHERE name = ?", [migrations.MIGRATIONS[2].__name__]
    )
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("spoil", "said"),
    [
        (lambda p: damage(p, "prices"), "is damaged (SQLite's check of the file found"),
        (_too_new, "written by a newer version of Portfolio Desk"),
        (_schema_gap, "record of its schema is damaged"),
    ],
    ids=["damaged page", "too new", "schema record gap"],
)
def test_a_file_refused_at_start_offers_its_backups_and_each_way_on(tmp_path, spoil, said):
    path = tmp_path / "portfolio.sqlite"
    made = _portfolio(path)
    spoil(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")  # every change in the file itself
    conn.close()
    spoilt = path.read_bytes()
    asked = []

    def answer(*choices):
        queue = list(choices)

        def ask(where, message, found):
            asked.append((where, message, [b.name for b in found]))
            return queue.pop(0)

        return ask

    # Quit: nothing opened, the file as it was.
    store, _ = open_or_recover(path, answer((Choice.QUIT, None)), lambda: None, lambda: None)
    assert store is None and path.read_bytes() == spoilt
    assert said in asked[-1][1] and asked[-1][2] == [made.name]

    # Another file, or a new one: opened instead, the file as it was.
    other = tmp_path / "other.sqlite"
    Store(other).close()
    for choice, picked in ((Choice.OTHER, other), (Choice.NEW, tmp_path / "new.sqlite")):
        store, _ = open_or_recover(
            path, answer((choice, None)), lambda p=picked: p, lambda p=picked: p
        )
        assert store.path == str(picked)
        store.close()
        assert path.read_bytes() == spoilt

    # The backup: restored, the spoilt file kept aside byte for byte.
    (found,) = backups.list_backups(path)
    store, done = open_or_recover(path, answer((Choice.RESTORE, found)), lambda: None, lambda: None)
    try:
        assert [t.quantity for t in store.trades()] == [D(100), D(50)]
        assert store.check_integrity() is None
    finally:
        store.close()
    (aside,) = tmp_path.glob("portfolio.sqlite.unusable-*")
    assert aside.read_bytes() == spoilt and str(aside) in done


def test_the_smoke_test_on_another_program_s_file_exits_with_one_line_and_changes_nothing(
    capsys, tmp_path
):
    foreign = tmp_path / "notes.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes(text) VALUES ('keep me')")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    code = main(["--db", str(foreign), "--smoke-test"])
    err = capsys.readouterr().err
    assert code == 1 and err == (
        f"portfolio-desk: {foreign} is not a Portfolio Desk database (it holds the tables "
        "notes); it was not changed. Open a Portfolio Desk file, or give a new path to start "
        "one\n"
    )
    assert foreign.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == [
        "notes.sqlite"
    ]


def test_a_trade_is_refused_in_words_when_the_store_finds_damage_at_the_write(qtbot, tmp_path):
    path = tmp_path / "p.sqlite"
    _portfolio(path, backup=False)
    damage(path, "close_series")
    store = Store(path, check=False)
    try:
        window, _ = _window(qtbot, store)
        # No check yet (no background started): the write itself checks first.
        problems = window.editor.add_trade(
            Trade(dt.date(2024, 2, 1), TradeType.DEPOSIT, "", amount=D(5))
        )
        assert problems and problems[0].field == "database"
        assert problems[0].message.startswith(f"{path} is damaged")
        window.close()
    finally:
        store.close()
