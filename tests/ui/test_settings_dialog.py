"""File > Settings: the portfolio's settings written in one transaction and the figures
computed again; the user's in QSettings; a bad value refused with its field; read-only."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication

from desktop.core.model import CostMethod, TradeType
from desktop.ui import window_state
from desktop.ui.actions import Act
from desktop.ui.settings_dialog import refresh_on_start
from tests.ui.conftest import buy

DAY = dt.date(2024, 1, 5)


def _window(make_window, tmp_path):
    window = make_window()
    window.restore_state(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window.store.upsert_prices("AAA", [{"date": DAY, "close": 12.0}], "csv")
    for qty, price, day in (("10", "10", 2), ("10", "20", 3)):
        assert (
            window.editor.add_trade(buy("AAA", qty, price, fee="0", day=dt.date(2024, 1, day)))
            == []
        )
    sell = buy("AAA", "10", "15", fee="0", day=DAY)
    from dataclasses import replace

    assert window.editor.add_trade(replace(sell, type=TradeType.SELL)) == []
    return window


def test_a_cost_method_change_books_every_view_again(make_window, tmp_path):
    window = _window(make_window, tmp_path)
    (held,) = window.holdings_model.rows
    assert held.cost_basis == 200  # FIFO: the 10 at 10 were sold, the 10 at 20 are held
    dialog = window.settings_dialog()
    assert dialog.cost_method.currentData() == "fifo"
    dialog.cost_method.setCurrentIndex(dialog.cost_method.findData("average"))
    dialog.accept()
    assert window.store.cost_method() is CostMethod.AVERAGE
    (held,) = window.holdings_model.rows
    assert held.cost_basis == 150  # the average of 10 and 20, for the 10 left
    assert "computed again" in window.statusBar().currentMessage()


def test_the_benchmarks_backups_refresh_and_theme_are_kept(make_window, tmp_path):
    window = _window(make_window, tmp_path)
    window.start_background(refresh=False)
    dialog = window.settings_dialog()
    assert dialog.folder.text() == str(tmp_path.resolve())  # where the portfolio file is
    dialog.benchmarks.setCurrentIndex(1)  # total return
    dialog.backups.setValue(25)
    dialog.refresh.setChecked(False)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.accept()
    assert window.store.setting("benchmarks") == "IWM:TR,SPY:TR"
    assert window.benchmarks == ("IWM:TR", "SPY:TR")
    assert window.store.backups_kept() == 25
    settings = window._settings
    assert refresh_on_start(settings) is False
    assert settings.value(window_state.THEME) == "dark"
    assert QGuiApplication.styleHints().colorScheme() in (
        Qt.ColorScheme.Dark,
        Qt.ColorScheme.Unknown,
    )
    QGuiApplication.styleHints().setColorScheme(Qt.ColorScheme.Unknown)  # as the others expect


def test_a_bad_currency_is_refused_naming_the_field_and_nothing_is_written(make_window, tmp_path):
    window = _window(make_window, tmp_path)
    dialog = window.settings_dialog()
    dialog.currency.setText("U$D")  # (at most three characters can be typed)
    dialog.cost_method.setCurrentIndex(dialog.cost_method.findData("average"))
    dialog.accept()
    assert dialog.changed is None
    assert dialog.problem.text().startswith("Base currency:")
    assert window.store.cost_method() is CostMethod.FIFO  # none of them written
    assert window.store.setting("base_currency") in (None, "USD")


def test_read_only_the_portfolio_settings_cannot_be_changed(make_window, tmp_path):
    from desktop.ui.main_window import MainWindow
    from desktop.ui.tasks import TaskRunner

    writer = _window(make_window, tmp_path)
    reader = MainWindow(writer.store, TaskRunner(synchronous=True), read_only=True)
    try:
        dialog = reader.settings_dialog()
        assert not dialog.cost_method.isEnabled() and not dialog.currency.isEnabled()
        assert reader.actions[Act.SETTINGS].isEnabled()  # the user's own settings still are
    finally:
        reader.close()
        reader.deleteLater()
