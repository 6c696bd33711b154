"""The palette's colours on a pyqtgraph plot: one way for every chart of the window.

The background is the palette's base (a table's background), the axes are drawn in its muted
tone with their labels in its text colour, so light and dark palettes alike stay readable.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyqtgraph as pg
from PySide6.QtGui import QPalette

from desktop.ui.palette import tones


def style_plots(
    view: pg.GraphicsView, plots: Iterable[pg.PlotItem], palette: QPalette
) -> dict[str, str]:
    """Give ``view`` the palette's base as background and each of ``plots`` its axes' pens;
    the palette's tones (``palette.tones``), for what else the caller draws."""
    colours = tones(palette)
    view.setBackground(palette.color(QPalette.ColorRole.Base))
    for plot in plots:
        for name in ("left", "bottom"):
            plot.getAxis(name).setPen(pg.mkPen(colours["muted"]))
            plot.getAxis(name).setTextPen(pg.mkPen(colours["text"]))
    return colours
