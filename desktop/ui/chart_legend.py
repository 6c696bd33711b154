"""The chart's legend: one entry per series (its colour, its name, its value at the crosshair
or at the end), flowing onto as many rows as the width needs; a click on an entry, or Space on
the focused one (Tab to reach it, arrows to move), hides or shows its series.

Painted here from the fonts' metrics. A rich-text ``QLabel`` parsed and laid its text out at
every change (each range button, each mouse move over the plot), about 3 ms at 12 series. Each
entry keeps room for the widest value it has shown, so values changing (the crosshair moving)
never re-wrap the rows or move what lies under the legend.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

SWATCH, GAP, SPACING, ROW_GAP = 22, 6, 18, 2


@dataclass(frozen=True)
class Entry:
    """A series in the legend: ``label`` names it, ``value`` is shown after it."""

    label: str
    colour: str
    value: str
    hidden: bool = False
    bold: bool = False


class ChartLegend(QWidget):
    toggled = Signal(str)  #: a series' entry was clicked (or Space pressed on it)

    def __init__(self, parent: QWidget | None = None, **kwargs) -> None:
        super().__init__(parent, **kwargs)
        self.entries: list[Entry] = []
        self._room: dict[str, int] = {}  #: the widest value each entry has shown, in px
        self._text, self._muted = QColor("black"), QColor("gray")
        self._focused = 0
        self._fonts()
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setMouseTracking(True)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAccessibleName("Legend")
        self.setToolTip("Click a series to hide or show it (or Tab here, arrows, Space).")

    def _fonts(self) -> None:
        self._font, self._bold = QFont(self.font()), QFont(self.font())
        self._bold.setBold(True)
        self._metrics, self._bold_metrics = QFontMetrics(self._font), QFontMetrics(self._bold)

    # -- what it shows ----------------------------------------------------------------------
    def set_colours(self, text: QColor, muted: QColor) -> None:
        self._text, self._muted = QColor(text), QColor(muted)
        self.update()

    def colours(self) -> tuple[QColor, QColor]:
        """The text's colour and the hidden entries', as painted."""
        return self._text, self._muted

    def set_entries(self, entries: list[Entry]) -> None:
        """Show these entries; the layout changes only when an entry's room must grow (or the
        series change)."""
        before = [e.label for e in self.entries]
        grew = [e.label for e in entries] != before
        if grew:
            self._room = {e.label: self._room.get(e.label, 0) for e in entries}
        for e in entries:
            width = self._bold_metrics.horizontalAdvance(e.value)
            if width > self._room[e.label]:
                self._room[e.label] = width
                grew = True
        self.entries = list(entries)
        self.setAccessibleDescription(self.text())
        self._focused = min(self._focused, max(len(entries) - 1, 0))
        if grew:
            self.updateGeometry()
        self.update()

    def text(self) -> str:
        """The legend in words, as a screen reader would say it."""
        return ", ".join(
            f"{e.label} (hidden)" if e.hidden else f"{e.label} {e.value}".strip()
            for e in self.entries
        )

    # -- layout -----------------------------------------------------------------------------
    def _font_of(self, e: Entry) -> tuple[QFont, QFontMetrics]:
        return (self._bold, self._bold_metrics) if e.bold else (self._font, self._metrics)

    def _entry_width(self, e: Entry) -> int:
        name = self._font_of(e)[1].horizontalAdvance(self._name(e))
        return SWATCH + GAP + name + GAP + self._room.get(e.label, 0)

    @staticmethod
    def _name(e: Entry) -> str:
        return f"{e.label} (hidden)" if e.hidden else e.label

    def _line_height(self) -> int:
        return max(self._metrics.height(), self._bold_metrics.height()) + ROW_GAP

    def _rects(self, width: int) -> list[QRect]:
        """Each entry's place at this width: left to right, wrapping whole entries."""
        rects, x, y, line = [], 0, 0, self._line_height()
        for e in self.entries:
            w = self._entry_width(e)
            if x > 0 and x + w > width:
                x, y = 0, y + line
            rects.append(QRect(x, y, w, line))
            x += w + SPACING
        return rects

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        rects = self._rects(max(width, 1))
        return rects[-1].bottom() + 1 if rects else 0

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        width = sum(self._entry_width(e) + SPACING for e in self.entries)
        return QSize(max(width - SPACING, 0), self._line_height() if self.entries else 0)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        widest = max((self._entry_width(e) for e in self.entries), default=0)
        return QSize(min(widest, 200), self._line_height() if self.entries else 0)

    def entry_at(self, point: QPoint) -> Entry | None:
        for e, rect in zip(self.entries, self._rects(self.width()), strict=True):
            if rect.contains(point):
                return e
        return None

    def entry_rect(self, label: str) -> QRect:
        """Where ``label``'s entry is painted (empty if it has none)."""
        for e, rect in zip(self.entries, self._rects(self.width()), strict=True):
            if e.label == label:
                return rect
        return QRect()

    # -- events -----------------------------------------------------------------------------
    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._fonts()
            self._room = {}
            self.set_entries(self.entries)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.height() != self.heightForWidth(self.width()):
            self.updateGeometry()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        over = self.entry_at(event.position().toPoint()) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt API
        e = self.entry_at(event.position().toPoint())
        if e is not None and event.button() == Qt.MouseButton.LeftButton:
            self._focused = self.entries.index(e)
            self.toggled.emit(e.label)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if not self.entries:
            super().keyPressEvent(event)
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self._focused = (self._focused + 1) % len(self.entries)
            self.update()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self._focused = (self._focused - 1) % len(self.entries)
            self.update()
        elif key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.toggled.emit(self.entries[self._focused].label)
        else:
            super().keyPressEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rects = self._rects(self.width())
        for i, (e, rect) in enumerate(zip(self.entries, rects, strict=True)):
            middle = rect.top() + rect.height() // 2
            swatch = QPen(self._muted if e.hidden else QColor(e.colour), 3)
            swatch.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(swatch)
            painter.drawLine(rect.left() + 2, middle, rect.left() + SWATCH - 2, middle)
            font, metrics = (
                (self._bold, self._bold_metrics) if e.bold else (self._font, self._metrics)
            )
            baseline = (
                rect.top() + (rect.height() - ROW_GAP + metrics.ascent() - metrics.descent()) // 2
            )
            painter.setFont(font)
            painter.setPen(self._muted if e.hidden else self._text)
            x = rect.left() + SWATCH + GAP
            name = self._name(e)
            painter.drawText(x, baseline, name)
            if e.hidden:  # struck through, as the entry's line is not drawn
                painter.drawLine(x, middle, x + metrics.horizontalAdvance(e.label), middle)
            else:
                painter.setFont(self._bold)
                painter.setPen(self._text)
                x += metrics.horizontalAdvance(name) + GAP
                painter.drawText(x, baseline, e.value)
            if self.hasFocus() and i == self._focused:
                painter.setPen(QPen(self._text, 1, Qt.PenStyle.DotLine))
                painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.end()
