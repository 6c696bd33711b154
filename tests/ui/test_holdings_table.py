"""The holdings table: a header click sorts it (unpriced last) and an edit keeps that order;
the totals under it add up the rows by hand, a dash while one is unpriced, each under its
column; the last column takes what is left."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from tests.ui.conftest import buy

DAY = dt.date(2024, 1, 5)


def _column(model, header):
    return [c.header for c in model.columns].index(header)


def test_sorting_by_a_header_and_the_totals_by_hand(make_window, qtbot):
    window = make_window()
    for symbol, close in (("AAA", 10.0), ("BBB", 50.0), ("CCC", 20.0)):
        window.store.upsert_prices(symbol, [{"date": DAY, "close": close}], "csv")
    for symbol, qty, price in (("AAA", "10", "9"), ("BBB", "3", "40"), ("CCC", "20", "25")):
        assert window.editor.add_trade(buy(symbol, qty, price, fee="0", day=DAY)) == []
    model, view = window.holdings_model, window.holdings_view
    value = _column(model, "Market value")
    view.sortByColumn(value, Qt.SortOrder.DescendingOrder)
    assert [h.symbol for h in model.rows] == ["CCC", "BBB", "AAA"]  # 400, 150, 100
    # Market value 100 + 150 + 400 = 650; cost 90 + 120 + 500 = 710; gain -60, -8.45%.
    bar = window.totals_bar
    assert bar.text(0) == "Total" and bar.toolTip() == "The totals of the 3 holdings above"
    assert bar.text(value) == "650.00"
    assert bar.text(_column(model, "Gain")) == "-60.00"
    assert bar.text(_column(model, "Gain %")) == f"{-60 / 710:+.2%}"
    assert bar.text(_column(model, "Weight")) == "100.0%"
    assert bar.text(_column(model, "Quantity")) == ""  # shares of different things: no sum
    # An edit keeps the order asked for: AAA grows to 700 and goes first.
    assert window.editor.add_trade(buy("AAA", "60", "10", fee="0", day=DAY)) == []
    assert [h.symbol for h in model.rows] == ["AAA", "CCC", "BBB"]
    assert bar.text(value) == "1,250.00"
    # Each total under its column.
    view.setColumnWidth(value, 177)
    assert bar.columnWidth(value) == 177
    assert view.horizontalHeader().stretchLastSection()


def test_an_unpriced_holding_sorts_last_and_leaves_the_totals_unknown(make_window):
    window = make_window()
    window.store.upsert_prices("AAA", [{"date": DAY, "close": 10.0}], "csv")
    assert window.editor.add_trade(buy("AAA", "10", "9", fee="0", day=DAY)) == []
    assert window.editor.add_trade(buy("ZZZ", "5", "9", fee="0", day=DAY)) == []
    model, view = window.holdings_model, window.holdings_view
    value = _column(model, "Market value")
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        view.sortByColumn(value, order)
        assert model.rows[-1].symbol == "ZZZ"
    assert window.totals_bar.text(value) == "—"  # a partial sum would read as the total


def test_enter_on_a_sorted_row_opens_that_holding(make_window, qtbot):
    window = make_window()
    for symbol, close in (("AAA", 10.0), ("BBB", 50.0)):
        window.store.upsert_prices(symbol, [{"date": DAY, "close": close}], "csv")
        assert window.editor.add_trade(buy(symbol, "1", "9", fee="0", day=DAY)) == []
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.holdings_view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    window.holdings_view.setFocus()
    window.holdings_view.selectRow(0)
    qtbot.keyClick(window.holdings_view, Qt.Key.Key_Return)
    assert list(window.instrument_views) == ["BBB"]
    window.instrument_views["BBB"].close()
