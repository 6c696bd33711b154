"""Enter (Return or the keypad's Enter) on a table calls back: opening the row it is on.

An event filter on the table itself, not a ``QShortcut``: a shortcut on Return competes with
every other widget of the window that takes Return (a line edit's ``returnPressed``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class _Enter(QObject):
    def __init__(self, view: QAbstractItemView, callback: Callable[[], None]) -> None:
        super().__init__(view)
        self._callback = callback

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.KeyPress and event.key() in _ENTER:
            if not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                self._callback()
                return True
        return False


def on_enter(view: QAbstractItemView, callback: Callable[[], None]) -> None:
    """Call ``callback`` when Enter is pressed in ``view`` (kept as long as the view)."""
    view.installEventFilter(_Enter(view, callback))
