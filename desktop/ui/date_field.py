"""A date typed as text (YYYY-MM-DD) or picked on a calendar.

``QDateEdit`` edits a date section by section: a whole date typed over it ("2024-01-08" over
2026-12-02) kept the old year, since each keystroke made a year out of range that it dropped, so
the trade was saved on 2026-01-08 without a word. Here the text is what was typed; it is checked
with the rest of the trade (``validation.parse_date``), and a bad one is refused with the field
named.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)


class DateField(QWidget):
    """A line edit for an ISO date, and a button that opens a calendar (days up to ``latest``)."""

    def __init__(self, latest: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self, placeholderText="YYYY-MM-DD")
        self.edit.setMaxLength(10)
        self.edit.setAccessibleName("Date, as YYYY-MM-DD")
        self.calendar = QCalendarWidget()
        self.calendar.setMaximumDate(QDate(latest.year, latest.month, latest.day))
        self.calendar.setMinimumDate(QDate(1900, 1, 1))
        self.calendar.clicked.connect(self._picked)
        menu = QMenu(self)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(self._show_typed_day)
        self.button = QToolButton(self, text="…", toolTip="Pick the day on a calendar")
        self.button.setAccessibleName("Pick the date on a calendar")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)

    def text(self) -> str:
        """What the field holds, as typed (the validation reads it)."""
        return self.edit.text().strip()

    def set_date(self, day: dt.date) -> None:
        self.edit.setText(day.isoformat())

    def setStyleSheet(self, style: str) -> None:  # noqa: N802 - Qt API: an error shows on the text
        self.edit.setStyleSheet(style)

    def _show_typed_day(self) -> None:
        try:
            day = dt.date.fromisoformat(self.text())
        except ValueError:
            return
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def _picked(self, day: QDate) -> None:
        self.set_date(dt.date(day.year(), day.month(), day.day()))
        self.button.menu().hide()
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)
