"""The summary strip over the chart: is the portfolio beating the benchmarks over the range?

One glance: the time-weighted return (and its yearly rate when the range is over a year), the
money-weighted IRR, the excess over each benchmark in points, the deepest drawdown and the beta
to each benchmark. Every figure is the snapshot's (nothing is computed here); each has a tooltip
in plain words. Gains and losses take the palette's tone for them, so dark mode stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QWidget

from desktop.core.model import BENCHMARK_NAMES, benchmark_kind
from desktop.ui.formatting import DASH
from desktop.ui.palette import tones

if TYPE_CHECKING:
    from desktop.core.snapshot import PortfolioSnapshot

GAIN, LOSS, NEUTRAL = "gain", "loss", ""


@dataclass(frozen=True)
class Figure:
    """One figure of the strip: ``key`` names it (``ttwror``, ``excess:^RUT``...), ``caption``
    says what it is, ``text`` its value as shown, ``tone`` gain, loss or neutral, ``tip`` what
    it measures in plain words, ``value`` the number shown (unrounded; ``None``: no data)."""

    key: str
    caption: str
    text: str
    tone: str
    tip: str
    value: float | None


def _name(symbol: str) -> str:
    return BENCHMARK_NAMES.get(symbol, symbol)


def _tone(value: float | None) -> str:
    if value is None or value == 0:
        return NEUTRAL
    return GAIN if value > 0 else LOSS


def figures(s: PortfolioSnapshot | None, range_name: str) -> list[Figure]:
    """The strip's figures over the snapshot's period: none before any valued day; "no data"
    when the portfolio has valued days but none in the period (its prices end before it)."""
    if s is None or s.as_of is None:
        return []
    if s.summary is None or len(s.line) < 2:
        ends = f"{s.as_of:%a} {s.as_of.day} {s.as_of:%b %Y}"
        tip = (
            f"No close of the portfolio falls in this range: its prices end {ends}. "
            "Refresh prices (F5) or choose a longer range."
        )
        return [Figure("ttwror", f"{range_name} return", "no data", NEUTRAL, tip, None)]
    summary = s.summary
    explain = summary.explain
    ttwror = summary.ttwror
    text = f"{ttwror:+.2%}"
    tip = explain["ttwror"]
    yearly = summary.ttwror_annualized
    if s.window is not None and s.window.days > 365 and yearly is not None:
        text += f" ({yearly:+.1%} a year)"
        tip += " In brackets: " + explain["ttwror_annualized"][0].lower()
        tip += explain["ttwror_annualized"][1:]
    out = [Figure("ttwror", f"{range_name} return", text, _tone(ttwror), tip, ttwror)]
    irr = summary.irr
    out.append(
        Figure(
            "irr", "IRR", DASH if irr is None else f"{irr:+.1%}", _tone(irr), explain["irr"], irr
        )
    )
    for symbol, c in s.comparisons.items():
        excess = c.excess_return if c is not None else None
        shown = "no data" if excess is None else f"{excess * 100:+.1f} pts"
        measured = "total return" if "total return" in benchmark_kind(symbol) else "return"
        tip = (
            f"The portfolio's time-weighted return less the {_name(symbol)}'s ({symbol}) "
            f"{measured} ({benchmark_kind(symbol)}) over the same days, in percentage points: "
            "above 0 the portfolio beat it."
        )
        if excess is None:
            tip = f"No closes of {symbol} cover the range: refresh, or pick another range."
            closes = s.index_closes(symbol)
            if len(closes) and s.window is not None and closes.index[0] > s.window.base:
                begins = closes.index[0]
                tip = (
                    f"The cached closes of {symbol} begin {begins:%d %b %Y}, after this range's "
                    "base close: it cannot be compared over the same days. Pick a range that "
                    "starts later."
                )
        out.append(
            Figure(f"excess:{symbol}", f"vs {_name(symbol)}", shown, _tone(excess), tip, excess)
        )
    drawdown = summary.max_drawdown
    out.append(
        Figure(
            "max_drawdown",
            "Max drawdown",
            f"{drawdown:.1%}",
            LOSS if drawdown < 0 else NEUTRAL,
            explain["max_drawdown"],
            drawdown,
        )
    )
    for symbol, c in s.comparisons.items():
        beta = c.beta if c is not None else None
        tip = (
            f"How much the portfolio moved per 1% move of the {_name(symbol)} ({symbol}), from "
            "daily returns over the range: above 1 it swings more than the index."
        )
        out.append(
            Figure(
                f"beta:{symbol}",
                f"Beta to {_name(symbol)}",
                DASH if beta is None else f"{beta:.2f}",
                NEUTRAL,
                tip,
                beta,
            )
        )
    for symbol, c in s.comparisons.items():
        up = c.up_capture if c is not None else None
        down = c.down_capture if c is not None else None
        text = " · ".join(
            f"{side} {DASH if v is None else f'{v:.0%}'}"
            for side, v in (("up", up), ("down", down))
        )
        tip = (
            f"Capture of the {_name(symbol)} ({symbol}), from monthly returns (a partial first "
            "or last month counts as it is). Up: in the months the index rose, the portfolio's "
            "annualized geometric mean return over the index's (above 100%: it gained more). "
            "Down: the same over the months the index fell (below 100%: it lost less). "
            "A dash: no such month in the range."
        )
        out.append(
            Figure(f"capture:{symbol}", f"Capture of {_name(symbol)}", text, NEUTRAL, tip, up)
        )
    return out


class FigureStrip(QWidget):
    """Figures in rows, each a caption over its value, with its tooltip; as many to a row as
    the width holds (at 200% or in a narrow window they wrap rather than clip)."""

    SPACING = 18

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(8, 2, 8, 0)  # in line with the chart below
        self._layout.setHorizontalSpacing(self.SPACING)
        self._layout.setVerticalSpacing(4)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.labels: dict[str, FigureLabel] = {}
        self.shown: list[Figure] = []
        self._columns = 0

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._arrange()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange and self.shown:
            self.set_figures(self.shown)  # the palette's tones for gains and losses

    def _arrange(self) -> None:
        """Lay the figures out in as many columns as fit the width (at least one)."""
        labels = list(self.labels.values())
        if not labels:
            return
        widest = max(label.sizeHint().width() for label in labels) + self.SPACING
        room = max(self.width() - 16, widest)
        columns = max(1, min(len(labels), room // widest))
        if columns == self._columns and self._layout.count() == len(labels):
            return
        self._columns = columns
        for label in labels:
            self._layout.removeWidget(label)
        for i, label in enumerate(labels):
            self._layout.addWidget(label, i // columns, i % columns)
        for column in range(self._layout.columnCount()):
            self._layout.setColumnStretch(column, 0)
        self._layout.setColumnStretch(columns, 1)  # the rest of the width stays empty

    def set_figures(self, shown: list[Figure]) -> None:
        """Show these figures (in order), replacing the previous ones. The same figures (a
        range change) keep their labels and change their text: rebuilding them re-laid the
        window out and resized the chart under the strip at every range button."""
        same = [f.key for f in shown] == list(self.labels)
        if not same:
            for label in self.labels.values():
                label.deleteLater()
            self.labels = {}
        self.shown = list(shown)
        colours = tones(self.palette())
        for f in shown:
            label = self.labels.get(f.key)
            if label is None:
                label = FigureLabel(self, objectName=f"figure:{f.key}")
                self.labels[f.key] = label
            label.show_figure(
                f.caption,
                f.text,
                QColor(colours["muted"]),
                QColor(colours.get(f.tone, colours["text"])),
            )
            label.setToolTip(f"<p>{f.tip}</p>")
            label.setAccessibleName(f"{f.caption}: {f.text}")
        if not same:
            self._columns = 0
        self._arrange()

    def text_of(self, key: str) -> str:
        """The value shown for ``key`` (plain text), or "" when not shown."""
        return next((f.text for f in self.shown if f.key == key), "")


class FigureLabel(QWidget):
    """One figure: its caption (small, muted) over its value (bold, in its tone), painted
    here. A rich-text ``QLabel`` parsed and laid its text out at each change, for its size
    hint and again for its paint: the strip's figures took 4 ms of every range button. The
    size hint comes from the fonts' metrics, so a new value moves nothing unless it is wider."""

    CAPTION_PX, VALUE_PX = 11, 14

    def __init__(self, parent: QWidget | None = None, **kwargs) -> None:
        super().__init__(parent, **kwargs)
        self._caption = self._value = ""
        self._muted = self._colour = QColor()
        self._fonts()
        self._hint = QSize(0, 0)

    def _fonts(self) -> None:
        self._caption_font, self._value_font = QFont(self.font()), QFont(self.font())
        self._caption_font.setPixelSize(self.CAPTION_PX)
        self._value_font.setPixelSize(self.VALUE_PX)
        self._value_font.setBold(True)

    def show_figure(self, caption: str, value: str, muted: QColor, colour: QColor) -> None:
        self._caption, self._value, self._muted, self._colour = caption, value, muted, colour
        self.setAccessibleName(f"{caption}: {value}")
        self._measure()
        self.update()

    def colours(self) -> tuple[QColor, QColor]:
        """The caption's colour and the value's, as painted."""
        return self._muted, self._colour

    def text(self) -> str:
        """What it shows, as plain text: the caption, a line break, the value."""
        return f"{self._caption}\n{self._value}"

    def _measure(self) -> None:
        small, large = QFontMetrics(self._caption_font), QFontMetrics(self._value_font)
        width = max(small.horizontalAdvance(self._caption), large.horizontalAdvance(self._value))
        hint = QSize(width + 4, small.height() + large.height() + 2)
        if hint != self._hint:
            self._hint = hint
            self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self._hint

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self._hint

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._fonts()
            self._measure()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        small = QFontMetrics(self._caption_font)
        painter.setFont(self._caption_font)
        painter.setPen(self._muted)
        painter.drawText(2, small.ascent(), self._caption)
        painter.setFont(self._value_font)
        painter.setPen(self._colour)
        painter.drawText(
            2, small.height() + 2 + QFontMetrics(self._value_font).ascent(), self._value
        )
        painter.end()
