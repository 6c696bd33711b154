"""The main window: holdings, trades and watchlist above, the returns chart below.

It shows what the store holds and turns user actions into edits (through ``Editor``, so each is
undoable) or background tasks (refresh, chart data). Heavy modules (pandas, pyqtgraph, yfinance)
are loaded after the first paint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSettings, QSize, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME
from desktop.core.model import (
    BENCHMARK_NAMES,
    DEFAULT_BENCHMARKS,
    NO_BENCHMARKS,
    Instrument,
    Problem,
    Trade,
    parse_benchmarks,
)
from desktop.core.valuation import Holding, PortfolioTotals, in_todays_shares, value_holdings
from desktop.data.market import base_currency
from desktop.data.store import Store, StoreError
from desktop.ui import formatting as fmt
from desktop.ui.actions import Act, create_actions
from desktop.ui.collector import CollectorPause
from desktop.ui.holdings_model import HoldingsModel
from desktop.ui.price_notes import cash_out_hint, fetch_problems, reference_date
from desktop.ui.qt_enums import set_enum
from desktop.ui.table_keys import on_enter
from desktop.ui.totals_bar import TotalsBar

if TYPE_CHECKING:
    from desktop.data.sources.protocol import MarketSources
    from desktop.ui.commands import Change, Editor
    from desktop.ui.figure_strip import FigureStrip
    from desktop.ui.import_prices import PriceImport
    from desktop.ui.refresh_controller import RefreshController
    from desktop.ui.table_filter import TableFilter
    from desktop.ui.tasks import TaskRunner
    from desktop.ui.trade_dialog import TradeDialog
    from desktop.ui.trades_model import TradesModel
    from desktop.ui.watch_row import WatchRow
    from desktop.ui.watchlist_panel import WatchlistPanel

#: The window's size on a first start, if the screen has room for it.
DEFAULT_SIZE = QSize(1180, 780)
#: Small enough for a 1280x720 screen at 150% (853x480 logical pixels), large enough that the
#: tables and the chart keep room to draw in (a plot area of 0 px used to crash the paint).
MINIMUM_SIZE = QSize(640, 440)
#: How many of a table's first rows its column widths are measured on, when it is filled.
COLUMN_WIDTH_ROWS = 20
#: How many rows a staged start's holdings table paints from a copy (``_show_holdings``): more
#: than a screen shows.
FIRST_PAINT_ROWS = 60
MINIMUM_PANE_HEIGHT = 100  #: the holdings, trades and watchlist tabs
#: Prices this many days older than today are said to end early (a weekend and a holiday
#: are not).
PRICES_STALE_DAYS = 4  # desktop.core.snapshot.STALE_DAYS (not imported: pandas, at start)
#: After a snapshot is shown, how long the window waits before computing the other ranges in
#: the background, and the pause between two of them: the main thread keeps the interpreter
#: while the user works (a worker's pandas calls hold it between its switches).
PREFETCH_DELAY_MS, PREFETCH_PAUSE_MS = 1000, 150
MINIMUM_CHART_HEIGHT = 200  #: the chart: range buttons, legend and a plot of at least ~120 px
SIMULATED_TEXT = (
    "SIMULATED PRICES: this demo could not fetch real prices; these are not market data."
)


class MainWindow(QMainWindow):
    def __init__(
        self,
        store: Store,
        tasks: TaskRunner,
        sources: MarketSources | None = None,
        fetch_factors: bool = False,
        daily_backup: bool = False,
        read_only: bool | str = False,
        staged: bool = False,
    ) -> None:
        """With ``staged`` (the app's start), only what the first paint shows is built: the
        Trades and Watchlist tabs' contents, the filter bar and the refresh's status-bar parts
        (and the modules they import) wait for ``finish_build()``, which the launch calls right
        after that paint; else it is called here. Until then the holdings table shows a copy
        of its model (``_show_holdings``), and nothing before the paint touches ``Qt``'s
        namespace (``qt_enums``)."""
        super().__init__()
        #: Why the portfolio is shown without writing it, in words ("": it is written):
        #: another window holds it (``read_only=True``), the file cannot be written, or it is
        #: damaged. Every action that writes is off then, and the editor refuses with this.
        self.read_only = read_only if isinstance(read_only, str) else ""
        if read_only is True or (store.read_only and not self.read_only):
            from desktop.ui.commands import FILE_READ_ONLY, READ_ONLY

            self.read_only = READ_ONLY if read_only is True else FILE_READ_ONLY
        #: The file was found damaged: nothing is written to it, a backup may replace it.
        self.damaged = False
        self.lock: Any = None  #: the QLockFile saying this window writes the file (launch's)
        #: Make the day's backup of the file when the background work starts (the app does).
        self.daily_backup = daily_backup
        self.store, self.tasks = store, tasks
        self.sources = sources
        self.undo_stack = QUndoStack(self)
        self._editor: Editor | None = None
        self.chart: Any = None  # the ReturnsChart, once pyqtgraph is loaded
        self.why: Any = None  # the WhyPanel beside it, from then too
        self.benchmark_menu: Any = None  # the chart's Benchmarks button, likewise
        self.panels: Any = None  # the relative strength and drawdown under it, likewise
        self.symbol_searcher: Any = None  # set by launch: symbol search while typing
        self.performance: Any = None
        #: The performance and range the tab under the chart and the why were drawn for.
        self.details_for: tuple[Any, str] | None = None
        #: Ranges being computed on a worker, by (performance, range): who waits for each.
        self._preparing: dict[tuple[int, str], list[Callable[[], None]]] = {}
        self._closing = False
        self.prefetch_delay_ms, self.prefetch_pause_ms = PREFETCH_DELAY_MS, PREFETCH_PAUSE_MS
        self.chart_range = "1Y"
        self._settings: QSettings | None = None  #: where the window's state is kept
        self._chart_request = 0  #: the number of the newest chart recompute asked for
        self._prices_asked = 0  #: ... of the newest one that reads the prices
        self._prices_read = 0  #: ... of the newest such one that has come back
        self.refresh_factors = fetch_factors
        self.last_refresh: Any = None
        #: The benchmarks' and the watched symbols' last two closes (newest first), in the
        #: watchlist's order: what the first paint needs of them (``_show_store``).
        self._watch_closes: dict[str, list[tuple[dt.date, float]]] = {}
        #: Their watchlist rows, with the 1M, YTD and 1Y changes: made when the Watchlist tab
        #: is built, not for the first paint (``_watch_rows``).
        self._watched: list[WatchRow] | None = None
        self._names: dict[str, str] = {}
        self._reference: dt.date | None = None  #: the newest close of holdings and benchmarks
        self._fetch_status: dict[str, Any] = {}
        self._fundamentals: dict[str, Any] = {}
        #: What the holdings table and the strip show: holdings, totals, cash (None untracked).
        self._shown: tuple[list[Holding], PortfolioTotals, Decimal | float | None] | None = None
        #: The ledger as the store holds it, once a snapshot brought it (edits keep it so): an
        #: edit's recompute starts from it instead of reading every entry again.
        self._ledger: dict[int | None, Trade] | None = None  #: by id, in ledger order
        #: The store's count of ledger writes that ``_ledger`` reflects: an edit that finds it
        #: grew by more than its own write knows another program wrote, and reads again.
        self._ledger_at: int | None = None
        self._trades_filled = False  #: the Trades tab is filled when it is first shown
        self._collector = CollectorPause()  #: off while a snapshot is computed
        #: What the chart compares with (the portfolio's setting, else ^RUT and ^GSPC).
        self.benchmarks = parse_benchmarks(store.setting("benchmarks"))
        #: Built by ``finish_build()`` (``None`` until then, on a staged start).
        self.refresher: RefreshController | None = None
        self.trades_model: TradesModel | None = None
        self.trades_view: QTableView | None = None
        self.watchlist: WatchlistPanel | None = None
        self.table_filter: TableFilter | None = None
        self._staged = staged
        self._build()
        self._show_start()
        if not staged:
            self.finish_build()

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.setWindowTitle(self._title())
        self.setMinimumSize(MINIMUM_SIZE)
        self.resize(_fitting(DEFAULT_SIZE, self.screen().availableGeometry().size()))
        self.actions = create_actions(self)
        a = self.actions
        a[Act.ADD_TRADE].triggered.connect(self.add_trade)
        a[Act.EDIT_TRADE].triggered.connect(self.edit_trade)
        a[Act.DELETE_TRADE].triggered.connect(self.delete_trade)
        a[Act.REFRESH].triggered.connect(self.refresh_prices)
        a[Act.CANCEL_REFRESH].setEnabled(False)  # while no refresh runs (``RefreshController``)
        self._price_import: PriceImport | None = None
        a[Act.IMPORT_PRICES].triggered.connect(lambda: self.price_import.run())
        a[Act.IMPORT_TRADES].triggered.connect(lambda: self.import_trades())
        #: Asks for the file of trades to import ("" when the user cancels); tests replace it.
        self.choose_trades_file: Callable[[], str] = self._choose_trades_file
        #: Shows the import dialog and says whether the user confirmed; tests replace it.
        self.confirm_import: Callable[[Any], bool] = lambda dialog: bool(dialog.exec())
        a[Act.BACK_UP].triggered.connect(self.back_up_now)
        a[Act.RESTORE_BACKUP].triggered.connect(lambda: self.restore_dialog().exec())
        a[Act.UNDO].triggered.connect(self.undo_stack.undo)
        a[Act.REDO].triggered.connect(self.undo_stack.redo)
        a[Act.QUIT].triggered.connect(self.close)
        self.undo_stack.canUndoChanged.connect(a[Act.UNDO].setEnabled)
        self.undo_stack.canRedoChanged.connect(a[Act.REDO].setEnabled)
        self.undo_stack.undoTextChanged.connect(lambda t: a[Act.UNDO].setText(f"&Undo {t}".strip()))
        self.undo_stack.redoTextChanged.connect(lambda t: a[Act.REDO].setText(f"&Redo {t}".strip()))
        a[Act.UNDO].setEnabled(False)
        a[Act.REDO].setEnabled(False)

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        for key in (
            Act.IMPORT_TRADES,
            Act.IMPORT_PRICES,
            None,
            Act.BACK_UP,
            Act.RESTORE_BACKUP,
            None,
            Act.SETTINGS,
            None,
            Act.QUIT,
        ):
            file_menu.addSeparator() if key is None else file_menu.addAction(a[key])
        edit_menu = menu.addMenu("&Edit")
        for key in (Act.UNDO, Act.REDO, None, Act.ADD_TRADE, Act.EDIT_TRADE, Act.DELETE_TRADE):
            edit_menu.addSeparator() if key is None else edit_menu.addAction(a[key])
        view_menu = menu.addMenu("&View")
        for key in (
            Act.SHOW_HOLDINGS,
            Act.SHOW_TRADES,
            Act.SHOW_WATCHLIST,
            Act.FILTER,
            None,
            Act.SHOW_MARKETS,
            Act.OPEN_INSTRUMENT,
        ):
            view_menu.addSeparator() if key is None else view_menu.addAction(a[key])
        a[Act.SHOW_MARKETS].triggered.connect(lambda: self.open_markets())
        a[Act.SETTINGS].triggered.connect(lambda: self.settings_dialog().exec())
        a[Act.OPEN_INSTRUMENT].triggered.connect(self._open_selected)
        prices_menu = menu.addMenu("&Prices")
        for key in (Act.REFRESH, Act.CANCEL_REFRESH, None, Act.IMPORT_PRICES):
            prices_menu.addSeparator() if key is None else prices_menu.addAction(a[key])
        from desktop.ui.help_dialogs import install_help_menu

        self.help = install_help_menu(self)  # shortcuts, the numbers (F1), sources, about
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        for key in (Act.ADD_TRADE, Act.EDIT_TRADE, Act.DELETE_TRADE, None, Act.REFRESH):
            toolbar.addSeparator() if key is None else toolbar.addAction(a[key])

        self.banner = QLabel(SIMULATED_TEXT)
        self.banner.setStyleSheet(
            "background: #fff3cd; color: #7a4f00; font-weight: bold; padding: 6px; "
            "border: 1px solid #e0c36c;"
        )
        # Enum properties by name, here and below: the first paint goes without the ``Qt``
        # namespace (``qt_enums``).
        set_enum(self.banner, "alignment", "AlignCenter")
        self.summary = QLabel()
        set_enum(self.summary, "textFormat", "RichText")
        self.summary.setWordWrap(True)  # a long line (a suggestion) must not widen the window
        self.summary.setStyleSheet("font-size: 13px; padding: 4px 2px;")
        # The chart range's figures (beating the benchmarks or not), once the snapshot is in:
        # empty until then, so it comes with ``finish_build`` (its fonts and painter are not
        # needed for the first paint).
        self.figure_strip: FigureStrip | None = None
        self.shown_ttwror: float | None = None  #: the value the strip shows, unrounded

        self.holdings_model = HoldingsModel()
        # The last column takes what is left (an empty Name column took 40% of the width).
        # A staged start's shows copies of the model until it is built (``_show_holdings``).
        self._holdings_copy = self.holdings_model.static_copy(0) if self._staged else None
        shown_first = self.holdings_model if self._holdings_copy is None else self._holdings_copy
        self.holdings_view = _table(shown_first, stretch=None, view=HoldingsView())
        if not self._staged:
            self._show_holdings_model()
        self.totals_bar = TotalsBar(
            self.holdings_view, [c.numeric for c in self.holdings_model.columns]
        )
        self.totals_bar.hide()
        holdings_page = QWidget()
        holdings_layout = QVBoxLayout(holdings_page)
        holdings_layout.setContentsMargins(0, 0, 0, 0)
        holdings_layout.setSpacing(0)
        holdings_layout.addWidget(self.holdings_view, 1)
        holdings_layout.addWidget(self.totals_bar)
        # Enter or a double-click on a holding opens its own window.
        self.holdings_view.doubleClicked.connect(lambda index: self._open_row(self.holdings_view))
        on_enter(self.holdings_view, lambda: self._open_row(self.holdings_view))
        self.instrument_views: dict[str, Any] = {}  #: the instrument windows open, by symbol
        self.markets_view: Any = None  #: the Markets window, while open
        #: Asks which symbol to open (``open_symbol.ask_symbol``; tests replace it).
        self.ask_symbol: Callable[..., str] = _ask_symbol
        self.actions[Act.FILTER].triggered.connect(lambda: self._filter().open())
        # The Trades and Watchlist tabs' pages: their contents come with ``finish_build``.
        self.trades_page, self.watchlist_page = _page(), _page()
        self.tabs = QTabWidget()
        self.tabs.addTab(holdings_page, "&Holdings")
        self.tabs.addTab(self.trades_page, "&Trades")
        self.tabs.addTab(self.watchlist_page, "&Watchlist")
        for key, i in ((Act.SHOW_HOLDINGS, 0), (Act.SHOW_TRADES, 1), (Act.SHOW_WATCHLIST, 2)):
            a[key].triggered.connect(lambda _=False, i=i: self.tabs.setCurrentIndex(i))

        # The strip, the chart and the why panel scroll (vertically) when the window is too
        # short for them, rather than paint over each other.
        self.chart_slot = QScrollArea(frameShape=QFrame.Shape.NoFrame, widgetResizable=True)
        set_enum(self.chart_slot, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        self.chart_body = QWidget()
        self.chart_slot.setWidget(self.chart_body)
        self.chart_layout = QVBoxLayout(self.chart_body)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        # Said when the prices end days before today: every range ends there, not today.
        self.prices_note = QLabel(objectName="pricesNote", wordWrap=True)
        set_enum(self.prices_note, "textFormat", "RichText")
        self.prices_note.linkActivated.connect(lambda _href: self.refresh_prices())
        self.prices_note.hide()
        self.chart_layout.addWidget(self.prices_note, 0)
        self.chart_placeholder = QLabel("Loading chart…")
        set_enum(self.chart_placeholder, "alignment", "AlignCenter")
        self.chart_layout.addWidget(self.chart_placeholder, 1)

        self.splitter = QSplitter()
        set_enum(self.splitter, "orientation", "Vertical")
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.chart_slot)
        self.splitter.setChildrenCollapsible(False)  # neither part can be dragged to nothing
        self.tabs.setMinimumHeight(MINIMUM_PANE_HEIGHT)
        self.chart_slot.setMinimumHeight(MINIMUM_CHART_HEIGHT)
        # The analysis is what the window is opened for; the holdings keep a few rows and
        # their totals.
        self.splitter.setSizes([220, 540])
        central = QWidget()
        self.central_layout = QVBoxLayout(central)
        self.central_layout.setContentsMargins(8, 6, 8, 4)
        self.central_layout.addWidget(self.banner)
        self.central_layout.addWidget(self.summary)
        self.central_layout.addWidget(self.splitter, 1)  # the filter bar goes above, once built
        self.setCentralWidget(central)

        self.freshness = QLabel()
        self.statusBar().addPermanentWidget(self.freshness)

    @property
    def built(self) -> bool:
        """Whether ``finish_build()`` has run (a staged start's window paints before)."""
        return self.refresher is not None

    def finish_build(self) -> None:
        """What the first paint does not show: the Trades and Watchlist tabs' contents, the
        filter bar (Ctrl+F) and the refresh's progress and Cancel in the status bar. Once; every
        action that needs them calls it first."""
        if self.built:
            return
        from PySide6.QtCore import Qt

        from desktop.ui.figure_strip import FigureStrip
        from desktop.ui.refresh_controller import RefreshController
        from desktop.ui.table_filter import TableFilter
        from desktop.ui.trades_model import TradesModel
        from desktop.ui.watchlist_panel import WatchlistPanel
        from desktop.ui.window_state import known_range

        if self._holdings_copy is not None:
            self._show_holdings_model()
        if not known_range(self.chart_range):  # kept by another version, or hand-edited
            self.chart_range = "1Y"
        self.figure_strip = FigureStrip()
        self.figure_strip.hide()  # until it has figures: "Loading chart…" stays where it was
        self.chart_layout.insertWidget(0, self.figure_strip, 0)
        self.refresher = RefreshController(self)
        self.progress = self.refresher.progress
        self.statusBar().insertPermanentWidget(0, self.progress)
        self.statusBar().insertPermanentWidget(1, self.refresher.cancel_button)

        self.trades_model = TradesModel()
        self.trades_view = _table(self.trades_model, stretch=7)
        self.trades_view.doubleClicked.connect(self.edit_trade)
        for key in (Qt.Key_Return, Qt.Key_Enter):
            QShortcut(
                QKeySequence(key), self.trades_view, self.edit_trade, context=Qt.WidgetShortcut
            )
        self.trades_view.selectionModel().selectionChanged.connect(self._update_actions)
        self.trades_page.layout().addWidget(self.trades_view)

        self.watchlist = WatchlistPanel()
        self.watchlist.openRequested.connect(self.open_instrument)
        self.watchlist.compareRequested.connect(self.compare_with)
        self.watchlist.watchRequested.connect(lambda symbol: self.editor.watch(symbol))
        self.watchlist.unwatchRequested.connect(lambda symbol: self.editor.unwatch(symbol))
        self.watchlist.on_problem = lambda message: self.statusBar().showMessage(message, 8000)
        self.watchlist.model.set_rows(self._watch_shown())
        if self.symbol_searcher is not None:
            self.watchlist.set_searcher(self.symbol_searcher)
        self.watchlist_page.layout().addWidget(self.watchlist)

        self.table_filter = TableFilter(self._table_shown)
        self.central_layout.insertWidget(2, self.table_filter)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.tabs.currentChanged.connect(lambda _i: self._filter().apply())
        if self._settings is not None:  # the columns the user arranged last time
            from desktop.ui import window_state

            keys = (window_state.TRADES_COLUMNS, window_state.WATCHLIST_COLUMNS)
            window_state.restore_columns(self, self._settings, keys)
        self._tab_shown(self.tabs.currentIndex())  # a tab chosen before: filled now
        self.table_filter.apply()

    def _show_holdings_model(self) -> None:
        """The holdings table shows its model, and a header click sorts it (unknown values
        last). The column layout of a copy shown before carries over (the same columns)."""
        view, copy = self.holdings_view, self._holdings_copy
        if copy is not None:
            view.setModel(self.holdings_model)
            self.holdings_model.modelReset.connect(lambda: _fit_columns(view))
            copy.deleteLater()
            self._holdings_copy = None
        # The header's arrow says the model's order (none: no sort until a header click;
        # enabling sorts at once by the arrow).
        sort = self.holdings_model.sorted_by
        column, descending = sort if sort is not None else (-1, False)
        view.horizontalHeader().setSortIndicator(column, _sort_order(descending))
        view.setSortingEnabled(True)

    def sort_holdings(self, column: int, descending: bool) -> None:
        """Sort the holdings as a header click would (a sort restored: ``window_state``). On a
        staged start before the window is built, without ``Qt``'s enums: the model is sorted
        and the copy shown follows."""
        if self._holdings_copy is None:
            self.holdings_view.sortByColumn(column, _sort_order(descending))
            return
        self.holdings_model.sort_by(column, descending)
        self._show_holdings_copy()

    def _show_holdings_copy(self) -> None:
        """A staged start's holdings table, until the window is built: a copy of the model's
        first rows in Qt's own items, painted without Python (setting a Python model on a view
        makes PySide build the ``Qt`` namespace, which the first paint goes without)."""
        copy = self.holdings_model.static_copy(FIRST_PAINT_ROWS)
        copy.setParent(self.holdings_view)
        self.holdings_view.setModel(copy)
        if self._holdings_copy is not None:
            self._holdings_copy.deleteLater()
        self._holdings_copy = copy
        # The widths have room for a header click's arrow, as a sortable table's do; the arrow
        # is not shown before the build unless a kept state shows it (it would point at the
        # first column).
        header = self.holdings_view.horizontalHeader()
        shown = header.isSortIndicatorShown()
        header.setSortIndicatorShown(True)
        _fit_columns(self.holdings_view)
        header.setSortIndicatorShown(shown)

    def _filter(self) -> TableFilter:
        self.finish_build()
        assert self.table_filter is not None
        return self.table_filter

    def _title(self) -> str:
        if self.store.is_demo:
            suffix = " (simulated prices)" if self.store.has_simulated_prices() else ""
            return f"{APP_NAME} — Demo portfolio{suffix}"
        return f"{APP_NAME} — {self.store.path}" + (" (read-only)" if self.read_only else "")

    # -- showing the store ----------------------------------------------------------------
    def _show_start(self) -> None:
        """The first paint: the positions kept beside the ledger (or, when they are not
        current, the ledger booked here and kept), each at its symbol's last close; lean (no
        pandas, no entry read when they are current). The snapshot's holdings replace them once
        it is computed. Positions with entries in another currency than the base are not added
        up here (that takes each entry's rate on its day): the strip says they are being
        converted until the snapshot brings them."""
        kept = self.store.positions_now()
        if kept is None:  # booked here (a first start, or positions kept by another version)
            from desktop.core.holdings import book

            changes = self.store.ledger_changes()
            trades = self.store.trades()
            ledger, _ = book(trades, self.store.cost_method())
            self._try(lambda: self.store.save_positions(ledger, changes=changes))
            kept = (ledger.positions, ledger.cash, ledger.tracks_cash)
            self._ledger, self._ledger_at = {t.id: t for t in trades}, changes
        positions, cash, tracks_cash = kept
        instruments = self._show_store()
        base = base_currency(self.store)
        foreign = {
            i.currency for s, i in instruments.items() if s in positions and i.currency != base
        }
        if foreign or self.store.groups_in_currencies_other_than(base):
            self.summary.setText(f"Converting the holdings to {base}…")
            return
        names = {s: i.name for s, i in instruments.items()}
        closes = self.store.last_closes(positions)
        closes = in_todays_shares(closes, self.store.splits(closes))
        holdings, totals = value_holdings(positions, closes, names)
        self._show_holdings(holdings, totals, cash if tracks_cash else None)

    def _try(self, write: Callable[[], None]) -> None:
        """A write of derived data (nothing is lost without it): a refusal is shown, not
        raised."""
        try:
            write()
        except StoreError as exc:
            self.statusBar().showMessage(f"Could not keep the positions: {exc}", 8000)

    def reload(self, *, prices_changed: bool = True, symbols: Iterable[str] | None = None) -> None:
        """Show what the store says now (after a refresh or an import wrote prices): the
        watchlist, fetch problems and fundamentals here, the holdings, strip and chart from a
        snapshot recomputed on a worker, re-reading the prices unless ``prices_changed`` is
        false: those of ``symbols`` only when the caller knows which it wrote."""
        self._show_store()
        if self._shown is not None:
            self._show_holdings(*self._shown)
        self.recompute(read_prices=prices_changed, symbols=symbols)

    def _show_store(self) -> dict[str, Instrument]:
        """What is read from the store on the main thread (small, indexed reads); the
        instruments."""
        instruments = self.store.instruments()
        self._names = {s: i.name for s, i in instruments.items()}
        symbols = list(dict.fromkeys([*DEFAULT_BENCHMARKS, *self.store.watchlist()]))
        recent = self.store.recent_closes(symbols, 2)
        self._watch_closes = {symbol: recent.get(symbol, []) for symbol in symbols}
        self._watched = None  # made again when shown
        self._fetch_status = self.store.fetch_status()
        self._fundamentals = self.store.fundamentals()
        self.banner.setVisible(self.store.has_simulated_prices())
        self.setWindowTitle(self._title())
        self._update_actions()
        return instruments

    def _show_holdings(
        self, holdings: list[Holding], totals: PortfolioTotals, cash: Decimal | float | None
    ) -> None:
        """The holdings table, the watchlist's notes and the summary strip, changing only the
        rows that changed."""
        self._shown = (holdings, totals, cash)
        closes = self._watch_closes
        benchmarks = [closes[s][0][0] for s in DEFAULT_BENCHMARKS if closes.get(s)]
        reference = reference_date([*benchmarks, *(h.close_date for h in holdings)])
        self._reference = reference
        failed = fetch_problems(self._fetch_status, holdings, reference)
        self.holdings_model.update_holdings(holdings, reference, failed, self._fundamentals)
        if self._holdings_copy is not None:  # a staged start's, until the window is built
            self._show_holdings_copy()
        texts, colours = self.holdings_model.totals_texts(totals, len(holdings))
        self.totals_bar.set_texts(texts, colours)
        self.totals_bar.setToolTip(f"The totals of the {len(holdings)} holdings above")
        self.totals_bar.setVisible(bool(holdings))
        if self.watchlist is not None:
            self.watchlist.model.set_rows(self._watch_shown())
        silent = {h.symbol: h.close_date for h in holdings if self.holdings_model.is_silent(h)}
        hint = cash_out_hint(silent)
        snapshot = self.performance.snapshot if self.performance is not None else None
        unconverted = snapshot.conversion_notes if snapshot is not None else []
        if unconverted:  # an entry in a currency without rates: said, never silently dropped
            more = f" (and {len(unconverted) - 1} more)" if len(unconverted) > 1 else ""
            first = unconverted[0]
            hint = (hint + "; " if hint else "") + first[0].upper() + first[1:] + more
        self._show_summary(totals, bool(holdings), cash, hint)
        self._show_freshness(holdings)

    def _ledger_changed(self, change: Change) -> None:
        """An edit (or its undo) was written: the Trades tab changes by that row, and the
        holdings, strip and chart follow from a snapshot recomputed on a worker with the
        prices in memory."""
        if not change.ledger:  # the watchlist
            self._show_store()
            if self._shown is not None:
                self._show_holdings(*self._shown)
            return
        if change.many:  # an import or its undo: every view reads the ledger again
            self._ledger = self._ledger_at = None
            if self._trades_filled:
                self.trades_model.set_trades(self.store.trades())
            entries = [*change.many_added, *change.many_removed]
            self.recompute(symbols={t.symbol for t in entries if t.symbol})
            return
        now = self.store.ledger_changes()
        if self._ledger is not None and self._ledger_at is not None and now == self._ledger_at + 1:
            if change.removed is not None:
                self._ledger.pop(change.removed.id, None)
            if change.added is not None:
                self._ledger[change.added.id] = change.added
            self._ledger_at = now
        else:  # written by someone else too: the recompute reads every entry again
            self._ledger = self._ledger_at = None
        if self._trades_filled:  # else it is filled when shown, from the ledger kept
            if change.removed is not None:
                self.trades_model.discard(change.removed)
            if change.added is not None:
                self.trades_model.add(change.added)
        self.recompute(read_prices=False)

    def _tab_shown(self, index: int) -> None:
        if index == 1 and not self._trades_filled and self.trades_model is not None:
            kept = self._ledger
            self.trades_model.set_trades(
                list(kept.values()) if kept is not None else self.store.trades()
            )
            self._trades_filled = True
        self._update_actions()

    def _watch_shown(self) -> list[WatchRow]:
        """The Watchlist tab's rows (``_watch_rows``), each with why its last fetch failed."""
        if self._watched is None:
            self._watched = self._watch_rows()
        failed = fetch_problems(self._fetch_status, self._watched, self._reference)
        return [replace(r, problem=failed.get(r.symbol)) for r in self._watched]

    def _watch_rows(self) -> list[WatchRow]:
        """The benchmarks and the watched symbols, each with its last close and its price
        changes over 1D, 1M, YTD and 1Y (a few indexed reads each, no pandas). Not for the
        first paint, which does not show them (nor loads ``core.periods`` for them)."""
        from desktop.core.price_changes import base_days, price_changes
        from desktop.ui.watch_row import WatchRow

        names = self._names
        starts = base_days(dt.date.today())
        rows = []
        for sym, closes in self._watch_closes.items():
            last = closes[0] if closes else None
            bases = (
                {n: self.store.close_before(sym, day) for n, day in starts.items()} if last else {}
            )
            change = price_changes(last, closes[1] if len(closes) > 1 else None, bases, starts)
            rows.append(
                WatchRow(
                    symbol=sym,
                    name=names.get(sym) or BENCHMARK_NAMES.get(sym, ""),
                    benchmark=sym in DEFAULT_BENCHMARKS,
                    last_close=last[1] if last else None,
                    close_date=last[0] if last else None,
                    day_change=change["1D"],
                    month_change=change["1M"],
                    ytd_change=change["YTD"],
                    year_change=change["1Y"],
                )
            )
        return rows

    def _show_summary(
        self, totals: PortfolioTotals, any_holdings: bool, cash: Decimal | None, hint: str = ""
    ) -> None:
        from desktop.ui.palette import tones

        colours = tones(self.palette())
        warn = colours["warning"]
        if not any_holdings and cash is None:
            if hint:  # entries there are, but none could be held (a currency without rates)
                self.summary.setText(f"<span style='color:{warn}'>{fmt.rich_text(hint)}</span>")
                return
            self.summary.setText(
                "No holdings yet. Press <b>Ctrl+N</b> to add your first trade, "
                "then <b>F5</b> to fetch prices."
            )
            return
        gain = totals.unrealized_gain
        color = colours["gain"] if (gain or 0) >= 0 else colours["loss"]
        parts = [f"Market value <b>{fmt.money(totals.market_value)}</b>"]
        if cash is not None:
            total = None if totals.market_value is None else totals.market_value + float(cash)
            parts = [
                f"Securities <b>{fmt.money(totals.market_value)}</b>",
                f"Cash <b>{fmt.money(cash)}</b>",
                f"Total <b>{fmt.money(total)}</b>",
            ]
        parts += [
            f"Cost basis <b>{fmt.money(totals.cost_basis)}</b>",
            f"Unrealized gain <b style='color:{color}'>{fmt.signed_money(gain)} "
            f"({fmt.percent(totals.unrealized_return, signed=True)})</b>",
        ]
        if totals.unpriced:
            parts.append(
                f"<span style='color:{warn}'>No price yet for {', '.join(totals.unpriced)}: "
                "press F5</span>"
            )
        if cash is not None and cash < 0:
            parts.append(
                f"<span style='color:{warn}'>Cash is below zero: a deposit missing? "
                "(kept, as a loan would be)</span>"
            )
        if hint:
            parts.append(f"<span style='color:{warn}'>{fmt.rich_text(hint)}</span>")
        self.summary.setText(" &nbsp;·&nbsp; ".join(parts))

    def _show_freshness(self, holdings: list[Holding]) -> None:
        """The date the holdings are priced at (their newest close), or the newest of anything."""
        dates = [h.close_date for h in holdings if h.close_date]
        market = [c[0][0] for c in self._watch_closes.values() if c]  # the indices' too
        newest = max(dates) if dates else self.store.newest_close_date()
        text = f"Prices as of {newest.isoformat()}" if newest else "No prices cached"
        if dates and market and max(market) > newest:
            # Both dates, so this never reads against a refresh's "newest close" (an index's).
            text = (
                f"Holdings priced as of {newest.isoformat()}; "
                f"newest close {max(market).isoformat()}"
            )
        if self.last_refresh is not None and self.last_refresh.offline:
            text = f"Offline · {text[0].lower()}{text[1:]}"
        self.freshness.setText(text)

    #: What writes the portfolio: off in a read-only window.
    WRITES = (
        Act.ADD_TRADE,
        Act.EDIT_TRADE,
        Act.DELETE_TRADE,
        Act.IMPORT_TRADES,
        Act.IMPORT_PRICES,
        Act.REFRESH,
        Act.RESTORE_BACKUP,
        Act.UNDO,
        Act.REDO,
    )

    def _update_actions(self, *_: object) -> None:
        on_trades = self.tabs.currentIndex() == 1
        selected = self.trades_view is not None and bool(
            self.trades_view.selectionModel().selectedRows()
        )
        self.actions[Act.EDIT_TRADE].setEnabled(on_trades and selected)
        self.actions[Act.DELETE_TRADE].setEnabled(on_trades and selected)
        if self.read_only:
            for key in self.WRITES:
                # A damaged file (this window's to write) may still be replaced by a backup.
                restorable = key is Act.RESTORE_BACKUP and self.damaged and self.lock is not None
                self.actions[key].setEnabled(restorable)

    def show_refusal(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, APP_NAME, message)

    @property
    def editor(self) -> Editor:
        """Applies edits through undoable commands (created on the first edit: start-up is lean)."""
        if self._editor is None:
            from desktop.ui.commands import Editor

            self._editor = Editor(
                self.store, self.undo_stack, self._ledger_changed, self.show_refusal
            )
            self._editor.read_only = self.read_only
        return self._editor

    # -- editing --------------------------------------------------------------------------
    def _symbols(self) -> list[str]:
        return list(self.store.instruments())

    def trade_dialog(self, trade: Trade | None = None) -> TradeDialog:
        from desktop.ui.trade_dialog import TradeDialog

        if trade is None:
            submit = self.editor.add_trade
        else:

            def submit(new: Trade) -> list[Problem]:
                return self.editor.update_trade(trade, new)

        return TradeDialog(
            submit,
            self._symbols(),
            trade,
            parent=self,
            searcher=self.symbol_searcher,
            close_on=self.close_on,
        )

    def close_on(self, symbol: str, day: dt.date) -> float | None:
        """The cached close of ``symbol`` on or before ``day``, as quoted then (the ledger's
        splits after ``day`` undone), within a fortnight; ``None`` without one."""
        from decimal import Decimal

        if not symbol:
            return None
        try:
            closes = self.store.closes([symbol], day - dt.timedelta(days=14), end=day)
        except StoreError:
            return None
        if symbol not in closes or closes[symbol].dropna().empty:
            return None
        factor = Decimal(1)
        for when, ratio in self.store.splits([symbol]).get(symbol, []):
            if when > day:
                factor *= ratio
        return float(closes[symbol].dropna().iloc[-1]) * float(factor)

    def add_trade(self) -> None:
        self.trade_dialog().exec()

    def import_trades(self, path: str | None = None) -> int:
        """File → Import trades…: the file mapped and checked in a dialog, then its trades
        added as one undoable step; how many were added."""
        from pathlib import Path

        from desktop.ui.import_trades_dialog import ImportTradesDialog

        path = path or self.choose_trades_file()
        if not path:
            return 0
        dialog = ImportTradesDialog(path, self.store, parent=self)
        if not self.confirm_import(dialog):
            return 0
        trades = dialog.trades()
        name = Path(path).name
        problems = self.editor.import_trades(trades, name) if trades else []
        if problems:
            reasons = "\n".join(f"• {p.message}" for p in problems[:10])
            self.show_refusal(f"{name} was not imported; nothing was changed.\n\n{reasons}")
            return 0
        self.statusBar().showMessage(
            f"Imported {len(trades)} trades from {name}. Press Ctrl+Z to undo the import.", 10000
        )
        return len(trades)

    def _choose_trades_file(self) -> str:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Import trades", "", "CSV files (*.csv *.txt);;All files (*)"
        )
        return path

    def selected_trade(self) -> Trade | None:
        if self.trades_view is None or self.trades_model is None:  # not built: none selected
            return None
        rows = self.trades_view.selectionModel().selectedRows()
        return self.trades_model.trade(rows[0].row()) if rows else None

    def edit_trade(self, *_: object) -> None:
        trade = self.selected_trade()
        if trade is not None:
            self.trade_dialog(trade).exec()

    def delete_trade(self) -> None:
        trade = self.selected_trade()
        if trade is None:
            return
        problems = self.editor.delete_trade(trade)
        if problems:
            self.show_refusal("; ".join(p.message for p in problems))
        else:
            self.statusBar().showMessage("Trade deleted. Press Ctrl+Z to undo.", 8000)

    # -- an instrument's own window ------------------------------------------------------------
    def _table_shown(self) -> tuple[QTableView, Callable[[Any], str]] | None:
        """The table on the tab shown and what its rows are found by (``TableFilter``)."""
        index = self.tabs.currentIndex()
        if index == 0:
            return self.holdings_view, lambda h: f"{h.symbol} {h.name}"
        if self.trades_view is None or self.watchlist is None:
            return None
        if index == 1:
            return (
                self.trades_view,
                lambda t: f"{t.date.isoformat()} {t.type.value} {t.symbol} {t.currency} {t.note}",
            )
        if index == 2:
            return self.watchlist.table, lambda r: f"{r.symbol} {r.name}"
        return None

    def _open_selected(self) -> None:
        """View > Open instrument: asks for a symbol (a search hit, or typed), the row
        selected on the tab shown suggested, and opens its window."""
        suggested = ""
        if self.tabs.currentIndex() == 2 and self.watchlist is not None:
            row = self.watchlist.selected()
            suggested = row.symbol if row is not None else ""
        elif self.tabs.currentIndex() == 0:
            rows = self.holdings_view.selectionModel().selectedRows()
            if rows:
                suggested = self.holdings_model.rows[rows[0].row()].symbol
        symbol = self.ask_symbol(self._symbols(), self.symbol_searcher, self, suggested)
        if symbol:
            self.open_instrument(symbol)

    def settings_dialog(self) -> Any:
        """File > Settings: once accepted, a change of the portfolio's figures (currency, cost
        method, benchmarks) computes every view again."""
        from desktop.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self.store, self._settings or QSettings(), self, read_only=bool(self.read_only)
        )
        dialog.accepted.connect(lambda: self._settings_changed(dialog.changed))
        return dialog

    def _settings_changed(self, changed: Any) -> None:
        if changed is None or not changed.figures:
            return
        self.benchmarks = changed.benchmarks
        if self.benchmark_menu is not None:
            self.benchmark_menu.chosen = changed.benchmarks
        self._ledger = self._ledger_at = None  # booked again at the cost method chosen
        self.reload(prices_changed=True)
        self.statusBar().showMessage("Settings saved; the figures are computed again.", 8000)

    def open_markets(self) -> Any:
        """The Markets window (raised if open), computed on a worker from the store and the
        snapshot shown."""
        from desktop.ui.markets_view import MarketsView

        if self.markets_view is None:
            path = self.store.path

            def load() -> Any:  # on a worker
                from desktop.data.markets_data import load_markets

                performance = self.performance
                snapshot = performance.snapshot if performance is not None else None
                lens = None  # the style over the whole history: what it behaves like
                if performance is not None and snapshot is not None:
                    lens = performance.factor_lens("Max")[0]
                with Store(path, check=False) as store:
                    return load_markets(store, snapshot, lens)

            from PySide6.QtCore import Qt

            view = MarketsView(load, self.tasks.run_task, parent=self)
            view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            view.destroyed.connect(lambda *_: setattr(self, "markets_view", None))
            self.markets_view = view
            view.reload()
        self.markets_view.show()
        self.markets_view.raise_()
        self.markets_view.activateWindow()
        return self.markets_view

    def _open_row(self, view: QTableView) -> None:
        self.finish_build()  # the holdings' model, not a copy of its rows
        rows = view.selectionModel().selectedRows()
        if rows:
            self.open_instrument(view.model().rows[rows[0].row()].symbol)

    def open_instrument(self, symbol: str) -> Any:
        """Show ``symbol``'s window (raised if open): its chart over YTD, loaded on a worker,
        with the user's position in it from the snapshot shown."""
        from PySide6.QtCore import Qt

        from desktop.ui.instrument_view import InstrumentView

        view = self.instrument_views.get(symbol)
        if view is None:
            instrument = self.store.instrument(symbol)
            view = InstrumentView(
                symbol,
                instrument.name if instrument else "",
                self._instrument_loader(symbol),
                self.tasks.run_task,
                parent=self,
            )
            view.destroyed.connect(lambda *_: self.instrument_views.pop(symbol, None))
            view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.instrument_views[symbol] = view
            view.show_range()
        view.show()
        view.raise_()
        view.activateWindow()
        return view

    def _instrument_loader(self, symbol: str) -> Callable[[str | None], tuple[Any, Any, Any]]:
        path, benchmarks = self.store.path, tuple(self.benchmarks)

        def load(range_name: str | None) -> tuple[Any, Any, Any]:  # on a worker
            from desktop.core.instrument import position_figures
            from desktop.data.instrument_data import load_instrument
            from desktop.data.quality_data import holding_quality
            from desktop.data.store import Store

            performance = self.performance
            snapshot = performance.snapshot if performance is not None else None
            with Store(path, check=False) as store:
                chart = load_instrument(store, symbol, period=range_name, benchmarks=benchmarks)
                quality = holding_quality(store, [symbol])[symbol]
                if snapshot is None:  # opened before the window's first snapshot came in
                    from desktop.data.report import load_snapshot

                    snapshot = load_snapshot(store, trades=store.trades([symbol]))
            figures = position_figures(snapshot.for_period(chart.period), symbol)
            return chart, figures, quality

        return load

    # -- background work ------------------------------------------------------------------
    def start_background(self, *, refresh: bool) -> None:
        """After the first paint: load the chart, then (optionally) refresh prices; on
        workers meanwhile, SQLite's check of the file (a damaged file is then shown read-only,
        and said) and, once it passed, the day's backup."""
        refresh = refresh and not self.read_only  # the other window fetches
        if self.store.path != ":memory:":
            self.tasks.run_task(
                lambda _progress: self.store.check_integrity(),
                self._checked,
                lambda message: self.statusBar().showMessage(
                    f"Could not check the portfolio file: {message}", 15000
                ),
            )
        self.tasks.run_task(
            lambda _progress: _load_chart_modules(),
            lambda _: self._install_chart(refresh),
            self._background_failed,
        )

    def _checked(self, damage: str | None) -> None:
        """SQLite's check of the file came back: a damaged file is shown read-only from now
        on (the store refuses writes to it anyway) and the user is told how to go on; a whole
        one gets the day's backup."""
        if damage:
            self.set_damaged(damage)
        elif self.daily_backup and not self.read_only:
            self._back_up_today()

    def set_damaged(self, damage: str) -> None:
        self.damaged = True
        self.read_only = damage
        if self._editor is not None:
            self._editor.read_only = damage
        self.setWindowTitle(self._title())
        self._update_actions()
        self.statusBar().showMessage("Read-only: the portfolio file is damaged.", 0)
        self.show_refusal(
            f"{damage}.\n\nThe portfolio is shown as far as it can be read; nothing can be "
            "changed until a backup replaces it."
        )

    def _back_up_today(self) -> None:
        """The first start of a day copies the database into its backups (on a worker, over
        a connection of its own); a failure is said in the status bar, nothing else changes."""
        from desktop.data.store import backups

        path, keep = self.store.path, self.store.backups_kept()

        def back_up(_progress: Any) -> Any:
            return (
                backups.create_from_file(path, "daily", keep=keep)
                if backups.due_today(path)
                else None
            )

        def failed(message: str) -> None:
            self.statusBar().showMessage(f"Could not make today's backup: {message}", 15000)

        self.tasks.run_task(back_up, lambda _made: None, failed)

    # -- backups ----------------------------------------------------------------------------
    def back_up_now(self) -> str | None:
        """A backup of the file now; the refusal, if it cannot be made (also in the status
        bar)."""
        try:
            made = self.store.backup("manual")
        except StoreError as exc:
            self.statusBar().showMessage(f"Could not back up: {exc}", 15000)
            return f"Could not back up: {exc}"
        self.statusBar().showMessage(f"Backed up to {made.path}", 8000)
        return None

    def restore_dialog(self) -> Any:
        from pathlib import Path

        from desktop.ui.restore_dialog import RestoreDialog

        folder = str(Path(self.store.path).resolve().parent / "backups")
        return RestoreDialog(
            folder, self.store.backups, self.restore_backup, self.back_up_now, parent=self
        )

    def restore_backup(self, name: str) -> str | None:
        """Replace the portfolio with the backup ``name`` and show it: every view is read
        again and the undo history is cleared (its edits were of the file replaced). The
        refusal, if the backup is missing or damaged (nothing changed then)."""
        try:
            before = self.store.restore_backup(name)
        except StoreError as exc:
            return f"Could not restore: {exc}. Your portfolio was not changed."
        self.undo_stack.clear()
        if self.damaged:  # the backup, checked whole, replaced the damaged content
            self.damaged, self.read_only = False, ""
            if self._editor is not None:
                self._editor.read_only = ""
            self.setWindowTitle(self._title())
            for key in self.WRITES:  # as a window that writes starts (undo: cleared above)
                self.actions[key].setEnabled(key not in (Act.UNDO, Act.REDO))
            self._update_actions()
            self.statusBar().clearMessage()
        self._ledger = self._ledger_at = None
        self.benchmarks = parse_benchmarks(self.store.setting("benchmarks"))
        self._show_start()
        if self._trades_filled:
            self.trades_model.set_trades(self.store.trades())
        self.reload(prices_changed=True)
        self.statusBar().showMessage(
            f"Restored the backup {name}; the portfolio as it was is in {before.path.name}", 15000
        )
        return None

    def _install_chart(self, refresh: bool) -> None:
        from PySide6.QtCore import Qt

        from desktop.ui.benchmark_menu import BenchmarkMenu
        from desktop.ui.chart import ReturnsChart
        from desktop.ui.comparison_panels import ComparisonPanels
        from desktop.ui.frame_plot import VALUE_TIP, VALUE_TITLE, FramePlot
        from desktop.ui.heatmap_table import HeatmapTable
        from desktop.ui.rolling_tab import RollingTab
        from desktop.ui.why_panel import WhyPanel

        self.chart = ReturnsChart()
        self.chart.rangeChanged.connect(self.set_chart_range)
        self.chart.customRequested.connect(self.ask_custom_range)
        self.benchmark_menu = BenchmarkMenu(
            self.benchmarks, self._benchmarks_chosen, self.store.symbols_with_prices
        )
        self.chart.add_control(self.benchmark_menu)
        self.why = WhyPanel()
        self.panels = ComparisonPanels()
        self.panels.link_to(self.chart._plot.getPlotItem())  # one date axis for the three
        self.chart.crosshairMoved.connect(self.panels.show_crosshair)
        self.rolling_tab = RollingTab()
        self.rolling, self.rolling_excess = self.rolling_tab.returns, self.rolling_tab.excess
        self.value_plot = FramePlot(VALUE_TITLE, VALUE_TIP, percent=False)
        for plot in (self.rolling, self.rolling_excess, self.value_plot):
            plot.link_to(self.chart._plot.getPlotItem())  # the chart's dates, as the panels
        for panel in (self.panels, self.rolling, self.rolling_excess, self.value_plot):
            self.chart.hiddenChanged.connect(panel.set_hidden)  # a series off is off everywhere
        self.heatmap = HeatmapTable()
        self.more = QTabWidget()
        self.more.addTab(self.panels, "Relative && drawdown")
        self.more.addTab(self.rolling_tab, "Rolling")
        self.more.addTab(self.value_plot, "Value")
        self.more.addTab(self.heatmap, "Monthly")
        self.more.currentChanged.connect(self._draw_more)
        self.chart_stack = QSplitter(Qt.Vertical)
        self.chart_stack.addWidget(self.chart)
        self.chart_stack.addWidget(self.more)
        self.chart_stack.setChildrenCollapsible(False)
        self.chart_stack.setStretchFactor(0, 3)
        self.chart_stack.setStretchFactor(1, 2)
        self.chart_stack.setSizes([600, 400])  # the returns chart first: three fifths
        self.chart_panes = QSplitter(Qt.Horizontal)
        self.chart_panes.addWidget(self.chart_stack)
        self.chart_panes.addWidget(self.why)
        self.chart_panes.setChildrenCollapsible(False)
        self.chart_panes.setStretchFactor(0, 3)
        self.chart_panes.setStretchFactor(1, 1)
        if self._settings is not None:
            from desktop.ui import window_state

            window_state.restore_chart(self, self._settings)
        self.chart_layout.replaceWidget(self.chart_placeholder, self.chart_panes)
        self.chart_layout.setStretchFactor(self.chart_panes, 1)  # the strip keeps its height
        self.chart_placeholder.deleteLater()
        self.recompute()
        if refresh:
            self.refresh_prices()

    def compare_with(self, symbol: str) -> None:
        """Add ``symbol`` to what the performance screen compares with (the watchlist's
        Compare), as the benchmark menu would; said when it already is."""
        if symbol in self.benchmarks:
            self.statusBar().showMessage(f"The chart already compares with {symbol}.", 8000)
            return
        chosen = (*self.benchmarks, symbol)
        if self.benchmark_menu is not None:
            self.benchmark_menu.set_chosen(chosen)  # it says so to _benchmarks_chosen
        else:
            self._benchmarks_chosen(chosen)
        self.statusBar().showMessage(f"Comparing with {symbol} too.", 8000)

    def _benchmarks_chosen(self, chosen: tuple[str, ...]) -> None:
        """Compare with ``chosen``: kept in the settings (a refresh fetches them too), and the
        snapshot computed again with their closes."""
        self.benchmarks = chosen
        try:
            self.store.set_setting("benchmarks", ",".join(chosen) or NO_BENCHMARKS)
        except StoreError as exc:
            self.statusBar().showMessage(f"Could not keep the benchmarks: {exc}", 8000)
        self.recompute()

    def recompute(self, *, read_prices: bool = True, symbols: Iterable[str] | None = None) -> None:
        """Recompute the snapshot on a worker; without ``read_prices``, from the market data
        the current one holds (the ledger changed, the prices did not); with ``symbols``, from
        it with their prices read again."""
        from desktop.ui.performance import load_performance

        path = self.store.path
        previous = None  # the snapshot shown, when its market data is reused
        updated = list(symbols) if symbols is not None and read_prices else None
        if (
            (not read_prices or updated is not None)
            and self._prices_read == self._prices_asked  # no read of new prices on its way
            and self.performance is not None
            and self.performance.snapshot is not None
        ):
            previous = self.performance.snapshot
        self._chart_request += 1
        request = self._chart_request
        reads_prices = previous is None or updated is not None
        if reads_prices:
            self._prices_asked = request
        given = self._ledger is not None and not read_prices
        trades = list(self._ledger.values()) if given else None
        if read_prices:  # the store may hold entries the window has not seen: read them
            self._ledger = self._ledger_at = None

        def answered() -> None:
            self._collector.release()
            if reads_prices:
                self._prices_read = max(self._prices_read, request)

        def shown(performance: Any) -> None:
            answered()
            if request == self._chart_request:  # an older answer than one asked since: dropped
                self._show_performance(performance)

        def failed(message: str) -> None:
            answered()
            self._background_failed(message)

        shown_range = (self.chart_range,)
        shown_trades = (
            list(self.trades_model.rows) if self._trades_filled and trades is None else None
        )
        self._collector.hold()
        benchmarks = tuple(self.benchmarks)
        # The factor frames read before, kept while what they hold did not change.
        factors = self.performance.factor_frames if self.performance else None
        today = dt.date.today()  # the ranges count back from it; YTD is its calendar year
        self.tasks.run_task(
            lambda _p: load_performance(
                path,
                benchmarks,
                trades=trades,
                ranges=shown_range,
                previous=previous,
                updated=updated,
                shown=shown_trades,
                factors=factors,
                today=today,
            ),
            shown,
            failed,
        )

    def _show_performance(self, performance: Any) -> None:
        self.performance = performance
        snapshot = performance.snapshot
        if snapshot is not None:
            if performance.ledger_changes is not None:  # read from the store at that count
                self._ledger = {t.id: t for t in snapshot.trades}
                self._ledger_at = performance.ledger_changes
                if self._trades_filled and performance.ledger_differs:  # someone else wrote
                    self.trades_model.set_trades(snapshot.trades)
            holdings, totals = snapshot.latest  # the holdings now
            self._show_holdings(holdings, totals, snapshot.latest_cash)
        # The chart and the strip now; the panel and the why on the next turn of the event
        # loop, so that neither paint holds the window long (100,000 entries: 67 ms at once).
        self.set_chart_range(self.chart_range)  # a range asked for since: on a worker first
        # Then the other ranges, in the background, once what is shown is drawn and the window
        # is idle: a worker computing them while the details drew held the interpreter from
        # the main thread for up to 166 ms at 300 holdings.
        self._later(lambda: self._prepare_ranges(performance), self.prefetch_delay_ms)

    def _draw_details(self, drawn: tuple[Any, str]) -> None:
        """The tab under the chart and the why, for ``drawn`` (the performance and range they
        were asked for; nothing when another has been drawn since)."""
        from desktop.ui.performance import range_caption

        if drawn != (self.performance, self.chart_range):
            return
        self.details_for = drawn
        self._link_panels(True)
        snapshot = self.performance.for_range(self.chart_range)
        self._more_drawn = set()
        self._draw_more(self.more.currentIndex())
        caption = range_caption(self.chart_range)
        self.why.set_contributions(caption, snapshot.contributions if snapshot else None)
        self.why.set_factors(*self.performance.factor_lens(self.chart_range))

    def _link_panels(self, linked: bool) -> None:
        """The panels under the chart follow its dates (``linked``), or stay as they are while
        a range change repaints the chart: 12 series in the chart and 23 in the panels, all
        clipped and drawn again in the same frame, took 190 ms at 30 years."""
        plot = self.chart._plot.getPlotItem() if linked else None
        for panel in (self.panels, self.rolling, self.rolling_excess, self.value_plot):
            panel.link_to(plot)

    def _draw_more(self, index: int) -> None:
        """Draw the tab under the chart at ``index`` for the range shown, once: the others
        wait until shown (drawing all four at every edit held the window for 80 ms at 300
        holdings)."""
        import pandas as pd

        drawn = getattr(self, "_more_drawn", {-1})
        shown = self.details_for  # the range the details are of (a newer one may be computing)
        if shown is None or shown[0] is not self.performance or index in drawn or -1 in drawn:
            return  # drawn already, or the details are still to come
        range_name = shown[1]
        self._more_drawn.add(index)
        widget = self.more.widget(index)
        if widget is self.panels:
            frames = self.performance.comparison_frames(range_name)
            self.panels.set_frames(*(frames or (pd.DataFrame(), pd.DataFrame())))
            return
        more = self.performance.more_frames(range_name)
        if more is None:
            empty = pd.DataFrame(index=pd.DatetimeIndex([]))
            more = {"rolling": {1: (empty, empty), 3: (empty, empty)}, "value": empty}
            more["heatmap"] = pd.DataFrame(columns=["year", "month", "series", "return"])
        if widget is self.heatmap:
            self.heatmap.set_frame(more["heatmap"])
        elif widget is self.value_plot:
            value = more["value"]
            empty = value.empty or not value.notna().any().any()
            self.value_plot.set_frame(
                value,
                "No values in this range: the portfolio has no valued days in it. Add a trade "
                "(Ctrl+N) and refresh its prices (F5), or choose a longer range."
                if empty
                else "",
            )
        else:
            self.rolling_tab.set_frames(more["rolling"])

    def ask_custom_range(self) -> None:
        """A custom range, from a day to a day, asked in a dialog (the range shown's days at
        first)."""
        from desktop.ui.performance import custom_name
        from desktop.ui.range_dialog import RangeDialog

        shown = self.performance.for_range(self.chart_range) if self.performance else None
        end = shown.period.end if shown is not None else dt.date.today()
        if shown is not None and shown.period.start is not None:
            start = shown.period.start  # the range's own first day (its base is the day before)
        elif shown is not None and shown.window is not None:  # Max: the day after the base
            start = shown.window.base.date() + dt.timedelta(days=1)
        else:
            start = end
        dialog = self._range_dialog = RangeDialog(start, end, self)
        if dialog.exec() != RangeDialog.DialogCode.Accepted:
            return
        name = custom_name(*dialog.days())
        self.chart.set_range(name)
        self.set_chart_range(name)

    def set_chart_range(self, name: str) -> None:
        """Show the range ``name``: drawn at once when its figures are computed (the ranges
        are computed in the background after each snapshot), else computed on a worker first
        (at 100,000 entries a range's comparisons took 30-60 ms: never on the main thread)."""
        self.chart_range = name
        perf = self.performance
        if perf is None or perf.prepared(name):
            self._draw_chart(details_later=True)
            return

        def draw() -> None:
            if self.performance is perf and self.chart_range == name:
                self._draw_chart(details_later=True)

        self._prepare(perf, name, draw)

    def _prepare(self, perf: Any, name: str, then: Callable[[], None]) -> None:
        """``perf.prepare(name)`` on a worker, then ``then()`` on the main thread. A range
        already being computed is not computed again: ``then`` waits for that computation."""
        key = (id(perf), name)
        if key in self._preparing:
            self._preparing[key].append(then)
            return
        if self._closing:
            return
        self._preparing[key] = [then]

        def prepared(_: Any) -> None:
            self._collector.release()
            for callback in self._preparing.pop(key, []):
                callback()

        def failed(message: str) -> None:
            self._collector.release()
            self._preparing.pop(key, None)
            self._background_failed(message)

        self._collector.hold()
        self.tasks.run_task(lambda _p: perf.prepare(name), prepared, failed)

    def _prepare_ranges(self, perf: Any) -> None:
        """Compute the ranges not yet computed for ``perf``, one at a time on a worker, while
        it is the one shown, so a range button draws without waiting."""
        from desktop.ui.chart import RANGES

        if perf is not self.performance or self._closing:
            return
        todo = [name for name in RANGES if not perf.prepared(name)]
        if todo:

            def next_one() -> None:
                self._later(lambda: self._prepare_ranges(perf), self.prefetch_pause_ms)

            self._prepare(perf, todo[0], next_one)

    def _later(self, callback: Callable[[], None], msecs: int = 0) -> None:
        """``callback`` on a later turn of the event loop (after ``msecs``), unless the window
        is gone by then."""
        QTimer.singleShot(msecs, self, callback)

    def _draw_chart(self, *, details_later: bool = False) -> None:
        from desktop.ui.performance import PORTFOLIO

        if self.chart is None or self.performance is None:
            return
        lines = self.performance.lines(self.chart_range)
        if details_later:  # the chart alone first: the panels follow its dates with the details
            self._link_panels(False)
        self.chart.set_series(lines)
        self._show_period_return()
        self._show_prices_note()
        self._more_drawn: set[int] = {-1}  # the tabs under the chart drawn for this range
        if details_later:  # once the chart has painted (a zero timer ran before the paint)
            drawn = self.performance, self.chart_range
            self.chart.after_paint(lambda: self._draw_details(drawn))
        else:
            self._draw_details((self.performance, self.chart_range))
        # Simulated prices are said once, by the window's banner over everything.
        as_of = self.performance.as_of
        if not lines and as_of is not None:  # prices are cached, none in the range
            self.chart.set_message(
                f"No prices in this range: they end {as_of:%a} {as_of.day} {as_of:%b %Y}. "
                "Press F5 to refresh them, or choose a longer range."
            )
        elif not lines:
            self.chart.set_message("No prices cached yet: press F5 to fetch them.")
        elif not self.performance.has_trades:
            self.chart.set_message("Add a trade (Ctrl+N) to compare your portfolio.")
        elif (
            PORTFOLIO not in lines
            and as_of is not None
            and not (self._shown is not None and self._shown[1].unpriced)
        ):  # every holding priced, but their prices end before the range
            self.chart.set_message(
                f"Your holdings' prices end {as_of:%a} {as_of.day} {as_of:%b %Y}, before this "
                "range: the benchmarks are shown alone. Press F5 to refresh them, or choose a "
                "longer range."
            )
        elif PORTFOLIO not in lines:  # entries, but no close of what they hold yet
            unpriced = self._shown[1].unpriced if self._shown is not None else []
            whose = f" for {', '.join(unpriced)}" if unpriced else ""
            self.chart.set_message(
                f"No prices yet{whose}: press F5 to fetch them, or import them "
                "(Prices > Import prices…). The benchmarks are shown meanwhile."
            )
        else:
            self.chart.set_message("")

    def _show_prices_note(self) -> None:
        """ "Prices end DATE" with a refresh link, when the newest valued day is days before
        the range's last (today's): the lines stop there, the range does not."""
        from desktop.core.model import BENCHMARK_NAMES

        perf = self.performance
        as_of = perf.as_of if perf else None
        today = perf.today if perf else dt.date.today()
        parts = []
        if as_of is not None and (today - as_of).days > PRICES_STALE_DAYS:
            parts.append(
                f"Prices end {as_of:%a} {as_of.day} {as_of:%b %Y} ({(today - as_of).days} days "
                "ago): the figures stop there."
            )
        snapshot = perf.for_range(self.chart_range) if perf else None
        for symbol in snapshot.benchmarks if snapshot is not None else ():
            ends = snapshot.benchmark_ends(symbol, PRICES_STALE_DAYS)
            if ends is not None:
                name = BENCHMARK_NAMES.get(symbol, symbol)
                parts.append(
                    f"The {name}'s ({symbol}) prices end {ends:%a} {ends.day} {ends:%b %Y}, "
                    "before the portfolio's: its line is flat after that."
                )
        if not parts:
            self.prices_note.hide()
            return
        self.prices_note.setText(
            " ".join(parts) + " <a href='refresh'>Refresh prices</a> (F5) to bring them up to date."
        )
        self.prices_note.show()

    def _show_period_return(self) -> None:
        """The strip's figures: the snapshot's for the chart's range (its TTWROR is the chart's
        last point)."""
        from desktop.ui.figure_strip import figures
        from desktop.ui.performance import range_caption

        value = self.performance.ttwror(self.chart_range) if self.performance else None
        self.shown_ttwror = value
        snapshot = self.performance.for_range(self.chart_range) if self.performance else None
        self.finish_build()
        assert self.figure_strip is not None
        self.figure_strip.set_figures(figures(snapshot, range_caption(self.chart_range)))
        self.figure_strip.show()

    @property
    def price_import(self) -> PriceImport:
        """The price-file import, made when first used (its CSV modules stay off the start)."""
        if self._price_import is None:
            from desktop.ui.import_prices import PriceImport

            self._price_import = PriceImport(self)
        return self._price_import

    @property
    def refreshing(self) -> bool:
        return self.refresher is not None and self.refresher.running

    def refresh_prices(self) -> None:
        self.finish_build()
        assert self.refresher is not None
        self.refresher.start()

    def _background_failed(self, message: str) -> None:
        damaged = self.damaged or "malformed" in message  # the check says so, in a dialog
        if damaged:
            message = (
                "part of the portfolio file cannot be read (it is damaged). Restore a backup: "
                "File > Restore from backup…"
            )
        self.statusBar().showMessage(
            f"Could not compute the chart: {message}", 0 if damaged else 15000
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        """A palette change (light to dark): the summary line takes the new tones."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._shown is not None:
            self._show_holdings(*self._shown)  # the summary's hints too

    # -- window state ---------------------------------------------------------------------
    def restore_state(self, settings: QSettings) -> None:
        """What the user arranged last time (``window_state``); the chart's parts once it is
        in."""
        from desktop.ui import window_state

        self._settings = settings
        window_state.restore(self, settings)

    def save_state(self, settings: QSettings | None = None) -> None:
        from desktop.ui import window_state

        window_state.save(self, settings or self._settings or QSettings())

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.save_state()
        if self.refresher is not None:  # a refresh stops after its symbol: quitting is quick
            self.refresher.cancel()
        self._closing = True  # no more ranges computed in the background
        self.tasks.wait(10_000)
        self._collector.release_all()
        super().closeEvent(event)


def _fitting(wanted: QSize, available: QSize) -> QSize:
    """``wanted``, shrunk to nine tenths of the screen where that is smaller (a laptop at 200%
    has fewer logical pixels than the window's default), never below ``MINIMUM_SIZE``."""
    width = max(MINIMUM_SIZE.width(), min(wanted.width(), available.width() * 9 // 10))
    height = max(MINIMUM_SIZE.height(), min(wanted.height(), available.height() * 9 // 10))
    return QSize(width, height)


def _load_chart_modules() -> None:
    """Worker thread: import the heavy analytics and charting stack so the main thread never
    waits on it (pyqtgraph alone froze the window for about 0.23 s). Importing pyqtgraph makes
    no Qt object, so a worker may do it; the chart itself is built on the main thread."""
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import pyqtgraph  # noqa: F401
    import sqlite_utils  # noqa: F401 - the store's writes: else the first edit waits on it

    import desktop.core.snapshot  # noqa: F401
    import desktop.ui.benchmark_menu  # noqa: F401
    import desktop.ui.chart  # noqa: F401
    import desktop.ui.comparison_panels  # noqa: F401
    import desktop.ui.frame_plot  # noqa: F401
    import desktop.ui.heatmap_table  # noqa: F401
    import desktop.ui.why_panel  # noqa: F401


def _ask_symbol(*args: Any) -> str:
    from desktop.ui.open_symbol import ask_symbol

    return ask_symbol(*args)


def _page() -> QWidget:
    """A tab's page, its one widget added later."""
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    return page


class HoldingsView(QTableView):
    """The holdings table: ``on_first_paint``, if set, is called once, after its next paint
    (the launch starts the rest of the window then)."""

    on_first_paint: Callable[[], None] | None = None

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if self.on_first_paint is not None:
            hook, self.on_first_paint = self.on_first_paint, None
            hook()


def _sort_order(descending: bool) -> Any:
    from PySide6.QtCore import Qt  # after the first paint (``qt_enums``)

    return Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder


def _table(model: Any, stretch: int | None, view: QTableView | None = None) -> QTableView:
    view = QTableView() if view is None else view
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.Interactive)  # the user may drag them wider
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.Stretch)
    model.modelReset.connect(lambda: _fit_columns(view))
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    return view


def _fit_columns(view: QTableView) -> None:
    """Each column as wide as its header and the text of its first ``COLUMN_WIDTH_ROWS`` rows
    (those on screen when the table is filled), from the font's metrics. Qt's
    ResizeToContents asks a cell for every role it has, for hundreds of cells, at every layout
    (painting 300 holdings took 60 ms of it); this reads one text per cell, once per fill."""
    if view.property("keepWidths"):  # the user's column widths, restored: kept
        return
    model, header = view.model(), view.horizontalHeader()
    metrics = view.fontMetrics()
    rows = min(model.rowCount(), COLUMN_WIDTH_ROWS)
    # The delegate's margins and a little air; QStyle's metrics would load its ~25 enums.
    padding = 12 + metrics.horizontalAdvance(" ")
    for column in range(model.columnCount()):
        if header.sectionResizeMode(column) == QHeaderView.Stretch:
            continue
        texts = (model.data(model.index(row, column)) for row in range(rows))
        widest = max((metrics.horizontalAdvance(t) for t in texts if t), default=0)
        header.resizeSection(column, max(widest + padding, header.sectionSizeHint(column)))
