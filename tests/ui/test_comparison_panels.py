"""Relative strength and drawdown under the returns chart: the snapshot's frames, on its dates."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from desktop.ui.chart import series_to_xy
from tests.ui.conftest import buy, show_range, weekdays

#: The last close of ``_window``'s history (two years from 2 January 2023): the tests' today.
LAST_CLOSE = dt.date(2024, 11, 29)


@pytest.fixture(autouse=True)
def _on_the_last_close(today_is):
    today_is(LAST_CLOSE)


def _window(make_window, *, gspc=True):
    window = make_window()
    days = weekdays(dt.date(2023, 1, 2), 700)
    series = [("COHU", 0.002, 0.05), ("^RUT", 0.001, 0.03)] + [("^GSPC", 0.0015, 0.02)] * gspc
    for symbol, drift, swing in series:
        rows = [
            {"date": d, "close": 30 * (1 + drift) ** i * (1 + swing * np.sin(i / 9))}
            for i, d in enumerate(days)
        ]
        window.store.upsert_prices(symbol, rows, "csv")
    window.editor.add_trade(buy(day=dt.date(2023, 1, 3)))
    window.start_background(refresh=False)
    return window


def test_the_panels_hold_the_range_s_relative_strength_and_drawdown(make_window):
    from desktop.core import chart_data

    window = _window(make_window)
    show_range(window, "1Y")
    s = window.performance.for_range("1Y")
    relative = chart_data.relative_strength(s, ["^RUT", "^GSPC"])
    drawdown = chart_data.drawdown(s, ["^RUT", "^GSPC"])
    panels = window.panels
    for symbol in ("^RUT", "^GSPC"):
        curve = panels.curve("relative", symbol)
        x, y = curve.xData, curve.yData  # all of it (what is drawn is clipped to the view)
        ex, ey = series_to_xy(relative[symbol])
        assert np.array_equal(x, ex) and np.allclose(y, ey, rtol=0, atol=0)
        assert y[0] == 1.0  # level with it at the base
    for column in ("portfolio", "^RUT", "^GSPC"):
        y = panels.curve("drawdown", column).yData
        assert np.allclose(y, drawdown[column].to_numpy() * 100.0, rtol=0, atol=1e-12)
        assert (y <= 0).all()
    # The last relative strength is the chart's last points: (1 + portfolio) / (1 + benchmark).
    lines = window.performance.lines("1Y")
    last_p = lines["Portfolio"].iloc[-1]
    last_b = lines["Russell 2000 (^RUT)"].iloc[-1]
    assert panels.curve("relative", "^RUT").yData[-1] == pytest.approx(
        (1 + last_p) / (1 + last_b), rel=1e-12
    )


def _screen_x(graphics_view, view_box, t: float) -> float:
    """Where date ``t`` (epoch seconds) is drawn, in global screen pixels."""
    from PySide6.QtCore import QPointF

    scene = view_box.mapViewToScene(QPointF(t, 0.0))
    return graphics_view.mapToGlobal(graphics_view.mapFromScene(scene)).x()


def test_the_panels_follow_the_returns_chart_s_range_and_zoom(make_window, qtbot):
    window = _window(make_window)
    window.resize(1180, 900)
    window.show()
    qtbot.waitExposed(window)
    show_range(window, "Max")
    chart_view = window.chart._plot.getPlotItem().getViewBox()
    panels = window.panels

    def aligned() -> bool:  # a date is drawn at the same screen x in the chart and the panels
        low, high = chart_view.viewRange()[0]
        for t in (low + (high - low) * f for f in (0.2, 0.5, 0.8)):
            at = _screen_x(window.chart._plot, chart_view, t)
            for plot in (panels.relative, panels.drawdown):
                if abs(_screen_x(panels.view, plot.getViewBox(), t) - at) > 1:
                    return False
        return True

    qtbot.waitUntil(aligned)
    low, high = chart_view.viewRange()[0]
    chart_view.setXRange(low + (high - low) / 2, high, padding=0)  # a zoom on the chart
    qtbot.waitUntil(aligned)
    assert panels.relative.getViewBox().viewRange()[0][0] > low + (high - low) / 3  # followed


def test_a_benchmark_without_closes_has_no_line_in_the_panels(make_window):
    window = _window(make_window, gspc=False)
    show_range(window, "1Y")
    gspc = window.panels.curve("relative", "^GSPC")
    assert gspc is None or gspc.xData is None or len(gspc.xData) == 0
    assert len(window.panels.curve("relative", "^RUT").xData) > 200


def test_without_trades_the_panels_are_empty(make_window):
    window = make_window()
    window.start_background(refresh=False)
    assert all(c.xData is None or len(c.xData) == 0 for c in window.panels._curves.values())


def test_the_chart_s_crosshair_shows_on_the_panels_with_their_values(make_window):
    window = _window(make_window)
    show_range(window, "1Y")
    panels = window.panels
    relative = panels.frames["relative"]
    day = relative.index[len(relative) // 2]
    at = float(day.timestamp())
    window.chart.crosshairMoved.emit(at)  # as the chart's mouse tracking sends it
    assert all(line.isVisible() and line.value() == at for line in panels._crosshairs)
    title = panels.relative.titleLabel.text
    assert f"^RUT {relative.loc[day, '^RUT']:.3f}" in title
    drawdown = panels.frames["drawdown"]
    assert f"portfolio {drawdown.loc[day, 'portfolio']:+.1%}" in panels.drawdown.titleLabel.text
    window.chart.crosshairMoved.emit(float("nan"))
    assert not any(line.isVisible() for line in panels._crosshairs)
    assert f"^RUT {relative['^RUT'].iloc[-1]:.3f}" in panels.relative.titleLabel.text


def test_a_series_turned_off_in_the_legend_is_off_in_every_panel_under_the_chart(make_window):
    from desktop.ui.performance import benchmark_label

    window = _window(make_window)
    show_range(window, "Max")
    for index in range(window.more.count()):  # every tab drawn
        window.more.setCurrentIndex(index)
    rut = benchmark_label("^RUT")
    window.chart._legend.toggled.emit(rut)  # as a click on its legend entry
    panels = window.panels

    def shown(curves):
        return {c.name(): c.isVisibleTo(c.parentItem()) for c in curves if c.xData is not None}

    assert shown([panels.curve("relative", "^RUT"), panels.curve("relative", "^GSPC")]) == {
        rut: False,
        benchmark_label("^GSPC"): True,
    }
    assert not panels.curve("drawdown", "^RUT").isVisibleTo(panels.drawdown)
    assert panels.curve("drawdown", "portfolio").isVisibleTo(panels.drawdown)
    assert "^RUT" not in panels.relative.titleLabel.text  # nor read out
    assert "^GSPC" in panels.relative.titleLabel.text
    value = window.value_plot.curves
    assert not value["^RUT"].isVisibleTo(value["^RUT"].parentItem())
    assert value["market_value"].isVisibleTo(value["market_value"].parentItem())
    excess = window.rolling_excess.curves
    assert not excess["excess:^RUT"].isVisibleTo(excess["excess:^RUT"].parentItem())
    assert excess["excess:^GSPC"].isVisibleTo(excess["excess:^GSPC"].parentItem())
    assert not window.rolling.curves["^RUT"].isVisibleTo(window.rolling.curves["^RUT"].parentItem())
    window.chart._legend.toggled.emit(rut)  # on again: everywhere
    assert panels.curve("relative", "^RUT").isVisibleTo(panels.relative.vb.childGroup)
    assert value["^RUT"].isVisibleTo(value["^RUT"].parentItem())
