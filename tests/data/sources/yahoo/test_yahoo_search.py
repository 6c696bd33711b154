"""YahooSource.search through yfinance's own Search code, fed the recorded search answer.

``YfData.get`` (private, YFINANCE.md §7.4) is replaced for each test; failures are planted as the
exceptions yfinance's HTTP layer raises, so classification goes through yfinance's real paths.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from curl_cffi.requests import exceptions as curl_errors

from desktop.core.model import Instrument, InstrumentKind
from desktop.data.sources.protocol import FetchErrorKind
from desktop.data.sources.yahoo.source import YahooSource
from tests.yahoo_frames import YAHOO_JSON, fresh_yfinance, response


class FakeSearch:
    """Answers ``/v1/finance/search`` with the recorded JSON, or raises ``failure``."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.failure: BaseException | None = None
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def get(self, url: str, params: dict[str, Any] | None = None, timeout: float = 30):
        self.calls.append((url, dict(params or {})))
        if self.failure is not None:
            raise self.failure
        if "/v1/finance/search" in url:
            return response(url, 200, self.body)
        return response(url, 404, {"finance": {"result": None, "error": {"code": "Not Found"}}})


@pytest.fixture
def recorded(shared_data) -> dict[str, Any]:
    return json.loads((YAHOO_JSON / "search_v1_apple.json").read_text())


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, recorded) -> FakeSearch:
    import yfinance.data

    fresh_yfinance(monkeypatch)  # also empties the memoised cache_get
    fake = FakeSearch(recorded)

    def get(self: Any, url: str, params: dict[str, Any] | None = None, timeout: float = 30):
        return fake.get(url, params, timeout)

    monkeypatch.setattr(yfinance.data.YfData, "get", get)
    return fake


def source(**kwargs) -> YahooSource:
    return YahooSource(online_check=None, **kwargs)


def test_search_turns_the_recorded_quotes_into_verified_instruments(fake, recorded):
    hits, error, message = source().search("apple")

    assert error is None and message == ""
    tracked = [q for q in recorded["quotes"] if q["quoteType"] in ("EQUITY", "ETF", "MUTUALFUND")]
    assert [h.symbol for h in hits] == [q["symbol"] for q in tracked]
    assert hits[0] == Instrument(
        symbol="AAPL",
        name="Apple Inc.",
        kind=InstrumentKind.EQUITY,
        currency="",  # a search hit does not say; the first price fetch does
        exchange="NASDAQ",
        verified=True,
    )
    assert all(h.verified for h in hits)


def test_search_asks_for_quotes_only(fake):
    source().search("  apple  ", max_results=5)

    ((url, params),) = fake.calls
    assert url.endswith("/v1/finance/search")
    assert params["q"] == "apple"
    assert params["quotesCount"] == 5
    assert params["newsCount"] == 0 and params["listsCount"] == 0


def test_max_results_caps_the_answer(fake):
    hits, error, _ = source().search("apple", max_results=2)
    assert error is None
    assert [h.symbol for h in hits] == ["AAPL", "APLE"]


def test_a_blank_query_asks_nothing(fake):
    assert source().search("   ") == ([], None, "")
    assert fake.calls == []


def test_a_connection_error_is_offline(fake):
    fake.failure = curl_errors.ConnectionError("Could not resolve host: query2.finance.yahoo.com")
    hits, error, message = source().search("apple")
    assert hits == [] and error is FetchErrorKind.OFFLINE
    assert "cannot reach Yahoo" in message


def test_rate_limiting_is_reported(fake):
    from yfinance.exceptions import YFRateLimitError

    fake.failure = YFRateLimitError()
    hits, error, _ = source().search("apple")
    assert hits == [] and error is FetchErrorKind.RATE_LIMITED


def test_a_bad_answer_is_no_hits_not_an_exception(fake):
    fake.body = {
        "quotes": [{"symbol": "AAPL"}, {"no": "symbol"}, {"symbol": "ES=F", "quoteType": "FUTURE"}]
    }
    hits, error, _ = source().search("apple")
    assert error is None and hits == []  # no kind the app tracks


def test_offline_answers_at_once_without_a_request(fake):
    hits, error, _ = YahooSource(online_check=lambda: False).search("apple")
    assert hits == [] and error is FetchErrorKind.OFFLINE
    assert fake.calls == []
