"""The Markets screen: small caps against large caps. The Russell 2000 against the S&P 500
(their ratio on a log scale and the 12-month difference of their returns), the size premium
of Ken French's factors since 1926 and over the last ten years, the portfolio's rolling beta
to each index and its factor style in words, and the rates: the curve's slope and how much
the portfolio and each index moved with the 10-year yield.

Computed on a worker (``load``, ``data.markets_data``); this window only draws what it gets.
Each part's data exports as CSV, the screen as PNG.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.frame_plot import FramePlot
from desktop.ui.performance import benchmark_label
from desktop.ui.size_chart import SizeChart

BETA_TITLE = "Rolling one-year beta of your portfolio to each index"
BETA_TIP = (
    "How much the portfolio moved with each index over the trailing year of sessions: "
    "cov(portfolio, index) / var(index) of daily returns. 1: in step; above 1: more."
)
SLOPE_TITLE = "The yield curve: 10-year yield less 13-week yield (percentage points)"
SLOPE_TIP = "^TNX less ^IRX on the days both have a close; below zero the curve is inverted."


def premium_text(premium: dict[str, Any] | None, note: str) -> str:
    """The size premium in words, with the file it is from."""
    if premium is None or premium.get("annualized_geometric") is None:
        return f"Size premium: {note or 'not known'}"
    last = premium.get("last_10y_geometric")
    recent = (
        f"over the last 10 years {last:+.2%} a year ({premium['last_10y_arithmetic']:+.2%} as "
        "the arithmetic mean)"
        if last is not None
        else "less than 10 years in the file"
    )
    vintage = f", file of {premium['vintage']}" if premium.get("vintage") else ""
    return (
        f"Size premium (Fama-French SMB, small less big stocks) since "
        f"{premium['first_month']}: {premium['annualized_geometric']:+.2%} a year compounded, "
        f"{premium['annualized_arithmetic']:+.2%} as the arithmetic mean of the months x 12; "
        f"{recent}. To {premium['last_month']}{vintage}."
    )


def rates_text(data: Any) -> str:
    """The rate sensitivities in words: per point of the 10-year yield."""
    if not data.rates:
        note = data.notes.get("rates", "")
        return f"{note[:1].upper()}{note[1:]}." if note else ""
    names = {s: benchmark_label(s) for s in data.rates} | {"portfolio": "Your portfolio"}
    parts = []
    for key, sensitivity in data.rates.items():
        if sensitivity.beta is None:
            parts.append(f"{names[key]}: too few days ({sensitivity.n})")
        else:
            parts.append(f"{names[key]} {sensitivity.beta:+.2%}")
    span = (
        f" ({data.rates_days[0]:%Y-%m-%d} to {data.rates_days[1]:%Y-%m-%d})"
        if data.rates_days
        else ""
    )
    return (
        "Daily return per one-point rise in the 10-year yield"
        + span
        + ": "
        + "; ".join(parts)
        + ". More negative: more rate-sensitive."
    )


class MarketsView(QWidget):
    """The Markets window (see the module docstring)."""

    def __init__(
        self, load: Callable[[], Any], run: Callable[..., None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Markets: small caps against large caps")
        self._load, self._run = load, run
        self.data: Any = None
        self.choose_export_path: Callable[[str, str], Path | None] = self._ask_path

        self.size_chart = SizeChart(self)
        self.size_chart.setMinimumHeight(260)
        self.size_note = QLabel(self, wordWrap=True)
        self.premium = QLabel(self, wordWrap=True, objectName="sizePremium")
        self.premium.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.betas = FramePlot(BETA_TITLE, BETA_TIP, percent=False, parent=self)
        self.betas.setMinimumHeight(200)
        self.style_label = QLabel(self, wordWrap=True, objectName="factorStyle")
        self.slope = FramePlot(SLOPE_TITLE, SLOPE_TIP, percent=False, parent=self)
        self.slope.setMinimumHeight(180)
        self.rates = QLabel(self, wordWrap=True, objectName="rateSensitivity")
        self.status = QLabel(self, wordWrap=True)

        page = QWidget(self)
        layout = QVBoxLayout(page)
        for title, widgets, part, what in (
            (
                "Small against large",
                [self.size_chart, self.size_note, self.premium],
                "size",
                "the ratio",
            ),
            ("Your portfolio", [self.betas, self.style_label], "betas", "the betas"),
            ("Rates", [self.slope, self.rates], "slope", "the curve"),
        ):
            box = QGroupBox(title, page)
            inner = QVBoxLayout(box)
            for widget in widgets:
                inner.addWidget(widget)
            export = QPushButton(f"Export {what} as CSV…", box, autoDefault=False)
            export.clicked.connect(lambda _=False, p=part: self.export_csv(p))
            inner.addWidget(export, 0, Qt.AlignmentFlag.AlignRight)
            layout.addWidget(box)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        self.png_button = QPushButton("Export screen as &PNG…", self, autoDefault=False)
        self.png_button.clicked.connect(self.export_png)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.png_button)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addLayout(bottom)
        self.page = page
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self.resize(1000, 800)

    def reload(self) -> None:
        """Compute every part again, on a worker."""
        self.status.setText("Loading…")
        self._run(
            lambda _progress: self._load(),
            self.set_data,
            lambda message: self.status.setText(f"Could not compute the markets: {message}"),
        )

    def set_data(self, data: Any) -> None:
        import pandas as pd

        self.data = data
        notes = data.notes
        if data.size is not None:
            self.size_chart.set_data(data.size)
        self.size_chart.setVisible(data.size is not None)
        self.size_note.setText(notes.get("size", ""))
        self.size_note.setVisible(bool(notes.get("size")))
        self.premium.setText(premium_text(data.premium, notes.get("premium", "")))
        empty = pd.DataFrame(index=pd.DatetimeIndex([]))
        self.betas.set_frame(
            data.betas if data.betas is not None else empty, notes.get("betas", "")
        )
        self.style_label.setText(data.style or f"Factor style: {notes.get('style', '')}")
        slope = data.slope.to_frame("10-year less 13-week") if data.slope is not None else empty
        self.slope.set_frame(slope)
        self.slope.setVisible(data.slope is not None)  # no empty axes: the words say why
        said = [rates_text(data)]
        if data.slope is None and data.rates and notes.get("slope"):
            said.append(notes["slope"][0].upper() + notes["slope"][1:] + ".")
        self.rates.setText(" ".join(t for t in said if t))
        self.status.setText("")

    # -- export ------------------------------------------------------------------------------
    def _ask_path(self, caption: str, pattern: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, caption, "", pattern)
        return Path(name) if name else None

    def frame_of(self, part: str) -> Any:
        """The data a part draws: ``size`` (date, ratio, excess_12m), ``betas`` (date, one
        column per index), ``slope`` (date, slope)."""
        if self.data is None:
            return None
        if part == "slope":
            return self.data.slope.to_frame("slope") if self.data.slope is not None else None
        return getattr(self.data, part)

    def export_csv(self, part: str) -> Path | None:
        frame = self.frame_of(part)
        if frame is None:
            self.status.setText("Nothing to export: that part has no data.")
            return None
        path = self.choose_export_path(f"Export {part} as CSV", "CSV files (*.csv)")
        if path is None:
            return None
        from desktop.data.formats.chart_csv import write_chart_csv

        return self._write(path.with_suffix(".csv"), lambda p: write_chart_csv(frame, p))

    def export_png(self) -> Path | None:
        path = self.choose_export_path("Export the markets screen", "PNG images (*.png)")
        if path is None:
            return None

        def write(partial: Path) -> None:
            if not self.page.grab().save(str(partial), "PNG"):
                raise OSError("the image could not be written")

        return self._write(path.with_suffix(".png"), write)

    def _write(self, path: Path, write: Callable[[Path], None]) -> Path | None:
        from desktop.data.formats.atomic_file import write_atomically

        try:
            write_atomically(path, write)
        except OSError as exc:
            self.status.setText(f"Could not write {path}: {exc.strerror or exc}")
            return None
        self.status.setText(f"Wrote {path}")
        return path
