"""Refresh from the window: progress and Cancel in the status bar, new prices shown, offline said
plainly, failed symbols marked in their rows."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.data.sources.protocol import Fetched, FetchErrorKind, MarketSources, PriceHistory
from desktop.ui.actions import Act
from tests.ui.conftest import buy


class FakeSource:
    name = "fake"

    def __init__(self, answers):
        self.answers = answers
        self.asked = []

    def fetch(self, requests, cancelled=lambda: False):
        for request in requests:
            self.asked.append(request)
            yield self.answers(request)


def test_refresh_shows_progress_then_the_new_prices(qtbot, make_window):
    def answer(request):
        if request.symbol != "COHU":
            return Fetched.failed(request.symbol, FetchErrorKind.NOT_FOUND, "no data")
        return Fetched("COHU", PriceHistory([{"date": dt.date(2024, 3, 8), "close": 31.95}]))

    source = FakeSource(answer)
    window = make_window(sources=MarketSources(source))
    window.editor.add_trade(buy())
    progress = []
    window.progress.valueChanged.connect(progress.append)
    window.refresh_prices()
    assert [r.symbol for r in source.asked] == ["COHU", "^RUT", "^GSPC", "^TNX", "^IRX"]
    assert all(r.start is None for r in source.asked)  # nothing cached: whole history
    assert progress[-1] == 5
    assert window.progress.isHidden()
    assert window.holdings_model.data(window.holdings_model.index(0, 6)) == "3,195.00"
    assert "Prices as of 2024-03-08" in window.freshness.text()
    assert "delisted" not in window.statusBar().currentMessage().lower()


def test_offline_refresh_says_so_and_keeps_the_cache(qtbot, make_window):
    def answer(request):
        return Fetched.failed(request.symbol, FetchErrorKind.OFFLINE, "no connection")

    window = make_window(sources=MarketSources(FakeSource(answer)))
    window.editor.add_trade(buy())
    window.store.upsert_prices("COHU", [{"date": "2024-03-01", "close": 32.81}], "csv")
    window.reload()  # the window is told of prices written behind its back
    window.refresh_prices()
    message = window.statusBar().currentMessage()
    assert message.startswith("Offline") and "2024-03-01" in message
    assert window.freshness.text() == "Offline · prices as of 2024-03-01"
    assert window.holdings_model.data(window.holdings_model.index(0, 4)) == "32.81"
    assert window.actions and window.progress.isHidden()


class OneByOneSource:
    """Answers one symbol at a time, calls ``between()`` after each answer is taken, and stops
    as soon as ``cancelled()`` says so (as the Yahoo source does between symbols)."""

    name = "fake"

    def __init__(self, between=lambda: None):
        self.between = between
        self.asked = []

    def fetch(self, requests, cancelled=lambda: False):
        for request in requests:
            if cancelled():
                return
            self.asked.append(request.symbol)
            yield Fetched(
                request.symbol, PriceHistory([{"date": dt.date(2024, 3, 8), "close": 31.95}])
            )
            self.between()


def test_cancel_stops_the_refresh_after_the_current_symbol(qtbot, make_window):
    seen = {}

    def press_cancel():
        seen["button shown"] = not window.refresher.cancel_button.isHidden()
        seen["action enabled"] = window.actions[Act.CANCEL_REFRESH].isEnabled()
        window.actions[Act.CANCEL_REFRESH].trigger()
        seen["format"] = window.progress.format()

    source = OneByOneSource(press_cancel)
    window = make_window(sources=MarketSources(source))
    window.editor.add_trade(buy())
    window.refresh_prices()
    assert source.asked == ["COHU"]  # ^RUT and ^GSPC were never asked for
    assert seen == {"button shown": True, "action enabled": True, "format": "Cancelling…"}
    message = window.statusBar().currentMessage()
    assert message.startswith("Refresh cancelled after updating 1 symbol (+1 row)")
    assert "Updated: COHU" in message and "F5" in message
    assert window.holdings_model.data(window.holdings_model.index(0, 5)) == "2024-03-08"
    assert window.last_refresh.cancelled
    assert window.progress.isHidden() and window.refresher.cancel_button.isHidden()
    assert not window.actions[Act.CANCEL_REFRESH].isEnabled()
    assert window.actions[Act.REFRESH].isEnabled() and not window.refreshing

    # The press was for that run only: the next refresh fetches the rest.
    source.between = lambda: None
    window.refresh_prices()
    assert source.asked[1:] == ["COHU", "^RUT", "^GSPC", "^TNX", "^IRX"]
    assert not window.last_refresh.cancelled


def test_escape_cancels_a_running_refresh(qtbot, make_window):
    def press_escape():
        qtbot.keyClick(window, Qt.Key_Escape)

    source = OneByOneSource(press_escape)
    window = make_window(sources=MarketSources(source))
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.editor.add_trade(buy())
    window.refresh_prices()
    assert source.asked == ["COHU"]
    assert window.statusBar().currentMessage().startswith("Refresh cancelled")
    qtbot.keyClick(window, Qt.Key_Escape)  # no refresh running: Esc does nothing
    assert window.statusBar().currentMessage().startswith("Refresh cancelled")


def test_the_cancel_button_stops_the_refresh_after_the_current_symbol(qtbot, make_window):
    seen = {}

    def click_cancel():  # while the refresh runs, after COHU's answer
        seen["progress"] = window.progress.value()
        seen["button visible"] = window.refresher.cancel_button.isVisible()
        qtbot.mouseClick(window.refresher.cancel_button, Qt.LeftButton)
        seen["requested"] = window.refresher.cancel_requested.is_set()
        seen["format"] = window.progress.format()
        seen["button enabled"] = window.refresher.cancel_button.isEnabled()

    source = OneByOneSource(click_cancel)
    window = make_window(sources=MarketSources(source))
    window.show()
    qtbot.waitExposed(window)
    window.editor.add_trade(buy())
    window.refresh_prices()
    assert seen == {
        "progress": 1,
        "button visible": True,
        "requested": True,
        "format": "Cancelling…",
        "button enabled": False,
    }
    assert source.asked == ["COHU"]  # the source saw the flag before ^RUT
    assert window.statusBar().currentMessage().startswith("Refresh cancelled after updating")
    assert window.holdings_model.data(window.holdings_model.index(0, 4)) == "31.95"
    assert not window.refresher.cancel_button.isVisible() and not window.refreshing


def test_failed_symbols_are_marked_in_their_rows_without_a_dialog(qtbot, make_window):
    def answer(request):
        if request.symbol == "^RUT":
            return Fetched.failed("^RUT", FetchErrorKind.NOT_FOUND, "Yahoo: delisted")
        if request.symbol == "SUM":
            return Fetched.failed("SUM", FetchErrorKind.RATE_LIMITED, "429")
        return Fetched(
            request.symbol, PriceHistory([{"date": dt.date(2024, 3, 8), "close": 31.95}])
        )

    window = make_window(sources=MarketSources(FakeSource(answer)))
    refusals = []
    window.show_refusal = refusals.append
    window.editor.add_trade(buy())
    window.editor.add_trade(buy("SUM", qty="10", price="40"))
    window.refresh_prices()
    holdings = window.holdings_model
    by_symbol = {holdings.holding(r).symbol: r for r in range(holdings.rowCount())}
    sum_date = holdings.index(by_symbol["SUM"], 5)
    assert holdings.data(sum_date) == "⚠ no price"
    assert "Yahoo asked us to slow down; try again later" in holdings.data(sum_date, Qt.ToolTipRole)
    assert holdings.data(holdings.index(by_symbol["COHU"], 5)) == "2024-03-08"
    watch = window.watchlist.model
    assert [watch.data(watch.index(r, 3)) for r in range(2)] == ["⚠ no price", "2024-03-08"]
    tip = watch.data(watch.index(0, 3), Qt.ToolTipRole)
    assert "Yahoo has no data for ^RUT (unknown or delisted symbol)" in tip
    assert refusals == []
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


def test_a_refresh_reads_again_only_the_prices_it_wrote(make_window, monkeypatch):
    from desktop.data.store import Store

    days = [dt.date(2024, 3, d) for d in (4, 5, 6)]

    def answer(request):
        if request.symbol == "COHU":  # one new day
            rows = [
                {"date": d, "close": 30.0 + i} for i, d in enumerate([*days, dt.date(2024, 3, 7)])
            ]
            return Fetched("COHU", PriceHistory(rows))
        return Fetched.failed(request.symbol, FetchErrorKind.NOT_FOUND, "no data")

    window = make_window(sources=MarketSources(FakeSource(answer)))
    for symbol in ("COHU", "SUM"):
        window.store.upsert_prices(symbol, [{"date": d, "close": 30.0} for d in days], "csv")
    window.reload()
    window.editor.add_trade(buy("COHU", day=days[0]))
    window.editor.add_trade(buy("SUM", day=days[0]))
    assert window.performance is not None
    reads = []
    real = Store.closes
    monkeypatch.setattr(
        Store, "closes", lambda self, s, *a, **k: reads.append(list(s)) or real(self, s, *a, **k)
    )
    window.refresh_prices()
    assert window.last_refresh.updated == {"COHU": 1}
    assert reads == [["COHU"]]  # not SUM, not the benchmarks
    cohu = next(h for h in window.holdings_model.rows if h.symbol == "COHU")
    assert (cohu.close_date, cohu.last_close) == (dt.date(2024, 3, 7), 33.0)
    # 100 COHU bought at 32.10 + 1 (3,211), 100 SUM likewise: 3,300 + 3,000 = 6,300 at the end.
    assert window.performance.snapshot.latest[1].market_value == pytest.approx(6300)
