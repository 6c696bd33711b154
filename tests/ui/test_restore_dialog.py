"""File > Restore from backup…: lists the backups, restores one after asking, and every view
shows the restored portfolio; a damaged backup is refused with the portfolio unchanged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from desktop.ui.actions import Act
from tests.ui.conftest import buy


def _holdings(window) -> dict[str, D]:
    return {h.symbol: h.quantity for h in window.holdings_model.rows}


def test_a_backup_restored_from_the_window_is_what_every_view_shows(make_window):
    window = make_window()
    window.editor.add_trade(buy(qty="100", day=dt.date(2024, 1, 5)))
    window.actions[Act.BACK_UP].trigger()
    assert "Backed up to" in window.statusBar().currentMessage()
    window.editor.add_trade(buy(symbol="SUM", qty="40", day=dt.date(2024, 2, 5)))
    window.tabs.setCurrentIndex(1)  # the Trades tab filled
    assert window.undo_stack.canUndo()
    dialog = window.restore_dialog()
    asked = []
    dialog.confirm = lambda question: asked.append(question) or True
    (only,) = dialog.backups
    assert dialog.table.item(0, 2).text() == "1" and dialog.restore_button.isEnabled()
    dialog.restore_selected()
    assert "(1 trade)" in asked[0] and "backed up first" in asked[0]
    assert dialog.result() == dialog.DialogCode.Accepted
    assert [t.symbol for t in window.store.trades()] == ["COHU"]
    assert window.trades_model.rowCount() == 1
    assert _holdings(window) == {"COHU": D("100")}
    assert not window.undo_stack.canUndo()  # its edits were of the file replaced
    assert "Restored the backup" in window.statusBar().currentMessage()
    newest, older = window.store.backups()
    assert newest.reason == "before-restore" and newest.trades == 2 and older == only


def test_a_restore_not_confirmed_changes_nothing(make_window):
    window = make_window()
    window.editor.add_trade(buy(day=dt.date(2024, 1, 5)))
    window.back_up_now()
    window.editor.add_trade(buy(symbol="SUM", day=dt.date(2024, 2, 5)))
    dialog = window.restore_dialog()
    dialog.confirm = lambda question: False
    dialog.restore_selected()
    assert len(window.store.trades()) == 2 and window.undo_stack.canUndo()
    assert [b.reason for b in window.store.backups()] == ["manual"]


def test_a_damaged_backup_is_refused_in_the_dialog_and_the_portfolio_is_unchanged(make_window):
    window = make_window()
    window.editor.add_trade(buy(day=dt.date(2024, 1, 5)))
    window.back_up_now()
    window.editor.add_trade(buy(symbol="SUM", day=dt.date(2024, 2, 5)))
    (made,) = window.store.backups()
    data = bytearray(made.path.read_bytes())
    data[4096 : 4 * 4096] = b"\xff" * (3 * 4096)
    made.path.write_bytes(bytes(data))
    dialog = window.restore_dialog()
    dialog.confirm = lambda question: True
    dialog.restore_selected()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.problem.isVisibleTo(dialog) and "not changed" in dialog.problem.text()
    assert {t.symbol for t in window.store.trades()} == {"COHU", "SUM"}
    assert _holdings(window) == {"COHU": D("100"), "SUM": D("100")}


def test_with_no_backups_the_dialog_says_so_and_backs_up_on_request(make_window):
    window = make_window()
    dialog = window.restore_dialog()
    assert dialog.empty.isVisibleTo(dialog) and not dialog.table.isVisibleTo(dialog)
    assert not dialog.restore_button.isEnabled()
    dialog.back_up_button.click()
    assert len(dialog.backups) == 1 and dialog.table.isVisibleTo(dialog)
    assert dialog.table.item(0, 1).text() == "made on request"
