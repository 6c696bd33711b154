"""Search while typing in a symbol field: Yahoo's hits for what the user typed, in a popup.

- ``SymbolSearcher``: one per window. It holds the task runner, the ``SymbolSearch`` source
  (asked on a worker thread), the ``SearchCache`` and
  ``on_instrument``, called on the main thread with the instrument the user picked (the app
  saves it with ``store.save_instrument``, see ``saver``). After an offline or rate-limited
  answer it stays quiet for ``quiet_seconds`` instead of asking again at every pause.
- ``SymbolSearchField``: attaches to a ``QLineEdit``. Symbols the app already knows that start
  with the text are listed at once; when the user pauses typing (``DEBOUNCE_MS``) and the text
  has at least ``MIN_CHARS`` characters, the searcher is asked (a cached answer comes back at
  once, without a worker) and its hits follow as ``AAPL — Apple Inc. (Equity, NASDAQ)``.
  Choosing a hit puts its symbol in the field and hands the instrument (verified) to
  ``on_instrument``; a symbol typed by hand is still accepted as before, and stays unverified.
  No answer (offline, no hits) shows no popup and no dialog, only a quiet hint below the field.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit
from shiboken6 import isValid

from desktop.core.model import Instrument, InstrumentKind
from desktop.data.sources.protocol import Fetched, FetchErrorKind, SymbolSearch
from desktop.data.sources.search_cache import SearchCache, normalize_query

if TYPE_CHECKING:
    from desktop.data.store import Store
    from desktop.ui.tasks import TaskRunner

DEBOUNCE_MS = 350
MIN_CHARS = 2
MAX_RESULTS = 8
QUIET_SECONDS = 60.0
#: Item data: the symbol a row puts in the field, and the instrument of a search hit.
SYMBOL_ROLE = Qt.UserRole + 1
INSTRUMENT_ROLE = Qt.UserRole + 2

Answer = Fetched[list[Instrument]]
_KIND_WORDS = {
    InstrumentKind.EQUITY: "Equity",
    InstrumentKind.ETF: "ETF",
    InstrumentKind.MUTUAL_FUND: "Mutual fund",
    InstrumentKind.INDEX: "Index",
}
_HINTS = {
    FetchErrorKind.OFFLINE: "Offline: symbol search unavailable; type the symbol",
    FetchErrorKind.RATE_LIMITED: "Yahoo is busy: symbol search paused; type the symbol",
}


def hit_text(instrument: Instrument) -> str:
    """``AAPL — Apple Inc. (Equity, NASDAQ)``; parts that are unknown are left out."""
    details = [part for part in (_KIND_WORDS.get(instrument.kind, ""), instrument.exchange) if part]
    text = instrument.symbol
    if instrument.name:
        text += f" — {instrument.name}"
    if details:
        text += f" ({', '.join(details)})"
    return text


class SymbolSearcher:
    """Answers queries from the cache, else from ``search.search`` on a worker."""

    def __init__(
        self,
        runner: TaskRunner,
        search: SymbolSearch,
        cache: SearchCache | None = None,
        on_instrument: Callable[[Instrument], None] = lambda instrument: None,
        *,
        max_results: int = MAX_RESULTS,
        quiet_seconds: float = QUIET_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.runner = runner
        self.search = search
        self.cache = cache if cache is not None else SearchCache()
        self.on_instrument = on_instrument
        self.max_results = max_results
        self.quiet_seconds = quiet_seconds
        self._clock = clock
        self._quiet: tuple[float, FetchErrorKind, str] | None = None

    @classmethod
    def for_app(
        cls,
        store: Store,
        runner: TaskRunner,
        search: SymbolSearch | None,
    ) -> SymbolSearcher | None:
        """The window's searcher: hits saved in ``store``; ``None`` without a source that can
        search (no sources, or prices from a CSV folder)."""
        if search is None:
            return None
        return cls(runner, search, on_instrument=saver(store))

    def cached(self, query: str) -> list[Instrument] | None:
        return self.cache.get(query)

    def lookup(self, query: str, on_answer: Callable[[str, Answer], None]) -> None:
        """``on_answer(query, answer)`` on the main thread: at once from the cache or while
        quiet after an offline answer, else when the worker is done."""
        hits = self.cache.get(query)
        if hits is not None:
            on_answer(query, Fetched(query, hits))
            return
        if self._quiet is not None:
            until, kind, message = self._quiet
            if self._clock() < until:
                on_answer(query, Fetched.failed(query, kind, message))
                return
            self._quiet = None
        search, limit = self.search, self.max_results

        def work(_progress: Any) -> Answer:
            return search.search(query, max_results=limit)

        def done(answer: Answer) -> None:
            if answer.error is None:
                self.cache.put(query, answer.value or [])
            elif answer.error in _HINTS:
                self._quiet = (self._clock() + self.quiet_seconds, answer.error, answer.message)
            on_answer(query, answer)

        def failed(message: str) -> None:
            on_answer(query, Fetched.failed(query, FetchErrorKind.ERROR, message))

        self.runner.run_task(work, done, failed)


def saver(store: Store) -> Callable[[Instrument], None]:
    """``on_instrument`` for the app: store what the hit says, keeping what the store knew
    where the hit is blank (a search hit has no currency or time zone)."""

    def save(hit: Instrument) -> None:
        old = store.instrument(hit.symbol)
        base = old or Instrument(hit.symbol)  # the table's default currency until a fetch
        store.save_instrument(
            replace(
                hit,
                name=hit.name or base.name,
                kind=hit.kind if hit.kind is not InstrumentKind.UNKNOWN else base.kind,
                currency=hit.currency or base.currency,
                exchange=hit.exchange or base.exchange,
                timezone=hit.timezone or base.timezone,
                verified=True,
            )
        )

    return save


class SymbolSearchField(QObject):
    """Search-as-you-type for ``edit`` (see the module docstring). ``known`` are the symbols
    listed at once; ``hint`` is the label for quiet messages (one is made if not given)."""

    def __init__(
        self,
        edit: QLineEdit,
        searcher: SymbolSearcher,
        known: Iterable[str] = (),
        hint: QLabel | None = None,
        *,
        delay_ms: int = DEBOUNCE_MS,
        min_chars: int = MIN_CHARS,
    ) -> None:
        super().__init__(edit)
        self.edit = edit
        self.searcher = searcher
        self.known = sorted(set(known))
        self.min_chars = min_chars
        self.hint = hint if hint is not None else QLabel()
        self.hint.setStyleSheet("color: #777;")
        self.hint.hide()
        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        # Not edit.setCompleter: the line edit would filter the hits by the typed text (a name
        # such as "apple" does not start any symbol). The popup shows every row as given.
        self.completer.setWidget(edit)
        self.completer.setCompletionMode(QCompleter.UnfilteredPopupCompletion)
        self.completer.setCompletionRole(SYMBOL_ROLE)
        self.completer.setMaxVisibleItems(10)
        self.completer.activated[QModelIndex].connect(self._chosen)
        edit.setCompleter(None)  # this popup lists the known symbols too
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self._search)
        edit.textEdited.connect(self._edited)
        self._hits: list[Instrument] = []
        self._asked = ""  # the normalised query whose answer is awaited or shown

    @property
    def popup_visible(self) -> bool:
        return self.completer.popup().isVisible()

    def rows(self) -> list[str]:
        """The popup's lines, as shown."""
        return [self.model.item(i).text() for i in range(self.model.rowCount())]

    def choose(self, row: int) -> None:
        """Pick a line of the popup, as a click or Enter on it does."""
        self._chosen(self.model.index(row, 0))

    def _edited(self, text: str) -> None:
        query = normalize_query(text)
        self._hits = []
        self._asked = ""
        self.hint.hide()
        if len(query) >= self.min_chars:
            cached = self.searcher.cached(query)
            if cached is not None:
                self._asked = query
                self._hits = cached
            else:
                self.timer.start()
        else:
            self.timer.stop()
        self._show()

    def _search(self) -> None:
        query = normalize_query(self.edit.text())
        if len(query) < self.min_chars:
            return
        self._asked = query
        self.searcher.lookup(query, self._answered)

    def _answered(self, query: str, answer: Answer) -> None:
        if not isValid(self.edit):
            return  # the dialog was closed while the search ran
        if query != self._asked or normalize_query(self.edit.text()) != query:
            return  # the user typed on: an answer to an old question
        self._hits = answer.value or []
        hint = _HINTS.get(answer.error) if answer.error is not None else None
        if hint:
            self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self._show()

    def _show(self) -> None:
        typed = self.edit.text().strip().upper()
        self.model.clear()
        hit_symbols = {i.symbol for i in self._hits}
        if len(typed) >= 1:
            for symbol in self.known:
                if symbol.startswith(typed) and symbol not in hit_symbols:
                    item = QStandardItem(symbol)
                    item.setData(symbol, SYMBOL_ROLE)
                    item.setEditable(False)
                    self.model.appendRow(item)
        for instrument in self._hits:
            item = QStandardItem(hit_text(instrument))
            item.setData(instrument.symbol, SYMBOL_ROLE)
            item.setData(instrument, INSTRUMENT_ROLE)
            item.setToolTip(hit_text(instrument))
            item.setEditable(False)
            self.model.appendRow(item)
        rows = self.model.rowCount()
        only_itself = rows == 1 and not self._hits and self.model.item(0).text() == typed
        if rows == 0 or only_itself or not self.edit.hasFocus():
            self.completer.popup().hide()
            return
        self.completer.setCompletionPrefix("")
        self.completer.complete()

    def _chosen(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        symbol = index.data(SYMBOL_ROLE)
        instrument = index.data(INSTRUMENT_ROLE)
        self.timer.stop()
        self.completer.popup().hide()
        self.edit.setText(symbol)
        self._hits = []
        if isinstance(instrument, Instrument):
            self.searcher.on_instrument(replace(instrument, verified=True))
