"""What the window keeps between runs: geometry clamped to the screen, the tab, the splitters,
the columns (widths, sort), the range and log scale, the tab under the chart; a value that
does not read back is ignored."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from desktop.ui import window_state
from tests.ui.conftest import buy


def _settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)


def _open(make_window, path, settings):
    window = make_window(path)
    window.restore_state(settings)
    window.show()
    window.start_background(refresh=False)
    return window


def test_what_the_user_arranged_comes_back_after_a_restart(make_window, tmp_path, qtbot):
    path, settings = tmp_path / "p.sqlite", _settings(tmp_path)
    first = _open(make_window, path, settings)
    first.store.upsert_prices("COHU", [{"date": "2024-01-05", "close": 32.1}], "csv")
    assert first.editor.add_trade(buy()) == []
    first.resize(700, 500)  # within the offscreen screen (800 x 600)
    first.tabs.setCurrentIndex(2)
    first.splitter.setSizes([300, 300])
    first.holdings_view.setColumnWidth(3, 133)  # (1, the name, stretches)
    first.watchlist.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    first.chart.range_button("3Y").click()
    first.chart.log_button.setChecked(True)
    first.more.setCurrentIndex(2)
    first.chart_panes.setSizes([500, 250])
    sizes = first.splitter.sizes()
    panes = first.chart_panes.sizes()
    first.save_state(settings)
    settings.sync()
    first.close()

    second = _open(make_window, path, _settings(tmp_path))
    assert (second.width(), second.height()) == (700, 500)
    assert second.tabs.currentIndex() == 2
    assert second.splitter.sizes() == sizes
    assert second.holdings_view.columnWidth(3) == 133  # kept, not fitted to the text again
    header = second.watchlist.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        0,
        Qt.SortOrder.DescendingOrder,
    )
    assert second.chart_range == "3Y" and second.chart.range_name() == "3Y"
    assert second.chart.log_button.isChecked()
    assert second.more.currentIndex() == 2
    assert second.chart_panes.sizes() == panes


def test_a_geometry_larger_than_the_screen_or_off_it_is_brought_back(make_window, tmp_path):
    window = make_window()
    available = window.screen().availableGeometry()
    window.resize(available.width() * 2, available.height() * 2)
    window.move(available.right() + 500, available.bottom() + 500)  # a monitor since unplugged
    window_state.clamp_to_screen(window)
    frame = window.frameGeometry()
    assert available.contains(frame), (available, frame)


def test_values_that_do_not_read_back_are_ignored(make_window, tmp_path):
    settings = _settings(tmp_path)
    for key, junk in (
        (window_state.GEOMETRY, "not a geometry"),
        (window_state.TAB, "seven"),
        (window_state.RANGE, "2W"),
        (window_state.HOLDINGS_COLUMNS, 42),
        (window_state.CHART_TAB, 99),
    ):
        settings.setValue(key, junk)
    window = _open(make_window, tmp_path / "p.sqlite", settings)
    assert window.tabs.currentIndex() == 0 and window.chart_range == "1Y"
    assert window.more.currentIndex() == 0
    assert not window.holdings_view.property("keepWidths")


def test_every_key_is_declared_in_one_module():
    import pathlib
    import re

    source = pathlib.Path(window_state.__file__).read_text()
    declared = set(re.findall(r'^[A-Z_]+ = "([a-z_]+/[a-z_]+)"', source, re.M))
    assert declared == set(window_state.KEYS)
    ui = pathlib.Path(window_state.__file__).parent
    for module in ui.glob("*.py"):
        if module.name != "window_state.py":
            text = module.read_text()
            assert not any(f'"{key}"' in text for key in declared), module.name
