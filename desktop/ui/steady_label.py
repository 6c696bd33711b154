"""A word-wrapped label whose height only grows while its width stays: a text that takes two
lines for one range and three for another would otherwise move everything under it at each
range button (the chart's plot, the scroll area's bar, the panels: a relayout and a repaint of
every plot, 100 ms at 12 series). Its height is set back when its width changes."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget


class SteadyLabel(QLabel):
    """``QLabel`` with word wrap, whose minimum height is the most its texts have needed at
    this width (``base`` at least)."""

    def __init__(self, parent: QWidget | None = None, *, base: int = 0, **kwargs) -> None:
        super().__init__(parent, **kwargs)
        self.setWordWrap(True)
        self._base = base
        self._measuring = False
        self.setMinimumHeight(base)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setText(text)
        # Measured on the next turn, after the paint (laying a rich text out for its height
        # took a millisecond at 12 series): a text that needs more room takes it then.
        if not self._measuring:
            self._measuring = True
            QTimer.singleShot(0, self, self._measured)

    def _measured(self) -> None:
        self._measuring = False
        self._hold()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.setMinimumHeight(self._base)  # another width: as much as this text needs
            self._hold()

    def _hold(self) -> None:
        width = self.width()
        if width <= 0 or not self.isVisible():
            return
        needed = self.heightForWidth(width)
        if needed > self.minimumHeight():
            self.setMinimumHeight(needed)
