"""Refresh from the window: progress in the status bar, new prices shown, offline said plainly."""

from __future__ import annotations

import datetime as dt

from desktop.data.sources import FetchErrorKind, FetchResult
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
            return FetchResult(request.symbol, error=FetchErrorKind.NOT_FOUND, message="no data")
        return FetchResult("COHU", rows=[{"date": dt.date(2024, 3, 8), "close": 31.95}])

    source = FakeSource(answer)
    window = make_window(source_factory=lambda: source)
    window.editor.add_trade(buy())
    progress = []
    window.progress.valueChanged.connect(progress.append)
    window.refresh_prices()
    assert [r.symbol for r in source.asked] == ["COHU", "^RUT", "^GSPC"]
    assert all(r.start is None for r in source.asked)  # nothing cached: whole history
    assert progress[-1] == 3
    assert window.progress.isHidden()
    assert window.holdings_model.data(window.holdings_model.index(0, 6)) == "3,195.00"
    assert "Prices as of 2024-03-08" in window.freshness.text()
    assert "delisted" not in window.statusBar().currentMessage().lower()


def test_offline_refresh_says_so_and_keeps_the_cache(qtbot, make_window):
    def answer(request):
        return FetchResult(request.symbol, error=FetchErrorKind.OFFLINE, message="no connection")

    window = make_window(source_factory=lambda: FakeSource(answer))
    window.editor.add_trade(buy())
    window.store.upsert_prices("COHU", [{"date": "2024-03-01", "close": 32.81}], "csv")
    window.refresh_prices()
    message = window.statusBar().currentMessage()
    assert message.startswith("Offline") and "2024-03-01" in message
    assert window.freshness.text() == "Offline · prices as of 2024-03-01"
    assert window.holdings_model.data(window.holdings_model.index(0, 4)) == "32.81"
    assert window.actions and window.progress.isHidden()
