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

from desktop.ui.formatting import DASH, money, percent
from desktop.ui.instrument_chart import DEFAULT_RANGE, InstrumentPlots

#: ``load(range_name) -> (InstrumentChart, PositionFigures | None)``, run on a worker.
Load = Callable[[str], tuple[Any, Any]]
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
        self.quality_note = QLabel("No fundamentals fetched yet.", self.quality_box, wordWrap=True)
        self.quality_form.addRow(self.quality_note)
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
    def show_range(self, name: str = DEFAULT_RANGE) -> None:
        """Load and draw the range ``name`` (on a worker)."""
        self._asked += 1
        asked = self._asked
        self.plots.set_range(name)
        self.status.setText("Loading…")

        def done(result: tuple[Any, Any]) -> None:
            if asked == self._asked:  # a later range was asked for meanwhile: it draws
                self.set_data(*result)

        def failed(message: str) -> None:
            if asked == self._asked:
                self.status.setText(f"Could not read {self.symbol}: {message}")

        self._run(lambda _progress: self._load(name), done, failed)

    def set_data(self, chart: Any, figures: Any) -> None:
        self.chart, self.figures = chart, figures
        self.plots.set_chart(chart)
        self._show_position(figures)
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

    def set_quality(self, rows: list[tuple[str, str, str]]) -> None:
        """The quality card: ``(label, value in words, fetched on)`` per row."""
        while self.quality_form.rowCount():
            self.quality_form.removeRow(0)
        if not rows:
            self.quality_note = QLabel("No fundamentals fetched yet.", self.quality_box)
            self.quality_form.addRow(self.quality_note)
            return
        for label, text, fetched in rows:
            value = QLabel(text, self.quality_box)
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            if fetched:
                value.setToolTip(f"As fetched on {fetched}")
            self.quality_form.addRow(label, value)

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
