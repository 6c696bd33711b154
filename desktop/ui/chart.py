"""The returns chart: cumulative return of the portfolio against its benchmarks, over a range.

It draws and never computes: the caller passes cumulative returns already rebased to 0 at the
range's base (fractions, keyed by line label), and listens to ``rangeChanged`` to recompute.
Each line's plot item is created once and updated with ``setData``; x is epoch seconds on a
``DateAxisItem``, y is percent. The legend is a row of labels above the plot, so it never covers
a line, and doubles as the hover read-out of the crosshair.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.formatting import DASH, percent
from desktop.ui.performance import PORTFOLIO, benchmark_label

if TYPE_CHECKING:
    import pandas as pd

#: Range buttons, in order; each is a name ``desktop.core.returns.range_start`` understands.
RANGES: tuple[str, ...] = ("YTD", "1Y", "3Y", "5Y", "Max")
DEFAULT_RANGE = "1Y"
_RANGE_TIPS = {
    "YTD": "Year to date",
    "1Y": "One year",
    "3Y": "Three years",
    "5Y": "Five years",
    "Max": "All history",
}
# Okabe-Ito colours (safe for the common colour-blindnesses); the portfolio is also thicker.
_STYLES: dict[str, tuple[str, float]] = {
    PORTFOLIO: ("#0072B2", 3.0),
    benchmark_label("^RUT"): ("#E69F00", 1.8),
    benchmark_label("^GSPC"): ("#009E73", 1.8),
}
_EXTRA_COLOURS = ("#CC79A7", "#56B4E9", "#D55E00", "#000000")
_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}
_TEXT, _MUTED, _AXIS = "#222222", "#666666", "#9A9A9A"
# A segmented control: the checked range is filled, the focused one has a thicker outline.
_RANGE_STYLE = """
QPushButton { border: 1px solid #B8B8B8; background: #FFFFFF; color: #222222;
              padding: 3px 12px; border-radius: 3px; min-width: 28px; }
