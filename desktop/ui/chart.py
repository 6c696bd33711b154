"""The returns chart: cumulative return of the portfolio against its benchmarks, over a range.

It draws and never computes: the caller passes cumulative returns already rebased to 0 at the
range's base (fractions, keyed by line label), and listens to ``rangeChanged`` to recompute.
Each line's plot item is created once and updated with ``setData``; x is epoch seconds on a
``DateAxisItem`` (see ``chart_axes``), y is percent. The legend is a line of text above the
plot (it wraps when narrow), so it never covers a line, and doubles as the crosshair's read-out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.chart_axes import DAY, DateAxis, HorizontalGrid, PercentAxis
from desktop.ui.chart_legend import ChartLegend, Entry
from desktop.ui.formatting import DASH, percent
from desktop.ui.palette import grid_colour
from desktop.ui.performance import PORTFOLIO, benchmark_label, range_caption
from desktop.ui.plot_style import style_plots

if TYPE_CHECKING:
    import pandas as pd

#: Range buttons, in order; each is a name ``desktop.core.returns.range_start`` understands.
RANGES: tuple[str, ...] = ("1M", "3M", "6M", "YTD", "1Y", "3Y", "5Y", "10Y", "Max")
DEFAULT_RANGE = "1Y"
#: The plot area never gets less than this: the axes and grid need room to lay out their ticks.
PLOT_MINIMUM_HEIGHT = 100
_RANGE_TIPS = {
    "1M": "One month",
    "3M": "Three months",
    "6M": "Six months",
    "YTD": "Year to date (since 1 January)",
    "1Y": "One year",
    "3Y": "Three years",
    "5Y": "Five years",
    "10Y": "Ten years",
    "Max": "All history",
}
# Okabe-Ito colours (safe for the common colour-blindnesses). The portfolio is also thicker; the
# benchmarks stay 1 px wide, Qt's fast path for antialiased lines (a wider pen costs ~10x more).
_STYLES: dict[str, tuple[str, float]] = {
    PORTFOLIO: ("#0072B2", 2.5),
    benchmark_label("^RUT"): ("#D55E00", 1.0),
    benchmark_label("^GSPC"): ("#009E73", 1.0),
}
_EXTRA_COLOURS = (
    "#CC79A7",
    "#56B4E9",
    "#E69F00",
    "#999933",
)  # none black (dark), none pale (light)
_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}
# A segmented control: the checked range is filled, the focused one has a thicker outline;
# the rest in the palette's button colours, so it reads in light and dark alike.
#: The look of a segmented choice (the range buttons, Log, the rolling tab's 1Y/3Y).
RANGE_STYLE = """
QPushButton { border: 1px solid palette(mid); background: palette(button);
              color: palette(button-text); padding: 3px 12px; border-radius: 3px;
              min-width: 28px; }
QPushButton:hover { background: palette(midlight); }
QPushButton:checked { background: #0072B2; border-color: #0072B2; color: #FFFFFF;
                      font-weight: bold; }
