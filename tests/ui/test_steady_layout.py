"""A range change moves nothing but the lines: labels whose text changes with the range keep
their size, and the panels follow the chart's dates once the details are drawn."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.ui.figure_strip import Figure, FigureStrip
from desktop.ui.steady_label import SteadyLabel
from tests.ui.conftest import show_range
from tests.ui.test_comparison_panels import LAST_CLOSE, _window


@pytest.fixture(autouse=True)
def _on_the_last_close(today_is):
    today_is(LAST_CLOSE)


def test_a_steady_label_keeps_the_height_its_longest_text_needed_at_its_width(qtbot):
    holder = QWidget()
    label = SteadyLabel(holder)
    QVBoxLayout(holder).addWidget(label)
    qtbot.addWidget(holder)
    holder.resize(200, 300)
    holder.show()
    qtbot.waitExposed(holder)
    label.setText("one line")
    qtbot.waitUntil(lambda: not label._measuring)  # measured after the paint
    one = label.minimumHeight()
    label.setText("a text long enough to take several lines at two hundred pixels wide, or more")
    qtbot.waitUntil(lambda: label.minimumHeight() > one)
    several = label.minimumHeight()
    assert several == label.heightForWidth(label.width())
    label.setText("one line")  # shorter again: the room stays, nothing under it moves
    qtbot.waitUntil(lambda: not label._measuring)
    assert label.minimumHeight() == several
    holder.resize(900, 300)  # another width: as much as this text needs there
    qtbot.waitUntil(lambda: label.width() > 800)
    assert label.minimumHeight() == label.heightForWidth(label.width()) < several


def test_the_strip_keeps_its_labels_when_the_same_figures_change(qtbot):
    strip = FigureStrip()
    qtbot.addWidget(strip)
    strip.set_figures([Figure("ttwror", "1Y return", "+5.00%", "gain", "tip", 0.05)])
    label = strip.labels["ttwror"]
    strip.set_figures([Figure("ttwror", "Max return", "-2.00%", "loss", "tip", -0.02)])
    assert strip.labels["ttwror"] is label and "Max return" in label.text()
    assert strip.text_of("ttwror") == "-2.00%"
    strip.set_figures([Figure("irr", "IRR", "+1.0%", "gain", "tip", 0.01)])  # others: new
    assert list(strip.labels) == ["irr"]


def test_after_a_range_change_the_panels_follow_the_chart_s_dates(make_window, qtbot):
    window = _window(make_window)
    window.resize(1280, 900)
    window.show()
    qtbot.waitExposed(window)
    chart = window.chart._plot.getPlotItem().getViewBox()
    panel = window.panels.relative.getViewBox()
    for name in ("3M", "Max", "1Y"):
        show_range(window, name)
        assert panel.linkedView(0) is chart
        # Linked views align by screen position: a pixel or two apart on plots whose axes
        # differ in width, so within a hundredth of the span.
        (lo, hi) = chart.viewRange()[0]
        assert panel.viewRange()[0] == pytest.approx([lo, hi], abs=(hi - lo) / 100)
    first = window.performance.lines("1Y")["Portfolio"].index[0].timestamp()
    assert chart.viewRange()[0][0] < first < chart.viewRange()[0][1]
