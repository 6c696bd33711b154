"""The watchlist: symbols followed without holding them; the benchmarks are always listed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.validation import normalize_symbol, symbol_problem
from desktop.ui import formatting as fmt
from desktop.ui.holdings_model import gain_color, stale_color
from desktop.ui.price_notes import MARKER
from desktop.ui.table_keys import on_enter
from desktop.ui.table_model import Column, RowsModel
from desktop.ui.watch_row import WatchRow

if TYPE_CHECKING:
    from desktop.ui.symbol_search import SymbolSearcher, SymbolSearchField


def _change_column(header: str, value: Callable[[WatchRow], float | None], tip: str) -> Column:
    return Column(
        header,
        lambda r: fmt.percent(value(r), signed=True),
        numeric=True,
        raw=value,
        color=lambda r: gain_color(value(r)),
        tooltip=lambda r: (
            tip
            if value(r) is not None
            else f"{tip}: not known (too short a history, or no price in it)"
        ),
    )


class WatchlistModel(RowsModel[WatchRow]):
    def __init__(self) -> None:
        super().__init__(
            [
                Column("Symbol", lambda r: r.symbol),
                Column("Name", lambda r: r.name),
                Column("Last close", lambda r: fmt.money(r.last_close), numeric=True, raw=_last),
                Column(
                    "Close date",
                    _close_text,
                    color=lambda r: stale_color() if r.problem else None,
                    tooltip=lambda r: r.problem,
                ),
                _change_column("1D", lambda r: r.day_change, "Change from the close before"),
                _change_column("1M", lambda r: r.month_change, "Price change over the last month"),
                _change_column(
                    "YTD", lambda r: r.ytd_change, "Price change since the last close of last year"
                ),
                _change_column("1Y", lambda r: r.year_change, "Price change over the last year"),
                Column(
                    "",
                    lambda r: "Benchmark" if r.benchmark else "",
                    tooltip=lambda r: (
                        "Benchmarks are always available and cannot be removed."
                        if r.benchmark
                        else None
                    ),
                ),
            ]
        )


def _last(row: WatchRow) -> float | None:
    return row.last_close


def _close_text(row: WatchRow) -> str:
    text = row.close_date.isoformat() if row.close_date else "no price"
    return f"{MARKER} {text}" if row.problem else text


class WatchlistPanel(QWidget):
    """Emits ``watchRequested(symbol)`` and ``unwatchRequested(symbol)``; the window edits.

    With a ``searcher`` (now or later through ``set_searcher``) the add field searches Yahoo
    while typing (``symbol_search``)."""

    watchRequested = Signal(str)
    unwatchRequested = Signal(str)
    #: A row was opened (Enter, a double-click): the window shows that instrument.
    openRequested = Signal(str)  # noqa: N815 (Qt naming)
    #: "Compare": the row's symbol joins the performance screen's benchmarks.
    compareRequested = Signal(str)  # noqa: N815 (Qt naming)

    def __init__(
        self, parent: QWidget | None = None, searcher: SymbolSearcher | None = None
    ) -> None:
        super().__init__(parent)
        self.model = WatchlistModel()
        self.symbol_edit = QLineEdit()
        self.symbol_edit.setPlaceholderText("Add a symbol to watch, e.g. IWM")
        self.symbol_edit.returnPressed.connect(self._add)
        self.add_button = QPushButton("&Watch")
        self.add_button.clicked.connect(self._add)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.clicked.connect(self._remove)
        self.compare_button = QPushButton("Co&mpare")
        self.compare_button.setToolTip(
            "Compare the portfolio with the selected symbol on the performance chart"
        )
        self.compare_button.clicked.connect(self._compare)
        self.open_button = QPushButton("&Open")
        self.open_button.setToolTip("Its price, volume and quality (Enter, or a double-click)")
        self.open_button.clicked.connect(self._open)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.setAlternatingRowColors(True)
        # The selected row stays selected when the rows are read again (a refresh, a compare).
        self._kept: str | None = None
        self.model.modelAboutToBeReset.connect(self._keep_selection)
        self.model.modelReset.connect(self._restore_selection)
        # No sort until a header click (enabling sorts at once by the indicator: none).
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)  # a header click sorts by it (unknown values last)
        QShortcut(QKeySequence.Delete, self.table, self._remove, context=Qt.WidgetShortcut)
        self.table.doubleClicked.connect(lambda index: self._open())
        on_enter(self.table, self._open)
        bar = QHBoxLayout()
        bar.addWidget(self.symbol_edit, 1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.remove_button)
        bar.addWidget(self.open_button)
        bar.addWidget(self.compare_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.search_hint = QLabel()
        self.search_hint.hide()
        layout.addLayout(bar)
        layout.addWidget(self.search_hint)
        layout.addWidget(self.table)
        self.on_problem: Callable[[str], None] = lambda message: None
        self.symbol_search: SymbolSearchField | None = None
        if searcher is not None:
            self.set_searcher(searcher)

    def set_searcher(self, searcher: SymbolSearcher) -> None:
        """Search while typing in the add field (once; later calls change nothing)."""
        if self.symbol_search is not None:
            return
        from desktop.ui.symbol_search import SymbolSearchField

        self.symbol_search = SymbolSearchField(self.symbol_edit, searcher, hint=self.search_hint)

    def _add(self) -> None:
        symbol = normalize_symbol(self.symbol_edit.text())
        problem = symbol_problem(symbol)
        if problem:
            self.on_problem(str(problem))
            return
        self.symbol_edit.clear()
        self.watchRequested.emit(symbol)

    def selected(self) -> WatchRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _keep_selection(self) -> None:
        row = self.selected()
        self._kept = row.symbol if row is not None else None

    def _restore_selection(self) -> None:
        symbols = [r.symbol for r in self.model.rows]
        if self._kept in symbols:
            self.table.selectRow(symbols.index(self._kept))

    def _compare(self) -> None:
        row = self.selected()
        if row is None:
            self.on_problem("Select a row to compare the portfolio with.")
            return
        self.compareRequested.emit(row.symbol)

    def _open(self) -> None:
        row = self.selected()
        if row is not None:
            self.openRequested.emit(row.symbol)

    def _remove(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.benchmark:
            self.on_problem(f"{row.symbol} is a benchmark and is always listed.")
            return
        self.unwatchRequested.emit(row.symbol)
