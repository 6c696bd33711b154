"""The summary strip over the chart: is the portfolio beating the benchmarks over the range?

One glance: the time-weighted return (and its yearly rate when the range is over a year), the
money-weighted IRR, the excess over each benchmark in points, the deepest drawdown and the beta
to each benchmark. Every figure is the snapshot's (nothing is computed here); each has a tooltip
in plain words. Gains and losses take the palette's tone for them, so dark mode stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

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
        self.labels: dict[str, QLabel] = {}
        self.shown: list[Figure] = []
        self._columns = 0
        self._widths: dict[str, int] = {}  #: each figure's width, from the fonts' metrics

    def _widths_of(self, shown: list[Figure]) -> dict[str, int]:
        """The width each figure's label takes: its caption (11 px) or its value (bold 14 px),
        measured with the fonts' metrics, a tenth more for the label's margins. (A rich-text
        label's size hint lays its text out: 26 of them took 3 ms at every range button.)"""
        caption, value = QFont(self.font()), QFont(self.font())
        caption.setPixelSize(11)
        value.setPixelSize(14)
        value.setBold(True)
        small, large = QFontMetrics(caption), QFontMetrics(value)
        return {
            f.key: int(
                max(small.horizontalAdvance(f.caption), large.horizontalAdvance(f.text)) * 1.1
            )
            + 4
            for f in shown
        }

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        """Lay the figures out in as many columns as fit the width (at least one)."""
        labels = list(self.labels.values())
        if not labels:
            return
        widest = max(self._widths.values(), default=0) + self.SPACING
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
        self._widths = self._widths_of(shown)
        colours = tones(self.palette())
        for f in shown:
            colour = colours.get(f.tone, colours["text"])
            label = self.labels.get(f.key)
            if label is None:
                label = QLabel(self, objectName=f"figure:{f.key}")
                label.setTextFormat(Qt.TextFormat.RichText)
                self.labels[f.key] = label
            label.setText(
                f"<span style='color:{colours['muted']}; font-size:11px'>{f.caption}</span><br>"
                f"<b style='color:{colour}; font-size:14px'>{f.text}</b>"
            )
            label.setToolTip(f"<p>{f.tip}</p>")
            label.setAccessibleName(f"{f.caption}: {f.text}")
        if not same:
            self._columns = 0
        self._arrange()

    def text_of(self, key: str) -> str:
        """The value shown for ``key`` (plain text), or "" when not shown."""
        return next((f.text for f in self.shown if f.key == key), "")
