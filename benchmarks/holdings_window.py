"""A third yardstick for start-up: the least any window that shows the store's holdings loads.

The table window (``table_window.py``) plus what painting real holdings needs: the store (with
the domain model it reads into), the positions kept beside the ledger valued at their last
closes in today's shares, and the app's holdings model. No summary strip, watchlist, trades
tab, actions or chart: the floor for a window that paints its holdings through a Python model.
The app paints its first frame from a copy in Qt's own items, without the ``Qt`` namespace
(``desktop/ui/qt_enums.py``), so it starts below this.

    python benchmarks/holdings_window.py DATABASE
"""

import os
import sys
import time

STARTED = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import gc  # noqa: E402

from yardstick import WatchedTable, paint_once  # noqa: E402

gc.disable()  # as the app does until its first paint

from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QMainWindow,
    QTabWidget,
)

from desktop.core.valuation import in_todays_shares, value_holdings  # noqa: E402
from desktop.data.store import Store  # noqa: E402
from desktop.ui.holdings_model import HoldingsModel  # noqa: E402

app = QApplication(sys.argv[:1])
store = Store(sys.argv[1], create=False)
kept = store.positions_now()
if kept is None:  # a fresh demo: book the ledger once, as the app's first start does
    from desktop.core.holdings import book

    ledger, _ = book(store.trades(), store.cost_method())
    kept = (ledger.positions, ledger.cash, ledger.tracks_cash)
positions = kept[0]
names = {s: i.name for s, i in store.instruments().items()}
closes = store.last_closes(positions)
holdings, _ = value_holdings(positions, in_todays_shares(closes, store.splits(closes)), names)
model = HoldingsModel()
model.update_holdings(holdings, None, {}, store.fundamentals())

window = QMainWindow()
window.resize(1180, 780)
for title in ("&File", "&Edit", "&View", "&Prices"):
    window.menuBar().addMenu(title)
window.addToolBar("Main")
view = WatchedTable(STARTED)
view.setModel(model)
tabs = QTabWidget()
tabs.addTab(view, "Holdings")
sys.exit(paint_once(window, tabs, None, STARTED))
