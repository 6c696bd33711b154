"""Asking for a custom range: from one day to another, both included."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget


def _edit(day: dt.date, parent: QWidget) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class RangeDialog(QDialog):
    """Two dates; OK only while the first is not after the second."""

    def __init__(self, start: dt.date, end: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Custom range")
        self.start, self.end = _edit(start, self), _edit(end, self)
        self.problem = QLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&From", self.start)
        form.addRow("&To", self.end)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        for edit in (self.start, self.end):
            edit.dateChanged.connect(self._check)
        self._check()

    def days(self) -> tuple[dt.date, dt.date]:
        return self.start.date().toPython(), self.end.date().toPython()

    def _check(self) -> None:
        first, last = self.days()
        wrong = first > last
        self.problem.setText("The range starts after it ends." if wrong else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not wrong)
