"""A yes-or-cancel question in a message box, Cancel the default (a slip of Enter keeps all)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(
    parent: QWidget | None,
    title: str,
    question: str,
    yes: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes,
) -> bool:
    """Whether the user answered ``yes`` (a Yes, Save... button) rather than Cancel."""
    answer = QMessageBox.question(
        parent,
        title,
        question,
        yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == yes
