"""The holdings' totals, in a one-row table under them: the same columns, kept as wide as the
holdings' (a resize, a move, a scroll follows), so each total stands under its column. Apart
from the holdings' model, so the holdings stay rows of holdings (a sort never moves it)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

# Shown at the first paint, so without ``Qt``'s enums (``qt_enums``).
from desktop.ui.qt_enums import ALIGN, FOREGROUND, RIGHT, set_enum


class TotalsBar(QTableView):
    """One row of texts under ``table``, column for column."""

    def __init__(self, table: QTableView, numeric: Sequence[bool]) -> None:
        super().__init__()
        self.table, self._numeric = table, list(numeric)
        self.cells = QStandardItemModel(1, len(self._numeric), self)
        self.setModel(self.cells)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        set_enum(self, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        set_enum(self, "verticalScrollBarPolicy", "ScrollBarAlwaysOff")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        set_enum(self, "focusPolicy", "NoFocus")
        self.setAccessibleName("Holdings totals")
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setFixedHeight(self.fontMetrics().height() + 12)
        header = table.horizontalHeader()
        header.sectionResized.connect(lambda i, _old, new: self.setColumnWidth(i, new))
        header.sectionMoved.connect(
            lambda _i, old, new: self.horizontalHeader().moveSection(old, new)
        )
        table.horizontalScrollBar().valueChanged.connect(self.horizontalScrollBar().setValue)
        for i in range(header.count()):
            self.setColumnWidth(i, header.sectionSize(i))

    def set_texts(self, texts: Sequence[str], colours: Sequence[object] | None = None) -> None:
        """The totals (one text per column; "" leaves a column blank), in bold."""
        font = QFont(self.font())
        font.setBold(True)
        for column, text in enumerate(texts):
            item = QStandardItem(text)
            item.setFont(font)
            if self._numeric[column]:
                item.setData(RIGHT, ALIGN)
            colour = colours[column] if colours else None
            if colour is not None:
                item.setData(colour, FOREGROUND)  # setForeground's QBrush would make ``Qt``
            self.cells.setItem(0, column, item)
        self.setAccessibleDescription(
            ", ".join(t for t in texts if t)  # what a screen reader says of the row
        )

    def text(self, column: int) -> str:
        item = self.cells.item(0, column)
        return item.text() if item is not None else ""
