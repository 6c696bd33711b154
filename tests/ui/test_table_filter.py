"""Ctrl+F: the rows of the table shown that hold every word typed, the others hidden (not
removed); it follows an edit and a tab change; Esc shows every row again."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from desktop.ui.actions import Act
from tests.ui.conftest import buy

DAY = dt.date(2024, 1, 5)


def _visible(view):
    model = view.model()
    return [model.rows[i].symbol for i in range(model.rowCount()) if not view.isRowHidden(i)]


def test_the_filter_hides_rows_without_the_words_and_esc_brings_them_back(make_window, qtbot):
    window = make_window()
    for symbol in ("COHU", "SUM", "WWSIX"):
        window.store.upsert_prices(symbol, [{"date": DAY, "close": 10.0}], "csv")
        assert window.editor.add_trade(buy(symbol, "1", "9", day=DAY)) == []
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.actions[Act.FILTER].trigger()
    assert window.table_filter.isVisible() and window.table_filter.edit.hasFocus()
    qtbot.keyClicks(window.table_filter.edit, "su")
    assert _visible(window.holdings_view) == ["SUM"]
    assert window.table_filter.count.text() == "1 of 3"
    # An edit: a new matching holding shows, the hidden ones stay hidden.
    window.store.upsert_prices("SUMX", [{"date": DAY, "close": 10.0}], "csv")
    assert window.editor.add_trade(buy("SUMX", "1", "9", day=DAY)) == []
    assert _visible(window.holdings_view) == ["SUM", "SUMX"]
    # Another tab: the trades filtered by their words (a type, a note), the holdings all back.
    window.tabs.setCurrentIndex(1)
    window.table_filter.edit.setText("buy cohu")
    trades = window.trades_view
    shown = [
        trades.model().rows[i]
        for i in range(trades.model().rowCount())
        if not trades.isRowHidden(i)
    ]
    assert [t.symbol for t in shown] == ["COHU"]
    assert not any(window.holdings_view.isRowHidden(i) for i in range(4))
    qtbot.keyClick(window.table_filter.edit, Qt.Key.Key_Escape)
    assert not window.table_filter.isVisible()
    assert not any(trades.isRowHidden(i) for i in range(trades.model().rowCount()))
    assert window.actions[Act.FILTER].shortcut().toString() == "Ctrl+F"