QPushButton:hover { background: #EAF3FA; }
QPushButton:checked { background: #0072B2; border-color: #0072B2; color: #FFFFFF; font-weight: bold; }
QPushButton:focus { border: 2px solid #56B4E9; padding: 2px 11px; }
QPushButton:checked:focus { border-color: #003E63; }
"""


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


class PercentAxis(pg.AxisItem):
    """A y axis for values already in percent: ticks read "+12%", "0%", "−3.5%"."""

    def __init__(self, orientation: str = "left", **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        decimals = 0 if spacing >= 1 else min(2, math.ceil(-math.log10(spacing)))
        out = []
        for v in values:
            text = f"{v * scale:+.{decimals}f}%"
            out.append(text[1:] if float(text[:-1]) == 0 else text.replace("-", "\u2212"))
        return out


@dataclass
class _Line:
    item: pg.PlotDataItem
    legend: QLabel
    colour: str
    x: np.ndarray = field(default_factory=lambda: np.empty(0))
    y: np.ndarray = field(default_factory=lambda: np.empty(0))


class ReturnsChart(QWidget):
    """Cumulative returns by line label, a range selector, a warning banner and a message."""

    rangeChanged = Signal(str)  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines: dict[str, _Line] = {}

        self._banner = QLabel(self, objectName="chartBanner", wordWrap=True)
        self._banner.setStyleSheet(
            "background:#FFF4CE; color:#5C4400; border:1px solid #E0B000;"
            "border-radius:3px; padding:4px 8px; font-weight:bold;"
        )
        self._banner.hide()

        self._buttons = QButtonGroup(self, exclusive=True)
        self._buttons.idClicked.connect(lambda i: self.rangeChanged.emit(RANGES[i]))
        self._date = QLabel(self, objectName="chartDate")
        self._date.setStyleSheet(f"color:{_MUTED};")
        ranges = QWidget(self, objectName="chartRanges")
        ranges.setStyleSheet(_RANGE_STYLE)
        row = QHBoxLayout(ranges)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        for i, name in enumerate(RANGES):
            button = QPushButton(name, ranges, checkable=True, autoDefault=False)
            button.setToolTip(_RANGE_TIPS[name])
            button.setAccessibleName(f"Range: {_RANGE_TIPS[name]}")
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self._buttons.addButton(button, i)
            row.addWidget(button)
        top = QHBoxLayout()
        top.addWidget(ranges)
        top.addStretch(1)
        top.addWidget(self._date)
        self._legend = QHBoxLayout()
        self._legend.setSpacing(18)
        self._legend.addStretch(1)

        self._plot = pg.PlotWidget(
            self,
            background="w",
            axisItems={"bottom": pg.DateAxisItem("bottom", utcOffset=0), "left": PercentAxis("left")},
        )
        self._style_plot()
        self._message = QLabel(self, objectName="chartMessage", wordWrap=True)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setStyleSheet(
            "background:rgba(255,255,255,230); color:#444; border:1px solid #CCC;"
            "border-radius:4px; padding:10px 16px; font-size:11pt;"
        )
        self._message.setMinimumWidth(380)
        self._message.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._message.hide()
        stack = QGridLayout()
        stack.addWidget(self._plot, 0, 0)
        stack.addWidget(self._message, 0, 0, Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self._banner)
        layout.addLayout(top)
        layout.addLayout(self._legend)
        layout.addLayout(stack, 1)

        for label in _STYLES:
            self._line(label)
        self.set_range(DEFAULT_RANGE)
        self._fit_view()
        self._show_values(None)

    # -- public API --------------------------------------------------------------------------
    def set_series(self, lines: dict[str, pd.Series]) -> None:
        """Draw these cumulative returns (fractions) by label; clear every other line."""
        for label, line in self._lines.items():
            if label in lines:
                x, y = series_to_xy(lines[label])
                line.x, line.y = x, y * 100.0
                line.item.setData(line.x, line.y)
            elif len(line.x):
                line.x = line.y = np.empty(0)
                line.item.setData(line.x, line.y)
        for label in lines.keys() - self._lines.keys():
            line = self._line(label)
            x, y = series_to_xy(lines[label])
            line.x, line.y = x, y * 100.0
            line.item.setData(line.x, line.y)
        self._fit_view()
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
        """Select a range button without emitting ``rangeChanged``."""
        self._buttons.button(RANGES.index(name)).setChecked(True)

    def range_name(self) -> str:
        return RANGES[self._buttons.checkedId()]

    def range_button(self, name: str) -> QPushButton:
        return self._buttons.button(RANGES.index(name))

    def line(self, label: str) -> pg.PlotDataItem | None:
        """The plot item drawing ``label``, if the chart has drawn one."""
        line = self._lines.get(label)
        return line.item if line else None

    def legend_text(self, label: str) -> str:
        line = self._lines.get(label)
        return line.legend.text() if line and line.legend.isVisible() else ""

    # -- drawing -----------------------------------------------------------------------------
    def _style_plot(self) -> None:
        plot = self._plot.getPlotItem()
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.showGrid(x=False, y=True, alpha=0.12)
        view = plot.getViewBox()
        view.setMouseEnabled(x=True, y=False)
        view.setAutoVisible(y=True)
        view.setDefaultPadding(0.03)
        tick_font = QFont(self.font())
        tick_font.setPointSizeF(max(tick_font.pointSizeF() - 0.5, 8.0))
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setPen(pg.mkPen(_AXIS))
            axis.setTextPen(pg.mkPen(_TEXT))
            axis.setStyle(tickFont=tick_font, tickLength=-5, tickTextOffset=6)
        plot.getAxis("left").setWidth(58)
        plot.setLabel("left", "Cumulative return", color=_MUTED)
        plot.layout.setContentsMargins(4, 8, 12, 4)
        zero = pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen("#555555", width=1))
        plot.addItem(zero, ignoreBounds=False)
        self._crosshair = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen("#888888", width=1, style=Qt.PenStyle.DashLine)
        )
        self._crosshair.hide()
        plot.addItem(self._crosshair, ignoreBounds=True)
        self._plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self._leave = _LeaveWatcher(lambda: (self._crosshair.hide(), self._show_values(None)))
        self._plot.installEventFilter(self._leave)

    def _fit_view(self) -> None:
        """Fit the lines; with none, show a plain last year and +-10% rather than an empty axis."""
        plot = self._plot.getPlotItem()
        if any(len(line.x) for line in self._lines.values()):
            plot.enableAutoRange()
            return
        plot.disableAutoRange()
        end = dt.datetime.combine(dt.date.today(), dt.time(), dt.UTC).timestamp()
        plot.setRange(xRange=(end - 365 * 86400, end), yRange=(-10, 10), padding=0)

    def _line(self, label: str) -> _Line:
        if label not in self._lines:
            colour, width = _STYLES.get(
                label, (_EXTRA_COLOURS[(len(self._lines) - len(_STYLES)) % len(_EXTRA_COLOURS)], 1.5)
            )
            item = pg.PlotDataItem(
                pen=pg.mkPen(colour, width=width), antialias=True, connect="finite", name=label
            )
            item.setDownsampling(auto=True, method="peak")
            item.setClipToView(True)
            item.setZValue(10 if label == PORTFOLIO else 5)
            self._plot.addItem(item)
            legend = QLabel(self)
            legend.setTextFormat(Qt.TextFormat.RichText)
            legend.hide()
            self._legend.insertWidget(self._legend.count() - 1, legend)
            self._lines[label] = _Line(item, legend, colour)
        return self._lines[label]

    def _show_values(self, at: float | None) -> None:
        """Legend values at epoch second ``at`` (the crosshair), or at each line's end."""
        latest = max((line.x[-1] for line in self._lines.values() if len(line.x)), default=None)
        for label, line in self._lines.items():
            if not len(line.x):
                line.legend.hide()
                continue
            i = len(line.x) - 1 if at is None else int(np.searchsorted(line.x, at, "right")) - 1
            value = DASH if i < 0 or np.isnan(line.y[i]) else percent(line.y[i] / 100, signed=True)
            weight = "bold" if label == PORTFOLIO else "normal"
            line.legend.setText(
                f'<span style="color:{line.colour}; font-size:14pt;">&#9473;&#9473;</span>'
                f'&nbsp;<span style="color:{_TEXT}; font-weight:{weight};">{label}</span>'
                f'&nbsp;&nbsp;<span style="color:{_TEXT}; font-weight:bold;">{value}</span>'
            )
            line.legend.show()
        shown = at if at is not None else latest
        if shown is None:
            self._date.setText("")
            return
        day = dt.datetime.fromtimestamp(shown, dt.UTC).date()
        prefix = "" if at is not None else "as of "
        self._date.setText(f"{prefix}{day:%a} {day.day} {day:%b %Y}")

    def _on_mouse_moved(self, pos: QPointF) -> None:
        view = self._plot.getPlotItem().getViewBox()
        xs = [line.x for line in self._lines.values() if len(line.x)]
        if not xs or not view.sceneBoundingRect().contains(pos):
            self._crosshair.hide()
            self._show_values(None)
            return
        mouse_x = view.mapSceneToView(pos).x()
        longest = max(xs, key=len)
        i = int(np.clip(np.searchsorted(longest, mouse_x), 1, len(longest) - 1))
        snapped = longest[i] if longest[i] - mouse_x < mouse_x - longest[i - 1] else longest[i - 1]
        if len(longest) == 1:
            snapped = longest[0]
        self._crosshair.setPos(snapped)
        self._crosshair.show()
        self._show_values(float(snapped))


class _LeaveWatcher(QObject):
    """Calls back when the mouse leaves the plot, to put the legend back on the latest values."""

    def __init__(self, on_leave) -> None:
        super().__init__()
        self._on_leave = on_leave

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Leave:
            self._on_leave()
        return False
