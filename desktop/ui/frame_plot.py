"""A dated frame drawn as lines: the rolling returns and the value against the index.

Each column is a line (the returns chart's colours), created once and updated with
``setData``, downsampled and clipped to the view; a column with no finite value is not drawn
(no data is never a flat line). Returns are drawn in percent on a percent axis, money on a
plain one. Colours follow the palette.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.ui.chart import hidden_by, series_colour, series_to_xy
from desktop.ui.chart_axes import DateAxis, HorizontalGrid, PercentAxis
from desktop.ui.palette import grid_colour, tones
from desktop.ui.performance import PORTFOLIO, benchmark_label
from desktop.ui.plot_style import style_plots

if TYPE_CHECKING:
    import pandas as pd

#: The value plot's title and tooltip (the window's tab and the exported PNG alike).
VALUE_TITLE = "Value: market value and invested capital, against the same money in each index"
VALUE_TIP = (
    "The benchmark-equivalent value: what the base value and every deposit less "
    "withdrawals, on their own days, would be worth in the index."
)
#: How each column of the value frame is named on screen.
_VALUE_NAMES = {"market_value": "Market value", "invested_capital": "Invested capital"}


def column_label(column: str) -> str:
    """A frame column as the legend names it."""
    if column in (PORTFOLIO.lower(), "portfolio"):
        return PORTFOLIO
    if column in _VALUE_NAMES:
        return _VALUE_NAMES[column]
    if column.startswith("excess:"):
        return f"Excess over {benchmark_label(column.removeprefix('excess:'))}"
    return benchmark_label(column)


class FramePlot(QWidget):
    """Lines of a dated frame, with a legend, a title and a note (an empty state)."""

    def __init__(self, title: str, tip: str, *, percent: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.percent = percent
        self.title = QLabel(title, self)
        self.title.setToolTip(tip)
        axes = {"bottom": DateAxis("bottom")}
        if percent:
            axes["left"] = PercentAxis("left")
        self.view = pg.PlotWidget(self, axisItems=axes)
        self.view.setToolTip(tip)
        plot = self.view.getPlotItem()
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.setDownsampling(auto=True, mode="peak")
        plot.setClipToView(True)
        plot.getViewBox().setMouseEnabled(x=True, y=False)
        plot.getViewBox().setMouseMode(pg.ViewBox.RectMode)
        plot.getViewBox().setAutoVisible(y=True)
        plot.getAxis("left").setWidth(72)
        # Entries side by side, in one row over the plot's top, so a short plot keeps its lines
        # visible (stacked, three entries covered half of a 60 px plot).
        self.legend = plot.addLegend(offset=(8, 2), labelTextSize="9pt", colCount=6)
        self.legend.setZValue(20)  # over the lines, on a backing of the palette's base
        self._grid = HorizontalGrid(plot.getAxis("left"))
        plot.addItem(self._grid, ignoreBounds=True)
        self._zero = pg.InfiniteLine(pos=0, angle=0)
        if percent:
            plot.addItem(self._zero)
        self.view.scene().sigMouseClicked.connect(
            lambda event: plot.autoRange() if event.double() else None
        )
        self.note = QLabel(self, wordWrap=True)
        self.note.hide()
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.hidden: set[str] = set()  #: labels turned off in the returns chart's legend
        self.frame: pd.DataFrame | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)
        self._apply_palette()

    def link_to(self, plot: pg.PlotItem | None) -> None:
        """Follow ``plot``'s dates (the returns chart's), as the panels under it do; ``None``:
        stop following them."""
        self.view.setXLink(plot)

    def set_frame(self, frame: pd.DataFrame, note: str = "") -> None:
        """Draw ``frame``'s columns (fractions when ``percent``); ``note`` above, if any."""
        self.frame = frame
        drawn = set()
        for i, column in enumerate(frame.columns):
            x, y = series_to_xy(frame[column])
            if not np.isfinite(y).any():
                continue
            curve = self._curve(str(column), i)
            curve.setData(x, y * 100.0 if self.percent else y, connect="finite")
            drawn.add(str(column))
            if self.legend.getLabel(curve) is None:  # shown again after a while away
                self.legend.addItem(curve, curve.name())
        for column, curve in self.curves.items():
            if column not in drawn:
                curve.setData([], [])
                self.legend.removeItem(curve)  # a series no longer compared leaves the legend
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.view.getPlotItem().enableAutoRange(axis="y")

    def set_hidden(self, hidden: set[str]) -> None:
        """Turn off the lines of the series turned off in the returns chart's legend."""
        self.hidden = set(hidden)
        for curve in self.curves.values():
            curve.setVisible(not hidden_by(curve.name(), self.hidden))

    def _curve(self, column: str, index: int) -> pg.PlotDataItem:
        if column not in self.curves:
            label = column_label(column)
            colour, width = series_colour(label)
            if column.startswith("excess:"):  # the excess in its benchmark's colour, dashed
                colour, _ = series_colour(column_label(column.removeprefix("excess:")))
                pen = pg.mkPen(colour, width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine)
            elif column == "invested_capital":
                pen = pg.mkPen(tones(self.palette())["muted"], width=1.5)
            elif column == "market_value":  # the portfolio's own colour, as on the chart
                pen = pg.mkPen(series_colour(PORTFOLIO)[0], width=2.5)
            else:
                pen = pg.mkPen(colour, width=2.5 if label == PORTFOLIO else width)
            curve = pg.PlotDataItem(pen=pen, name=label)
            curve.setVisible(not hidden_by(label, self.hidden))
            self.view.getPlotItem().addItem(curve)
            self.curves[column] = curve
        return self.curves[column]

    def _apply_palette(self) -> None:
        palette = self.palette()
        colours = style_plots(self.view, [self.view.getPlotItem()], palette)
        self.legend.setLabelTextColor(colours["text"])
        backing = palette.color(QPalette.ColorRole.Base)
        backing.setAlpha(210)
        self.legend.setBrush(pg.mkBrush(backing))
        self._grid.set_colour(grid_colour(palette))
        self._zero.setPen(pg.mkPen(colours["muted"], width=1))
        self.note.setStyleSheet(f"color:{colours['muted']};")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
