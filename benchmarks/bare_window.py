"""The yardstick for start-up: an empty PySide6 window that exits after its first paint."""

import os
import sys
import time

STARTED = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402


class FirstPaint(QObject):
    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.Paint:
            print(f"first paint: {(time.perf_counter() - STARTED) * 1000:.0f} ms")
            print(f"painted at: {time.time():.6f}")  # the clock a launcher reads too
            QTimer.singleShot(0, app.quit)
            obj.removeEventFilter(self)
        return False


app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1180, 780)
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
sys.exit(app.exec())
