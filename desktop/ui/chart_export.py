"""Drawing a chart frame (``core.chart_data``) to a PNG, offscreen: ``portfolio-desk chart``.

Dated frames are lines over a date axis (percent for returns, money for value), the heatmap is
a grid of coloured cells with their values, scaled symmetrically around zero, and the
contributions are horizontal bars, largest at the top. Colours are those of the window's chart
(``chart.series_colour``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

_RETURNS = {"performance", "drawdown", "rolling", "rolling-3y"}


def export_png(
    name: str, frame: pd.DataFrame, path: Path, *, title: str, size: tuple[int, int] = (1200, 700)
) -> None:
    """Draw ``frame``, the data of chart ``name``, into the PNG file ``path``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a command draws, it shows nothing
    import pyqtgraph as pg
    import pyqtgraph.exporters  # noqa: F401 - registers ImageExporter
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([])
    pg.setConfigOptions(antialias=True, background="w", foreground="#222222")
    widget = pg.GraphicsLayoutWidget()
    widget.resize(*size)
    plot = widget.addPlot(title=title)
    if name == "heatmap":
        _heatmap(pg, plot, frame)
    elif name == "contribution":
        _bars(pg, plot, frame)
    else:
        _lines(pg, plot, name, frame)
    widget.show()  # lays the scene out at its size (offscreen: nothing appears)
    QApplication.processEvents()
    exporter = pg.exporters.ImageExporter(widget.scene())
    exporter.parameters()["width"] = size[0]
    if not exporter.export(str(path)) and not Path(path).exists():
        raise OSError(f"the image could not be written to {path}")
    widget.close()


def _lines(pg, plot, name: str, frame: pd.DataFrame) -> None:
    from desktop.ui.chart import series_colour
    from desktop.ui.chart_axes import DateAxis, PercentAxis
    from desktop.ui.frame_plot import column_label
    from desktop.ui.performance import PORTFOLIO

    plot.setAxisItems({"bottom": DateAxis()})
    if name in _RETURNS:
        plot.setAxisItems({"left": PercentAxis()})
    plot.getAxis("left").setWidth(72)  # room for "+120%" or "1,234,567"
    plot.addLegend(offset=(10, 10))
    plot.showGrid(y=True, alpha=0.15)
    x = pd.DatetimeIndex(frame.index).as_unit("s").asi8.astype(float)
    for i, column in enumerate(frame.columns):
        y = frame[column].to_numpy(dtype=float)
        if name in _RETURNS:
            y = y * 100.0
        if not np.isfinite(y).any():
            continue  # no data: left out, never drawn as 0
        label = column_label(str(column))  # the window's colours: the chart's for each series
        if column == "market_value":
            label = PORTFOLIO
        colour = "#666666" if column == "invested_capital" else series_colour(label)[0]
        width = 2.5 if i == 0 else 1.0
        plot.plot(x, y, pen=pg.mkPen(colour, width=width), name=str(column), connect="finite")
    if name == "relative-strength":
        plot.addLine(y=1.0, pen=pg.mkPen("#9A9A9A", width=1))


def _heatmap(pg, plot, frame: pd.DataFrame) -> None:
    """One block of rows per series (years down, months and the total across)."""
    if frame.empty:
        return
    columns = [*range(1, 13), "total"]
    blocks = list(dict.fromkeys(frame["series"]))
    years = sorted(set(frame["year"]))
    grid = np.full((len(columns), len(blocks) * (len(years) + 1)), np.nan)
    labels = []
    for b, series in enumerate(blocks):
        for y, year in enumerate(years):
            row = b * (len(years) + 1) + y
            labels.append((row + 0.5, f"{series} {year}"))
            for _, r in frame[(frame["series"] == series) & (frame["year"] == year)].iterrows():
                grid[columns.index(r["month"]), row] = r["return"]
    top = float(np.nanmax(np.abs(grid))) if np.isfinite(grid).any() else 1.0
    image = pg.ImageItem(np.nan_to_num(grid))
    # CET-D1 runs blue, white, red: reversed, losses are red and gains blue.
    image.setLookupTable(pg.colormap.get("CET-D1").getLookupTable(nPts=256)[::-1])
    image.setLevels((-top, top))  # symmetric around zero: white is 0
    plot.addItem(image)
    plot.invertY(True)
    for (m, row), value in np.ndenumerate(grid):
        if np.isfinite(value):
            dark = abs(value) > 0.6 * top  # the deepest colours carry white text
            colour = "#FFFFFF" if dark else "#222222"
            text = pg.TextItem(f"{value * 100:.1f}", color=colour, anchor=(0.5, 0.5))
            text.setPos(m + 0.5, row + 0.5)
            plot.addItem(text)
    plot.getAxis("bottom").setTicks([[(i + 0.5, str(c)) for i, c in enumerate(columns)]])
    plot.getAxis("left").setTicks([labels])
    plot.getAxis("left").setWidth(8 * max(len(text) for _, text in labels))


def _bars(pg, plot, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    values = frame["contribution"].to_numpy(dtype=float) * 100.0
    rows = np.arange(len(values))
    colours = ["#009E73" if v >= 0 else "#D55E00" for v in values]
    plot.addItem(pg.BarGraphItem(x0=0, y=rows, height=0.7, width=values, brushes=colours))
    plot.invertY(True)
    plot.getAxis("left").setTicks([[(i, str(s)) for i, s in enumerate(frame["symbol"])]])
    plot.getAxis("left").setWidth(9 * max(len(str(s)) for s in frame["symbol"]) + 12)
    plot.setLabel("bottom", "contribution to the period's TTWROR (percentage points)")
