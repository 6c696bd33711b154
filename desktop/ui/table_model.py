"""A fast read-only table model: cells are formatted once when rows are set, not on every paint.

Qt asks ``data()`` for many roles per cell on every layout and paint; comparing PySide's enum
roles in Python is slow, so roles are matched as plain ints against values computed once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

T = TypeVar("T")
_Index = QModelIndex | QPersistentModelIndex

DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
RAW = int(Qt.ItemDataRole.UserRole.value)
HORIZONTAL = Qt.Orientation.Horizontal
RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


class Column(Generic[T]):
    """A column: header, how to show a row, and optionally raw value, colour and tooltip."""

    def __init__(
        self,
        header: str,
        text: Callable[[T], str],
        *,
        numeric: bool = False,
        raw: Callable[[T], Any] | None = None,
        color: Callable[[T], Any] | None = None,
        tooltip: Callable[[T], str | None] | None = None,
    ) -> None:
        self.header, self.text, self.numeric = header, text, numeric
        self.raw, self.color, self.tooltip = raw or text, color, tooltip


class RowsModel(QAbstractTableModel, Generic[T]):
    """Rows of plain objects shown through a fixed list of ``Column``s."""

    def __init__(self, columns: Sequence[Column[T]]) -> None:
        super().__init__()
        self.columns = list(columns)
        self.rows: list[T] = []
        self._cells: list[dict[int, list[Any]]] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._cells = [self._format(row) for row in self.rows]
        self.endResetModel()

    def _format(self, row: T) -> dict[int, list[Any]]:
        cols = self.columns
        return {
            DISPLAY: [c.text(row) for c in cols],
            FOREGROUND: [c.color(row) if c.color else None for c in cols],
            TOOLTIP: [c.tooltip(row) if c.tooltip else None for c in cols],
            ALIGN: [RIGHT if c.numeric else None for c in cols],
        }

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY):  # noqa: N802
        if orientation != HORIZONTAL:
            return None
        role = int(role)
        if role == DISPLAY:
            return self.columns[section].header
        if role == ALIGN and self.columns[section].numeric:
            return RIGHT
        return None

    def data(self, index: _Index, role: int = DISPLAY):
        cells = self._cells[index.row()].get(int(role))
        if cells is not None:
            return cells[index.column()]
        if int(role) == RAW:
            return self.columns[index.column()].raw(self.rows[index.row()])
        return None