QPushButton:focus { border: 2px solid #56B4E9; padding: 2px 11px; }
QPushButton:checked:focus { border-color: #003E63; }
"""


_ASSIGNED: dict[str, str] = {}  #: the other series' colours, given in the order first seen


def series_colour(label: str, extra: int = 0) -> tuple[str, float]:
    """A line's colour and width: the portfolio's and the default benchmarks' own, else one
    of the other colours given to that label the first time it is drawn anywhere, so the
    returns chart and every panel under it draw a series alike (``extra`` is ignored)."""
    if label in _STYLES:
        return _STYLES[label]
    if label not in _ASSIGNED:
        _ASSIGNED[label] = _EXTRA_COLOURS[len(_ASSIGNED) % len(_EXTRA_COLOURS)]
    return _ASSIGNED[label], 1.0


def hidden_by(label: str, hidden: set[str]) -> bool:
    """Whether a line named ``label`` is off when the returns chart's legend turned off the
    lines ``hidden``: the same series anywhere, and the excess over a benchmark turned off."""
    return label in hidden or label.removeprefix("Excess over ") in hidden


def series_to_xy(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A date-indexed series as ``(x, y)`` float arrays, x in epoch seconds (dates at UTC midnight).

    Reads the index's own unit: pandas 3 indexes may hold seconds or microseconds, not only ns.
    """
    index = series.index
    if not hasattr(index, "asi8") or not hasattr(index, "unit"):
        raise TypeError(f"series_to_xy needs a DatetimeIndex, got {type(index).__name__}")
    if index.tz is not None:
        index = index.tz_localize(None)  # wall-clock dates, drawn as they read
    x = index.asi8 / _PER_SECOND[index.unit]
    return x.astype(np.float64), series.to_numpy(dtype=np.float64, na_value=np.nan)


@dataclass
class _Line:
    item: pg.PlotDataItem
    colour: str
    x: np.ndarray = field(default_factory=lambda: np.empty(0))
    y: np.ndarray = field(default_factory=lambda: np.empty(0))  #: percent
    drawn: np.ndarray = field(default_factory=lambda: np.empty(0))  #: y as plotted (log or %)


class ReturnsChart(QWidget):
    """Cumulative returns by line label, a range selector, a warning banner and a message."""

    rangeChanged = Signal(str)  # noqa: N815 (Qt naming)
    customRequested = Signal()  # noqa: N815 - the "Custom…" button: the window asks for days
    #: The crosshair's date (epoch seconds), or NaN once it is hidden: the panels follow it.
    crosshairMoved = Signal(float)  # noqa: N815
    #: The lines turned off in the legend changed (``hidden``): the panels turn them off too.
    hiddenChanged = Signal(object)  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines: dict[str, _Line] = {}
        self._readout: dict[str, str] = {}  # label -> the value the legend shows, as plain text
        self.hidden: set[str] = set()  #: lines the user turned off in the legend

        self._banner = QLabel(self, objectName="chartBanner", wordWrap=True)
        self._banner.setStyleSheet(
            "background:#FFF4CE; color:#5C4400; border:1px solid #E0B000;"
            "border-radius:3px; padding:4px 8px; font-weight:bold;"
        )
        self._banner.hide()
        self._buttons = QButtonGroup(self, exclusive=True)
        self._buttons.idClicked.connect(self._range_clicked)
        self._date = QLabel(self, objectName="chartDate")
        self.custom_button = QPushButton("Custom…", self, checkable=True, autoDefault=False)
        self.custom_button.setToolTip("From one day to another, both included")
        self.custom_button.setStyleSheet(RANGE_STYLE)
        self.custom_button.clicked.connect(self._custom_clicked)
        self._custom: str | None = None  #: the custom range shown, "2024-01-02..2024-06-28"
        self.log_button = QPushButton("Log", self, checkable=True, autoDefault=False)
        self.log_button.setToolTip(
            "A log scale of growth: equal steps are equal percentage moves, so a doubling looks "
            "as large early in the history as late (best for long ranges)."
        )
        self.log_button.setAccessibleName("Log scale")
        self.log_button.setStyleSheet(RANGE_STYLE)
        self.log_button.toggled.connect(self.set_log_scale)
        top = self._top = QHBoxLayout()
        top.addWidget(self._range_bar())
        top.addWidget(self.custom_button)
        top.addWidget(self.log_button)
        # The date takes what the buttons leave (and elides into it): its text, which changes
        # with the crosshair and the range, never widens the chart (at 1100 px it pushed the
        # window's right edge out of sight at every other range button).
        self._date.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._date.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self._date, 1)
        self._legend = ChartLegend(self, objectName="chartLegend")
        self._legend.toggled.connect(self.toggle)

        self._plot = pg.PlotWidget(
            self, axisItems={"bottom": DateAxis("bottom"), "left": PercentAxis("left")}
        )
        self._plot.setAccessibleName("Cumulative return chart")
        self._plot.setMinimumHeight(PLOT_MINIMUM_HEIGHT)
        self._style_plot()
        self._message = QLabel(self, objectName="chartMessage", wordWrap=True)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setStyleSheet(
            "background:palette(base); color:palette(text); border:1px solid palette(mid);"
            "border-radius:4px; padding:10px 16px; font-size:11pt;"
        )
        self._message.setMinimumWidth(380)
        self._message.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._message.hide()
        overlay = QGridLayout()  # the message sits over the middle of the plot
        overlay.addWidget(self._plot, 0, 0)
        overlay.addWidget(self._message, 0, 0, Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self._banner)
        layout.addLayout(top)
        layout.addWidget(self._legend)
        layout.addLayout(overlay, 1)

        self._apply_palette()
        for label in _STYLES:
            self._line(label)
        self.set_range(DEFAULT_RANGE)
        self._fit_view()
        self._show_values(None)

    def _range_bar(self) -> QWidget:
        """Checkable, exclusive range buttons; Tab reaches them, arrows and Space choose."""
        bar = QWidget(self, objectName="chartRanges")
        bar.setStyleSheet(RANGE_STYLE)
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        for i, name in enumerate(RANGES):
            button = QPushButton(name, bar, checkable=True, autoDefault=False)
            button.setToolTip(_RANGE_TIPS[name])
            button.setAccessibleName(f"Range: {_RANGE_TIPS[name]}")
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            # As wide as its bold (checked) text, so checking it moves no other button.
            bold = QFont(button.font())
            bold.setBold(True)
            button.setMinimumWidth(QFontMetrics(bold).horizontalAdvance(name) + 2 * 13 + 4)
            self._buttons.addButton(button, i)
            row.addWidget(button)
        return bar

    # -- public API --------------------------------------------------------------------------
    def set_series(self, lines: dict[str, pd.Series]) -> None:
        """Draw these cumulative returns (fractions) by label; clear every other line.

        The view moves to the new dates first, with the lines emptied, and then each line gets
        its values: pyqtgraph clips and downsamples a line again at each change of the view,
        so each is reduced once, for the view it is drawn in (not twice, the second time for
        the new view)."""
        changed = []
        for label in [*self._lines, *(label for label in lines if label not in self._lines)]:
            line = self._line(label)
            if label in lines:
                x, y = series_to_xy(lines[label])
                line.x, line.y = x, y * 100.0
            elif len(line.x):
                line.x = line.y = np.empty(0)
            else:
                continue  # absent and already empty
            line.drawn = self._drawn_y(line.y)
            line.item.setData([], [])
            changed.append(line)
        self._fit_view()
        for line in changed:
            self._plot_line(line)
        self._crosshair.hide()
        self._show_values(None)

    def set_message(self, text: str) -> None:
        """Show ``text`` over the plot (e.g. why it is empty); an empty text hides it."""
        self._message.setText(text)
        self._message.setVisible(bool(text))

    def set_banner(self, text: str) -> None:
        """A persistent warning above the plot (e.g. simulated prices); an empty text hides it."""
        self._banner.setText(text)
        self._banner.setVisible(bool(text))

    def set_range(self, name: str) -> None:
        """Select a range button (or, for a custom "FROM..TO", none of them and the custom
        button, which then reads the days) without emitting ``rangeChanged``."""
        if name in RANGES:
            self._custom = None
            self._buttons.button(RANGES.index(name)).setChecked(True)
            self.custom_button.setChecked(False)
            self.custom_button.setToolTip("From one day to another, both included")
            return
        self._custom = name
        self._buttons.setExclusive(False)
        for button in self._buttons.buttons():
            button.setChecked(False)
        self._buttons.setExclusive(True)
        self.custom_button.setChecked(True)
        self.custom_button.setToolTip(f"{range_caption(name)}: click to choose other days")

    def range_name(self) -> str:
        return self._custom or RANGES[self._buttons.checkedId()]

    def _range_clicked(self, i: int) -> None:
        self.set_range(RANGES[i])
        self.rangeChanged.emit(RANGES[i])

    def _custom_clicked(self) -> None:
        self.custom_button.setChecked(self._custom is not None)  # checked only once chosen
        self.customRequested.emit()

    def range_button(self, name: str) -> QPushButton:
        return self._buttons.button(RANGES.index(name))

    def line(self, label: str) -> pg.PlotDataItem | None:
        """The plot item drawing ``label``, if the chart has drawn one."""
        line = self._lines.get(label)
        return line.item if line else None

    def after_paint(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the plot has painted what it now holds (on the event loop's
        next turn after that paint); at once on that next turn if the chart is not shown, as
        a hidden chart never paints."""
        self._after_paint.append(callback)
        if not self._plot.isVisible():
            QTimer.singleShot(0, self._painted)
        self._plot.viewport().update()

    def _plot_painted(self) -> None:
        if self._after_paint:  # the paint is under way: after it, on the next turn
            QTimer.singleShot(0, self._painted)

    def _painted(self) -> None:
        callbacks, self._after_paint = self._after_paint, []
        for callback in callbacks:
            callback()

    def add_control(self, widget: QWidget) -> None:
        """Put ``widget`` (the window's benchmark picker) beside the range buttons."""
        self._top.insertWidget(3, widget)

    def set_log_scale(self, on: bool) -> None:
        """Draw the lines as log10(1 + return), the axis marked in returns; or as returns."""
        if on != self.log_button.isChecked():
            self.log_button.setChecked(on)  # comes back here through ``toggled``
            return
        self._plot.getPlotItem().getAxis("left").set_log_growth(on)
        for line in self._lines.values():
            line.drawn = self._drawn_y(line.y)
            self._plot_line(line)
        self._fit_view()

    def _drawn_y(self, y: np.ndarray) -> np.ndarray:
        """Returns in percent as plotted: as they are, or log10(1 + return) on a log scale."""
        if not self.log_button.isChecked():
            return y
        with np.errstate(invalid="ignore", divide="ignore"):
            y = np.log10(1.0 + y / 100.0)  # a loss of everything has no log: not drawn
        return np.where(np.isfinite(y), y, np.nan)

    def _plot_line(self, line: _Line) -> None:
        """Give a line's item its values (in percent, or log growth on a log scale)."""
        y = line.drawn
        # A line without gaps skips pyqtgraph's scans for NaN at every redraw.
        line.item.setData(line.x, y, skipFiniteCheck=bool(np.isfinite(y).all()))

    def toggle(self, label: str) -> None:
        """Hide a shown line, or show a hidden one (a click on its legend entry)."""
        line = self._lines.get(label)
        if line is None:
            return
        self.hidden ^= {label}
        line.item.setVisible(label not in self.hidden)
        self._fit_y()
        self._show_values(None)
        self.hiddenChanged.emit(set(self.hidden))

    def reset_view(self) -> None:
        """Back to the whole range (a double-click on the plot): every line's dates."""
        self._fit_view()

    def legend_text(self, label: str) -> str:
        """What the legend says about ``label`` ("Portfolio +5.00%"), or "" when not shown."""
        value = self._readout.get(label)
        return f"{label} {value}" if value is not None else ""

    # -- drawing -----------------------------------------------------------------------------
    def _style_plot(self) -> None:
        plot = self._plot.getPlotItem()
        plot.hideButtons()
        plot.setMenuEnabled(False)
        self._grid = HorizontalGrid(plot.getAxis("left"))
        plot.addItem(self._grid, ignoreBounds=True)
        plot.setDownsampling(auto=True, mode="peak")
        plot.setClipToView(True)
        view = plot.getViewBox()
        view.setMouseEnabled(x=True, y=False)
        view.setMouseMode(pg.ViewBox.RectMode)  # drag across dates to zoom into them
        view.setDefaultPadding(0.03)
        # The y range follows the dates shown (a zoom, a range button): set from the lines'
        # own values here, so the plot never auto-ranges over its items at paint time.
        view.sigXRangeChanged.connect(self._fit_y)
        tick_font = QFont(self.font())
        tick_font.setPointSizeF(max(tick_font.pointSizeF() - 0.5, 8.0))
        for name in ("left", "bottom"):
            plot.getAxis(name).setStyle(tickFont=tick_font, tickLength=-5, tickTextOffset=6)
        for name in ("left", "bottom"):  # the label names no unit: it needs no SI prefix,
            plot.getAxis(name).enableAutoSIPrefix(False)  # and each range set it again
        plot.getAxis("left").setWidth(64)  # fixed, so the plot does not shift between ranges
        plot.layout.setContentsMargins(4, 8, 12, 4)
        self._zero = pg.InfiniteLine(pos=0, angle=0)
        plot.addItem(self._zero)
        self._crosshair = pg.InfiniteLine(angle=90, movable=False)
        self._crosshair.hide()
        plot.addItem(self._crosshair, ignoreBounds=True)
        self._plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self._plot.scene().sigMouseClicked.connect(
            lambda event: self.reset_view() if event.double() else None
        )
        self._leave = _EventWatcher(QEvent.Type.Leave, self._hide_crosshair)
        self._plot.installEventFilter(self._leave)
        self._after_paint: list[Callable[[], None]] = []
        self._paints = _EventWatcher(QEvent.Type.Paint, self._plot_painted)
        self._plot.viewport().installEventFilter(self._paints)

    def _apply_palette(self) -> None:
        """Background, axes, grid and text from the palette (light or dark)."""
        palette = self.palette()
        plot = self._plot.getPlotItem()
        colours = style_plots(self._plot, [plot], palette)
        plot.setLabel("left", "Cumulative return", color=colours["muted"])
        self._grid.set_colour(grid_colour(palette))
        self._zero.setPen(pg.mkPen(colours["muted"], width=1))
        self._crosshair.setPen(pg.mkPen(colours["muted"], width=1, style=Qt.PenStyle.DashLine))
        self._legend.set_colours(QColor(colours["text"]), QColor(colours["muted"]))
        self._text, self._muted = colours["text"], colours["muted"]
        self._date.setStyleSheet(f"color:{colours['muted']};")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
            self._show_values(None)

    def _fit_view(self) -> None:
        """Show every line's dates; with none, a plain last year and +-10% (not an empty axis).

        The x range is set here, at once, and the y range follows it (``_fit_y``): auto-range
        would run lazily at paint time, over every item's bounds, against items clipped to the
        old view, and could keep the previous range.
        """
        plot = self._plot.getPlotItem()
        plot.disableAutoRange()
        drawn = [line.x for line in self._lines.values() if len(line.x)]
        if drawn:
            first, last = min(x[0] for x in drawn), max(x[-1] for x in drawn)
            before = plot.getViewBox().viewRange()[0]
            plot.setXRange(first, last if last > first else first + DAY, padding=0.02)
            if plot.getViewBox().viewRange()[0] == before:  # no change: no signal to follow
                self._fit_y()
            return
        end = dt.datetime.combine(dt.date.today(), dt.time(), dt.UTC).timestamp()
        plot.setRange(xRange=(end - 365 * DAY, end), yRange=(-10, 10), padding=0)

    def _fit_y(self) -> None:
        """The y range over the shown lines' values on the dates in view, and the zero line,
        as pyqtgraph's auto-range over visible data would set it."""
        view = self._plot.getPlotItem().getViewBox()
        first, last = view.viewRange()[0]
        low, high = 0.0, 0.0  # the zero line is always in view
        for label, line in self._lines.items():
            if label in self.hidden or not len(line.x):
                continue
            start = np.searchsorted(line.x, first, side="left")
            stop = np.searchsorted(line.x, last, side="right")
            shown = line.drawn[start:stop]
            if shown.size and not np.isnan(shown).all():
                low, high = min(low, float(np.nanmin(shown))), max(high, float(np.nanmax(shown)))
        if high <= low:
            low, high = low - 1.0, high + 1.0  # a flat zero: a small range about it
        view.setYRange(low, high)

    def _line(self, label: str) -> _Line:
        if label not in self._lines:
            colour, width = series_colour(label)
            pen = pg.mkPen(colour, width=width)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)  # round ends hide the joins between segments
            # Thick antialiased lines drawn as separate segments are ~3x faster than as one path.
            # About one point per pixel: peak downsampling keeps each bin's high and low.
            # No dynamic range limit: returns in percent never reach the sizes it guards
            # against, and with it every change of the y range computed the line again.
            item = pg.PlotDataItem(
                pen=pen,
                antialias=True,
                connect="finite",
                autoDownsampleFactor=0.5,
                dynamicRangeLimit=None,
                name=label,
            )
            item.curve.setSegmentedLineMode("on")
            item.setZValue(10 if label == PORTFOLIO else 5)
            self._plot.addItem(item)  # takes the plot's downsampling and clip-to-view modes
            self._lines[label] = _Line(item, colour)
        return self._lines[label]

    def _show_values(self, at: float | None) -> None:
        """Legend values at epoch second ``at`` (the crosshair), or at each line's end."""
        self._readout.clear()
        entries = []
        for label, line in self._lines.items():
            if not len(line.x):
                continue
            i = len(line.x) - 1 if at is None else int(np.searchsorted(line.x, at, "right")) - 1
            value = DASH if i < 0 or np.isnan(line.y[i]) else percent(line.y[i] / 100, signed=True)
            self._readout[label] = value
            off = label in self.hidden
            entries.append(
                Entry(label, line.colour, "" if off else value, hidden=off, bold=label == PORTFOLIO)
            )
        self._legend.set_entries(entries)
        self._legend.setVisible(bool(entries))
        latest = max((line.x[-1] for line in self._lines.values() if len(line.x)), default=None)
        shown = at if at is not None else latest
        date = ""
        if shown is not None:
            day = dt.datetime.fromtimestamp(shown, dt.UTC).date()
            date = f"{'' if at is not None else 'as of '}{day:%a} {day.day} {day:%b %Y}"
        self._date.setText(date)
        if at is None:  # what a screen reader says about the plot: the legend in words
            summary = ", ".join(f"{label} {value}" for label, value in self._readout.items())
            self._plot.setAccessibleDescription(summary + (f"; {date}" if date else ""))

    def _on_mouse_moved(self, pos: QPointF) -> None:
        view = self._plot.getPlotItem().getViewBox()
        drawn = [line.x for line in self._lines.values() if len(line.x)]
        if not drawn or not view.sceneBoundingRect().contains(pos):
            self._hide_crosshair()
            return
        dates = max(drawn, key=len)
        at = view.mapSceneToView(pos).x()
        i = int(np.searchsorted(dates, at))
        nearest = min(dates[max(i - 1, 0) : i + 1], key=lambda x: abs(x - at))
        self._crosshair.setPos(nearest)
        self._crosshair.show()
        self.crosshairMoved.emit(float(nearest))
        self._show_values(float(nearest))

    def _hide_crosshair(self) -> None:
        self._crosshair.hide()
        self.crosshairMoved.emit(float("nan"))
        self._show_values(None)


class _EventWatcher(QObject):
    """Calls back when the watched object gets an event of ``kind`` (the mouse leaving the
    plot, to put the legend back on the latest values; the plot about to paint)."""

    def __init__(self, kind: QEvent.Type, callback: Callable[[], None]) -> None:
        super().__init__()
        self._kind, self._callback = kind, callback

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == self._kind:
            self._callback()
        return False
