"""The app's start builds only what the first paint shows (``MainWindow(staged=True)``): the
Trades and Watchlist tabs' contents, the filter bar, the figure strip and the refresh's status-bar
parts come with ``finish_build()`` right after it. The window they make is the same one a
window built at once shows, and an action that needs a part not built yet builds it first."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import QSettings, Qt

from desktop.data.store import Store
from desktop.ui import window_state
from desktop.ui.main_window import MainWindow
from desktop.ui.tasks import TaskRunner
from tests.conftest import run_smoke_test
from tests.ui.conftest import buy


def _store_with_a_holding(path) -> Store:
    store = Store(path)
    store.add_trade(buy())  # 100 COHU at 32.10 on 2024-01-05
    store.upsert_prices("COHU", [{"date": "2024-01-05", "close": 32.1}], "csv")
    store.upsert_prices("^RUT", [{"date": "2024-01-05", "close": 1950.0}], "csv")
    store.add_to_watchlist("SUM")
    return store


def _staged(qtbot, store) -> MainWindow:
    window = MainWindow(store, TaskRunner(synchronous=True), staged=True)
    qtbot.addWidget(window)
    return window


def _watchlist_rows(window: MainWindow) -> list[tuple[str, float | None]]:
    return [(r.symbol, r.last_close) for r in window.watchlist.model.rows]


def test_the_first_paint_has_the_holdings_and_the_rest_comes_after(qtbot, tmp_path):
    store = _store_with_a_holding(tmp_path / "p.sqlite")
    window = _staged(qtbot, store)
    assert not window.built
    assert window.trades_view is None and window.watchlist is None
    assert window.table_filter is None and window.figure_strip is None
    assert window.refresher is None and not window.refreshing
    # The holdings are there before anything else: one row, COHU, 100 shares at 32.10.
    assert window.holdings_model.rowCount() == 1
    assert window.holdings_model.rows[0].symbol == "COHU"
    assert window.holdings_model.rows[0].market_value == 3210.0
    assert window.tabs.tabText(1) == "&Trades" and window.tabs.tabText(2) == "&Watchlist"
    painted = []
    window.holdings_view.on_first_paint = lambda: painted.append(True)
    window.show()
    qtbot.waitUntil(lambda: painted == [True])

    window.finish_build()
    assert window.built
    assert window.trades_page.layout().itemAt(0).widget() is window.trades_view
    assert window.watchlist_page.layout().itemAt(0).widget() is window.watchlist
    # The watchlist the first paint read, shown now: the benchmarks and SUM, as a window built
    # at once shows them.
    other = MainWindow(Store(tmp_path / "p.sqlite"), TaskRunner(synchronous=True))
    qtbot.addWidget(other)
    assert _watchlist_rows(window) == _watchlist_rows(other)
    assert {"^RUT", "^GSPC", "SUM"} <= {symbol for symbol, _ in _watchlist_rows(window)}
    assert dict(_watchlist_rows(window))["^RUT"] == 1950.0
    # The refresh's progress and Cancel sit left of the prices' date, as they always did.
    window.progress.show()
    window.refresher.cancel_button.show()
    qtbot.waitUntil(lambda: window.refresher.cancel_button.isVisible())
    window.statusBar().layout().activate()
    progress, cancel = window.progress.geometry(), window.refresher.cancel_button.geometry()
    assert progress.right() < cancel.left() < window.freshness.geometry().left()
    window.finish_build()  # once: a second call builds nothing again
    assert window.trades_page.layout().count() == 1
    other.store.close()


def test_the_trades_tab_is_filled_when_shown_after_the_build(qtbot, tmp_path):
    store = _store_with_a_holding(tmp_path / "p.sqlite")
    window = _staged(qtbot, store)
    window.tabs.setCurrentIndex(1)  # chosen before the rest is built
    window.finish_build()
    assert window.trades_model.rowCount() == 1
    assert window.trades_model.trade(0).symbol == "COHU"


def test_columns_kept_from_last_time_reach_the_tables_built_later(qtbot, tmp_path):
    path = tmp_path / "p.sqlite"
    settings = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    first = MainWindow(_store_with_a_holding(path), TaskRunner(synchronous=True))
    qtbot.addWidget(first)
    first.trades_view.setColumnWidth(2, 171)
    first.watchlist.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    first.save_state(settings)
    settings.sync()
    first.store.close()

    window = _staged(qtbot, Store(path))
    window.restore_state(settings)
    window.finish_build()
    assert window.trades_view.columnWidth(2) == 171
    assert window.trades_view.property("keepWidths")
    header = window.watchlist.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        0,
        Qt.SortOrder.DescendingOrder,
    )


def test_ctrl_f_before_the_build_builds_and_opens_the_filter(qtbot, tmp_path):
    from desktop.ui.actions import Act

    window = _staged(qtbot, _store_with_a_holding(tmp_path / "p.sqlite"))
    window.show()
    window.actions[Act.FILTER].trigger()
    assert window.built and window.table_filter.isVisible()


def test_refresh_before_the_build_builds_the_refresh_first(qtbot, tmp_path):
    window = _staged(qtbot, _store_with_a_holding(tmp_path / "p.sqlite"))
    window.refresh_prices()  # no sources: the refresh says so in the status bar
    assert window.built and window.refresher is not None
    assert not window.refreshing


def test_a_start_on_another_tab_than_the_holdings_goes_on(tmp_path, subprocess_env):
    """The holdings are not painted when the Trades tab was the last one shown: the rest of
    the start cannot wait for their paint (it once waited for ever)."""
    db = tmp_path / "p.sqlite"
    code = (
        "from PySide6.QtCore import QSettings; from desktop import APP_NAME; "
        "from desktop.ui.window_state import TAB; "
        "s = QSettings('PortfolioDesk', APP_NAME); s.setValue(TAB, 1); s.sync()"
    )
    env = {**subprocess_env, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    assert list((tmp_path / "config").rglob("*.conf")), "the settings were not written"
    result = run_smoke_test(db, env)
    assert result.returncode == 0, result.stderr
    assert "holdings shown: not on the tab shown (0 holdings)" in result.stdout, result.stdout


def _three_holdings(path) -> Store:
    """AAA 10 x 10 = 100, BBB 3 x 50 = 150, CCC 20 x 20 = 400, and ZZZ without a price."""
    store = Store(path)
    day = "2024-01-05"
    for symbol, close in (("AAA", 10.0), ("BBB", 50.0), ("CCC", 20.0)):
        store.upsert_prices(symbol, [{"date": day, "close": close}], "csv")
    for symbol, qty in (("AAA", "10"), ("BBB", "3"), ("CCC", "20"), ("ZZZ", "5")):
        store.add_trade(buy(symbol, qty, "9", fee="0"))
    return store


ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.TextAlignmentRole,
)


def _cells(model) -> list[list[tuple]]:
    return [
        [
            tuple(model.data(model.index(row, column), role) for role in ROLES)
            for column in range(model.columnCount())
        ]
        for row in range(model.rowCount())
    ]


def _headers(model) -> list[tuple]:
    horizontal = Qt.Orientation.Horizontal
    return [
        (model.headerData(c, horizontal), model.headerData(c, horizontal, ROLES[3]))
        for c in range(model.columnCount())
    ]


def test_the_first_paint_shows_a_copy_of_the_holdings_cell_for_cell(qtbot, tmp_path):
    """Until the build the holdings table paints Qt's own items (a Python model on a view
    makes PySide build the ``Qt`` namespace): the same texts, colours, tooltips, alignments,
    headers and column widths as the model, which it shows from the build on."""
    window = _staged(qtbot, _three_holdings(tmp_path / "p.sqlite"))
    view, model = window.holdings_view, window.holdings_model
    copy = view.model()
    assert copy is not model and copy.rowCount() == model.rowCount() == 4
    assert _cells(copy) == _cells(model)
    assert _headers(copy) == _headers(model)
    symbols = [copy.data(copy.index(row, 0)) for row in range(4)]
    assert symbols == [h.symbol for h in model.rows] and "ZZZ" in symbols
    widths = [view.columnWidth(c) for c in range(model.columnCount())]
    assert not view.horizontalHeader().isSortIndicatorShown()  # no arrow: no sort asked

    window.finish_build()
    assert view.model() is model
    assert [view.columnWidth(c) for c in range(model.columnCount())] == widths
    header = view.horizontalHeader()
    assert header.sortIndicatorSection() == -1 and view.isSortingEnabled()
    # A window built at once fits the same widths to the same texts.
    other = MainWindow(Store(tmp_path / "p.sqlite"), TaskRunner(synchronous=True))
    qtbot.addWidget(other)
    assert [other.holdings_view.columnWidth(c) for c in range(model.columnCount())] == widths
    other.store.close()
    # A header click sorts the model itself now: market value 400, 150, 100, unpriced last.
    value = [c.header for c in model.columns].index("Market value")
    view.sortByColumn(value, Qt.SortOrder.DescendingOrder)
    assert [h.symbol for h in model.rows] == ["CCC", "BBB", "AAA", "ZZZ"]


def test_a_sort_kept_from_last_time_is_the_first_paints_order(qtbot, tmp_path):
    path = tmp_path / "p.sqlite"
    settings = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    first = MainWindow(_three_holdings(path), TaskRunner(synchronous=True))
    qtbot.addWidget(first)
    value = [c.header for c in first.holdings_model.columns].index("Market value")
    first.holdings_view.sortByColumn(value, Qt.SortOrder.DescendingOrder)
    first.save_state(settings)
    settings.sync()
    first.store.close()
    assert settings.value(window_state.HOLDINGS_SORT) == f"{value} descending"

    window = _staged(qtbot, Store(path))
    window.restore_state(settings)
    copy = window.holdings_view.model()
    assert copy is not window.holdings_model
    assert [copy.data(copy.index(row, 0)) for row in range(4)] == ["CCC", "BBB", "AAA", "ZZZ"]
    header = window.holdings_view.horizontalHeader()
    window.finish_build()
    assert window.holdings_view.model() is window.holdings_model
    assert [h.symbol for h in window.holdings_model.rows] == ["CCC", "BBB", "AAA", "ZZZ"]
    assert window.holdings_model.sorted_by == (value, True)
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        value,
        Qt.SortOrder.DescendingOrder,
    )
    window.store.close()

    # A state kept by an earlier version has the sort in the header's state only: read there.
    settings.remove(window_state.HOLDINGS_SORT)
    older = _staged(qtbot, Store(path))
    older.restore_state(settings)
    copy = older.holdings_view.model()
    assert [copy.data(copy.index(row, 0)) for row in range(4)] == ["CCC", "BBB", "AAA", "ZZZ"]
    older.store.close()

    # A value that does not read back is ignored: the order given, no arrow once built.
    settings.setValue(window_state.HOLDINGS_SORT, "market value, please")
    edited = _staged(qtbot, Store(path))
    edited.restore_state(settings)
    edited.finish_build()
    assert edited.holdings_model.sorted_by is None
    assert edited.holdings_view.horizontalHeader().sortIndicatorSection() == -1
    edited.store.close()


def test_a_start_with_a_sort_kept_paints_without_the_qt_namespace(tmp_path, subprocess_env):
    """The smoke test's list of what was loaded at the first paint names the namespace when
    it was made; a kept sort, sorted before the paint, must not make it."""
    db = tmp_path / "p.sqlite"
    _three_holdings(db).close()
    code = (
        "import sys; from PySide6.QtCore import QSettings; "
        "from PySide6.QtWidgets import QApplication, QTableView; "
        "from desktop import APP_NAME; from desktop.ui import window_state; "
        "from desktop.ui.holdings_model import HoldingsModel; "
        "app = QApplication(sys.argv[:1]); view = QTableView(); "
        "view.setModel(HoldingsModel().static_copy(0)); "
        "s = QSettings('PortfolioDesk', APP_NAME); "
        "s.setValue(window_state.HOLDINGS_COLUMNS, view.horizontalHeader().saveState()); "
        "s.setValue(window_state.HOLDINGS_SORT, '7 descending'); s.sync()"
    )
    env = {**subprocess_env, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    result = run_smoke_test(db, env)
    assert result.returncode == 0, result.stderr
    assert "(4 holdings)" in result.stdout, result.stdout
    assert "loaded at first paint: none (of " in result.stdout, result.stdout
    assert "PySide6.QtCore.Qt)" in result.stdout


def test_a_kept_range_is_checked_when_the_window_is_built(qtbot, tmp_path):
    """A staged start takes the range kept last time before its first paint and checks it
    once built (its names are ``core.periods``', not loaded for the paint): a known one is
    kept, one that does not read back gives way to 1Y."""
    path = tmp_path / "p.sqlite"
    _store_with_a_holding(path).close()
    settings = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    for kept, shown in (
        ("3Y", "3Y"),
        ("2024-01-02..2024-03-28", "2024-01-02..2024-03-28"),
        ("2W", "1Y"),
        ("2024-13-01..soon", "1Y"),
    ):
        settings.setValue(window_state.RANGE, kept)
        window = _staged(qtbot, Store(path))
        window.restore_state(settings)
        window.finish_build()
        assert window.chart_range == shown
        window.store.close()


def test_the_watchlists_changes_are_read_when_its_tab_is_built(qtbot, tmp_path, monkeypatch):
    """The first paint reads the watched symbols' last closes (the status bar's dates, the
    holdings' notes) but not their 1M, YTD and 1Y changes, which only the Watchlist tab shows:
    those come with the build."""
    store = _store_with_a_holding(tmp_path / "p.sqlite")
    asked = []
    close_before = store.close_before
    monkeypatch.setattr(store, "close_before", lambda *a: asked.append(a) or close_before(*a))
    window = _staged(qtbot, store)
    assert asked == [] and window.freshness.text() == "Prices as of 2024-01-05"
    window.finish_build()
    # Three base closes (1M, YTD, 1Y) for each watched symbol that has a price: ^RUT.
    assert sorted({symbol for symbol, _ in asked}) == ["^RUT"] and len(asked) == 3
