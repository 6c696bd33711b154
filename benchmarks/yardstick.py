"""What the start-up yardsticks share: on the first paint, print the milliseconds since the
script started and the wall clock (which ``launch_timing`` reads), then quit; and the window
layout of the table windows (a summary and tabs over a chart, in a splitter)."""

import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)


class FirstPaint(QObject):
    """Install on the widget whose first paint counts; ``started`` is ``time.perf_counter()``
    at the script's start."""

    def __init__(self, started: float) -> None:
        super().__init__()
        self.started = started

    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            print(f"first paint: {(time.perf_counter() - self.started) * 1000:.0f} ms")
            print(f"painted at: {time.time():.6f}")  # the clock a launcher reads too
            QTimer.singleShot(0, QApplication.instance().quit)
            obj.removeEventFilter(self)
        return False


def _painted(started: float) -> None:
    print(f"first paint: {(time.perf_counter() - started) * 1000:.0f} ms")
    print(f"painted at: {time.time():.6f}")  # the clock a launcher reads too
    QTimer.singleShot(0, QApplication.instance().quit)


class WatchedTable(QTableView):
    """A table that reports its first paint as the app's holdings table does (its own paint,
    not an event filter on its viewport: asking PySide for the viewport, a plain ``QWidget``,
    sets up some 70 widget classes' enums, which the app does not pay)."""

    def __init__(self, started: float) -> None:
        super().__init__()
        self.started: float | None = started

    def paintEvent(self, event):  # noqa: N802
        super().paintEvent(event)
        if self.started is not None:
            started, self.started = self.started, None
            _painted(started)


def paint_once(
    window: QMainWindow, tabs: QTabWidget, watched: QWidget | None, started: float
) -> int:
    """Lay ``tabs`` out under a summary and over a chart, show ``window`` and run until
    ``watched`` (``None``: a ``WatchedTable`` in ``tabs``, which tells itself) has painted once;
    the exit code. (``Qt`` is imported here, not at the top:
    making its namespace costs ~20 ms, which the bare window must not pay.)"""
    from PySide6.QtCore import Qt

    top = QWidget()
    layout = QVBoxLayout(top)
    layout.addWidget(QLabel("summary"))
    layout.addWidget(tabs)
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.addWidget(top)
    splitter.addWidget(QLabel("chart"))
    window.setCentralWidget(splitter)
    if watched is not None:
        watcher = FirstPaint(started)
        watched.installEventFilter(watcher)
    window.show()
    return QApplication.instance().exec()
