"""The dialog about an unexpected error (``crash_reporter`` logs it and decides to show it):
what went wrong in a plain sentence, where the log is, the traceback, Copy details and Close.
Imported when the first such error is shown, never on the way to the first paint."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME
from desktop.ui.crash_reporter import Crash

#: An open dialog keeps the tracebacks of this many errors; the log keeps them all.
MAX_DETAILS = 10


class CrashDialog(QDialog):
    """What went wrong in a plain sentence, where the log is, the traceback, Copy details and
    Close (Esc). Not modal: the window stays usable behind it."""

    def __init__(self, crash: Crash, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME}: unexpected error")
        self.setObjectName("crashDialog")
        self.crashes = [crash]
        self.more = 0  #: errors added beyond MAX_DETAILS (in the log only)
        selectable = (
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.sentence = QLabel(wordWrap=True, textInteractionFlags=selectable)
        self.sentence.setTextFormat(Qt.TextFormat.PlainText)
        self.where = QLabel(wordWrap=True, textInteractionFlags=selectable)
        self.where.setTextFormat(Qt.TextFormat.PlainText)
        self.where.setText(_where_text(crash.log_path))
        self.count = QLabel(wordWrap=True)
        self.count.hide()
        self.details = QPlainTextEdit(readOnly=True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setAccessibleName("Details of the error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = self.buttons.addButton(
            "&Copy details", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.setToolTip("Put the details on the clipboard, to paste into a report")
        self.copy_button.clicked.connect(self.copy_details)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.sentence, self.where, self.count):
            layout.addWidget(widget)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.buttons)
        self.resize(640, 420)
        self._fill()
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()

    def add(self, crash: Crash) -> None:
        """Another error while this dialog is open: counted, its traceback added."""
        if len(self.crashes) < MAX_DETAILS:
            self.crashes.append(crash)
        else:
            self.more += 1
        self._fill()

    def details_text(self) -> str:
        """Everything Copy details puts on the clipboard: the tracebacks and the log's path."""
        parts = [c.details.rstrip() for c in self.crashes]
        if self.more:
            parts.append(f"... and {self.more} more, in the log.")
        where = self.crashes[0].log_path
        parts.append(f"{APP_NAME} log: {where}" if where else "(the log could not be written)")
        return "\n\n".join(parts) + "\n"

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text())
        self.copy_button.setText("&Copy details (copied)")

    def _fill(self) -> None:
        first = self.crashes[0]
        self.sentence.setText(
            f"Something went wrong that {APP_NAME} did not expect ({first.summary}). It keeps "
            "running, but what you were doing may not have finished: check it before going on."
        )
        total = len(self.crashes) + self.more
        if total > 1:
            self.count.setText(f"{total - 1} more error(s) followed; all {total} are in the log.")
            self.count.show()
        self.details.setPlainText(self.details_text())


def _where_text(path: Path | None) -> str:
    if path is None:
        return (
            "The log could not be written, so the details are only below. To report the error, "
            "press Copy details and paste them into your report, with what you were doing."
        )
    return (
        f"The details are in the log: {path}. To report the error, press Copy details and "
        "paste them into your report, with what you were doing."
    )


def show_crash_dialog(crash: Crash) -> CrashDialog:
    """The default ``show``: the dialog over the active window (or alone), not modal."""
    parent = QApplication.activeWindow()
    if isinstance(parent, CrashDialog):
        parent = parent.parentWidget()
    dialog = CrashDialog(crash, parent)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
