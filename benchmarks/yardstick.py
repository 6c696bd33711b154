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


def paint_once(window: QMainWindow, tabs: QTabWidget, watched: QWidget, started: float) -> int:
    """Lay ``tabs`` out under a summary and over a chart, show ``window`` and run until
    ``watched`` has painted once; the exit code. (``Qt`` is imported here, not at the top:
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
    watcher = FirstPaint(started)
    watched.installEventFilter(watcher)
    window.show()
    return QApplication.instance().exec()
