"""The returns chart draws what it is given: points, epoch-second dates, ranges, messages."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from desktop.core.returns import range_start
from desktop.ui.chart import RANGES, ReturnsChart, series_to_xy
from desktop.ui.chart_axes import DAY, DateAxis, PercentAxis
from desktop.ui.performance import PORTFOLIO, benchmark_label
from tests.ui.conftest import contrast

RUT = benchmark_label("^RUT")
GSPC = benchmark_label("^GSPC")
JAN_2_2024 = 1_704_153_600  # 2024-01-02 00:00 UTC


def returns(values, start="2024-01-02", unit="us"):
    index = pd.bdate_range(start, periods=len(values)).as_unit(unit)
    return pd.Series(values, index=index, dtype=float)


@pytest.fixture
def chart(qtbot):
    widget = ReturnsChart()
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def data(item):
    x, y = item.xData, item.yData
    return (np.empty(0) if x is None else x), (np.empty(0) if y is None else y)


# -- series_to_xy --------------------------------------------------------------------------------
@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_series_to_xy_reads_the_index_unit(unit):
    x, y = series_to_xy(returns([0.0, 0.5], unit=unit))
    assert x.dtype == np.float64
    assert list(x) == [JAN_2_2024, JAN_2_2024 + DAY]
    assert list(y) == [0.0, 0.5]


def test_series_to_xy_keeps_wall_clock_dates_and_nans():
    index = pd.DatetimeIndex(["2024-01-02"]).tz_localize("America/New_York")
    x, y = series_to_xy(pd.Series([np.nan], index=index))
    assert list(x) == [JAN_2_2024] and np.isnan(y[0])
    with pytest.raises(TypeError, match="DatetimeIndex"):
        series_to_xy(pd.Series([1.0], index=[0]))


# -- drawing -------------------------------------------------------------------------------------
def test_set_series_draws_each_line_in_percent(chart):
    portfolio = returns([0.0, 0.05, -0.025, 0.1], unit="s")
    rut = returns([0.0, 0.01, np.nan, 0.02], unit="ns")
    item = chart.line(PORTFOLIO)
    chart.set_series({PORTFOLIO: portfolio, RUT: rut})
    x, y = data(item)
    assert len(x) == len(y) == 4
    assert x[0] == JAN_2_2024
    np.testing.assert_allclose(y, portfolio.to_numpy() * 100)
    np.testing.assert_allclose(data(chart.line(RUT))[1], rut.to_numpy() * 100)  # NaN kept as gap
    assert chart.line(PORTFOLIO) is item  # created once, updated with setData
    assert "+10.00%" in chart.legend_text(PORTFOLIO)
    assert "+2.00%" in chart.legend_text(RUT)
    assert chart.legend_text(GSPC) == ""
    assert item.opts["autoDownsample"] and item.opts["clipToView"]


def test_renders_the_lines(chart):
    points = returns(np.linspace(0.0, 0.3, 2500), start="2015-01-01")
    chart.set_series({PORTFOLIO: points, GSPC: -points})
    image = chart.grab().toImage()  # paints every item: lines, grid, axes
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    }
    assert {"#0072b2", "#009e73"} <= colours


def test_absent_labels_are_cleared(chart):
    chart.set_series({PORTFOLIO: returns([0.0, 0.1]), GSPC: returns([0.0, 0.2])})
    chart.set_series({PORTFOLIO: returns([0.0, 0.3, 0.4])})
    assert len(data(chart.line(PORTFOLIO))[0]) == 3
    assert len(data(chart.line(GSPC))[0]) == 0
    assert chart.legend_text(GSPC) == ""
    chart.set_series({})
    assert all(len(data(chart.line(label))[0]) == 0 for label in (PORTFOLIO, RUT, GSPC))


def test_other_labels_get_a_line_of_their_own_once(chart):
    chart.set_series({"IWM": returns([0.0, 0.1])})
    item = chart.line("IWM")
    assert item is not None and len(data(item)[0]) == 2
    chart.set_series({"IWM": returns([0.0, 0.1, 0.2])})
    assert chart.line("IWM") is item and len(data(item)[0]) == 3


def test_view_fits_the_new_range(chart):
    chart.set_series({PORTFOLIO: returns(np.linspace(0, 0.5, 600), start="2020-01-01")})
    chart.set_series({PORTFOLIO: returns(np.linspace(0, 0.1, 20), start="2024-01-02")})
    x_range = chart.line(PORTFOLIO).getViewBox().viewRange()[0]
    assert x_range[0] < JAN_2_2024 < x_range[1] < JAN_2_2024 + 40 * DAY


def _y_range(chart):
    return chart._plot.getPlotItem().getViewBox().viewRange()[1]


class _Padded:
    """A y range equal to ``low``..``high`` padded alike either side, by 1% to 10% of the span
    (pyqtgraph's padding depends on the plot's height, which the legend above it moves)."""

    def __init__(self, low, high):
        self.low, self.high = low, high

    def __eq__(self, other):
        below, above = self.low - other[0], other[1] - self.high
        span = self.high - self.low
        return 0.01 * span < below < 0.1 * span and below == pytest.approx(above)

    def __repr__(self):
        return f"{self.low}..{self.high}, padded"


def test_the_y_range_fits_the_lines_on_the_dates_in_view_and_zero(chart):
    # Down to -30% over the first 30 days, then +5% to +10% over the next 30.
    dip = returns([*np.linspace(0, -0.3, 30), *np.linspace(0.05, 0.1, 30)])
    chart.set_series({PORTFOLIO: dip})
    assert _y_range(chart) == _Padded(-30.0, 10.0)
    # Zoomed into the last 20 days: the dip is out of view, zero stays in (the zero line).
    x = series_to_xy(dip)[0]
    chart._plot.getPlotItem().setXRange(x[40], x[59], padding=0)
    assert _y_range(chart) == _Padded(0.0, 10.0)
    # On a log scale, from the log of the growth: log10(0.7) to log10(1.1) over all days.
    chart.reset_view()
    chart.set_log_scale(True)
    assert _y_range(chart) == _Padded(np.log10(0.7), np.log10(1.1))
    # A line gone from the chart leaves the range to the others.
    chart.set_log_scale(False)
    chart.set_series({RUT: returns(np.linspace(0, 0.02, 10))})
    assert _y_range(chart) == _Padded(0.0, 2.0)


def test_hover_reads_out_the_date_under_the_mouse(chart, qtbot):
    chart.set_series({PORTFOLIO: returns([0.0, 0.05, 0.1]), RUT: returns([0.0, 0.02, 0.03])})
    view = chart.line(PORTFOLIO).getViewBox()
    qtbot.waitUntil(lambda: view.width() > 100)
    scene_pos = view.mapViewToScene(QPointF(JAN_2_2024 + DAY + 3600, 1.0))
    chart._plot.scene().sigMouseMoved.emit(scene_pos)
    assert "+5.00%" in chart.legend_text(PORTFOLIO) and "+2.00%" in chart.legend_text(RUT)
    assert chart._date.text() == "Wed 3 Jan 2024"
    chart._hide_crosshair()
    assert "+10.00%" in chart.legend_text(PORTFOLIO)
    assert chart._date.text() == "as of Thu 4 Jan 2024"


def test_message_and_banner(chart):
    chart.set_message("No prices cached yet — press F5 to refresh")
    chart.set_banner("SIMULATED PRICES")
    assert chart._message.isVisible() and "F5" in chart._message.text()
    assert chart._banner.isVisible() and chart._banner.text() == "SIMULATED PRICES"
    chart.set_message("")
    chart.set_banner("")
    assert not chart._message.isVisible() and not chart._banner.isVisible()


# -- range buttons -------------------------------------------------------------------------------
def test_range_buttons_default_to_one_year_and_emit_on_click(chart, qtbot):
    assert chart.range_name() == "1Y"
    with qtbot.waitSignal(chart.rangeChanged, timeout=1000) as signal:
        qtbot.mouseClick(chart.range_button("3Y"), Qt.MouseButton.LeftButton)
    assert signal.args == ["3Y"]
    assert chart.range_name() == "3Y" and not chart.range_button("1Y").isChecked()


def test_range_buttons_work_from_the_keyboard(chart, qtbot):
    button = chart.range_button("1Y")
    button.setFocus()
    with qtbot.waitSignal(chart.rangeChanged, timeout=1000) as signal:
        qtbot.keyClick(button, Qt.Key.Key_Right)
    assert signal.args == ["3Y"]
    with qtbot.waitSignal(chart.rangeChanged, timeout=1000) as signal:
        qtbot.keyClick(chart.range_button("YTD"), Qt.Key.Key_Space)
    assert signal.args == ["YTD"]


def test_set_range_selects_without_emitting(chart, qtbot):
    with qtbot.assertNotEmitted(chart.rangeChanged):
        chart.set_range("Max")
    assert chart.range_name() == "Max"


def test_every_range_is_one_the_returns_module_knows():
    for name in RANGES:
        range_start(name, dt.date(2024, 2, 29))


# -- axes ----------------------------------------------------------------------------------------
def test_percent_ticks_are_round_and_signed(qapp):
    axis = PercentAxis()
    assert axis.tickSpacing(-32.0, 21.0, 420) == [(10.0, 0.0)]
    assert axis.tickStrings([-10.0, 0.0, 10.0], 1.0, 10.0) == ["\u221210%", "0%", "+10%"]
    assert axis.tickStrings([2.5, -0.0], 1.0, 2.5) == ["+2.5%", "0.0%"]


def test_date_ticks_fit_the_range(qapp):
    axis = DateAxis()
    ten_years = axis.tickValues(1_420_070_400, 1_735_603_200, 900)  # 2015 .. 2024
    assert len(ten_years) == 1 and len(ten_years[0][1]) == 10
    assert axis.tickStrings(ten_years[0][1][:1], 1.0, ten_years[0][0]) == ["2015"]
    year, months = axis.tickValues(JAN_2_2024 - 40 * DAY, JAN_2_2024 + 320 * DAY, 900)
    assert year[1] == [JAN_2_2024 - DAY]
    assert axis.tickStrings(months[1][:2], 1.0, months[0]) == ["Dec", "Feb"]
    _, every_other_day = axis.tickValues(JAN_2_2024, JAN_2_2024 + 30 * DAY, 900)
    assert every_other_day[0] == 2 * DAY
    assert axis.tickStrings(every_other_day[1][:2], 1.0, 2 * DAY) == ["2 Jan", "4 Jan"]
    _, mondays = axis.tickValues(JAN_2_2024, JAN_2_2024 + 90 * DAY, 900)
    assert axis.tickStrings(mondays[1][:3], 1.0, mondays[0]) == ["8 Jan", "15 Jan", "22 Jan"]


# -- paint never raises --------------------------------------------------------------------------
DEGENERATE = [
    (0.0, 10.0, 0.0),  # a plot area 0 px high: pyqtgraph's own tickSpacing divides by zero
    (0.0, 10.0, -5.0),  # a negative size, seen while a layout settles
    (5.0, 5.0, 200.0),  # an empty range
    (float("nan"), 1.0, 200.0),
    (0.0, float("inf"), 200.0),
    (0.0, 10.0, float("nan")),
]


@pytest.mark.parametrize(("low", "high", "size"), DEGENERATE)
def test_tick_functions_answer_a_degenerate_request_with_no_ticks(qtbot, low, high, size):
    percent, dates = PercentAxis(), DateAxis()
    assert percent.tickSpacing(low, high, size) == []
    assert percent.tickValues(low, high, size) == []
    assert dates.tickValues(low * DAY, high * DAY, size) == []


def test_tick_labels_of_values_no_date_or_number_can_show_are_blank(qtbot):
    assert DateAxis().tickStrings([float("nan"), 1e300, JAN_2_2024], 1.0, 365.0 * DAY) == [
        "",
        "",
        "",
    ]
    assert PercentAxis().tickStrings([float("nan"), 5.0], 1.0, 5.0) == ["", "+5%"]


@pytest.mark.parametrize("size", [(900, 1), (1, 1), (300, 40), (0, 0)])
def test_a_squeezed_chart_paints_without_raising(chart, size):
    # pytest-qt fails the test on an exception inside a Qt paint override; PySide6 without it
    # aborts the app (a window 420 px high used to crash this way).
    chart.set_series({PORTFOLIO: returns([0.0, 0.05, -0.02, 0.1]), RUT: returns([0.0, 0.01])})
    chart._plot.setMinimumHeight(0)  # let the plot area itself reach 0 px, as a layout can
    chart.setMinimumSize(0, 0)
    chart.resize(*size)
    chart._plot.resize(size[0], size[1] // 2)
    view = chart._plot.getViewBox()

    chart._plot.grab()  # paints the axes, the grid and the lines at this size
    chart.grab()

    assert view.height() <= max(size[1] // 2, 0)  # the paint really met a squeezed plot


def _dark_palette():
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#1e1e1e"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Base, "#252526"),
        (QPalette.ColorRole.Text, "#e6e6e6"),
        (QPalette.ColorRole.PlaceholderText, "#9a9a9a"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def test_in_a_dark_palette_the_legend_and_axes_stay_readable(qtbot):
    from PySide6.QtGui import QColor, QPalette

    from desktop.ui.chart import ReturnsChart

    chart = ReturnsChart()
    qtbot.addWidget(chart)
    chart.setPalette(_dark_palette())  # as when the system switches to dark
    background = chart._plot.backgroundBrush().color()
    assert background == QColor("#252526")  # the palette's base, not white
    legend, hidden = chart._legend.colours()
    window = chart.palette().color(QPalette.ColorRole.Window)
    assert contrast(legend, window) >= 4.5
    assert contrast(hidden, window) >= 3  # a hidden series' entry is muted, still legible
    axis = chart._plot.getPlotItem().getAxis("left")
    assert contrast(axis.textPen().color(), background) >= 4.5
    chart.setPalette(QPalette())  # back to light: dark text on a light plot
    assert chart._plot.backgroundBrush().color().lightness() > 200
    assert contrast(axis.textPen().color(), chart._plot.backgroundBrush().color()) >= 4.5


# -- interaction ---------------------------------------------------------------------------------
def _two_lines(chart):
    chart.set_series(
        {
            PORTFOLIO: returns(list(np.linspace(0, 0.2, 60))),
            benchmark_label("^RUT"): returns(list(np.linspace(0, -0.1, 60))),
        }
    )


def test_every_range_the_periods_know_has_a_button_in_order(chart, qtbot):
    from desktop.core.periods import PERIODS

    assert RANGES == PERIODS
    for name in ("1M", "6M", "10Y"):
        with qtbot.waitSignal(chart.rangeChanged) as signal:
            qtbot.mouseClick(chart.range_button(name), Qt.MouseButton.LeftButton)
        assert signal.args == [name]


def test_a_click_on_a_legend_entry_hides_and_shows_its_line(chart, qtbot):
    _two_lines(chart)
    rut = benchmark_label("^RUT")
    legend = chart._legend
    assert legend.text() == f"{PORTFOLIO} +20.00%, {rut} -10.00%"
    entry = legend.entry_rect(rut)
    assert entry.isValid() and legend.entry_at(entry.center()).label == rut
    qtbot.mouseClick(legend, Qt.MouseButton.LeftButton, pos=entry.center())
    assert not chart.line(rut).isVisible() and rut in chart.hidden
    assert legend.text() == f"{PORTFOLIO} +20.00%, {rut} (hidden)"
    assert chart.line(PORTFOLIO).isVisible()
    # The y range follows what is shown: the portfolio alone runs from 0 to +20%.
    assert _y_range(chart) == _Padded(0.0, 20.0)
    qtbot.mouseClick(legend, Qt.MouseButton.LeftButton, pos=legend.entry_rect(rut).center())
    assert chart.line(rut).isVisible() and chart.hidden == set()
    # A click between entries toggles nothing.
    qtbot.mouseClick(legend, Qt.MouseButton.LeftButton, pos=entry.topRight() + QPoint(4, 0))
    assert chart.hidden == set()


def test_the_legend_works_from_the_keyboard(chart, qtbot):
    _two_lines(chart)
    rut = benchmark_label("^RUT")
    legend = chart._legend
    assert legend.focusPolicy() & Qt.FocusPolicy.TabFocus
    qtbot.keyClick(legend, Qt.Key.Key_Right)  # from the portfolio's entry to the next
    qtbot.keyClick(legend, Qt.Key.Key_Space)
    assert chart.hidden == {rut}
    qtbot.keyClick(legend, Qt.Key.Key_Left)
    qtbot.keyClick(legend, Qt.Key.Key_Return)
    assert chart.hidden == {rut, PORTFOLIO}


def test_the_legend_keeps_its_rows_while_the_crosshair_changes_the_values(qtbot):
    from desktop.ui.chart_legend import ChartLegend, Entry

    legend = ChartLegend()
    qtbot.addWidget(legend)
    names = [f"Series {i}" for i in range(8)]
    legend.set_entries([Entry(n, "#336699", "+1.00%") for n in names])
    width = legend.sizeHint().width() // 2  # about two rows
    rows = legend.heightForWidth(width)
    legend.set_entries([Entry(n, "#336699", "+1,234.56%") for n in names])  # wider values
    wider = legend.heightForWidth(width)
    assert wider > rows  # the entries grew: more rows
    places = legend._rects(width)
    legend.set_entries([Entry(n, "#336699", "0.0%") for n in names])  # narrower again
    assert legend.heightForWidth(width) == wider  # the room stays: nothing moves back
    assert legend._rects(width) == places
    # Each entry is one row's height, wrapped whole: no entry sticks out of the width.
    assert all(r.right() < width or r.left() == 0 for r in legend._rects(width))


def test_dragging_zooms_into_dates_and_a_double_click_resets(chart, qtbot):
    _two_lines(chart)
    view = chart._plot.getPlotItem().getViewBox()
    assert view.state["mouseMode"] == pg.ViewBox.RectMode  # a drag draws the zoom box
    whole = view.viewRange()[0]
    view.setXRange(whole[0] + (whole[1] - whole[0]) / 2, whole[1], padding=0)
    assert view.viewRange()[0][0] > whole[0] + 1

    class Click:  # what pyqtgraph's scene sends for a click on the plot
        def __init__(self, double):
            self._double = double

        def double(self):
            return self._double

    chart._plot.scene().sigMouseClicked.emit(Click(False))  # a single click keeps the zoom
    assert view.viewRange()[0][0] > whole[0] + 1
    chart._plot.scene().sigMouseClicked.emit(Click(True))
    assert view.viewRange()[0] == pytest.approx(whole)


def test_the_log_scale_draws_growth_and_marks_returns(chart):
    _two_lines(chart)
    before = chart.legend_text(PORTFOLIO)
    portfolio = chart.line(PORTFOLIO)
    percent_y = portfolio.yData.copy()
    chart.log_button.click()
    axis = chart._plot.getPlotItem().getAxis("left")
    assert axis.log_growth
    assert np.allclose(portfolio.yData, np.log10(1 + percent_y / 100), rtol=0, atol=1e-15)
    assert chart.legend_text(PORTFOLIO) == before  # the legend still reads returns
    # Ticks at round returns, placed by growth: +100% is as far above 0 as -50% is below.
    values = axis.tickValues(np.log10(0.4), np.log10(2.5), 400)[0][1]
    labels = axis.tickStrings(values, 1.0, 1.0)
    assert "0%" in labels and "+100%" in labels and "\u221250%" in labels
    up, down = values[labels.index("+100%")], values[labels.index("\u221250%")]
    assert up == pytest.approx(-down)
    chart.log_button.click()
    assert not axis.log_growth
    assert np.array_equal(portfolio.yData, percent_y)


def test_a_loss_of_everything_is_not_drawn_on_a_log_scale(chart):
    chart.set_series({PORTFOLIO: returns([0.0, -0.5, -1.0, -0.9])})
    chart.set_log_scale(True)
    y = chart.line(PORTFOLIO).yData
    assert np.isnan(y[2]) and y[1] == pytest.approx(np.log10(0.5))


def test_the_grid_lines_are_at_the_labelled_ticks_only(qtbot):
    import pyqtgraph as pg

    from desktop.ui.chart_axes import HorizontalGrid

    view = pg.PlotWidget()
    qtbot.addWidget(view)
    view.resize(600, 700)  # tall: room for the minor ticks' labels too, were they allowed
    plot = view.getPlotItem()
    axis = plot.getAxis("left")
    grid = HorizontalGrid(axis)
    plot.addItem(grid, ignoreBounds=True)
    plot.setYRange(40_000, 60_000, padding=0)
    view.show()
    qtbot.waitExposed(view)

    class Recorder:
        def __init__(self):
            self.ys = []

        def setPen(self, pen):  # noqa: N802 - QPainter's API
            pass

        def drawLine(self, a, b):  # noqa: N802
            self.ys.append(a.y())

    lines = Recorder()
    grid.paint(lines)
    (_, labelled), *minor = axis.tickValues(40_000, 60_000, plot.getViewBox().height())
    assert minor and len(minor[0][1]) > len(labelled)  # finer ticks exist ...
    assert axis.style["maxTextLevel"] == 0  # ... but only the major ones are labelled
    assert lines.ys == list(labelled)  # a line at each label, and only there


def test_a_real_mouse_drag_zooms_into_the_dates_dragged_across(chart, qtbot):
    from PySide6.QtCore import QEvent, QPoint, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    _two_lines(chart)
    chart.resize(900, 500)
    chart.show()
    qtbot.waitExposed(chart)
    view = chart._plot.getPlotItem().getViewBox()
    whole = view.viewRange()[0]
    port = chart._plot.viewport()
    # From a quarter to three quarters of the plot area, in the viewport's pixels.
    area = view.mapRectToScene(view.boundingRect())
    y = int(area.center().y())
    start = QPoint(int(area.left() + area.width() * 0.25), y)
    end = QPoint(int(area.left() + area.width() * 0.75), y)
    left_t = view.mapSceneToView(QPointF(start)).x()
    right_t = view.mapSceneToView(QPointF(end)).x()

    def send(kind, at, buttons):
        button = Qt.MouseButton.LeftButton
        event = QMouseEvent(
            kind,
            QPointF(at),
            port.mapToGlobal(QPointF(at)),
            button,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(port, event)

    held, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    send(QEvent.Type.MouseButtonPress, start, held)
    for i in range(1, 11):  # the drag, in steps, the button held
        send(QEvent.Type.MouseMove, start + (end - start) * (i / 10), held)
    send(QEvent.Type.MouseButtonRelease, end, none)

    lo, hi = view.viewRange()[0]
    day = 86_400
    assert lo == pytest.approx(left_t, abs=3 * day) and hi == pytest.approx(right_t, abs=3 * day)
    assert hi - lo < (whole[1] - whole[0]) * 0.6  # zoomed in to about half
