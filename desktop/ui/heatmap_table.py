"""Monthly returns, years by months plus the year's total, for the portfolio or its excess.

Each cell holds the month's return in percent, coloured by its sign and size: the colour's
strength scales with the magnitude against the largest in the table, symmetrically around
zero (a gain and a loss of the same size are as strong), in the palette's gain and loss tones
over its base colour. The series is chosen above: the portfolio, or its excess over a benchmark
(the portfolio's month less the benchmark's). It shows the frame it is given
(``core.chart_data.heatmap``) and computes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.frame_plot import column_label
from desktop.ui.palette import mix, tones

if TYPE_CHECKING:
    import pandas as pd

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TIP = (
    "Each month's time-weighted return (a partial first or last month counts only its days), "
    "and the year's, compounded. For an excess: the portfolio's month less the benchmark's, "
    "both compounded over the month's days. Colours are scaled alike for gains and losses."
)


class HeatmapTable(QWidget):
    """A series picker over a table of monthly returns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series = QComboBox(self)
        self.series.setAccessibleName("Monthly returns of")
        self.series.currentIndexChanged.connect(lambda _i: self._fill())
        self.model = QStandardItemModel(0, 13, self)
        self.model.setHorizontalHeaderLabels([*MONTHS, "Year"])
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setToolTip(TIP)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        top = QHBoxLayout()
        top.addWidget(QLabel("Monthly returns of", self))
        top.addWidget(self.series)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(top)
        #: Said instead of an empty table: why there is nothing to show.
        self.note = QLabel(
            "No monthly returns in this range: the portfolio has no valued days in it. Add a "
            "trade (Ctrl+N) and refresh its prices (F5), or choose a longer range.",
            self,
            wordWrap=True,
        )
        self.note.hide()
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self.frame: pd.DataFrame | None = None

    def set_frame(self, frame: pd.DataFrame) -> None:
        """The heatmap rows (``year, month, series, return``); keeps the chosen series when it
        is still there."""
        self.frame = frame
        chosen = self.series.currentData()
        names = list(dict.fromkeys(frame["series"])) if len(frame) else []
        self.series.blockSignals(True)
        self.series.clear()
        for name in names:
            self.series.addItem(column_label(name), name)
        if chosen in names:
            self.series.setCurrentIndex(names.index(chosen))
        self.series.blockSignals(False)
        self.note.setVisible(not names)
        self.table.setVisible(bool(names))
        self._fill()

    def cell(self, year: int, month: int | str) -> str:
        """The text shown for ``year`` and month 1-12 or ``"total"`` ("" when empty)."""
        for row in range(self.model.rowCount()):
            if self.model.verticalHeaderItem(row).text() == str(year):
                item = self.model.item(row, 12 if month == "total" else int(month) - 1)
                return item.text() if item else ""
        return ""

    def _fill(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        frame, name = self.frame, self.series.currentData()
        if frame is None or not len(frame) or name is None:
            return
        rows = frame[frame["series"] == name]
        years = sorted(set(rows["year"]), reverse=True)  # the latest year on top
        top = float(rows["return"].abs().max()) or 1.0
        palette = self.palette()
        colours = tones(palette)
        base = palette.color(QPalette.ColorRole.Base)
        for r, year in enumerate(years):
            self.model.insertRow(r)
            self.model.setVerticalHeaderItem(r, QStandardItem(str(year)))
            for _, month, _, value in rows[rows["year"] == year].itertuples(index=False):
                column = 12 if month == "total" else int(month) - 1
                item = QStandardItem(f"{value * 100:+.1f}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                tone = QColor(colours["gain" if value >= 0 else "loss"])
                fill = mix(base, tone, 0.85 * abs(value) / top)
                item.setBackground(fill)
                # Light text on a deep cell, dark text on a pale one: readable either way.
                item.setForeground(QColor("#ffffff" if fill.lightnessF() < 0.5 else "#111111"))
                if column == 12:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                item.setToolTip(
                    f"{column_label(name)}, {'the year' if column == 12 else MONTHS[column]} "
                    f"{year}: {value:+.2%}"
                )
                self.model.setItem(r, column, item)
