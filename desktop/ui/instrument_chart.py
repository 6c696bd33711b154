"""An instrument's charts, one date axis: the price as a mountain (a filled area) with the last
close labelled at the right edge and the user's buys and sales marked, the volume in bars
under it, and its return against the benchmarks, rebased to the range's start.

It draws ``core.instrument.InstrumentChart`` as computed and computes nothing: x is epoch
seconds (``chart.series_to_xy``), each plot's y range is set from the values in view when the
dates change, a crosshair follows the mouse across the three plots and the read-out above
says the day's close, return, volume and the benchmarks' returns.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.core.model import TradeType
from desktop.ui.chart import RANGE_STYLE, RANGES, series_colour, series_to_xy
from desktop.ui.chart_axes import CompactAxis, DateAxis, HorizontalGrid, PercentAxis
from desktop.ui.formatting import DASH, money, percent
from desktop.ui.palette import grid_colour, is_dark, tones
from desktop.ui.performance import benchmark_label
from desktop.ui.plot_style import style_plots

if TYPE_CHECKING:
    from desktop.core.instrument import InstrumentChart

DEFAULT_RANGE = "YTD"
#: The instrument's own colour (the portfolio's blue: it is the one line that is "yours").
INSTRUMENT_COLOUR = "#0072B2"
_PLOT_HEIGHTS = (4, 1, 3)  #: price, volume, comparison: shares of the height
_TONE = {TradeType.BUY: "gain", TradeType.SELL: "loss"}  #: a buy's mark, a sale's


class InstrumentPlots(QWidget):
    """The price mountain, the volume bars and the comparison, for one ``InstrumentChart``."""

    rangeChanged = Signal(str)  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart: InstrumentChart | None = None
        self._x = np.empty(0)
        self._buttons = QButtonGroup(self, exclusive=True)
        bar = QHBoxLayout()
        bar.setSpacing(2)
        for i, name in enumerate(RANGES):
            button = QPushButton(name, self, checkable=True, autoDefault=False)
            button.setStyleSheet(RANGE_STYLE)
            button.setAccessibleName(f"Range {name}")
            self._buttons.addButton(button, i)
            bar.addWidget(button)
        self._buttons.idClicked.connect(lambda i: self.rangeChanged.emit(RANGES[i]))
        self.readout = QLabel(self, objectName="instrumentReadout")
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.readout.setWordWrap(True)  # two lines rather than a cut-off benchmark when narrow
        self.readout.setMinimumHeight(2 * self.readout.fontMetrics().height())
        self.readout.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        bar.addStretch(1)
        self.message = QLabel(self, objectName="instrumentMessage", wordWrap=True)
        self.message.hide()

        self.view = pg.GraphicsLayoutWidget(self)
        self.view.setAccessibleName("Price, volume and comparison charts")
        self.price = self.view.addPlot(
            0, 0, axisItems={"bottom": DateAxis("bottom"), "left": pg.AxisItem("left")}
        )
        self.volume = self.view.addPlot(
            1, 0, axisItems={"bottom": DateAxis("bottom"), "left": CompactAxis("left")}
        )
        self.compare = self.view.addPlot(
            2, 0, axisItems={"bottom": DateAxis("bottom"), "left": PercentAxis("left")}
        )
        self._plots = (self.price, self.volume, self.compare)
        for row, share in enumerate(_PLOT_HEIGHTS):
            self.view.ci.layout.setRowStretchFactor(row, share)
        for plot in (self.volume, self.compare):
            plot.setXLink(self.price)
        for plot in self._plots:
            self._style(plot)
        self.price.getAxis("bottom").setStyle(showValues=False)
        self.volume.getAxis("bottom").setStyle(showValues=False)

        self.mountain = pg.PlotDataItem(antialias=True, connect="finite", name="close")
        self.price.addItem(self.mountain)
        self.last_label = pg.TextItem(anchor=(1, 1))
        self.price.addItem(self.last_label, ignoreBounds=True)
        self.marks = pg.ScatterPlotItem(hoverable=True, tip=self._tip, size=11, pxMode=True)
        self.marks.setZValue(20)
        self.price.addItem(self.marks)
        self.bars = pg.BarGraphItem(x=[], height=[], width=1.0)
        self.volume.addItem(self.bars)
        self.lines: dict[str, pg.PlotDataItem] = {}
        self._zero = pg.InfiniteLine(pos=0, angle=0)
        self.compare.addItem(self._zero, ignoreBounds=True)
        self._crosshairs = [pg.InfiniteLine(angle=90, movable=False) for _ in self._plots]
        for plot, line in zip(self._plots, self._crosshairs, strict=True):
            line.hide()
            plot.addItem(line, ignoreBounds=True)
        self.view.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.price.getViewBox().sigXRangeChanged.connect(self._fit_y)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.readout)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        self._apply_palette()
        self.set_range(DEFAULT_RANGE)

    # -- what is shown ---------------------------------------------------------------------------
    def set_range(self, name: str) -> None:
        self._buttons.button(RANGES.index(name)).setChecked(True)

    def range_name(self) -> str:
        return RANGES[self._buttons.checkedId()]

    def range_button(self, name: str) -> QPushButton:
        return self._buttons.button(RANGES.index(name))

    def set_chart(self, chart: InstrumentChart) -> None:
        """Draw ``chart`` (its range button checked when it is a named one)."""
        self.chart = chart
        if chart.period.label in RANGES:
            self.set_range(chart.period.label)
        frame = chart.frame
        notes = list(chart.notes)
        if chart.no_price_since is not None:
            notes.insert(0, f"{chart.symbol} has no price since {chart.no_price_since:%Y-%m-%d}")
        self.message.setText("; ".join(notes))
        self.message.setVisible(bool(notes))
        if frame.empty:
            self._x = np.empty(0)
            self.mountain.setData([], [])
            self.bars.setOpts(x=[], height=[])
            self.marks.setData([])
            self.last_label.setText("")
            for line in self.lines.values():
                line.setData([], [])
            self._show_values(None)
            return
        x, close = series_to_xy(frame["close"])
        self._x = x
        self.mountain.setData(x, close)
        volume = frame["volume"].to_numpy(dtype=float)
        known = ~np.isnan(volume)
        width = float(np.median(np.diff(x))) * 0.8 if len(x) > 1 else 86400 * 0.8
        self.bars.setOpts(x=x[known], height=volume[known], width=width)
        # No volumes (an index, simulated prices, a CSV without them): no empty plot for them.
        self.volume.setVisible(bool(known.any()))
        self.volume.setMaximumHeight(16777215 if known.any() else 0)
        self.view.ci.layout.setRowStretchFactor(1, _PLOT_HEIGHTS[1] if known.any() else 0)
        stamps = [dt.datetime.combine(m.date, dt.time(), dt.UTC).timestamp() for m in chart.marks]
        self.marks.setData(
            [
                {
                    "pos": (stamp, m.y),
                    "data": m.text,
                    "symbol": "t1" if m.side is TradeType.BUY else "t",
                    "brush": pg.mkBrush(
                        self._colours["gain" if m.side is TradeType.BUY else "loss"]
                    ),
                    "pen": pg.mkPen(self._colours["text"], width=1),
                }
                for stamp, m in zip(stamps, chart.marks, strict=True)
            ]
        )
        self.last_label.setText(money(close[-1]))
        self.last_label.setPos(x[-1], close[-1])
        wanted = ["return", *chart.benchmarks]
        for label in list(self.lines):
            if label not in wanted:
                self.compare.removeItem(self.lines.pop(label))
        for label in wanted:
            line = self._line(label)
            lx, ly = series_to_xy(frame[label])
            line.setData(lx, ly * 100.0)
        self.price.setXRange(x[0], x[-1] if x[-1] > x[0] else x[0] + 86400, padding=0.01)
        self._fit_y()
        self._show_values(None)

    def _line(self, label: str) -> pg.PlotDataItem:
        if label not in self.lines:
            if label == "return":
                colour, width = INSTRUMENT_COLOUR, 2.0
            else:
                colour, width = series_colour(benchmark_label(label))
            item = pg.PlotDataItem(
                pen=pg.mkPen(colour, width=width), antialias=True, connect="finite", name=label
            )
            item.setZValue(10 if label == "return" else 5)
            self.compare.addItem(item)
            self.lines[label] = item
        return self.lines[label]

    def _fit_y(self) -> None:
        """Each plot's y range over its values on the dates in view; the mountain filled down
        to the bottom of its range."""
        if self.chart is None or self.chart.frame.empty or not len(self._x):
            return
        first, last = self.price.getViewBox().viewRange()[0]
        start = int(np.searchsorted(self._x, first, side="left"))
        stop = max(int(np.searchsorted(self._x, last, side="right")), start + 1)
        frame = self.chart.frame.iloc[start:stop]
        close = frame["close"].to_numpy(dtype=float)
        low, high = float(np.nanmin(close)), float(np.nanmax(close))
        pad = (high - low) * 0.08 or abs(high) * 0.02 or 1.0
        self.price.setYRange(low - pad, high + pad, padding=0)
        self.mountain.setFillLevel(low - pad)
        volume = frame["volume"].to_numpy(dtype=float)
        top = float(np.nanmax(volume)) if (~np.isnan(volume)).any() else 1.0
        self.volume.setYRange(0, top * 1.05 or 1.0, padding=0)
        values = frame[["return", *self.chart.benchmarks]].to_numpy(dtype=float) * 100.0
        lo = min(0.0, float(np.nanmin(values))) if (~np.isnan(values)).any() else -1.0
        hi = max(0.0, float(np.nanmax(values))) if (~np.isnan(values)).any() else 1.0
        if hi <= lo:
            lo, hi = lo - 1.0, hi + 1.0
        self.compare.setYRange(lo, hi, padding=0.05)

    # -- the read-out ------------------------------------------------------------------------------
    def _show_values(self, at: float | None) -> None:
        """The day's figures (the crosshair's, else the last day's) in the line above."""
        chart = self.chart
        if chart is None or chart.frame.empty:
            self.readout.setText("")
            return
        i = len(self._x) - 1 if at is None else int(np.searchsorted(self._x, at, "right")) - 1
        i = min(max(i, 0), len(self._x) - 1)
        row = chart.frame.iloc[i]
        day = chart.frame.index[i].date()
        muted = self._colours["muted"]
        parts = [
            f"<span style='color:{muted}'>{day:%a} {day.day} {day:%b %Y}</span>",
            f"close <b>{money(row['close'])}</b>",
        ]
        volume = row["volume"]
        if not np.isnan(volume):
            parts.append(f"volume {volume:,.0f}")
        # The comparison's legend: each line's colour, name and return since the range began.
        parts.append(self._signed(row["return"], chart.symbol, INSTRUMENT_COLOUR))
        for name in chart.benchmarks:
            label = benchmark_label(name)
            parts.append(self._signed(row[name], label, series_colour(label)[0]))
        self.readout.setText(" · ".join(parts))
        self.readout.setToolTip(
            "Each return is the price's since the range's first close; the benchmarks' over "
            "the same days."
        )

    def _signed(self, value: float, label: str, colour: str) -> str:
        swatch = f"<span style='color:{colour}'>■</span> {label} "
        if value is None or np.isnan(value):
            return f"{swatch}{DASH}"
        tone = self._colours["gain" if value > 0 else "loss" if value < 0 else "text"]
        return f"{swatch}<span style='color:{tone}'>{percent(value, signed=True)}</span>"

    def _on_mouse_moved(self, pos: QPointF) -> None:
        inside = any(p.getViewBox().sceneBoundingRect().contains(pos) for p in self._plots)
        if not len(self._x) or not inside:
            for line in self._crosshairs:
                line.hide()
            self._show_values(None)
            return
        at = self.price.getViewBox().mapSceneToView(pos).x()
        i = int(np.searchsorted(self._x, at))
        nearest = min(self._x[max(i - 1, 0) : i + 1], key=lambda x: abs(x - at))
        for line in self._crosshairs:
            line.setPos(nearest)
            line.show()
        self._show_values(float(nearest))

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        for line in self._crosshairs:
            line.hide()
        self._show_values(None)
        super().leaveEvent(event)

    @staticmethod
    def _tip(x: float, y: float, data: object) -> str:
        return str(data)

    # -- look --------------------------------------------------------------------------------------
    def _style(self, plot: pg.PlotItem) -> None:
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.setDownsampling(auto=True, mode="peak")
        plot.setClipToView(True)
        view = plot.getViewBox()
        view.setMouseEnabled(x=True, y=False)
        view.setMouseMode(pg.ViewBox.RectMode)
        view.disableAutoRange()
        grid = HorizontalGrid(plot.getAxis("left"))
        plot.addItem(grid, ignoreBounds=True)
        plot.grid_item = grid
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() - 0.5, 8.0))
        for name in ("left", "bottom"):
            plot.getAxis(name).setStyle(tickFont=font, tickLength=-5, tickTextOffset=6)
            plot.getAxis(name).enableAutoSIPrefix(False)  # prices as they read; volumes: K, M
        plot.getAxis("left").setWidth(64)

    def _apply_palette(self) -> None:
        palette = self.palette()
        colours = self._colours = style_plots(self.view, self._plots, palette)
        self.view.setBackground(palette.color(palette.ColorRole.Base))
        for plot in self._plots:
            plot.grid_item.set_colour(grid_colour(palette))
        self.price.setLabel("left", "Price", color=colours["muted"])
        self.volume.setLabel("left", "Volume", color=colours["muted"])
        self.compare.setLabel("left", "Return", color=colours["muted"])
        fill = QColor(INSTRUMENT_COLOUR)
        fill.setAlphaF(0.35 if is_dark(palette) else 0.22)
        self.mountain.setPen(pg.mkPen(INSTRUMENT_COLOUR, width=2))
        self.mountain.setBrush(pg.mkBrush(fill))
        self.last_label.setColor(colours["text"])
        base = QColor(palette.color(palette.ColorRole.Base))
        base.setAlphaF(0.8)  # the label stays readable over the line it sits on
        self.last_label.fill = pg.mkBrush(base)
        bar = QColor(colours["muted"])
        bar.setAlphaF(0.7)
        self.bars.setOpts(brush=pg.mkBrush(bar), pen=pg.mkPen(None))
        self._zero.setPen(pg.mkPen(colours["muted"], width=1))
        for line in self._crosshairs:
            line.setPen(pg.mkPen(colours["muted"], width=1, style=Qt.PenStyle.DashLine))
        self.message.setStyleSheet(f"color:{tones(palette)['warning']}; font-weight:bold;")
        if self.chart is not None:
            self.set_chart(self.chart)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_colours"):
            self._apply_palette()
