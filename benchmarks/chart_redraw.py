"""How long the returns chart takes to redraw after a range change (the budget is one frame, 16 ms).

Twelve lines (the portfolio, ^RUT, ^GSPC and nine more) of 7,800 business days (thirty years),
alternating between the whole history and the last year, as pressing "Max" and "1Y" would.
Each sample is ``set_series`` plus running the event
loop until the plot has painted (offscreen), so it includes auto-range, axes and line drawing.
(``QWidget.repaint`` alone is not enough: the graphics scene paints on the next loop turn.)

    python benchmarks/chart_redraw.py [--runs 60] [--size 1100x560]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.ui.chart import ReturnsChart  # noqa: E402
from desktop.ui.performance import PORTFOLIO, benchmark_label  # noqa: E402


def _lines(points: int, series: int) -> tuple[dict[str, pd.Series], dict[str, pd.Series]]:
    rng = np.random.default_rng(1)
    index = pd.bdate_range(end="2024-12-31", periods=points)
    extra = [f"SYM{i}" for i in range(max(series - 3, 0))]
    labels = (PORTFOLIO, benchmark_label("^RUT"), benchmark_label("^GSPC"), *extra)[:series]
    whole = {
        label: pd.Series(np.cumprod(1 + rng.normal(0.0004, 0.012, points)) - 1, index=index)
        for label in labels
    }
    year = {label: (1 + s.iloc[-253:]) / (1 + s.iloc[-253]) - 1 for label, s in whole.items()}
    return whole, year


class PaintCounter(QObject):
    """Counts paint events of the plot's viewport, to know a frame was really drawn."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def redraw(app: QApplication, chart: ReturnsChart, counter: PaintCounter, lines) -> None:
    """set_series, then run the event loop until the plot has painted the new lines."""
    painted = counter.count
    chart.set_series(lines)
    chart.update()
    while counter.count == painted:
        app.processEvents()


def window_clicks(args, width: int, height: int) -> None:
    """The whole window on a portfolio of one holding and eleven benchmarks, each with
    ``points`` daily closes: a range button clicked, to the chart's plot painted."""
    import datetime as dt
    import tempfile
    from decimal import Decimal
    from pathlib import Path

    from desktop.core.model import Trade, TradeType
    from desktop.data.store import Store
    from desktop.ui.chart import RANGES
    from desktop.ui.main_window import MainWindow
    from desktop.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    rng = np.random.default_rng(1)
    # Closes to yesterday: the ranges count back from today.
    days = pd.bdate_range(end=dt.date.today() - dt.timedelta(days=1), periods=args.points)
    symbols = ["A", *(f"IDX{i}" for i in range(args.series - 1))]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.sqlite")
        for symbol in symbols:
            closes = 20 * np.cumprod(1 + rng.normal(0.0004, 0.012, args.points))
            rows = [
                {"date": d.date(), "close": float(c)} for d, c in zip(days, closes, strict=True)
            ]
            store.upsert_prices(symbol, rows, "csv")
        first = days[0].date()
        store.add_trade(Trade(first, TradeType.BUY, "A", Decimal(100), Decimal(20), Decimal(0)))
        store.set_setting("benchmarks", ",".join(symbols[1:]))
        window = MainWindow(store, TaskRunner(), fetch_factors=False)
        window.resize(width, height + 400)
        window.show()
        window.start_background(refresh=False)
        while window.performance is None or not all(
            window.performance.prepared(name) for name in RANGES
        ):
            app.processEvents()
            time.sleep(0.001)
        chart = window.chart
        counter = PaintCounter()
        chart._plot.viewport().installEventFilter(counter)
        samples = []
        for i in range(args.runs + 4):
            name = "Max" if i % 2 == 0 else "1Y"
            painted = counter.count
            started = time.perf_counter()
            chart.range_button(name).click()
            while counter.count == painted:
                app.processEvents()
            if i >= 4:  # after a warm-up
                samples.append((time.perf_counter() - started) * 1000)
            # Then what follows on later turns (the panels, the why), before the next click,
            # as a user's clicks come seconds apart.
            while window.details_for != (window.performance, name):
                app.processEvents()
            for _ in range(5):
                app.processEvents()
        drawn = len(chart._lines)
        window.close()
        store.close()
    print(
        f"window: range button to the chart painted ({drawn} lines x {args.points} days): "
        f"median {statistics.median(samples):.2f} ms "
        f"(Max {statistics.median(samples[0::2]):.2f} ms, 1Y "
        f"{statistics.median(samples[1::2]):.2f} ms, worst {max(samples):.2f} ms)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--points", type=int, default=7800)
    parser.add_argument("--series", type=int, default=12)
    parser.add_argument("--size", default="1100x560")
    parser.add_argument(
        "--window", action="store_true", help="click the range buttons of the whole window"
    )
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    if args.window:
        window_clicks(args, width, height)
        return 0

    app = QApplication(sys.argv[:1])
    chart = ReturnsChart()
    chart.resize(width, height)
    chart.show()
    counter = PaintCounter()
    chart.line(PORTFOLIO).getViewBox().scene().views()[0].viewport().installEventFilter(counter)
    app.processEvents()
    whole, year = _lines(args.points, args.series)
    for lines in (whole, year, whole):  # warm up: first paints build caches and fonts
        redraw(app, chart, counter, lines)

    samples = []
    for i in range(args.runs):
        lines = whole if i % 2 == 0 else year
        started = time.perf_counter()
        redraw(app, chart, counter, lines)
        samples.append((time.perf_counter() - started) * 1000)
    whole_ms = statistics.median(samples[0::2])
    year_ms = statistics.median(samples[1::2])
    print(
        f"chart redraw ({args.points} points x {args.series} lines, {width}x{height}): "
        f"median {statistics.median(samples):.2f} ms "
        f"(Max {whole_ms:.2f} ms, 1Y {year_ms:.2f} ms, worst {max(samples):.2f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
