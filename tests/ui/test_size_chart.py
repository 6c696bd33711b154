"""The size chart draws the frame it is given: the ratio on a log scale, the excess in percent."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from desktop.ui.chart_axes import LogRatioAxis
from desktop.ui.size_chart import SizeChart

DAYS = pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-04"], name="date")


@pytest.fixture
def chart(qtbot):
    widget = SizeChart()
    qtbot.addWidget(widget)
    widget.resize(800, 500)
    widget.show()
    return widget


def test_the_ratio_is_drawn_as_its_log_and_the_excess_in_percent(chart):
    frame = pd.DataFrame({"ratio": [0.5, 0.4, 1.0], "excess_12m": [np.nan, 0.1, -0.05]}, DAYS)
    chart.set_data(frame)
    x, y = chart.ratio.getData()
    assert x.tolist() == [1704153600.0, 1704240000.0, 1704326400.0]  # UTC midnights
    assert y.tolist() == pytest.approx([math.log10(0.5), math.log10(0.4), 0.0])
    _, excess = chart.excess.getData()
    assert np.isnan(excess[0]) and excess[1:].tolist() == pytest.approx([10.0, -5.0])
    assert "1.000 on 04 Jan 2024" in chart.ratio_plot.titleLabel.text
    assert "\u22125.0% on 04 Jan 2024" in chart.excess_plot.titleLabel.text


def test_an_empty_frame_clears_both_plots(chart):
    chart.set_data(pd.DataFrame({"ratio": [0.5], "excess_12m": [0.1]}, DAYS[:1]))
    chart.set_data(pd.DataFrame({"ratio": [], "excess_12m": []}, pd.DatetimeIndex([])))
    assert len(chart.ratio.getData()[0] or []) == 0 and len(chart.excess.getData()[0] or []) == 0


@pytest.mark.parametrize(("low", "high"), [(0.3, 0.65), (0.9, 1.1), (0.35, 0.4), (2.0, 7.0)])
def test_within_a_decade_the_log_axis_is_ticked_at_round_steps(qapp, low, high):
    axis = LogRatioAxis()
    size = 300.0
    ((step, values),) = axis.tickValues(math.log10(low), math.log10(high), size)
    ratios = [10**v for v in values]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m) for m in (1, 2, 2.5, 5))  # a round step
    assert all(math.isclose(r / step, round(r / step), abs_tol=1e-9) for r in ratios)
    assert all(low <= r <= high for r in ratios) and len(ratios) >= 3
    # No two labels nearer than 45 px (three quarters of the 60 px aimed at) on this scale.
    px = size / (math.log10(high) - math.log10(low))
    assert min(np.diff(values)) * px >= 45
    labels = axis.tickStrings(values, 1.0, step)
    assert [float(t) for t in labels] == pytest.approx(ratios)  # the ratio, not its log
    assert len({len(t) for t in labels}) == 1  # as many decimals on every label


def test_over_decades_the_log_axis_marks_the_powers_of_ten(qapp):
    axis = LogRatioAxis()
    ((_, values),) = axis.tickValues(-3.0, 3.0, 400)
    labels = axis.tickStrings(values, 1.0, 0.0)
    assert labels == ["0.001", "0.01", "0.1", "1", "10", "100", "1000"]


def test_the_log_axis_draws_nothing_without_room(qapp):
    axis = LogRatioAxis()
    assert axis.tickValues(-0.5, -0.2, 0) == [] and axis.tickValues(-0.3, -0.3, 100) == []
    assert axis.tickValues(float("nan"), 0.0, 100) == []
