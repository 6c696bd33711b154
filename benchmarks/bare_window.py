"""The yardstick for start-up: an empty PySide6 window that exits after its first paint."""

import os
import sys
import time

STARTED = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402
from yardstick import FirstPaint  # noqa: E402

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1180, 780)
watcher = FirstPaint(STARTED)
window.installEventFilter(watcher)
window.show()
sys.exit(app.exec())
