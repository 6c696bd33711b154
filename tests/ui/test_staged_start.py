"""The app's start builds only what the first paint shows (``MainWindow(staged=True)``): the
Trades and Watchlist tabs' contents, the filter bar, the figure strip and the refresh's status-bar
parts come with ``finish_build()`` right after it. The window they make is the same one a
window built at once shows, and an action that needs a part not built yet builds it first."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import QSettings, Qt

from desktop.data.store import Store
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
