"""The window backs the file up once a day when its background work starts."""

from __future__ import annotations

import datetime as dt

from desktop.data.store import Store, backups
from desktop.ui.main_window import MainWindow
from desktop.ui.tasks import TaskRunner
from tests.ui.conftest import buy


def _start(qtbot, path) -> MainWindow:
    store = Store(path)
    window = MainWindow(store, TaskRunner(synchronous=True), daily_backup=True)
    qtbot.addWidget(window)
    window.start_background(refresh=False)
    return window


def test_the_first_start_of_a_day_makes_one_backup(qtbot, tmp_path, today_is):
    today_is(dt.date(2026, 3, 2))
    path = tmp_path / "portfolio.sqlite"
    window = _start(qtbot, path)
    window.editor.add_trade(buy(day=dt.date(2026, 2, 2)))
    (made,) = backups.list_backups(path)
    assert made.reason == "daily" and made.made.date() == dt.date(2026, 3, 2)
    assert made.trades == 0  # made at the start, before the trade
    window.store.close()
    again = _start(qtbot, path)  # the same day: no second backup
    assert backups.list_backups(path) == [made]
    again.store.close()
    today_is(dt.date(2026, 3, 3))
    third = _start(qtbot, path)
    newest, older = backups.list_backups(path)
    assert older == made and newest.reason == "daily" and newest.trades == 1
    third.store.close()


def test_a_backup_that_fails_is_said_in_the_status_bar_and_the_window_goes_on(
    qtbot, tmp_path, today_is
):
    today_is(dt.date(2026, 3, 2))
    (tmp_path / "backups").write_text("not a folder")
    window = _start(qtbot, tmp_path / "portfolio.sqlite")
    assert "Could not make today's backup" in window.statusBar().currentMessage()
    window.editor.add_trade(buy(day=dt.date(2026, 2, 2)))
    assert len(window.store.trades()) == 1
    window.store.close()
