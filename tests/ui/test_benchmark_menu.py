"""Choosing the benchmarks: one click for ^RUJ and ^RUO, any cached symbol, kept and fetched."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.core.model import benchmark_kind, benchmark_symbol, parse_benchmarks
from tests.ui.conftest import weekdays
from tests.ui.test_comparison_panels import LAST_CLOSE, _window


@pytest.fixture(autouse=True)
def _on_the_last_close(today_is):
    today_is(LAST_CLOSE)  # the ranges count back from today: _window's history ends then


def _close_series(window, symbol, drift):
    days = weekdays(dt.date(2023, 1, 2), 700)
    rows = [{"date": d, "close": 50 * (1 + drift) ** i} for i, d in enumerate(days)]
    window.store.upsert_prices(symbol, rows, "csv")


def test_a_benchmark_picked_in_the_menu_is_compared_with_and_kept(make_window):
    window = _window(make_window)
    _close_series(window, "^RUJ", 0.0008)
    window.reload()
    menu = window.benchmark_menu
    menu._fill()
    actions = {a.text(): a for a in menu.menu().actions() if a.isCheckable()}
    assert actions["Russell 2000 (^RUT) · price index"].isChecked()
    assert not actions["Russell 2000 Value (^RUJ) · price index"].isChecked()
    assert "S&P 500 Total Return (^SP500TR) · total return" in actions
    proxies = [
        "Russell 2000 with dividends (IWM:TR) · total return proxy (IWM adjusted closes)",
        "S&P 500 with dividends (SPY:TR) · total return proxy (SPY adjusted closes)",
    ]
    assert all(p in actions for p in proxies)
    actions["Russell 2000 Value (^RUJ) · price index"].trigger()  # a click
    assert window.benchmarks == ("^RUT", "^GSPC", "^RUJ")
    assert window.store.setting("benchmarks") == "^RUT,^GSPC,^RUJ"
    snapshot = window.performance.for_range(window.chart_range)
    assert set(snapshot.benchmarks) == {"^RUT", "^GSPC", "^RUJ"}
    assert "excess:^RUJ" in {f.key for f in window.figure_strip.shown}
    assert "Russell 2000 Value (^RUJ)" in window.performance.lines(window.chart_range)
    # Unticked: gone from every view.
    menu._fill()
    [a for a in menu.menu().actions() if a.text().startswith("S&P 500 (^GSPC)")][0].trigger()
    assert window.benchmarks == ("^RUT", "^RUJ")
    assert "excess:^GSPC" not in {f.key for f in window.figure_strip.shown}


def test_the_next_window_and_a_refresh_use_the_kept_choice(make_window):
    from desktop.data.refresh import symbols_to_refresh

    window = _window(make_window)
    window.benchmark_menu.set_chosen(("^RUT", "^RUO"))
    again = make_window(window.store.path)
    assert again.benchmarks == ("^RUT", "^RUO")
    assert {"^RUO", "^RUT", "^GSPC"} <= set(symbols_to_refresh(again.store))


def test_a_cached_symbol_can_be_added(make_window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    window = _window(make_window)
    _close_series(window, "IWM", 0.0009)
    offered = []

    def pick(parent, title, label, items, current, editable):
        offered.extend(items)
        return "IWM", True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    window.benchmark_menu._add_cached()
    assert "IWM" in offered and "^RUT" not in offered  # chosen ones are not offered again
    assert window.benchmarks[-1] == "IWM"
    assert "excess:IWM" in {f.key for f in window.figure_strip.shown}


def test_kinds_and_the_setting_s_defaults():
    assert benchmark_kind("^SP500TR") == "total return"
    assert benchmark_kind("^RUJ") == "price index"
    assert benchmark_kind("IWM") == "price"
    assert benchmark_kind("IWM:TR") == "total return proxy (IWM adjusted closes)"
    assert (benchmark_symbol("IWM:TR"), benchmark_symbol("^RUT")) == ("IWM", "^RUT")
    assert parse_benchmarks(None) == ("^RUT", "^GSPC")
    assert parse_benchmarks(" ^RUJ, ^RUJ ,IWM,") == ("^RUJ", "IWM")


def test_unticking_every_benchmark_is_kept_and_the_chart_command_follows_the_choice(
    make_window, capsys, tmp_path
):
    import csv

    from desktop.app import main

    window = _window(make_window)
    window.benchmark_menu.set_chosen(())
    assert make_window(window.store.path).benchmarks == ()  # not the defaults again
    window.benchmark_menu.set_chosen(("^RUT",))
    out = tmp_path / "perf.csv"
    assert main(["--db", str(window.store.path), "chart", "performance", "--out", str(out)]) == 0
    with open(out, newline="") as f:
        assert next(csv.reader(f)) == ["date", "portfolio", "^RUT"]  # as the window compares


def test_a_series_has_one_colour_in_the_chart_and_every_panel(make_window, qtbot):
    window = _window(make_window)
    _close_series(window, "^RUJ", 0.0008)
    window.benchmark_menu.set_chosen(("^RUT", "^GSPC", "^RUJ"))
    qtbot.waitUntil(lambda: window.panels.curve("relative", "^RUJ") is not None)  # next turn
    window.more.setCurrentIndex(1)  # rolling, drawn when shown
    label = "Russell 2000 Value (^RUJ)"
    colours = {
        window.chart.line(label).opts["pen"].color().name(),
        window.panels.curve("relative", "^RUJ").opts["pen"].color().name(),
        window.rolling.curves["^RUJ"].opts["pen"].color().name(),
    }
    assert len(colours) == 1
    window.benchmark_menu.set_chosen(("^RUT", "^GSPC"))
    qtbot.waitUntil(lambda: window._more_drawn == {1})  # the shown tab redrawn, next turn
    legend = [label_item.text for _, label_item in window.rolling.legend.items]
    assert label not in legend  # a benchmark no longer compared leaves the legend
