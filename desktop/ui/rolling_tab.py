"""The rolling tab under the chart: trailing one-year (or three-year) returns, and the excess.

Is a lead steady, or one lucky stretch? Each day's time-weighted return over the year (or the
three years) before it, for the portfolio and each benchmark, and the portfolio's less each
benchmark's. The frames are the snapshot's (``core.chart_data.rolling``); this only draws them.
Three years is offered when the history before the range's days allows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.ui.chart import RANGE_STYLE
from desktop.ui.frame_plot import FramePlot

if TYPE_CHECKING:
    import pandas as pd

#: The trailing windows offered, in years, and how each reads in a title.
YEARS = {1: ("one-year", "year's", "year"), 3: ("three-year", "three years'", "three years")}


def _has_values(frame: pd.DataFrame | None) -> bool:
    return frame is not None and not frame.empty and bool(frame.notna().any().any())


class RollingTab(QWidget):
    """The rolling returns over the rolling excess, with a 1 year / 3 years choice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.years = 1
        self.frames: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}
        self.returns = FramePlot("", "", percent=True)
        self.excess = FramePlot("", "", percent=True)
        self.buttons: dict[int, QPushButton] = {}
        group = QButtonGroup(self)
        group.setExclusive(True)
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 2, 8, 0)
        self.trailing = QLabel("Trailing:")
        bar.addWidget(self.trailing)
        for years in YEARS:
            button = QPushButton(f"{years}Y", self, checkable=True, autoDefault=False)
            button.setStyleSheet(RANGE_STYLE)  # as the chart's range buttons
            button.setToolTip(f"Each day's return over the {YEARS[years][2]} before it")
            button.setAccessibleName(f"Rolling {YEARS[years][0]} returns")
            button.clicked.connect(lambda _=False, y=years: self.show_years(y))
            group.addButton(button)
            bar.addWidget(button)
            self.buttons[years] = button
        bar.addStretch(1)
        self.buttons[1].setChecked(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.returns, 1)
        layout.addWidget(self.excess, 1)
        self._title()

    def set_frames(self, frames: dict[int, tuple[pd.DataFrame, pd.DataFrame]]) -> None:
        """The rolling returns and the excess for each window (years -> frames), then drawn.
        Three years is offered only when it has values; else one year is shown."""
        self.frames = frames
        longer = _has_values(frames.get(3, (None, None))[0])
        self.buttons[3].setEnabled(longer)
        self.buttons[3].setToolTip(
            "Each day's return over the three years before it"
            if longer
            else "Needs three years of history before the range's days: widen the range (Max)"
        )
        self.show_years(self.years if self.years == 1 or longer else 1)

    def show_years(self, years: int) -> None:
        self.years = years
        self.buttons[years].setChecked(True)
        self._title()
        rolling, excess = self.frames.get(years, (None, None))
        if rolling is None:
            return
        span = "a year" if years == 1 else "three years"
        note = (
            ""
            if _has_values(rolling)
            else f"Less than {span} of history before this range's days: widen the range (Max)."
        )
        self.returns.set_frame(rolling, note)
        self.excess.set_frame(excess)

    def _title(self) -> None:
        name, whose, period = YEARS[self.years]
        self.returns.title.setText(
            f"Rolling {name} return: the trailing {whose} TTWROR of each day"
        )
        self.returns.title.setToolTip(
            f"Each day's time-weighted return over the {period} before it (from the last close "
            f"on or before the same day {365 * self.years} days earlier): is a lead steady or "
            "one lucky stretch?"
        )
        self.excess.title.setText(
            f"Rolling {name} excess: the portfolio's trailing {period} less each benchmark's"
        )
        self.excess.title.setToolTip(
            f"Above 0 the portfolio led that benchmark over the {period} before each day."
        )
