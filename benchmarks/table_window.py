"""A second yardstick for start-up: the least a window like ours must load before it paints.

A QMainWindow with a menu bar, a toolbar, tabs over a splitter and a 3-row table read from the
database with ``sqlite3``, written as PySide tables usually are: a Python model, whose
``headerData`` gets a ``Qt.Orientation``. So unlike the bare window it makes the ``Qt``
namespace, whose 93 Python enums PySide6 creates on first use (about 14 ms), and it loads the
item view classes. Its ratio to the bare window is where such a table window starts; the app
paints its first frame without the namespace (``desktop/ui/qt_enums.py``).

    python benchmarks/table_window.py DATABASE
"""

import os
import sqlite3
import sys
import time

STARTED = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QAbstractTableModel, Qt  # noqa: E402
from PySide6.QtGui import QAction, QColor  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTabWidget,
)
from yardstick import WatchedTable, paint_once  # noqa: E402


class Rows(QAbstractTableModel):
    def __init__(self, rows):
        super().__init__()
        self.rows = rows

    def rowCount(self, parent=None):  # noqa: N802
        return len(self.rows)

    def columnCount(self, parent=None):  # noqa: N802
        return 10

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.DisplayRole:
            return f"{self.rows[index.row()][0]} {index.column()}"
        if role == Qt.ForegroundRole and index.column() == 5:
            return QColor("#1a7f37")
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return f"Column {section}"
        return None


app = QApplication(sys.argv[:1])
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT symbol FROM trades LIMIT 3").fetchall()
window = QMainWindow()
window.resize(1180, 780)
for title in ("&File", "&Edit", "&View", "&Prices"):
    window.menuBar().addMenu(title).addAction(QAction("Action", window))
window.addToolBar("Main").addAction(QAction("Add trade", window))
view = WatchedTable(STARTED)
view.setModel(Rows(rows))
view.setSelectionBehavior(QAbstractItemView.SelectRows)
view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
tabs = QTabWidget()
tabs.addTab(view, "Holdings")
tabs.addTab(QLabel("trades"), "Trades")
window.statusBar().showMessage("Offline")
sys.exit(paint_once(window, tabs, None, STARTED))
