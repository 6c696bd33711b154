"""YahooSource.fundamentals against yfinance's own ``Ticker.info`` parsing of recorded answers.

The fake Yahoo (tests/yahoo_frames.py) serves the recorded v10 quoteSummary (financialData,
assetProfile, quoteType) and v7 quote answers for MSFT; expected values are read from that JSON
independently of yfinance. Nothing here reaches the network.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from curl_cffi.requests import exceptions as curl_errors

from desktop.core.fundamentals import CapClass
from desktop.data.sources.protocol import FetchErrorKind
from desktop.data.sources.yahoo.source import YahooSource
from tests import yahoo_frames as yf_json
from tests.yahoo_frames import RecordedYahoo, serve_recorded

NOW = dt.datetime(2025, 10, 30, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, shared_data) -> RecordedYahoo:
    fake = serve_recorded(monkeypatch)
    fake.summaries["MSFT"] = yf_json.load_summary(
        "analysis_api_financialData_MSFT", "profile_api_assetProfile-quoteType-fundProfile_MSFT"
    )
    fake.quotes["MSFT"] = yf_json.load_quote("MSFT")
    return fake


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def source(**kwargs) -> YahooSource:
    kwargs.setdefault("sleep", Sleeps())
    return YahooSource(now=lambda: NOW, online_check=None, **kwargs)


def recorded_financial_data() -> dict:
    raw = json.loads((yf_json.YAHOO_JSON / "analysis_api_financialData_MSFT.json").read_text())
    return raw["quoteSummary"]["result"][0]["financialData"]


def test_msft_snapshot_holds_the_recorded_figures(fake):
    financial = recorded_financial_data()
    quote = yf_json.load_quote("MSFT")["quoteResponse"]["result"][0]

    ((symbol, snapshot, error, message),) = source().fundamentals(["MSFT"])

    assert (symbol, error, message) == ("MSFT", None, "")
    assert snapshot is not None
    assert snapshot.symbol == "MSFT"
    assert snapshot.fetched == NOW.date()
    assert snapshot.currency == financial["financialCurrency"] == "USD"
    assert snapshot.market_cap == quote["marketCap"]
    assert snapshot.total_debt == financial["totalDebt"]["raw"]
    assert snapshot.total_cash == financial["totalCash"]["raw"]
    assert snapshot.return_on_equity == pytest.approx(financial["returnOnEquity"]["raw"])
    assert snapshot.consensus == financial["recommendationKey"] == "strong_buy"
    assert snapshot.consensus_mean == pytest.approx(financial["recommendationMean"]["raw"])
    assert snapshot.analysts == financial["numberOfAnalystOpinions"]["raw"] == 52
    assert snapshot.cap_class is CapClass.LARGE
    assert snapshot.net_cash == pytest.approx(
        financial["totalCash"]["raw"] - financial["totalDebt"]["raw"]
    )


def test_info_asks_quote_summary_quote_and_the_timeseries(fake):
    list(source().fundamentals(["MSFT"]))

    urls = [url for url, _params in fake.calls]
    assert any("/v10/finance/quoteSummary/MSFT" in u for u in urls)
    assert any("/v7/finance/quote" in u for u in urls)
    assert any("/fundamentals-timeseries/" in u for u in urls)


def test_an_unknown_symbol_is_not_found(fake):
    answers = list(source().fundamentals(["NOPE", "MSFT"]))

    assert [(s, f, e) for s, f, e, _m in answers[:1]] == [("NOPE", None, FetchErrorKind.NOT_FOUND)]
    assert answers[1][0] == "MSFT" and answers[1][1] is not None  # the batch goes on


def test_a_connection_error_is_offline_and_the_rest_are_not_tried(fake):
    fake.failures["MSFT"] = lambda: curl_errors.ConnectionError("Failed to connect")
    fake.summaries["AAPL"] = fake.summaries["MSFT"]

    answers = list(source().fundamentals(["MSFT", "AAPL"]))

    assert [(s, f, e) for s, f, e, _m in answers] == [
        ("MSFT", None, FetchErrorKind.OFFLINE),
        ("AAPL", None, FetchErrorKind.OFFLINE),
    ]
    assert answers[1][3].startswith("not tried")
    assert not any("AAPL" in url for url, _params in fake.calls)


def test_a_failed_online_check_answers_offline_without_a_request(fake):
    yahoo = YahooSource(now=lambda: NOW, online_check=lambda: False)

    answers = list(yahoo.fundamentals(["MSFT"]))

    assert [(s, e) for s, _f, e, _m in answers] == [("MSFT", FetchErrorKind.OFFLINE)]
    assert fake.calls == []


def test_rate_limit_is_retried_with_backoff(fake):
    from yfinance.exceptions import YFRateLimitError

    fake.failures["MSFT"] = [YFRateLimitError]
    sleeps = Sleeps()

    ((_symbol, snapshot, error, _message),) = source(sleep=sleeps).fundamentals(["MSFT"])

    assert error is None and snapshot is not None
    assert sleeps == [5.0]


def test_a_fund_is_not_given_equity_fundamentals(fake):
    quote = yf_json.load_quote("MSFT")
    quote["quoteResponse"]["result"][0].update(quoteType="ETF", symbol="FUND")
    fake.quotes["FUND"] = quote
    fake.summaries["FUND"] = {"quoteSummary": {"result": [{}], "error": None}}

    ((_symbol, snapshot, error, _message),) = source().fundamentals(["FUND"])

    assert snapshot is None and error is FetchErrorKind.NO_DATA


def test_cancelled_before_the_first_symbol_asks_nothing(fake):
    assert list(source().fundamentals(["MSFT"], cancelled=lambda: True)) == []
    assert fake.calls == []


def test_no_symbols_no_requests(fake):
    assert list(source().fundamentals([])) == []
    assert fake.calls == []


def test_unknown_symbol_is_not_found_even_when_yfinance_hides_the_404(fake, monkeypatch):
    from desktop.data.sources.yahoo import source as yahoo

    # yfinance's default: the 404 is logged and info is {"trailingPegRatio": None}.
    monkeypatch.setattr(yahoo, "configure_yfinance", lambda folder=None: None)

    ((_symbol, snapshot, error, _message),) = source().fundamentals(["NOPE"])

    assert snapshot is None and error is FetchErrorKind.NOT_FOUND
