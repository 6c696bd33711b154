"""A portfolio file that will not open at start: the user is told why and offered a backup
(the file kept aside, byte for byte), another file, a new portfolio, or quitting."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal as D

from desktop.core.model import Trade, TradeType
from desktop.data.store import Store
from desktop.ui.open_problem import Choice, OpenProblemDialog, open_or_recover


def _damaged_with_a_backup(tmp_path):
    path = tmp_path / "portfolio.sqlite"
    with Store(path) as store:
        store.add_trade(Trade(dt.date(2024, 1, 5), TradeType.BUY, "COHU", D(100), D(32), D(1)))
        made = store.backup()
    damaged = b"this is not a database any more" + path.read_bytes()[31:]
    path.write_bytes(damaged)
    return path, made, damaged


def test_a_damaged_file_is_restored_from_its_backup_and_kept_aside(tmp_path):
    path, made, damaged = _damaged_with_a_backup(tmp_path)
    asked = []

    def ask(where, message, found):
        asked.append((where, message, [b.name for b in found]))
        return Choice.RESTORE, found[0]

    store, done = open_or_recover(path, ask, lambda: None, lambda: None)
    assert asked == [(path, asked[0][1], [made.name])]
    assert "not a readable Portfolio Desk database" in asked[0][1] or "cannot" in asked[0][1]
    assert [t.quantity for t in store.trades()] == [D(100)]
    (aside,) = tmp_path.glob("portfolio.sqlite.unusable-*")
    assert aside.read_bytes() == damaged  # moved aside, never deleted or changed
    assert done.startswith(f"Restored the backup {made.name}") and str(aside) in done
    store.close()


def test_another_file_can_be_opened_instead_and_quitting_opens_nothing(tmp_path):
    foreign = tmp_path / "other-app.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes(x)")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    good = tmp_path / "mine.sqlite"
    Store(good).close()
    choices = iter([(Choice.OTHER, None)])
    store, done = open_or_recover(foreign, lambda *a: next(choices), lambda: good, lambda: None)
    assert store.path == str(good) and done == ""
    store.close()
    assert foreign.read_bytes() == before
    store, _ = open_or_recover(foreign, lambda *a: (Choice.QUIT, None), lambda: None, lambda: None)
    assert store is None and foreign.read_bytes() == before


def test_a_new_portfolio_can_be_started_and_a_cancelled_pick_asks_again(tmp_path):
    path, _, damaged = _damaged_with_a_backup(tmp_path)
    fresh = tmp_path / "fresh.sqlite"
    choices = iter([(Choice.NEW, None), (Choice.NEW, None)])
    picks = iter([None, fresh])  # the first save dialog cancelled
    store, _ = open_or_recover(path, lambda *a: next(choices), lambda: None, lambda: next(picks))
    assert store.path == str(fresh) and store.trades() == []
    store.close()
    assert path.read_bytes() == damaged


def test_a_damaged_backup_is_said_and_the_file_left_as_it_was(tmp_path):
    path, made, damaged = _damaged_with_a_backup(tmp_path)
    made.path.write_bytes(b"\0" * 4096)
    messages = []

    def ask(where, message, found):
        messages.append(message)
        return (Choice.RESTORE, found[0]) if len(messages) == 1 else (Choice.QUIT, None)

    store, _ = open_or_recover(path, ask, lambda: None, lambda: None)
    assert store is None and "The file was not changed" in messages[1]
    assert path.read_bytes() == damaged and not list(tmp_path.glob("*.unusable-*"))


def test_the_dialog_offers_the_backups_and_reports_the_choice(qtbot, tmp_path):
    path, made, _ = _damaged_with_a_backup(tmp_path)
    from desktop.data.store import backups

    found = backups.list_backups(path)
    dialog = OpenProblemDialog(path, "it is damaged", found)
    qtbot.addWidget(dialog)
    assert dialog.backups.count() == 1 and "(1 trade)" in dialog.backups.itemText(0)
    assert dialog.restore_button.isDefault()
    dialog.restore_button.click()
    assert dialog.choice is Choice.RESTORE and dialog.backup == found[0]
    bare = OpenProblemDialog(path, "it is damaged", [])
    qtbot.addWidget(bare)
    assert bare.other_button.isDefault() and bare.backups.count() == 0
    bare.quit_button.click()
    assert bare.choice is Choice.QUIT
