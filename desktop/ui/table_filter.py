"""Ctrl+F: a filter over the table shown (holdings, trades, watchlist). Rows whose words do
not contain every word typed are hidden (never removed: selection, editing and undo work on
the model's rows as ever); Esc clears it. The filter follows the rows as they change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTableView, QWidget

#: What a row is found by: its words, in one string (lower case is taken care of).
Words = Callable[[Any], str]


class TableFilter(QWidget):
    """The filter field; ``tables()`` gives the (view, words) of the tab shown, or None."""

    def __init__(self, table_shown: Callable[[], tuple[QTableView, Words] | None], parent=None):
        super().__init__(parent)
        self._table_shown = table_shown
        self._filtered: QTableView | None = None
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Filter the rows: symbol, name, type, note… (Esc clears)")
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(lambda _text: self.apply())
        self.count = QLabel(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.edit, self.clear, context=Qt.WidgetShortcut)
        self.hide()
        self._watched: set[int] = set()

    def open(self) -> None:
        """Ctrl+F: show the field on the table shown, focused, its text selected."""
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        self.apply()

    def clear(self) -> None:
        self.edit.clear()
        self.hide()
        shown = self._table_shown()
        if shown is not None:
            shown[0].setFocus()

    def apply(self) -> None:
        """Hide the rows of the table shown that do not match; show every row of another."""
        shown = self._table_shown()
        if self._filtered is not None and (shown is None or shown[0] is not self._filtered):
            self._show_all(self._filtered)
            self._filtered = None
        if shown is None:
            self.count.clear()
            return
        view, words = shown
        self._watch(view)
        wanted = self.edit.text().lower().split() if self.isVisible() else []
        rows = view.model().rows
        kept = 0
        for i, row in enumerate(rows):
            text = words(row).lower()
            match = all(w in text for w in wanted)
            view.setRowHidden(i, not match)
            kept += match
        self._filtered = view
        self.count.setText(f"{kept} of {len(rows)}" if wanted else "")

    def _show_all(self, view: QTableView) -> None:
        for i in range(view.model().rowCount()):
            view.setRowHidden(i, False)

    def _watch(self, view: QTableView) -> None:
        """Filter again when the view's rows change (an edit, a refresh, a sort)."""
        if id(view) in self._watched:
            return
        self._watched.add(id(view))
        model = view.model()
        for signal in (
            model.modelReset,
            model.layoutChanged,
            model.rowsInserted,
            model.rowsRemoved,
        ):
            signal.connect(lambda *_, v=view: self._again(v))

    def _again(self, view: QTableView) -> None:
        if self.isVisible() and self.edit.text() and self._filtered is view:
            self.apply()
