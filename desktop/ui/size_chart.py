"""Small against large, drawn: the Russell 2000 over the S&P 500, and its 12-month lead.

Two plots on one date axis: above, the ratio ^RUT / ^GSPC on a log scale (a rise of a tenth
looks the same at any level; rising while small caps lead); below, ^RUT's 12-month return less
^GSPC's in percent, around a line at 0. The widget draws the frame ``core.size.size_ratio``
computed (``set_data``) and computes nothing; each curve is created once and updated with
``setData``, downsampled and clipped to the view. Both lines are in the Russell 2000's colour,
as the returns chart draws it; the axes follow the palette.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.ui.chart import series_colour, series_to_xy
from desktop.ui.chart_axes import DateAxis, HorizontalGrid, LogRatioAxis, PercentAxis
from desktop.ui.palette import grid_colour
from desktop.ui.performance import benchmark_label
from desktop.ui.plot_style import style_plots

if TYPE_CHECKING:
    import pandas as pd

RATIO_TITLE = "Russell 2000 / S&P 500 (log scale): rising while small caps lead"
EXCESS_TITLE = "Russell 2000's 12-month return less the S&P 500's"
RATIO_TIP = (
    "The Russell 2000 (^RUT) divided by the S&P 500 (^GSPC) on the days both closed, on a log "
    "scale. Both are price indexes, without dividends."
)
EXCESS_TIP = (
    "The Russell 2000's price return over the trailing year (from the last close on or before "
    "the same day 365 days earlier) less the S&P 500's: above 0 small caps led that year."
)


def line_colour() -> str:
    """The colour both lines are drawn in: the Russell 2000's."""
    return series_colour(benchmark_label("^RUT"))[0]


class SizeChart(QWidget):
    """The ratio above, the 12-month excess below, sharing their dates."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = pg.GraphicsLayoutWidget(self)
        self.view.setAccessibleName("Russell 2000 against the S&P 500")
        self.ratio_plot = self.view.addPlot(
            row=0, col=0, axisItems={"bottom": DateAxis("bottom"), "left": LogRatioAxis("left")}
        )
        self.excess_plot = self.view.addPlot(
            row=1, col=0, axisItems={"bottom": DateAxis("bottom"), "left": PercentAxis("left")}
        )
        self.excess_plot.setXLink(self.ratio_plot)
        self.view.ci.layout.setContentsMargins(0, 0, 0, 0)
        self.view.ci.layout.setSpacing(0)
        self.view.ci.layout.setRowStretchFactor(0, 3)  # the ratio is the chart; the lead under it
        self.view.ci.layout.setRowStretchFactor(1, 2)
        self._grids = []
        self._titles = {id(self.ratio_plot): RATIO_TITLE, id(self.excess_plot): EXCESS_TITLE}
        for plot, tip in ((self.ratio_plot, RATIO_TIP), (self.excess_plot, EXCESS_TIP)):
            plot.hideButtons()
            plot.setMenuEnabled(False)
            plot.setDownsampling(auto=True, mode="peak")
            plot.setClipToView(True)
            plot.getViewBox().setMouseEnabled(x=True, y=False)
            plot.getViewBox().setAutoVisible(y=True)
            plot.getAxis("left").setWidth(64)
            plot.setToolTip(tip)
            plot.layout.setContentsMargins(4, 4, 12, 2)
            grid = HorizontalGrid(plot.getAxis("left"))
            plot.addItem(grid, ignoreBounds=True)
            self._grids.append(grid)
        self.ratio_plot.getAxis("bottom").setStyle(showValues=False)  # one set of dates, below
        pen = pg.mkPen(line_colour(), width=1.5)
        self.ratio = pg.PlotDataItem(pen=pen, name="ratio")
        self.excess = pg.PlotDataItem(pen=pen, name="excess_12m")
        for plot, curve in ((self.ratio_plot, self.ratio), (self.excess_plot, self.excess)):
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            plot.addItem(curve)
        self._zero = pg.InfiniteLine(pos=0, angle=0)
        self.excess_plot.addItem(self._zero)
        self.frame: pd.DataFrame | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 4)
        layout.addWidget(self.view)
        self.setMinimumHeight(160)
        self._apply_palette()

    def set_data(self, frame: pd.DataFrame) -> None:
        """Draw ``frame`` (``ratio`` and ``excess_12m``, a fraction, on a date index); blank
        values are gaps, never zeros. An empty frame clears both plots."""
        self.frame = frame
        x, ratio = series_to_xy(frame["ratio"])
        _, excess = series_to_xy(frame["excess_12m"])
        with np.errstate(divide="ignore", invalid="ignore"):
            drawn = np.where(ratio > 0, np.log10(ratio), np.nan)
        self.ratio.setData(x, drawn, connect="finite")
        self.excess.setData(x, excess * 100.0, connect="finite")
        if len(x):
            self.ratio_plot.setXRange(x[0], x[-1], padding=0.02)
        for plot in (self.ratio_plot, self.excess_plot):
            plot.enableAutoRange(axis="y")
        self._show_last()

    def _show_last(self) -> None:
        """Each plot's title with its last value, as of its date."""
        muted = self._muted
        for plot, column, shown in (
            (self.ratio_plot, "ratio", "{:.3f}"),
            (self.excess_plot, "excess_12m", "{:+.1%}"),
        ):
            text = self._titles[id(plot)]
            values = self.frame[column].dropna() if self.frame is not None else None
            if values is not None and len(values):
                last = values.index[-1]
                value = shown.format(values.iloc[-1]).replace("-", "\u2212")
                text += f"  ·  {value} on {last:%d %b %Y}"
            plot.setTitle(text, size="8pt", justify="left", color=muted)

    def _apply_palette(self) -> None:
        palette = self.palette()
        colours = style_plots(self.view, (self.ratio_plot, self.excess_plot), palette)
        self._muted = colours["muted"]
        for g in self._grids:
            g.set_colour(grid_colour(palette))
        self._zero.setPen(pg.mkPen(colours["muted"], width=1))
        self._show_last()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
