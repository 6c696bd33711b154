"""An instrument's own window: its price as a mountain with volume, against the benchmarks, the
user's trades on it, their position's figures and its quality card; exported as CSV or PNG.

Opened from the holdings, the watchlist or a symbol search (Enter or a double-click). What it
shows is computed on a worker (``load``): the window only draws it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.formatting import DASH, compact_money, money, percent
from desktop.ui.instrument_chart import DEFAULT_RANGE, InstrumentPlots

#: ``load(range_name or None) -> (InstrumentChart, PositionFigures | None, HoldingQuality)``,
#: run on a worker (``None``: the default range).
Load = Callable[[str | None], tuple[Any, ...]]
#: Runs ``work`` on a worker and ``done`` with its result on the main thread (``TaskRunner``).
Run = Callable[..., None]

_POSITION_ROWS = (
    ("quantity", "Shares held"),
    ("cost_basis", "Cost basis"),
    ("market_value", "Market value"),
    ("unrealized_gain", "Unrealized gain"),
    ("ttwror", "Return (TTWROR)"),
    ("irr", "IRR (yearly)"),
    ("dividends", "Dividends received"),
    ("realized_gain", "Realized gain"),
)
_PERCENT = {"ttwror", "irr"}


def figure_text(figure: Any) -> str:
    """One quality figure (``core.quality.QualityFigure``) as the card shows it."""
    from desktop.core.quality import FigureKind

    value, kind = figure.value, figure.kind
    if value is None:
        return "n/a"
    if kind is FigureKind.MONEY:
        text = compact_money(value, figure.currency)
    elif kind is FigureKind.PER_SHARE:
        text = f"{money(value)} {figure.currency}".strip()
    elif kind is FigureKind.MULTIPLE:
        text = f"{value:,.1f}"
    elif kind is FigureKind.FRACTION:
        text = f"{value:.1%}"
    elif kind is FigureKind.SCORE:
        text = f"{value:.1f} of 5"
    else:
        text = f"{value:,.0f}"
    if figure.text:
        text += f" ({figure.text.replace('_', ' ')})"
    return text


class InstrumentView(QWidget):
    """One symbol's window (see the module docstring)."""

    def __init__(
        self,
        symbol: str,
        name: str,
        load: Load,
        run: Run,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.symbol, self._load, self._run = symbol, load, run
        self.setWindowTitle(f"{symbol} — {name}" if name else symbol)
        self.setAccessibleName(f"{symbol} instrument view")
        self.chart: Any = None
        self.figures: Any = None
        self._asked = 0  #: the number of the newest load asked for (older answers are dropped)
        #: Where an export goes (a file dialog; tests replace it): ``(caption, filter) -> path``.
        self.choose_export_path: Callable[[str, str], Path | None] = self._ask_path

        heading = QLabel(f"<b>{symbol}</b> {name}", self, objectName="instrumentHeading")
        heading.setTextFormat(Qt.TextFormat.RichText)
        self.plots = InstrumentPlots(self)
        self.plots.rangeChanged.connect(self.show_range)
        self.position_box = QGroupBox("Your position", self)
        self.position_form = QFormLayout(self.position_box)
        self.position_values: dict[str, QLabel] = {}
        for key, label in _POSITION_ROWS:
            value = QLabel(DASH, self.position_box)
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.position_form.addRow(label, value)
            self.position_values[key] = value
        self.position_note = QLabel(self.position_box, wordWrap=True)
        self.position_form.addRow(self.position_note)
        self.quality_box = QGroupBox("Quality", self)
        self.quality_form = QFormLayout(self.quality_box)
        self.set_quality(None)
        self.csv_button = QPushButton("Export &CSV…", self, autoDefault=False)
        self.png_button = QPushButton("Export &PNG…", self, autoDefault=False)
        self.csv_button.clicked.connect(lambda: self.export(".csv"))
        self.png_button.clicked.connect(lambda: self.export(".png"))
        self.status = QLabel(self, objectName="instrumentStatus", wordWrap=True)

        side = QVBoxLayout()
        side.addWidget(self.position_box)
        side.addWidget(self.quality_box)
        side.addStretch(1)
        exports = QHBoxLayout()
        exports.addWidget(self.csv_button)
        exports.addWidget(self.png_button)
        side.addLayout(exports)
        body = QHBoxLayout()
        body.addWidget(self.plots, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self.resize(1100, 700)

    # -- loading -------------------------------------------------------------------------------
    def show_range(self, name: str | None = None) -> None:
        """Load and draw the range ``name`` (on a worker); ``None``: the default one (YTD, or
        Max for an instrument that stopped trading)."""
        self._asked += 1
        asked = self._asked
        self.plots.set_range(name or DEFAULT_RANGE)
        self.status.setText("Loading…")

        def done(result: tuple[Any, ...]) -> None:
            if asked == self._asked:  # a later range was asked for meanwhile: it draws
                self.set_data(*result)

        def failed(message: str) -> None:
            if asked == self._asked:
                self.status.setText(f"Could not read {self.symbol}: {message}")

        self._run(lambda _progress: self._load(name), done, failed)

    def set_data(self, chart: Any, figures: Any, quality: Any = None) -> None:
        self.chart, self.figures = chart, figures
        self.plots.set_chart(chart)
        self._show_position(figures)
        self.set_quality(quality)
        last = chart.last
        self.status.setText(
            f"Last close {money(last[1])} on {last[0]:%Y-%m-%d}" if last else "No closes cached"
        )

    def _show_position(self, figures: Any) -> None:
        if figures is None:
            for value in self.position_values.values():
                value.setText(DASH)
            self.position_note.setText("Not in your ledger.")
            return
        for key, value in self.position_values.items():
            number = getattr(figures, key)
            if number is None:
                value.setText("n/a")
            elif key in _PERCENT:
                value.setText(percent(number, signed=True))
            elif key == "quantity":
                value.setText(f"{number:,.6f}".rstrip("0").rstrip("."))
            else:
                value.setText(money(number))
        self.position_note.setText(
            f"Return, IRR, dividends and realized gain over {figures.period}."
            + ("" if figures.held else " Not held now.")
        )

    def set_quality(self, quality: Any) -> None:
        """The quality card (``quality_data.HoldingQuality``): each figure in words, "n/a"
        where unknown (never 0), with the day its data is from in its tooltip; the note."""
        while self.quality_form.rowCount():
            self.quality_form.removeRow(0)
        self.quality_values: dict[str, QLabel] = {}
        figures = quality.figures if quality is not None else []
        for figure in figures:
            value = QLabel(figure_text(figure), self.quality_box)
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            day = f"{figure.fetched:%Y-%m-%d}" if figure.fetched else ""
            if figure.value is None:
                value.setToolTip(f"Not known (fetched {day})" if day else "Not known")
            else:
                value.setToolTip(f"As of {day}" if day else "")
            self.quality_form.addRow(figure.label, value)
            self.quality_values[figure.key] = value
        dated = sorted({f.fetched for f in figures if f.fetched and f.key != "liquidity"})
        words = quality.note if quality is not None else "No fundamentals fetched yet."
        words = words[:1].upper() + words[1:]
        if dated:
            words = (words + " " if words else "") + f"Fetched {dated[-1]:%Y-%m-%d}."
        self.quality_note = QLabel(words, self.quality_box, wordWrap=True)
        self.quality_form.addRow(self.quality_note)

    # -- export ------------------------------------------------------------------------------
    def _ask_path(self, caption: str, pattern: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, caption, f"{self.symbol}{pattern[-5:-1]}", pattern
        )
        return Path(name) if name else None

    def export(self, kind: str) -> Path | None:
        """Write the chart's data (``.csv``) or the charts as drawn (``.png``); the path."""
        if self.chart is None:
            return None
        pattern = "CSV files (*.csv)" if kind == ".csv" else "PNG images (*.png)"
        path = self.choose_export_path(f"Export {self.symbol}", pattern)
        if path is None:
            return None
        if path.suffix.lower() != kind:
            path = path.with_name(path.name + kind)
        from desktop.data.formats.atomic_file import write_atomically

        def write(partial: Path) -> None:
            if kind == ".csv":
                from desktop.data.formats.chart_csv import write_chart_csv

                write_chart_csv(self.chart.frame, partial)
            elif not self.plots.grab().save(str(partial), "PNG"):
                raise OSError("the image could not be written")

        try:
            write_atomically(path, write)
        except OSError as exc:
            self.status.setText(f"Could not write {path}: {exc.strerror or exc}")
            return None
        self.status.setText(f"Wrote {path}")
        return path
