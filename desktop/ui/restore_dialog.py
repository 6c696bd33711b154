"""File > Restore from backup…: the database's backups, newest first, with when each was made,
why, and how many trades it holds; Restore replaces the portfolio with the chosen one after a
confirmation (the current file is backed up first, so a restore can itself be undone)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.questions import confirm

WHY = {
    "manual": "made on request",
    "daily": "the day's first start",
    "before-migration": "before an update of the file's format",
    "before-restore": "the portfolio before a restore",
}


def describe(backup: Any) -> str:
    n = backup.trades
    trades = "unreadable" if n is None else f"{n:,} trade{'' if n == 1 else 's'}"
    return f"{backup.made:%a %d %b %Y %H:%M} ({trades})"


class RestoreDialog(QDialog):
    """Lists ``list_backups()``; Restore calls ``restore(name)`` after asking; Back up now
    calls ``back_up()``. Either returns a refusal to show, or ``None``."""

    def __init__(
        self,
        folder: str,
        list_backups: Callable[[], list[Any]],
        restore: Callable[[str], str | None],
        back_up: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self._list, self._restore, self._back_up = list_backups, restore, back_up
        #: Asks before a restore (a test answers in its place).
        self.confirm: Callable[[str], bool] = self._ask
        self.backups: list[Any] = []
        intro = QLabel(
            "Restoring replaces the whole portfolio (trades, prices, settings) with the "
            "backup's. The portfolio as it is now is backed up first, so you can go back to "
            f"it here.<br>Backups are kept in <code>{folder}</code>.",
            wordWrap=True,
        )
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Made", "Why", "Trades"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.empty = QLabel("No backups yet: Back up now makes one.", objectName="noBackups")
        self.problem = QLabel(objectName="backupProblem", wordWrap=True)
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        self.back_up_button = QPushButton("&Back up now")
        self.back_up_button.clicked.connect(self.back_up_now)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.back_up_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(620, 380)
        self.fill()

    def fill(self) -> None:
        self.backups = self._list()
        self.table.setRowCount(len(self.backups))
        for row, b in enumerate(self.backups):
            trades = "unreadable" if b.trades is None else f"{b.trades:,}"
            cells = (f"{b.made:%Y-%m-%d %H:%M:%S}", WHY.get(b.reason, b.reason), trades)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(b.name)
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        self.empty.setVisible(not self.backups)
        self.table.setVisible(bool(self.backups))
        if self.backups:
            self.table.selectRow(0)
        self._selection_changed()

    def selected(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def _ask(self, question: str) -> bool:
        return confirm(self, "Restore from backup", question)

    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        question = (
            f"Replace your portfolio with the backup of {describe(chosen)}?\n\n"
            "The portfolio as it is now is backed up first."
        )
        if not self.confirm(question):
            return
        refusal = self._restore(chosen.name)
        if refusal:
            self._say(refusal)
            self.fill()
            return
        self.accept()

    def back_up_now(self) -> None:
        refusal = self._back_up()
        if refusal:
            self._say(refusal)
        else:
            self.problem.hide()
        self.fill()

    def _say(self, text: str) -> None:
        from desktop.ui.palette import tones

        self.problem.setStyleSheet(f"color: {tones(self.palette())['loss']};")
        self.problem.setText(text)
        self.problem.show()
