"""The rolling, value and monthly tabs under the chart: the snapshot's chart frames."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tests.ui.conftest import show_range, weekdays
from tests.ui.test_comparison_panels import LAST_CLOSE, _window


@pytest.fixture(autouse=True)
def _on_the_last_close(today_is):
    today_is(LAST_CLOSE)  # the ranges count back from today: _window's history ends then


def test_rolling_value_and_monthly_hold_the_range_s_frames(make_window):
    from desktop.core import chart_data

    window = _window(make_window)  # two years of closes, bought on the second day
    show_range(window, "1Y")
    s = window.performance.for_range("1Y")
    benchmarks = ["^RUT", "^GSPC"]
    assert window.rolling.curves == {}  # a tab is drawn when first shown, not at every edit
    window.more.setCurrentIndex(window.more.indexOf(window.rolling.parentWidget()))
    rolling = chart_data.rolling(s, benchmarks)
    for column in ("portfolio", *benchmarks):
        y = window.rolling.curves[column].yData
        assert np.allclose(y, rolling[column].to_numpy() * 100, equal_nan=True, rtol=0, atol=1e-12)
    excess = window.rolling_excess.curves["excess:^RUT"].yData
    expected = (rolling["portfolio"] - rolling["^RUT"]).to_numpy() * 100
    assert np.allclose(excess, expected, equal_nan=True, rtol=0, atol=1e-12)
    assert not window.rolling.note.isVisible() and window.rolling.note.text() == ""
    window.more.setCurrentIndex(window.more.indexOf(window.value_plot))
    value = chart_data.value(s, benchmarks)
    for column in ("market_value", "invested_capital", *benchmarks):
        assert np.array_equal(window.value_plot.curves[column].yData, value[column].to_numpy())
    window.more.setCurrentIndex(window.more.indexOf(window.heatmap))
    heat = chart_data.heatmap(s, benchmarks)
    table = window.heatmap
    assert [table.series.itemData(i) for i in range(table.series.count())] == [
        "portfolio",
        "excess:^RUT",
        "excess:^GSPC",
    ]
    mine = heat[heat["series"] == "portfolio"]
    for year, month, _, value_ in mine.itertuples(index=False):
        assert table.cell(year, month) == f"{value_ * 100:+.1f}"
    table.series.setCurrentIndex(1)  # the excess over the Russell 2000
    theirs = heat[heat["series"] == "excess:^RUT"]
    year, month, _, value_ = next(theirs.itertuples(index=False))
    assert table.cell(year, month) == f"{value_ * 100:+.1f}"


def test_a_range_without_a_year_of_history_before_it_says_so(make_window):
    from tests.ui.conftest import buy

    window = make_window()
    days = weekdays(dt.date(2024, 1, 1), 120)
    for symbol in ("COHU", "^RUT", "^GSPC"):
        rows = [{"date": d, "close": 30.0 + i * 0.1} for i, d in enumerate(days)]
        window.store.upsert_prices(symbol, rows, "csv")
    window.editor.add_trade(buy(day=days[1]))
    window.start_background(refresh=False)
    show_range(window, "Max")
    window.more.setCurrentIndex(1)
    assert "Less than a year of history" in window.rolling.note.text()
    assert all(c.yData is None or len(c.yData) == 0 for c in window.rolling.curves.values())


def test_three_years_is_offered_when_the_history_allows_and_draws_the_three_year_frame(
    make_window, today_is
):
    from desktop.core import chart_data
    from tests.ui.conftest import buy

    window = make_window()
    days = weekdays(dt.date(2020, 1, 1), 1600)
    today_is(days[-1])
    for symbol, drift in (("COHU", 0.0008), ("^RUT", 0.0003), ("^GSPC", 0.0005)):
        rows = [{"date": d, "close": 30.0 * (1 + drift) ** i} for i, d in enumerate(days)]
        window.store.upsert_prices(symbol, rows, "csv")
    window.editor.add_trade(buy(day=days[1]))
    window.start_background(refresh=False)
    show_range(window, "1Y")
    tab = window.rolling_tab
    window.more.setCurrentIndex(window.more.indexOf(tab))
    assert tab.years == 1 and tab.buttons[3].isEnabled()
    tab.buttons[3].click()
    s = window.performance.for_range("1Y")
    three = chart_data.rolling(s, ["^RUT", "^GSPC"], days=1095)
    for column in ("portfolio", "^RUT", "^GSPC"):
        expected = three[column].to_numpy() * 100
        assert np.allclose(window.rolling.curves[column].yData, expected, rtol=0, atol=1e-12)
    excess = (three["portfolio"] - three["^GSPC"]).to_numpy() * 100
    assert np.allclose(window.rolling_excess.curves["excess:^GSPC"].yData, excess, atol=1e-12)
    assert "three-year" in window.rolling.title.text()
    show_range(window, "3M")  # another range keeps the choice, and draws its frame
    s = window.performance.for_range("3M")
    three = chart_data.rolling(s, ["^RUT", "^GSPC"], days=1095)
    assert tab.years == 3
    y = window.rolling.curves["portfolio"].yData
    assert np.allclose(y, three["portfolio"].to_numpy() * 100, rtol=0, atol=1e-12)


def test_three_years_waits_for_three_years_of_history(make_window):
    window = _window(make_window)  # under two years of closes
    show_range(window, "1Y")
    tab = window.rolling_tab
    window.more.setCurrentIndex(window.more.indexOf(tab))
    assert not tab.buttons[3].isEnabled() and tab.years == 1
    assert "three years of history" in tab.buttons[3].toolTip()


def test_monthly_colours_are_symmetric_around_zero(qtbot):
    import pandas as pd

    from desktop.ui.heatmap_table import HeatmapTable

    table = HeatmapTable()
    qtbot.addWidget(table)
    table.set_frame(
        pd.DataFrame(
            [
                (2024, 1, "portfolio", 0.05),
                (2024, 2, "portfolio", -0.05),
                (2024, 3, "portfolio", 0.0),
            ],
            columns=["year", "month", "series", "return"],
        )
    )
    up, down, flat = (table.model.item(0, m).background().color() for m in (0, 1, 2))
    base = table.palette().color(table.palette().ColorRole.Base)

    def distance(a, b):
        return sum(abs(x - y) for x, y in zip(a.getRgbF()[:3], b.getRgbF()[:3], strict=True))

    assert flat == base  # 0: no colour
    assert up != down and distance(up, base) > 0.3 and distance(down, base) > 0.3
    assert table.cell(2024, 1) == "+5.0" and table.cell(2024, 2) == "-5.0"
    assert pytest.approx(up.lightnessF(), abs=0.25) == down.lightnessF()  # as strong


def test_a_tab_shown_follows_a_range_change_and_the_others_wait(make_window):
    from desktop.core import chart_data

    window = _window(make_window)
    window.more.setCurrentIndex(window.more.indexOf(window.value_plot))
    show_range(window, "Max")  # the value tab is shown: drawn for Max
    s = window.performance.for_range("Max")
    assert window.value_plot.frame.equals(chart_data.value(s, ["^RUT", "^GSPC"]))
    assert window.heatmap.frame is None  # never shown: never drawn
    window.more.setCurrentIndex(window.more.indexOf(window.heatmap))
    assert window.heatmap.frame.equals(chart_data.heatmap(s, ["^RUT", "^GSPC"]))
