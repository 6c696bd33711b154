"""A fast read-only table model: a row's cells are formatted once, the first time Qt asks for
them, not on every paint, and not for rows nobody looks at.

Qt asks ``data()`` for many roles per cell on every layout and paint; comparing PySide's enum
roles in Python is slow, so roles are matched as plain ints (``qt_enums``, which says why this
module, loaded before the first paint, also keeps off ``Qt`` itself).
Setting 100,000 rows costs a list copy: only the rows on screen are ever formatted. An edit
changes rows in place (``insert_row``, ``remove_row``, ``update_rows``): the view keeps its
selection and scroll position, and only the rows that changed are formatted again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6 import QtCore
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex

from desktop.ui.qt_enums import ALIGN, DISPLAY, FOREGROUND, RAW, RIGHT, TOOLTIP

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QStandardItemModel

T = TypeVar("T")
_Index = QModelIndex | QPersistentModelIndex


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
        self._cells: list[dict[int, list[Any]] | None] = []
        self._sort: tuple[int, bool] | None = None  #: (column, descending), once asked

    def sort(self, column: int, order: Qt.SortOrder | None = None) -> None:
        """Order the rows by ``column``'s raw values (a header click; ascending unless
        ``order`` says descending); rows without one (``None``) last either way. Kept for the
        rows set later."""
        self.sort_by(column, order == QtCore.Qt.SortOrder.DescendingOrder)

    def sort_by(self, column: int, descending: bool) -> None:
        """``sort`` without Qt's enums (a sort restored before the first paint)."""
        if column < 0 or column >= len(self.columns):  # no sort (-1): the order given
            self._sort = None
            return
        self._sort = (column, descending)
        self.layoutAboutToBeChanged.emit()
        before = self.rows
        self.rows = self._sorted(before)
        self._cells = [None] * len(self.rows)
        # The selection and the current row follow their rows to where they now are.
        where = {id(r): i for i, r in enumerate(self.rows)}
        moved = self.persistentIndexList()
        self.changePersistentIndexList(
            moved,
            [self.index(where[id(before[i.row()])], i.column()) for i in moved],
        )
        self.layoutChanged.emit()

    @property
    def sorted_by(self) -> tuple[int, bool] | None:
        """The rows' order: (column, descending), or ``None`` (the order given)."""
        return self._sort

    def _sorted(self, rows: list[T]) -> list[T]:
        if self._sort is None:
            return rows
        column, descending = self._sort
        raw = self.columns[column].raw
        known = [(raw(r), r) for r in rows]
        missing = [r for v, r in known if v is None]
        present = sorted(
            ((v, r) for v, r in known if v is not None), key=lambda p: p[0], reverse=descending
        )
        return [r for _, r in present] + missing

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = self._sorted(list(rows))
        self._cells = [None] * len(self.rows)  # formatted when first shown
        self.endResetModel()

    def insert_row(self, row: int, value: T) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.insert(row, value)
        self._cells.insert(row, None)
        self.endInsertRows()

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.rows[row]
        del self._cells[row]
        self.endRemoveRows()

    def update_rows(
        self, rows: Sequence[T], key: Callable[[T], Any], *, redraw: bool = False
    ) -> None:
        """Show ``rows`` (in the same order of ``key`` as the current ones, or sorted as asked)
        with the fewest
        changes: rows whose key is gone are removed, new keys inserted where they belong, and
        the rows that differ (all of them with ``redraw``) formatted again."""
        new = self._sorted(list(rows))  # in the order a header click asked for, if any
        if not self.rows:  # a first fill: one reset, not a signal per row
            self.set_rows(new)
            return
        keys = {key(r) for r in new}
        for i in range(len(self.rows) - 1, -1, -1):
            if key(self.rows[i]) not in keys:
                self.remove_row(i)
        old = {key(r) for r in self.rows}
        for j, value in enumerate(new):
            if key(value) not in old:
                self.insert_row(j, value)
        changed = [j for j, value in enumerate(new) if redraw or value != self.rows[j]]
        for j in changed:
            self.rows[j] = new[j]
            self._cells[j] = None
        if changed:
            last = self.index(changed[-1], len(self.columns) - 1)
            self.dataChanged.emit(self.index(changed[0], 0), last)

    def _row_cells(self, row: int) -> dict[int, list[Any]]:
        cells = self._cells[row]
        if cells is None:
            cells = self._cells[row] = self._format(self.rows[row])
        return cells

    def _format(self, row: T) -> dict[int, list[Any]]:
        cols = self.columns
        return {
            DISPLAY: [c.text(row) for c in cols],
            FOREGROUND: [c.color(row) if c.color else None for c in cols],
            TOOLTIP: [c.tooltip(row) if c.tooltip else None for c in cols],
            ALIGN: [RIGHT if c.numeric else None for c in cols],
        }

    def static_copy(self, rows: int) -> QStandardItemModel:
        """The headers and the first ``rows`` rows as Qt's own items (the rest left empty),
        each cell with the roles a view paints (text, colour, tooltip, alignment). A view
        painting the copy calls no Python, so the first paint goes without the ``Qt``
        namespace (``qt_enums``), and it shows the copy exactly as it would show this model."""
        from PySide6.QtGui import QStandardItem, QStandardItemModel

        copy = QStandardItemModel(len(self.rows), len(self.columns))
        for column, spec in enumerate(self.columns):
            header = QStandardItem(spec.header)
            if spec.numeric:
                header.setData(RIGHT, ALIGN)
            copy.setHorizontalHeaderItem(column, header)
        for row in range(min(rows, len(self.rows))):
            cells = self._row_cells(row)
            for column in range(len(self.columns)):
                item = QStandardItem()
                for role, values in cells.items():
                    if values[column] is not None:
                        item.setData(values[column], role)
                copy.setItem(row, column, item)
        return copy

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY):  # noqa: N802
        if orientation != QtCore.Qt.Orientation.Horizontal:
            return None
        role = int(role)
        if role == DISPLAY:
            return self.columns[section].header
        if role == ALIGN and self.columns[section].numeric:
            return RIGHT
        return None

    def data(self, index: _Index, role: int = DISPLAY):
        if not index.isValid():
            return None
        cells = self._row_cells(index.row()).get(int(role))
        if cells is not None:
            return cells[index.column()]
        if int(role) == RAW:
            return self.columns[index.column()].raw(self.rows[index.row()])
        return None
