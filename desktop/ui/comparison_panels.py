"""Under the returns chart, on its date axis: relative strength and drawdown.

- Relative strength against each benchmark: (1 + portfolio) / (1 + benchmark), 1 at the base.
  Above the line at 1 the portfolio is ahead of that benchmark since the base; a rising line is
  one it is gaining on.
- Drawdown of the portfolio and each benchmark: how far below its own running high, in percent.

Both plots follow the returns chart's x range (``link_to``): zooming or picking a range there
moves them too. They draw the frames they are given (``core.chart_data``) and compute nothing;
each curve is created once and updated with ``setData``, downsampled and clipped to the view.
Colours follow the palette, the series keep the returns chart's colours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.ui.chart import hidden_by, series_colour, series_to_xy
from desktop.ui.chart_axes import DateAxis, HorizontalGrid, PercentAxis, RatioAxis
from desktop.ui.palette import grid_colour, tones
from desktop.ui.performance import PORTFOLIO, benchmark_label
from desktop.ui.plot_style import style_plots

if TYPE_CHECKING:
    import pandas as pd

RELATIVE_TIP = (
    "Relative strength: the portfolio's growth since the range's start over each benchmark's, "
    "(1 + portfolio return) / (1 + benchmark return). Above 1 the portfolio is ahead of that "
    "benchmark; while the line rises it is gaining on it."
)
DRAWDOWN_TIP = (
    "Drawdown: how far each series is below its own highest point so far in the range, as a "
    "percentage of that high (0% at a new high)."
)


class ComparisonPanels(QWidget):
    """Relative strength and drawdown, stacked, sharing the returns chart's date axis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = pg.GraphicsLayoutWidget(self)
        self.view.setAccessibleName("Relative strength and drawdown")
        self.relative = self.view.addPlot(
            row=0, col=0, axisItems={"bottom": DateAxis("bottom"), "left": RatioAxis("left")}
        )
        self.drawdown = self.view.addPlot(
            row=1, col=0, axisItems={"bottom": DateAxis("bottom"), "left": PercentAxis("left")}
        )
        self.drawdown.setXLink(self.relative)
        self.view.ci.layout.setContentsMargins(0, 0, 0, 0)  # as a PlotWidget's: dates line up
        self.view.ci.layout.setSpacing(0)
        self._curves: dict[tuple[str, str], pg.PlotDataItem] = {}
        self.hidden: set[str] = set()  #: labels turned off in the returns chart's legend
        self._grids = []
        self._titles = {
            id(self.relative): "Relative strength: above 1, ahead of that benchmark",
            id(self.drawdown): "Drawdown: below each one's own high",
        }
        for plot, tip in ((self.relative, RELATIVE_TIP), (self.drawdown, DRAWDOWN_TIP)):
            plot.hideButtons()
            plot.setMenuEnabled(False)
            plot.setDownsampling(auto=True, mode="peak")
            plot.setClipToView(True)
            plot.getViewBox().setMouseEnabled(x=True, y=False)
            plot.getViewBox().setAutoVisible(y=True)
            plot.getAxis("left").setWidth(64)  # as the returns chart's: the dates line up
            plot.setToolTip(tip)
            plot.layout.setContentsMargins(4, 4, 12, 2)
            grid = HorizontalGrid(plot.getAxis("left"))
            plot.addItem(grid, ignoreBounds=True)
            self._grids.append(grid)
        self.relative.getAxis("bottom").setStyle(showValues=False)  # one set of dates, below
        self._par = pg.InfiniteLine(pos=1.0, angle=0)
        self.relative.addItem(self._par)
        self._crosshairs = []
        for plot in (self.relative, self.drawdown):
            line = pg.InfiniteLine(angle=90, movable=False)
            line.hide()
            plot.addItem(line, ignoreBounds=True)
            self._crosshairs.append(line)
        self.frames: dict[str, pd.DataFrame] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 4)
        layout.addWidget(self.view)
        self.setMinimumHeight(120)
        self._apply_palette()

    def link_to(self, plot: pg.PlotItem | None) -> None:
        """Follow ``plot``'s x range (the returns chart's); ``None``: stop following it."""
        self.relative.setXLink(plot)

    def show_crosshair(self, at: float) -> None:
        """The returns chart's crosshair, on the same date here, each series' value there in
        its panel's title (NaN: hidden, the titles read the last values)."""
        for line in self._crosshairs:
            if np.isnan(at):
                line.hide()
            else:
                line.setPos(at)
                line.show()
        self._show_readout(None if np.isnan(at) else at)

    def _show_readout(self, at: float | None) -> None:
        colours = tones(self.palette())
        for panel, plot in (("relative", self.relative), ("drawdown", self.drawdown)):
            frame = self.frames.get(panel)
            parts = []
            for column in frame.columns if frame is not None else ():
                curve = self._curves.get((panel, str(column)))
                if curve is not None and hidden_by(curve.name(), self.hidden):
                    continue  # turned off in the legend: not read out either
                value = self.value_at(panel, str(column), np.inf if at is None else at)
                if value is None:
                    continue
                shown = f"{value:.3f}" if panel == "relative" else f"{value:+.1%}"
                parts.append(f"{column} {shown}")
            text = self._titles[id(plot)] + ("  ·  " + "  ".join(parts) if parts else "")
            plot.setTitle(text, size="8pt", justify="left", color=colours["muted"])

    def value_at(self, panel: str, column: str, at: float) -> float | None:
        """What ``column`` of ``panel`` reads at date ``at`` (its last point on or before)."""
        frame = self.frames.get(panel)
        if frame is None or column not in frame:
            return None
        x, y = series_to_xy(frame[column])
        i = int(np.searchsorted(x, at, "right")) - 1
        return None if i < 0 or not np.isfinite(y[i]) else float(y[i])

    def set_frames(self, relative: pd.DataFrame, drawdown: pd.DataFrame) -> None:
        """Draw ``relative`` (columns: benchmark symbols) and ``drawdown`` (``portfolio`` and
        the benchmarks, fractions); every other curve is cleared."""
        self.frames = {"relative": relative, "drawdown": drawdown}
        wanted: set[tuple[str, str]] = set()
        for panel, frame, plot in (
            ("relative", relative, self.relative),
            ("drawdown", drawdown, self.drawdown),
        ):
            for column in frame.columns:
                x, y = series_to_xy(frame[column])
                if not np.isfinite(y).any():
                    continue  # a benchmark without data: no line, never a flat one
                key = (panel, str(column))
                wanted.add(key)
                curve = self._curve(plot, key)
                curve.setData(x, y * 100.0 if panel == "drawdown" else y, connect="finite")
        for key, curve in self._curves.items():
            if key not in wanted:
                curve.setData([], [])
        for plot in (self.relative, self.drawdown):
            plot.enableAutoRange(axis="y")
        self._show_readout(None)

    def _curve(self, plot: pg.PlotItem, key: tuple[str, str]) -> pg.PlotDataItem:
        if key not in self._curves:
            panel, column = key
            label = PORTFOLIO if column == "portfolio" else benchmark_label(column)
            colour, width = series_colour(label)
            curve = pg.PlotDataItem(pen=pg.mkPen(colour, width=width), name=label)
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            curve.setVisible(not hidden_by(label, self.hidden))
            plot.addItem(curve)
            self._curves[key] = curve
        return self._curves[key]

    def set_hidden(self, hidden: set[str]) -> None:
        """Turn off the curves of the series turned off in the returns chart's legend."""
        self.hidden = set(hidden)
        for curve in self._curves.values():
            curve.setVisible(not hidden_by(curve.name(), self.hidden))
        self._show_readout(None)

    def curve(self, panel: str, column: str) -> pg.PlotDataItem | None:
        """The curve of ``column`` in ``panel`` (``relative`` or ``drawdown``), if drawn."""
        return self._curves.get((panel, column))

    def _apply_palette(self) -> None:
        palette = self.palette()
        colours = style_plots(self.view, (self.relative, self.drawdown), palette)
        grid = grid_colour(palette)
        for plot in (self.relative, self.drawdown):
            plot.setTitle(
                self._titles[id(plot)], size="8pt", justify="left", color=colours["muted"]
            )
        for g in self._grids:
            g.set_colour(grid)
        self._par.setPen(pg.mkPen(colours["muted"], width=1))
        for line in self._crosshairs:
            line.setPen(pg.mkPen(colours["muted"], width=1, style=Qt.PenStyle.DashLine))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
