"""Axes of the returns chart: dates along x, percent up y, with few, round, labelled ticks.

All of it is redrawn on every range change, so it is kept cheap: pyqtgraph's date ticks convert
every candidate to local time (about 2 ms for ten years), its default minor levels add faint grid
lines, and its axis-drawn grid replays slowly (~0.3 ms a line); ``HorizontalGrid`` draws the same
lines as a plain item in the view.

Paint code must never raise: an exception in a paint override or a tick function called from
one aborts the process under PySide6. So every tick function here answers a degenerate request
(a plot area of zero or negative size, an empty or non-finite range) with no ticks, and the grid
draws nothing when there is no room.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter

DAY = 86_400
_MIN_LABEL_PX = 56  # room for "28 Feb" or "2024" and a gap
_PERCENT_TICK_PX = 60


#: The dates ``datetime`` can show, in epoch seconds (years 1 to 9999).
_FIRST_DAY, _LAST_DAY = -62_135_596_800, 253_402_214_400


def _drawable(low: float, high: float, size: float) -> bool:
    """Whether ticks can be laid out: a finite, non-empty range over a positive size."""
    return all(math.isfinite(v) for v in (low, high, size)) and high > low and size > 0


def _first_fit(steps: Iterable[int], px_per_unit: float) -> int | None:
    """The smallest step whose ticks are far enough apart for their labels."""
    return next((n for n in steps if n * px_per_unit >= _MIN_LABEL_PX), None)


def _month_starts(first: np.datetime64, last: np.datetime64, step: int) -> np.ndarray:
    """Epoch seconds of each first of a month from ``first`` to ``last``, every ``step`` months
    counted from January 1970 (so 12 gives New Year's days, 60 every fifth year)."""
    months = np.arange(first.astype("datetime64[M]"), last.astype("datetime64[M]") + 1)
    months = months[months.astype(np.int64) % step == 0]
    return months.astype("datetime64[s]").astype(np.int64)


class DateAxis(pg.DateAxisItem):
    """Dates at UTC midnight (as ``series_to_xy`` gives them): years, then months or days."""

    def __init__(self, orientation: str = "bottom", **kwargs: object) -> None:
        super().__init__(orientation, utcOffset=0, **kwargs)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802, N803
        if not _drawable(minVal, maxVal, size):
            return []
        px_per_day = size * DAY / (maxVal - minVal)
        first, last = np.datetime64(math.floor(minVal), "s"), np.datetime64(math.ceil(maxVal), "s")
        years = _first_fit((1, 2, 5, 10, 20, 50), 365 * px_per_day) or 100
        levels = [(365.0 * DAY * years, _month_starts(first, last, 12 * years))]
        months = _first_fit((1, 2, 3, 6), 30.4 * px_per_day) if years == 1 else None
        days = _first_fit((1, 2, 7, 14), px_per_day) if months == 1 else None
        if days is not None:
            # Weekly steps fall on Mondays (1 January 1970 was a Thursday).
            offset = 4 if days >= 7 else 0
            start = math.ceil((minVal / DAY - offset) / days) * days + offset
            ticks = np.arange(start, maxVal / DAY + 1, days, dtype=np.int64) * DAY
            levels.append((float(DAY * days), ticks))
        elif months is not None:
            levels.append((30.0 * DAY * months, _month_starts(first, last, months)))
        out, taken = [], set()
        for spacing, values in levels:
            kept = [float(v) for v in values if minVal <= v <= maxVal and float(v) not in taken]
            taken.update(kept)
            out.append((spacing, kept))
        return out

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        if not all(math.isfinite(v) and _FIRST_DAY <= v <= _LAST_DAY for v in values):
            return ["" for _ in values]  # outside what a date can show: no label
        days = [dt.datetime.fromtimestamp(v, dt.UTC).date() for v in values]
        if spacing >= 365 * DAY:
            return [str(d.year) for d in days]
        if spacing >= 28 * DAY:
            return [f"{d:%b}" for d in days]
        return [f"{d.day} {d:%b}" for d in days]


def _round_step(low: float, high: float, size: float) -> list:
    """One level of round ticks (1, 2, 2.5 or 5 times a power of ten) about 60 px apart."""
    if not _drawable(low, high, size):
        return []  # pyqtgraph's own divides by zero for a plot area 0 px high
    raw = (high - low) / max(2.0, size / _PERCENT_TICK_PX)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [(step, 0.0)]


class PercentAxis(pg.AxisItem):
    """A y axis for values already in percent: one level of round steps, "+12%", "0%", "−3.5%".

    With ``log_growth`` the values are log10(1 + return) instead (a log scale of growth): the
    ticks sit at round returns ("+100%", "−50%"), which that scale spaces by growth, a doubling
    as far above 0% as a halving is below."""

    def __init__(self, orientation: str = "left", **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)
        self.log_growth = False

    def set_log_growth(self, on: bool) -> None:
        self.log_growth = on
        self.picture = None  # drawn again with the other ticks
        self.update()

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802, N803
        return _round_step(minVal, maxVal, size)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802, N803
        if not self.log_growth:
            return super().tickValues(minVal, maxVal, size)
        if not _drawable(minVal, maxVal, size):
            return []
        positions = [math.log10(1 + p / 100) for p in _LOG_LEVELS]
        gap = (maxVal - minVal) / max(size / _PERCENT_TICK_PX, 2.0)  # about 60 px apart
        kept = [0.0] if minVal <= 0.0 <= maxVal else []
        for side in (
            sorted(v for v in positions if v > 0),
            sorted(v for v in positions if v < 0)[::-1],
        ):
            last = 0.0
            for v in side:  # outward from 0%, each level far enough from the one kept before
                if abs(v - last) >= gap:
                    last = v
                    if minVal <= v <= maxVal:
                        kept.append(v)
        return [(1.0, sorted(kept))]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        if self.log_growth:
            return self._growth_strings(values, scale)
        return self._percent_strings(values, scale, spacing)

    @staticmethod
    def _growth_strings(values: list[float], scale: float) -> list[str]:
        out = []
        for v in values:
            growth = round((10 ** (v * scale) - 1) * 100)
            text = f"{growth:+d}%" if growth else "0%"
            out.append(text.replace("-", "\u2212"))
        return out

    @staticmethod
    def _percent_strings(values: list[float], scale: float, spacing: float) -> list[str]:
        decimals = next((d for d in range(4) if abs(round(spacing, d) - spacing) < 1e-9), 4)
        out = []
        for v in values:
            if not math.isfinite(v * scale):
                out.append("")
                continue
            text = f"{v * scale:+.{decimals}f}%"
            out.append(text[1:] if float(text[:-1]) == 0 else text.replace("-", "\u2212"))
        return out


#: The returns a log-scale axis may mark, in percent: round growths and their losses alike.
_LOG_LEVELS = (
    -99,
    -95,
    -90,
    -80,
    -75,
    -67,
    -50,
    -33,
    -25,
    -20,
    -10,
    -5,
    0,
    5,
    10,
    20,
    25,
    33,
    50,
    100,
    150,
    200,
    300,
    400,
    500,
    900,
    1900,
    4900,
    9900,
)


class RatioAxis(PercentAxis):
    """A y axis for ratios around 1 ("1.10", "0.95"), one level of round steps."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        decimals = max(2, -math.floor(math.log10(spacing))) if spacing > 0 else 2
        return [f"{v * scale:.{decimals}f}" for v in values]


class LogRatioAxis(pg.AxisItem):
    """A y axis for log10 of a ratio (a log scale: equal steps are equal factors), labelled as
    ratios about 60 px apart: within a decade at round steps ("0.30", "0.35", "0.40"), over
    more at 1, 2 and 5 times the powers of ten."""

    def __init__(self, orientation: str = "left", **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:  # noqa: N802, N803
        if not _drawable(minVal, maxVal, size) or not -12 < minVal < maxVal < 12:
            return []
        gap = (maxVal - minVal) / max(size / _PERCENT_TICK_PX, 2.0)  # in log10 units
        if maxVal - minVal >= 1.0:
            kept: list[float] = []
            for mantissas in ((1,), (2, 5)):  # the powers of ten first, then between them
                for decade in range(math.floor(minVal), math.ceil(maxVal) + 1):
                    for m in mantissas:
                        v = decade + math.log10(m)
                        if minVal <= v <= maxVal and all(abs(v - k) >= gap for k in kept):
                            kept.append(v)
            return [(0.0, sorted(kept))]  # spacing 0: each label as short as it reads
        # Round steps of the ratio, closest (on this scale) at the top: sized for it there,
        # three quarters of the gap being near enough.
        high = 10.0**maxVal
        raw = 0.75 * gap * math.log(10) * high  # d(log10 r) = dr / (r ln 10)
        magnitude = 10.0 ** math.floor(math.log10(raw))
        step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
        first, last = math.ceil(10.0**minVal / step - 1e-9), math.floor(high / step + 1e-9)
        values = [math.log10(k * step) for k in range(max(first, 1), last + 1)]
        return [(step, [v for v in values if minVal <= v <= maxVal])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        decimals = next((d for d in range(9) if abs(round(spacing, d) - spacing) < 1e-9), 9)
        out = []
        for v in values:
            ratio = 10.0 ** (v * scale) if math.isfinite(v * scale) and abs(v * scale) < 12 else 0
            text = f"{ratio:g}" if spacing == 0 else f"{ratio:.{decimals}f}"
            out.append(text if ratio > 0 else "")
        return out


class HorizontalGrid(pg.GraphicsObject):
    """Light horizontal lines across the view at the ticks of a y axis."""

    def __init__(self, axis: pg.AxisItem, colour: str = "#EBEBEB") -> None:
        super().__init__()
        self._axis = axis
        axis.setStyle(maxTextLevel=0)  # labels at the major ticks: where the lines are
        self._pen = pg.mkPen(colour)
        self.setZValue(-100)

    def set_colour(self, colour: object) -> None:
        self._pen = pg.mkPen(colour)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        view = self.getViewBox()
        return view.viewRect() if view is not None else QRectF()

    def viewRangeChanged(self) -> None:  # noqa: N802
        self.prepareGeometryChange()

    def paint(self, painter: QPainter, *args: object) -> None:
        view = self.getViewBox()
        if view is None or view.height() <= 0 or view.width() <= 0:
            return  # no room: nothing to draw (the window is being squeezed)
        rect = view.viewRect()
        painter.setPen(self._pen)
        # At the labelled (major) ticks only: the minor ones, every 1,000 on a money axis,
        # striped a short plot with a line every few pixels.
        levels = self._axis.tickValues(rect.top(), rect.bottom(), view.height())
        for y in levels[0][1] if levels else ():
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))


class CompactAxis(pg.AxisItem):
    """A y axis for large counts (volumes) in a few digits: "500K", "1.5M", "2B"."""

    def __init__(self, orientation: str = "left", **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        return [compact_count(v * scale) for v in values]


def compact_count(value: float) -> str:
    """``value`` in a few digits with K, M or B."""
    size = abs(value)
    for step, unit in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if size >= step:
            return f"{value / step:.3g}{unit}"
    return f"{value:.0f}"
