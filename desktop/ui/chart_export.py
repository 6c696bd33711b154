"""Drawing a chart frame (``core.chart_data``) to a PNG, offscreen: ``portfolio-desk chart``.

The picture is the window's own widget for that chart, given the frame and grabbed: the
returns chart (with its legend and read-out), the relative strength or drawdown panel, the
rolling and value plots, the monthly table (one per series: the portfolio, then each excess),
the why bars, and the size chart (``core.size.size_ratio``'s frame). So the PNG is the chart
as drawn, in the window's colours and palette.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

Fill = Callable[[pd.DataFrame], None]


def export_png(
    name: str,
    frame: pd.DataFrame,
    path: Path,
    *,
    title: str,
    caption: str = "period's",
    size: tuple[int, int] = (1200, 700),
) -> None:
    """Draw ``frame``, the data of chart ``name`` over the period ``caption`` names ("1Y"),
    into the PNG file ``path``."""

    def build(page: QWidget) -> tuple[QWidget, Callable[[], None]]:
        widget, fill = _widget(name, page, caption)
        return widget, lambda: fill(frame)

    render_png(build, path, title=title, size=size)


def render_png(
    build: Callable[[QWidget], tuple[QWidget, Callable[[], None]]],
    path: Path,
    *,
    title: str,
    size: tuple[int, int] = (1200, 700),
) -> None:
    """The widget ``build(page)`` makes, under ``title``, filled (its second result, called
    once it is laid out at ``size``) and grabbed into the PNG file ``path``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a command draws, it shows nothing
    from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

    app = QApplication.instance() or QApplication([])
    page = QWidget()
    page.setAutoFillBackground(True)
    layout = QVBoxLayout(page)
    layout.addWidget(QLabel(f"<b>{title}</b>", page))
    widget, fill = build(page)
    layout.addWidget(widget, 1)
    page.resize(*size)
    page.show()  # laid out at its size first (offscreen: nothing appears), so each line is
    app.processEvents()  # reduced for the width it is drawn at
    fill()
    for _ in range(3):  # the plots lay out and paint on the loop's next turns
        app.processEvents()
    image = page.grab()
    page.close()
    page.deleteLater()
    if image.width() != size[0]:  # a scale factor: the file is the size asked for
        image = image.scaled(*size)
    if not image.save(str(path), "PNG"):
        raise OSError(f"the image could not be written to {path}")


def _widget(name: str, parent: QWidget, caption: str) -> tuple[QWidget, Fill]:
    """The window's widget for chart ``name``, and how it takes the chart's frame."""
    from desktop.ui.performance import PORTFOLIO, benchmark_label

    if name == "performance":
        from desktop.ui.chart import ReturnsChart

        chart = ReturnsChart(parent)
        for control in (chart.custom_button, chart.log_button, chart.range_button("1Y").parent()):
            control.hide()  # controls of the window, not of the picture

        def lines(frame: pd.DataFrame) -> None:
            label = {c: PORTFOLIO if c == "portfolio" else benchmark_label(c) for c in frame}
            chart.set_series({label[c]: frame[c].dropna() for c in frame if frame[c].notna().any()})

        return chart, lines
    if name in ("relative-strength", "drawdown"):
        from desktop.ui.chart import series_to_xy
        from desktop.ui.comparison_panels import ComparisonPanels

        panels = ComparisonPanels(parent)
        relative = name == "relative-strength"
        panels.view.ci.removeItem(panels.drawdown if relative else panels.relative)
        if relative:
            panels.relative.getAxis("bottom").setStyle(showValues=True)  # its own dates
        else:
            panels.drawdown.setXLink(None)  # it followed the relative strength's dates

        def frames(frame: pd.DataFrame) -> None:
            empty = pd.DataFrame(index=frame.index)
            panels.set_frames(*((frame, empty) if relative else (empty, frame)))
            if len(frame.index):  # the frame's dates: its plot follows no chart here
                x = series_to_xy(frame.iloc[:, 0])[0]
                plot = panels.relative if relative else panels.drawdown
                plot.setXRange(x[0], x[-1], padding=0.02)
                plot.enableAutoRange(axis="y")

        return panels, frames
    if name in ("rolling", "rolling-3y"):
        from desktop.ui.rolling_tab import RollingTab

        years = 3 if name == "rolling-3y" else 1
        tab = RollingTab(parent)
        tab.excess.hide()
        for control in (tab.trailing, *tab.buttons.values()):
            control.hide()

        def rolling(frame: pd.DataFrame) -> None:
            tab.set_frames({years: (frame, pd.DataFrame(index=frame.index))})
            tab.show_years(years)

        return tab, rolling
    if name == "value":
        from desktop.ui.frame_plot import VALUE_TIP, VALUE_TITLE, FramePlot

        plot = FramePlot(VALUE_TITLE, VALUE_TIP, percent=False, parent=parent)
        return plot, plot.set_frame
    if name == "size":
        from desktop.ui.size_chart import SizeChart

        size = SizeChart(parent)
        return size, size.set_data
    if name == "heatmap":
        from PySide6.QtWidgets import QVBoxLayout, QWidget

        box = QWidget(parent)
        QVBoxLayout(box).setContentsMargins(0, 0, 0, 0)
        return box, lambda frame: _heatmaps(frame, box)
    from desktop.ui.why_panel import WhyPanel

    why = WhyPanel(parent)

    def bars(frame: pd.DataFrame) -> None:
        symbols, values = frame["symbol"].astype(str), frame["contribution"].astype(float)
        why.set_contributions(caption, dict(zip(symbols, values, strict=True)))

    return why, bars


def _heatmaps(frame: pd.DataFrame, box: QWidget) -> None:
    """The monthly table of each series, one under the other, in ``box``."""
    from desktop.ui.heatmap_table import HeatmapTable

    layout = box.layout()
    for name in list(dict.fromkeys(frame["series"])) if len(frame) else [None]:
        table = HeatmapTable(box)
        table.set_frame(frame)
        if name is not None:
            table.series.setCurrentIndex(table.series.findData(name))
        layout.addWidget(table, 1)
