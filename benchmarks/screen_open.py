"""Opening the performance screen on the demo portfolio: launch to everything drawn.

Each run is a fresh process that opens the window on a copy of the demo database, as
``portfolio-desk --demo --no-refresh`` does (offscreen), and notes when the holdings painted,
then when the screen is complete: the chart's lines, the summary strip, the "why" panel and the
relative-strength and drawdown panels drawn for the default range (polled each millisecond),
then the whole window painted. It is launched in turn with the bare PySide6 window
(``bare_window.py``), as the cold-start benchmark does, and timed from launch to the
wall-clock time each prints (``launch_timing``).

    python benchmarks/screen_open.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(db: str) -> None:
    """In the launched process: the window, then the screen's parts, each timed."""
    import gc

    started = time.perf_counter()
    gc.disable()  # as desktop.app starts the window
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.data.store import Store
    from desktop.ui.collector import resume_collector
    from desktop.ui.main_window import MainWindow
    from desktop.ui.tasks import TaskRunner

    app = QApplication(sys.argv[:1])
    store = Store(db)
    window = MainWindow(store, TaskRunner(), fetch_factors=False)
    window.restore_state(QSettings())
    marks: dict[str, float] = {}

    def complete() -> bool:
        return (
            window.chart is not None
            and window.performance is not None
            and bool(window.chart._lines)
            and bool(window.figure_strip.shown)
            and bool(window.why.shown)
            and bool(window.panels._curves)
        )

    def poll() -> None:
        if not complete():
            return
        poller.stop()
        window.repaint()  # everything the screen now holds, painted at once
        now = (time.perf_counter() - started) * 1000
        print(f"holdings {marks['holdings']:.0f} ms; screen {now:.0f} ms")
        print(f"painted at: {time.time():.6f}")
        marks["screen"] = now
        QTimer.singleShot(0, app.quit)

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint and "holdings" not in marks:
                marks["holdings"] = (time.perf_counter() - started) * 1000
                resume_collector()
                QTimer.singleShot(0, lambda: window.start_background(refresh=False))
                poller.start()
            return False

    poller = QTimer(interval=1)
    poller.timeout.connect(poll)
    watcher = FirstPaint()
    window.holdings_view.viewport().installEventFilter(watcher)
    window.show()
    QTimer.singleShot(60_000, app.quit)  # never hang a benchmark
    app.exec()
    store.close()
    if "screen" not in marks:
        raise SystemExit("the screen was never complete")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    from launch_timing import demo_environment, in_turn, ratio

    with demo_environment() as (env, db):
        commands = {
            "bare": [sys.executable, str(HERE / "bare_window.py")],
            "screen": [sys.executable, __file__, "--child", str(db)],
        }
        times = in_turn(args.runs, commands, env)
    print(f"open the performance screen on the demo, medians of {args.runs} runs in turn:")
    print(f"  bare PySide6 window painted: {statistics.median(times['bare']):.0f} ms")
    print(
        f"  launch to the screen drawn (chart, strip, why, panels): "
        f"{statistics.median(times['screen']):.0f} ms, "
        f"{ratio(times, 'screen', 'bare'):.1f}x the bare window"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
