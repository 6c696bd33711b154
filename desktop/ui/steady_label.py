"""A word-wrapped label whose height only grows while its width stays: a text that takes two
lines for one range and three for another would otherwise move everything under it at each
range button (the chart's plot, the scroll area's bar, the panels: a relayout and a repaint of
every plot, 100 ms at 12 series). Its height is set back when its width changes."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


class SteadyLabel(QLabel):
    """``QLabel`` with word wrap, whose minimum height is the most its texts have needed at
    this width (``base`` at least)."""

    def __init__(self, parent: QWidget | None = None, *, base: int = 0, **kwargs) -> None:
        super().__init__(parent, **kwargs)
        self.setWordWrap(True)
        self._base = base
        self._width = -1
        self.setMinimumHeight(base)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setText(text)
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
