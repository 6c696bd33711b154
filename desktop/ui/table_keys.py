"""Enter (Return or the keypad's Enter) on a table calls back: opening the row it is on.

An event filter on the table itself, not a ``QShortcut``: a shortcut on Return competes with
every other widget of the window that takes Return (a line edit's ``returnPressed``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractItemView


class _Enter(QObject):
    def __init__(self, view: QAbstractItemView, callback: Callable[[], None]) -> None:
        super().__init__(view)
        self._callback = callback

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.KeyPress:
            # ``Qt`` read here, on a key, not at import: the table is set up before the first
            # paint, which goes without the namespace (``qt_enums``).
            qt = QtCore.Qt
            if event.key() not in (qt.Key.Key_Return, qt.Key.Key_Enter):
                return False
            if not event.modifiers() & ~qt.KeyboardModifier.KeypadModifier:
                self._callback()
                return True
        return False


def on_enter(view: QAbstractItemView, callback: Callable[[], None]) -> None:
    """Call ``callback`` when Enter is pressed in ``view`` (kept as long as the view)."""
    view.installEventFilter(_Enter(view, callback))
