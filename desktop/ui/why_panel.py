"""Why the portfolio did what it did over the range: what each holding added, and the factors.

Beside the chart: a bar per holding (and cash) of its contribution to the range's TTWROR,
largest first, which add up to it (``PortfolioSnapshot.contributions``, linked with Carino's
method); under it, the factor attribution of the return over the risk-free rate, in a sentence
with the factors' source and dates. It draws what it is given and computes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.ui.palette import is_dark, tones
from desktop.ui.steady_label import SteadyLabel

if TYPE_CHECKING:
    from desktop.core.factors import FactorExposure

CONTRIBUTION_TIP = (
    "What each holding added to the range's time-weighted return, in percentage points: its "
    "gain each day over the money the portfolio started the day with, linked over the days "
    "with Carino's method so that the bars add up to the return. Cash is interest, fees and "
    "taxes that name no security."
)


class WhyPanel(QWidget):
    """Contributions as horizontal bars and the factor attribution as a sentence."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = SteadyLabel(self, objectName="whyTitle")
        self.title.setToolTip(CONTRIBUTION_TIP)
        self.title.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.plot = pg.PlotWidget(self, background=None)
        self.plot.setAccessibleName("Contributions to the return")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setToolTip(CONTRIBUTION_TIP)
        self.plot.getPlotItem().invertY(True)
        self.plot.setMinimumHeight(80)
        self._bars = pg.BarGraphItem(x0=[], y=[], height=0.7, width=[])
        self.plot.addItem(self._bars)
        self._zero = pg.InfiniteLine(pos=0, angle=90)
        self.plot.addItem(self._zero)
        self.factors = QLabel(self, objectName="whyFactors", wordWrap=True)
        self.factors.setTextFormat(Qt.TextFormat.PlainText)
        self.factors.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.factors)
        self.shown: dict[str, float] = {}
        self.setMinimumWidth(220)

    def set_contributions(self, range_name: str, parts: dict[str, float] | None) -> None:
        """The bars of ``parts`` (symbol -> contribution, largest first); none: a note."""
        colours = tones(self.palette())
        self.shown = dict(parts or {})
        total = sum(self.shown.values())
        if parts:
            self.title.setText(
                f"<b>Why: contributions to the {range_name} return</b> "
                f"<span style='color:{colours['muted']}'>(points, adding up to "
                f"{total:+.2%})</span>"
            )
        else:
            self.title.setText(f"<b>Why</b>: no contributions for {range_name} (no valued days)")
        values = np.array(list(self.shown.values()), dtype=float) * 100.0
        rows = np.arange(len(values), dtype=float)
        brushes = [pg.mkBrush(colours["gain"] if v >= 0 else colours["loss"]) for v in values]
        self._bars.setOpts(x0=np.zeros(len(values)), y=rows, width=values, brushes=brushes)
        self._zero.setPen(pg.mkPen(colours["muted"]))
        axis = self.plot.getAxis("left")
        pairs = zip(self.shown, values, strict=True)
        axis.setTicks([[(i, f"{s}  {v:+.1f}") for i, (s, v) in enumerate(pairs)]])
        text = pg.mkColor(colours["text"])
        for name in ("left", "bottom"):
            self.plot.getAxis(name).setTextPen(text)
            self.plot.getAxis(name).setPen(pg.mkPen(colours["muted"]))
        if len(values):
            low, high = min(0.0, values.min()), max(0.0, values.max())
            pad = (high - low) * 0.08 or 1.0
            self.plot.setXRange(low - pad, high + pad, padding=0)
            self.plot.setYRange(-0.6, len(values) - 0.4, padding=0)
        self.plot.setBackground(None if not is_dark(self.palette()) else self.palette().base())

    def set_factors(self, exposure: FactorExposure | None, message: str) -> None:
        """The attribution's sentence and its source, or why there is none."""
        if exposure is None:
            self.factors.setText(
                "Factor lens: no factors cover this range yet. A refresh (F5) downloads Ken "
                "French's daily factors."
            )
            self.factors.setToolTip(message)  # the details: what was looked for, and why not
            return
        a = exposure.attribution
        self.factors.setText(
            f"{exposure.in_words} Market {a['market']:+.1%}, size {a['size']:+.1%}, "
            f"value {a['value']:+.1%}, alpha {a['alpha']:+.1%}. "
            f"({exposure.source}, {exposure.start:%Y-%m-%d} to {exposure.end:%Y-%m-%d}.)"
        )
        self.factors.setToolTip(
            "The daily returns over the risk-free rate, summed over the range, split by a "
            "regression on the Fama-French factors: the market, small minus big (SMB: the size "
            "tilt), high minus low book-to-market (HML: the value tilt), and alpha, what they "
            "leave unexplained."
        )
