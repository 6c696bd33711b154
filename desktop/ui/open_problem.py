"""When the database cannot be opened at start (damaged, another program's, written by a newer
version, locked, unreadable): say why, and offer a way on — restore one of its backups (the
file is moved aside, never deleted), open another file, start a new portfolio, or quit."""

from __future__ import annotations

import enum
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.data.store import Store, StoreError, backups


class Choice(enum.Enum):
    RESTORE = "restore"
    OTHER = "other"
    NEW = "new"
    QUIT = "quit"


class OpenProblemDialog(QDialog):
    """Why ``path`` cannot be opened, and the ways on; ``choice`` (and ``backup``) after."""

    def __init__(
        self, path: Path, message: str, found: list[Any], parent: QWidget | None = None
    ) -> None:
        from desktop import APP_NAME
        from desktop.ui.restore_dialog import describe

        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME}: cannot open the portfolio")
        self.choice = Choice.QUIT
        self.backup: Any = None
        self._found = found
        why = QLabel(wordWrap=True, objectName="openProblem")
        why.setText(f"Portfolio Desk cannot open\n{path}\n\n{message}")
        layout = QVBoxLayout(self)
        layout.addWidget(why)
        self.backups = QComboBox()
        self.restore_button = QPushButton("&Restore this backup")
        if found:
            layout.addWidget(
                QLabel(
                    "Restore one of its backups (the file is kept beside it, renamed):",
                    wordWrap=True,
                )
            )
            for b in found:
                self.backups.addItem(describe(b))
            row = QHBoxLayout()
            row.addWidget(self.backups, 1)
            row.addWidget(self.restore_button)
            layout.addLayout(row)
            self.restore_button.clicked.connect(lambda: self._choose(Choice.RESTORE))
        buttons = QHBoxLayout()
        self.other_button = QPushButton("&Open another file…")
        self.new_button = QPushButton("Start a &new portfolio…")
        self.quit_button = QPushButton("&Quit")
        for button, choice in (
            (self.other_button, Choice.OTHER),
            (self.new_button, Choice.NEW),
            (self.quit_button, Choice.QUIT),
        ):
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            buttons.addWidget(button)
        layout.addLayout(buttons)
        (self.restore_button if found else self.other_button).setDefault(True)

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        if choice is Choice.RESTORE:
            self.backup = self._found[self.backups.currentIndex()]
        self.accept() if choice is not Choice.QUIT else self.reject()


#: ``ask(path, message, backups)``: the user's choice and, to restore, the backup.
Ask = Callable[[Path, str, list[Any]], tuple[Choice, Any]]


def open_or_recover(
    path: Path,
    ask: Ask,
    pick_file: Callable[[], Path | None],
    pick_new: Callable[[], Path | None],
    *,
    open_store: Callable[[Path], Store] = Store,
) -> tuple[Store | None, str]:
    """Open ``path``; while that fails, ask the user what to do and do it. The store (``None``:
    quit) and what was done, to say once the window is up ("" when it opened at once)."""
    done = ""
    while True:
        try:
            return open_store(path), done
        except (StoreError, OSError) as exc:
            message = str(exc)
        while True:  # until a choice leads to another try at opening
            choice, chosen = ask(path, message, backups.list_backups(path))
            if choice is Choice.QUIT:
                return None, done
            if choice is Choice.RESTORE:
                try:
                    aside = backups.restore_file(path, chosen)
                except backups.BackupError as exc:
                    message = f"{exc}. The file was not changed."
                    continue
                kept = f"; the file that could not be opened is kept as {aside}" if aside else ""
                done = f"Restored the backup {chosen.name}{kept}"
                break
            picked = pick_file() if choice is Choice.OTHER else pick_new()
            if picked is not None:
                path = picked
                break


def ask_with_dialog(path: Path, message: str, found: list[Any]) -> tuple[Choice, Any]:
    dialog = OpenProblemDialog(path, message, found)
    dialog.exec()
    return dialog.choice, dialog.backup


def pick_file() -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    name, _ = QFileDialog.getOpenFileName(
        None, "Open a portfolio", "", "Portfolio Desk databases (*.sqlite);;All files (*)"
    )
    return Path(name) if name else None


def pick_new() -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    name, _ = QFileDialog.getSaveFileName(
        None, "Start a new portfolio", "portfolio.sqlite", "Portfolio Desk databases (*.sqlite)"
    )
    return Path(name) if name else None
