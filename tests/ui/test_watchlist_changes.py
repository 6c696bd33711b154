"""The watchlist's 1D, 1M, YTD and 1Y price changes from the real index closes (computed here
from the files), unknown where the history is too short; sorting by a header; Compare adds the
symbol to the performance chart."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from PySide6.QtCore import Qt

from desktop.core.price_changes import base_days, price_changes
from desktop.data.formats.prices_csv import import_price_file
from tests.conftest import FIXTURES


def _closes(name: str) -> dict[dt.date, float]:
    with open(FIXTURES / name, newline="") as f:
        rows = list(csv.DictReader(f))
    date = next(k for k in rows[0] if k.lower() == "date")
    close = next(k for k in rows[0] if k.lower() == "close")
    return {dt.date.fromisoformat(r[date]): float(r[close]) for r in rows}


def _before(closes, day):
    earlier = [d for d in closes if d < day]
    return closes[max(earlier)] if earlier else None


@pytest.fixture
def window(make_window, today_is):
    today_is(dt.date(2024, 3, 8))
    w = make_window()
    import_price_file(w.store, FIXTURES / "RUT_daily_2023-2024.csv", "^RUT")
    import_price_file(w.store, FIXTURES / "GSPC_daily_2023-2024.csv", "^GSPC")
    import_price_file(w.store, FIXTURES / "SUM_yahoo_2023-2024.csv", "SUM")
    assert w.editor.watch("SUM")
    w.reload()
    return w


def test_the_changes_from_the_real_closes(window):
    rows = {r.symbol: r for r in window.watchlist.model.rows}
    for symbol, name in (("^RUT", "RUT_daily_2023-2024.csv"), ("SUM", "SUM_yahoo_2023-2024.csv")):
        closes = _closes(name)
        days = sorted(closes)
        last = closes[days[-1]]
        row = rows[symbol]
        assert row.day_change == pytest.approx(last / closes[days[-2]] - 1)
        # 1M: from the last close before 9 February; YTD: before 1 January.
        assert row.month_change == pytest.approx(last / _before(closes, dt.date(2024, 2, 9)) - 1)
        assert row.ytd_change == pytest.approx(last / _before(closes, dt.date(2024, 1, 1)) - 1)
        assert row.year_change is None  # the files begin in December 2023: no base a year ago
    model = window.watchlist.model
    column = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert column[4:8] == ["1D", "1M", "YTD", "1Y"]
    r = [x.symbol for x in model.rows].index("SUM")
    assert model.data(model.index(r, 7)) == "—"
    assert "not known" in model.data(model.index(r, 7), Qt.ItemDataRole.ToolTipRole)


def test_a_change_is_unknown_without_a_price_in_the_period():
    starts = base_days(dt.date(2026, 12, 1))
    last = (dt.date(2025, 2, 7), 40.56)  # SUM: acquired, no price since
    bases = {n: (dt.date(2025, 1, 2), 38.0) for n in starts}
    changes = price_changes(last, (dt.date(2025, 2, 6), 40.42), bases, starts)
    assert changes["1D"] == pytest.approx(40.56 / 40.42 - 1)  # its last day's change
    assert changes["1M"] is None and changes["YTD"] is None and changes["1Y"] is None


def test_a_header_click_sorts_unknown_values_last_and_selection_follows(window, qtbot):
    model, table = window.watchlist.model, window.watchlist.table
    ytd = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)].index("YTD")
    table.sortByColumn(ytd, Qt.SortOrder.DescendingOrder)
    values = [r.ytd_change for r in model.rows]
    assert values == sorted(values, reverse=True)
    table.selectRow(0)
    first = window.watchlist.selected()
    table.sortByColumn(ytd, Qt.SortOrder.AscendingOrder)
    assert [r.ytd_change for r in model.rows] == sorted(values)
    assert window.watchlist.selected() is first  # the selection followed its row
    assert model.rows[-1] is first
    window.reload()  # new rows keep the order asked for
    assert [r.ytd_change for r in model.rows] == sorted(values)


def test_compare_adds_the_row_to_the_performance_chart(window, qtbot):
    window.start_background(refresh=False)
    window.tabs.setCurrentIndex(2)
    symbols = [r.symbol for r in window.watchlist.model.rows]
    window.watchlist.table.selectRow(symbols.index("SUM"))
    qtbot.mouseClick(window.watchlist.compare_button, Qt.MouseButton.LeftButton)
    assert window.benchmarks == ("^RUT", "^GSPC", "SUM")
    assert window.store.setting("benchmarks") == "^RUT,^GSPC,SUM"
    assert window.benchmark_menu.chosen == ("^RUT", "^GSPC", "SUM")
    qtbot.mouseClick(window.watchlist.compare_button, Qt.MouseButton.LeftButton)
    assert "already compares with SUM" in window.statusBar().currentMessage()
