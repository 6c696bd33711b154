"""Search while typing in the trade dialog and the watchlist, with a fake search (no yfinance).

Tasks run inline (see ``Runner``), so once the typing pause has elapsed every answer is already
shown, and "nothing was asked" is checked by the pause timer being idle, not by waiting. The
real cross-thread delivery of a task's result is tested once, in test_tasks.py.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from shiboken6 import isValid

from desktop.core.model import Instrument, InstrumentKind
from desktop.data.sources.protocol import Fetched, FetchErrorKind, MarketSources
from desktop.data.sources.search_cache import SearchCache
from desktop.ui.symbol_search import SymbolSearcher, hit_text, saver
from desktop.ui.tasks import TaskRunner
from desktop.ui.trade_dialog import TradeDialog
from desktop.ui.watchlist_panel import WatchlistPanel

AAPL = Instrument("AAPL", "Apple Inc.", InstrumentKind.EQUITY, "", "NASDAQ", verified=True)
APLE = Instrument(
    "APLE", "Apple Hospitality REIT, Inc.", InstrumentKind.EQUITY, "", "NYSE", verified=True
)


class FakeSource:
    """Stands in for YahooSource.search; records the queries."""

    def __init__(self, hits=(AAPL, APLE), error=None) -> None:
        self.hits, self.error = list(hits), error
        self.queries: list[str] = []

    def search(self, query, max_results=8):
        self.queries.append(query)
        if self.error is not None:
            return Fetched.failed(query, self.error, "cannot reach Yahoo")
        return Fetched(query, self.hits[:max_results])


class PricesNone:
    """A price source that is never asked (these tests only search)."""

    name = "none"

    def fetch(self, requests, cancelled=lambda: False):
        raise AssertionError("the search tests fetch no prices")


class Runner(TaskRunner):
    """Runs each task inline and counts them (in the app a task is a worker thread, so a search
    that reaches the source must have gone through here). After ``hold()`` tasks wait until
    ``release()``, as a slow worker would."""

    def __init__(self) -> None:
        super().__init__(synchronous=True)
        self.tasks = 0
        self.held: list | None = None

    def run_task(self, *args, **kwargs) -> None:
        self.tasks += 1
        if self.held is not None:
            self.held.append((args, kwargs))
        else:
            super().run_task(*args, **kwargs)

    def hold(self) -> None:
        self.held = []

    def release(self) -> None:
        held, self.held = self.held or [], None
        for args, kwargs in held:
            super().run_task(*args, **kwargs)


@pytest.fixture
def runner():
    return Runner()


@pytest.fixture
def picked():
    return []


def make_searcher(runner, fake, picked, tmp_path):
    cache = SearchCache(tmp_path / "search.json")
    return SymbolSearcher(runner, fake, cache, on_instrument=picked.append)


def open_dialog(qtbot, searcher, symbols=("COHU",)):
    dialog = TradeDialog(lambda trade: [], symbols, searcher=searcher)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.symbol_edit.setFocus()
    qtbot.waitUntil(dialog.symbol_edit.hasFocus)
    return dialog


def type_and_wait_for_popup(qtbot, field, edit, text):
    qtbot.keyClicks(edit, text)
    qtbot.waitUntil(lambda: field.popup_visible and field.searcher.cached(text) is not None)


def test_hit_text():
    assert hit_text(AAPL) == "AAPL — Apple Inc. (Equity, NASDAQ)"
    assert hit_text(Instrument("X", kind=InstrumentKind.UNKNOWN)) == "X"


def test_typing_shows_the_hits_and_picking_one_records_it(qtbot, runner, picked, tmp_path):
    fake = FakeSource()
    dialog = open_dialog(qtbot, make_searcher(runner, fake, picked, tmp_path))
    field = dialog.symbol_search

    type_and_wait_for_popup(qtbot, field, dialog.symbol_edit, "appl")

    assert field.rows() == [
        "AAPL — Apple Inc. (Equity, NASDAQ)",
        "APLE — Apple Hospitality REIT, Inc. (Equity, NYSE)",
    ]
    assert fake.queries == ["appl"] and runner.tasks == 1  # once, after the pause, as a task
    popup = field.completer.popup()
    qtbot.keyClick(popup, Qt.Key_Down)
    qtbot.keyClick(popup, Qt.Key_Return)

    assert dialog.symbol_edit.text() == "AAPL"
    assert not field.popup_visible
    assert picked == [AAPL]
    assert picked[0].verified


def test_a_second_identical_query_is_served_from_the_cache(qtbot, runner, picked, tmp_path):
    fake = FakeSource()
    searcher = make_searcher(runner, fake, picked, tmp_path)
    first = open_dialog(qtbot, searcher)
    type_and_wait_for_popup(qtbot, first.symbol_search, first.symbol_edit, "appl")
    first.close()

    second = open_dialog(qtbot, searcher)
    qtbot.keyClicks(second.symbol_edit, "APPL")
    # answered at once from the cache, without waiting for the pause or a worker
    assert second.symbol_search.popup_visible
    assert len(second.symbol_search.rows()) == 2
    # the pause started by "AP" and "APP" elapses, and is answered from the cache too
    qtbot.waitUntil(lambda: not second.symbol_search.timer.isActive())
    assert fake.queries == ["appl"] and runner.tasks == 1


def test_the_cache_survives_the_searcher(qtbot, runner, picked, tmp_path):
    fake = FakeSource()
    type_and_wait_for_popup(
        qtbot,
        (d := open_dialog(qtbot, make_searcher(runner, fake, picked, tmp_path))).symbol_search,
        d.symbol_edit,
        "apple",
    )
    again = make_searcher(runner, FakeSource(hits=[]), picked, tmp_path)
    assert again.cached("Apple") == [AAPL, APLE]


def test_a_symbol_typed_by_hand_is_accepted_unverified(qtbot, runner, picked, tmp_path):
    saved = []
    fake = FakeSource(hits=[])
    dialog = TradeDialog(
        lambda trade: saved.append(trade) or [],
        searcher=make_searcher(runner, fake, picked, tmp_path),
    )
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.symbol_edit, "zzzz")
    qtbot.keyClicks(dialog.quantity_edit, "10")
    qtbot.keyClicks(dialog.price_edit, "5")
    qtbot.waitUntil(lambda: fake.queries == ["zzzz"])  # the search found nothing
    dialog.try_accept()
    assert [t.symbol for t in saved] == ["ZZZZ"]
    assert picked == []


def test_offline_shows_no_popup_and_a_quiet_hint(qtbot, runner, picked, tmp_path):
    fake = FakeSource(error=FetchErrorKind.OFFLINE)
    dialog = open_dialog(qtbot, make_searcher(runner, fake, picked, tmp_path))
    qtbot.keyClicks(dialog.symbol_edit, "appl")
    qtbot.waitUntil(lambda: dialog.search_hint.isVisible())

    assert "Offline" in dialog.search_hint.text()
    assert not dialog.symbol_search.popup_visible
    assert dialog.symbol_search.searcher.cached("appl") is None  # a failure is not cached
    # while quiet, later pauses do not ask again: the hint, hidden by the typing, is back
    qtbot.keyClicks(dialog.symbol_edit, "e")
    assert not dialog.search_hint.isVisible()
    qtbot.waitUntil(lambda: dialog.search_hint.isVisible())
    assert not dialog.symbol_search.timer.isActive()
    assert fake.queries == ["appl"] and runner.tasks == 1
    assert picked == []


def test_short_queries_are_not_searched_and_known_symbols_show_at_once(
    qtbot, runner, picked, tmp_path
):
    fake = FakeSource()
    dialog = open_dialog(qtbot, make_searcher(runner, fake, picked, tmp_path), ["COHU", "CSCO"])
    qtbot.keyClicks(dialog.symbol_edit, "c")
    assert dialog.symbol_search.rows() == ["COHU", "CSCO"]
    assert dialog.symbol_search.popup_visible
    assert not dialog.symbol_search.timer.isActive()  # no search awaits the pause
    assert fake.queries == [] and runner.tasks == 0


def test_a_failing_worker_is_quiet(qtbot, runner, picked, tmp_path):
    class Broken:
        def search(self, query, max_results=8):
            raise RuntimeError("boom")

    searcher = SymbolSearcher(runner, Broken(), SearchCache(tmp_path / "s.json"), picked.append)
    dialog = open_dialog(qtbot, searcher)
    qtbot.keyClicks(dialog.symbol_edit, "appl")
    qtbot.waitUntil(lambda: runner.tasks == 1)  # the pause elapsed; the task raised
    assert not dialog.symbol_search.timer.isActive()
    assert not dialog.symbol_search.popup_visible and not dialog.search_hint.isVisible()


def test_the_watchlist_field_searches_too(qtbot, runner, picked, tmp_path):
    fake = FakeSource()
    panel = WatchlistPanel(searcher=make_searcher(runner, fake, picked, tmp_path))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    panel.symbol_edit.setFocus()
    qtbot.waitUntil(panel.symbol_edit.hasFocus)
    field = panel.symbol_search

    type_and_wait_for_popup(qtbot, field, panel.symbol_edit, "apple")
    field.choose(1)
    assert panel.symbol_edit.text() == "APLE"
    assert picked == [APLE]
    with qtbot.waitSignal(panel.watchRequested) as blocker:
        qtbot.keyClick(panel.symbol_edit, Qt.Key_Return)
    assert blocker.args == ["APLE"]


def test_saver_keeps_what_the_store_knew(store):
    store.save_instrument(
        Instrument("AAPL", "", InstrumentKind.UNKNOWN, "USD", "", "America/New_York")
    )
    saver(store)(AAPL)
    assert store.instrument("AAPL") == Instrument(
        "AAPL", "Apple Inc.", InstrumentKind.EQUITY, "USD", "NASDAQ", "America/New_York", True
    )
    saver(store)(APLE)  # new: the table's default currency until a price fetch says
    assert store.instrument("APLE").currency == "USD"
    assert store.instrument("APLE").verified


def test_the_app_wires_the_watchlist_and_saves_picked_hits(qtbot, make_window):
    from desktop.ui.launch import _attach_symbol_search

    window = make_window(sources=MarketSources(PricesNone(), search=FakeSource()))
    _attach_symbol_search(window)
    assert window.symbol_searcher is not None
    field = window.watchlist.symbol_search
    window.watchlist.symbol_edit.setText("apple")
    field._search()  # the pause elapsed (the fixture's runner is synchronous)
    assert field.rows()[0] == "AAPL — Apple Inc. (Equity, NASDAQ)"
    field.choose(0)
    assert window.store.instrument("AAPL").name == "Apple Inc."
    assert window.store.instrument("AAPL").verified


def test_no_source_no_search(make_window):
    from desktop.ui.launch import _attach_symbol_search

    window = make_window()
    _attach_symbol_search(window)
    assert window.symbol_searcher is None and window.watchlist.symbol_search is None


def test_an_answer_after_the_dialog_is_gone_is_dropped(qtbot, runner, picked, tmp_path):
    fake = FakeSource()
    searcher = make_searcher(runner, fake, picked, tmp_path)
    dialog = open_dialog(qtbot, searcher)
    edit = dialog.symbol_edit
    runner.hold()  # the search is still running when the dialog goes
    qtbot.keyClicks(edit, "appl")
    qtbot.waitUntil(lambda: runner.tasks == 1)
    dialog.close()
    dialog.deleteLater()
    del dialog  # gone: qtbot, which closes its widgets after the test, must not find it
    qtbot.waitUntil(lambda: not isValid(edit))
    runner.release()
    assert fake.queries == ["appl"]
    assert searcher.cached("appl") == [AAPL, APLE]  # still cached, no crash
    assert picked == []
