"""YahooSource's own logic, with a fake client in place of ``YahooClient`` (yfinance is never
called: only its exception classes are used, to plant the errors it raises).

The fake answers each call from a script: the frame yfinance would return for a recorded chart
(``tests/yahoo_frames.history_frame``) and the chart's metadata, an info mapping, a list of
search quotes, or an exception. Expected values are read from the recorded JSON or written by
hand, never taken from the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from curl_cffi.requests import exceptions as curl_errors
from yfinance.exceptions import (
    YFDataException,
    YFPricesMissingError,
    YFRateLimitError,
    YFTzMissingError,
)

from desktop.core.fundamentals import Fundamentals
from desktop.core.model import Instrument, InstrumentKind
from desktop.data.sources.protocol import FetchErrorKind, FetchRequest, MarketSources
from desktop.data.sources.yahoo.source import YahooSource, classify, yahoo_sources
from tests import yahoo_frames as yf_json

NY = ZoneInfo("America/New_York")
#: The morning after the recordings (captured 2025-10-29, after the US close).
MORNING_AFTER = dt.datetime(2025, 10, 30, 8, 0, tzinfo=NY)
#: A requested end inside the recorded six months (a Tuesday, a session).
END = dt.date(2025, 9, 30)
#: The last session before the recordings' own (GS2C.DE was recorded for its last week only).
LAST_DAY = dt.date(2025, 10, 28)
CHART_URL = "https://query2.finance.yahoo.com/v8/finance/chart/AAPL"


# -- helpers ---------------------------------------------------------------------------------------
@pytest.fixture
def recorded() -> Path:
    """The recorded Yahoo answers; skips the test without them."""
    if not yf_json.YAHOO_JSON.is_dir():
        pytest.skip(f"{yf_json.YAHOO_JSON} is not there (the recorded Yahoo answers)")
    return yf_json.YAHOO_JSON


class UnscriptedCall(BaseException):
    """A call the test did not script. A BaseException, so that YahooSource's ``except
    Exception`` cannot turn it into an answer: it fails the test instead."""


class FakeClient:
    """Stands in for ``YahooClient``: records every call and answers it from ``script``.

    ``script`` maps a symbol (or a search query) to its answer: a ``(frame, metadata)`` for
    ``history``, an info mapping for ``info``, a list of quote dicts for ``search``, or an
    exception to raise. An iterator (``in_turn``) gives one answer per call.
    """

    def __init__(self, script: Mapping[str, Any] | None = None) -> None:
        self.script = dict(script or {})
        self.calls: list[tuple[Any, ...]] = []

    def history(self, symbol: str, start: dt.date | None, end: dt.date) -> Any:
        self.calls.append(("history", symbol, start, end))
        return self._answer(symbol)

    def info(self, symbol: str) -> Any:
        self.calls.append(("info", symbol))
        return self._answer(symbol)

    def search(self, query: str, max_results: int) -> Any:
        self.calls.append(("search", query, max_results))
        return self._answer(query)

    def asked(self) -> list[str]:
        """The symbol (or query) of every call, in order."""
        return [call[1] for call in self.calls]

    def _answer(self, key: str) -> Any:
        if key not in self.script:
            raise UnscriptedCall(key)
        answer = self.script[key]
        if isinstance(answer, Iterator):
            answer = next(answer)
        if isinstance(answer, BaseException):
            raise answer
        return answer


def in_turn(*answers: Any) -> Iterator[Any]:
    """Answers given one per call, in order."""
    return iter(answers)


class Sleeps(list):
    """A ``sleep`` that records the seconds asked for, then runs ``then`` (if any)."""

    def __init__(self, then: Callable[[], Any] | None = None) -> None:
        super().__init__()
        self.then = then

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        if self.then is not None:
            self.then()


class OnlineCheck:
    """An ``online_check`` that answers ``online`` and counts how often it was asked."""

    def __init__(self, online: bool) -> None:
        self.online = online
        self.asked = 0

    def __call__(self) -> bool:
        self.asked += 1
        return self.online


def yahoo(client: FakeClient, **options: Any) -> YahooSource:
    """A source on ``client``: no online check, a recording sleep, the morning after."""
    options.setdefault("online_check", None)
    options.setdefault("sleep", Sleeps())
    options.setdefault("now", lambda: MORNING_AFTER)
    return YahooSource(client, **options)  # type: ignore[arg-type]


def chart_answer(name: str) -> tuple[Any, dict[str, Any]]:
    """What ``YahooClient.history`` returns for a recorded chart: its frame and metadata."""
    chart = yf_json.load_chart(name)
    return yf_json.history_frame(chart), yf_json.meta(chart)


def asks(*symbols: str, start: dt.date | None = None, end: dt.date = END) -> list[FetchRequest]:
    return [FetchRequest(symbol, start, end) for symbol in symbols]


def keys(answers: Sequence[Any]) -> list[str]:
    return [answer.key for answer in answers]


def errors(answers: Sequence[Any]) -> list[FetchErrorKind | None]:
    return [answer.error for answer in answers]


# The errors yfinance raises, as planted in the fake client.
def rate_limited() -> Exception:
    return YFRateLimitError()


def dns_failure() -> Exception:
    return curl_errors.DNSError("Could not resolve host: query2.finance.yahoo.com")


def http_error(status: int) -> Exception:
    return curl_errors.HTTPError(
        f"HTTP Error {status}", response=yf_json.response(CHART_URL, status, {})
    )


def unknown_symbol(symbol: str = "NOPE") -> Exception:
    return YFTzMissingError(symbol)


def no_prices_in_window(symbol: str = "AAPL") -> Exception:
    return YFPricesMissingError(symbol, "(1d 2025-12-25 -> 2025-12-26)")


def equity_info(**changes: Any) -> dict[str, Any]:
    """A hand-made ``Ticker.info`` of a small equity."""
    info = {
        "quoteType": "EQUITY",
        "currency": "USD",
        "financialCurrency": "USD",
        "marketCap": 1_500_000_000,
        "totalDebt": 200_000_000,
        "totalCash": 350_000_000,
        "returnOnEquity": 0.18,
        "recommendationKey": "buy",
        "recommendationMean": 2.1,
        "numberOfAnalystOpinions": 7,
        "trailingPegRatio": 1.4,
    }
    info.update(changes)
    return info


def recorded_info(symbol: str) -> dict[str, Any]:
    """``Ticker.info`` as yfinance assembles it from the recorded answers: the v7 quote's fields
    and the quoteSummary financialData module's, each ``{"raw": ...}`` read as its number."""
    (modules,) = yf_json.load_summary(f"analysis_api_financialData_{symbol}")["quoteSummary"][
        "result"
    ]
    (quote,) = yf_json.load_quote(symbol)["quoteResponse"]["result"]
    info = dict(quote)
    for name, value in modules["financialData"].items():
        info[name] = value["raw"] if isinstance(value, dict) else value
    return info


def recorded_quotes(name: str = "apple") -> list[dict[str, Any]]:
    """The quotes of the recorded ``yf.Search`` answer."""
    return json.loads((yf_json.YAHOO_JSON / f"search_v1_{name}.json").read_text())["quotes"]


# -- prices ----------------------------------------------------------------------------------------
def test_rows_are_the_recorded_bars_up_to_the_requested_end(recorded):
    chart = yf_json.load_chart("AAPL")
    client = FakeClient({"AAPL": chart_answer("AAPL")})

    (answer,) = yahoo(client).fetch(asks("AAPL"))

    assert answer.ok, answer.message
    rows = answer.value.rows
    expected = [day for day in yf_json.bar_dates(chart) if day <= END]
    assert [row["date"] for row in rows] == expected
    assert rows[-1]["date"] == dt.date(2025, 9, 30)
    closes, adjusted = yf_json.bar_values(chart, "close"), yf_json.adj_closes(chart)
    assert [row["close"] for row in rows] == pytest.approx([closes[d] for d in expected])
    assert [row["adj_close"] for row in rows] == pytest.approx([adjusted[d] for d in expected])
    paid = {row["date"]: row["dividend"] for row in rows if row["dividend"]}
    assert paid == pytest.approx({dt.date(2025, 5, 12): 0.26, dt.date(2025, 8, 11): 0.26})


def test_the_client_is_asked_for_the_symbol_and_window_requested(recorded):
    client = FakeClient({"AAPL": chart_answer("AAPL")})
    start = dt.date(2025, 9, 1)

    list(yahoo(client).fetch(asks("AAPL", start=start)))

    assert client.calls == [("history", "AAPL", start, END)]


def test_the_instrument_comes_from_the_chart_metadata(recorded):
    client = FakeClient({"AAPL": chart_answer("AAPL")})

    (answer,) = yahoo(client).fetch(asks("AAPL"))

    assert answer.value.instrument == Instrument(
        symbol="AAPL",
        name="Apple Inc.",
        kind=InstrumentKind.EQUITY,
        currency="USD",
        exchange="NMS",
        timezone="America/New_York",
        verified=True,
    )


def test_answers_keep_the_request_order_and_are_keyed_by_symbol(recorded):
    names = ["MSFT", "GS2C.DE", "AAPL"]
    client = FakeClient({name: chart_answer(name) for name in names})

    answers = list(yahoo(client).fetch(asks(*names, end=LAST_DAY)))

    assert keys(answers) == names
    assert client.asked() == names
    for name, answer in zip(names, answers, strict=True):
        recorded_closes = yf_json.bar_values(yf_json.load_chart(name), "close")
        expected = {day: close for day, close in recorded_closes.items() if day <= LAST_DAY}
        closes = {row["date"]: row["close"] for row in answer.value.rows}
        assert closes == pytest.approx(expected), name
        assert answer.value.instrument.symbol == name


def test_a_frame_without_dates_is_an_error_for_that_symbol_only(recorded):
    frame, metadata = chart_answer("AAPL")
    client = FakeClient(
        {"AAPL": (frame.reset_index(drop=True), metadata), "MSFT": chart_answer("MSFT")}
    )

    answers = list(yahoo(client).fetch(asks("AAPL", "MSFT")))

    assert errors(answers) == [FetchErrorKind.ERROR, None]
    assert answers[0].message.startswith("unexpected answer from Yahoo")
    assert answers[1].value.rows


def test_an_unknown_metadata_time_zone_is_an_error_for_that_symbol_only(recorded):
    frame, _ = chart_answer("AAPL")
    metadata = yf_json.meta(
        yf_json.renamed(yf_json.load_chart("AAPL"), "AAPL", exchangeTimezoneName="Mars/Olympus")
    )
    client = FakeClient({"AAPL": (frame, metadata), "MSFT": chart_answer("MSFT")})

    answers = list(yahoo(client).fetch(asks("AAPL", "MSFT")))

    assert errors(answers) == [FetchErrorKind.ERROR, None]
    assert "Mars/Olympus" in answers[0].message
    assert client.asked() == ["AAPL", "MSFT"]


def test_an_empty_batch_answers_nothing_and_checks_nothing():
    check = OnlineCheck(online=True)
    client = FakeClient()

    assert list(yahoo(client, online_check=check).fetch([])) == []
    assert (client.calls, check.asked) == ([], 0)


# -- prices: rate limits, retried with a back-off --------------------------------------------------
def test_a_rate_limit_is_retried_after_a_doubling_back_off_then_answers(recorded):
    sleeps = Sleeps()
    answer_after = in_turn(rate_limited(), rate_limited(), rate_limited(), chart_answer("AAPL"))
    client = FakeClient({"AAPL": answer_after})

    (answer,) = yahoo(client, rate_limit_retries=3, backoff=1.5, sleep=sleeps).fetch(asks("AAPL"))

    assert answer.ok, answer.message
    assert sleeps == [1.5, 3.0, 6.0]
    assert client.asked() == ["AAPL"] * 4


def test_an_http_429_is_a_rate_limit_and_is_retried(recorded):
    sleeps = Sleeps()
    client = FakeClient({"AAPL": in_turn(http_error(429), chart_answer("AAPL"))})

    (answer,) = yahoo(client, backoff=2.0, sleep=sleeps).fetch(asks("AAPL"))

    assert answer.ok, answer.message
    assert sleeps == [2.0]
    assert len(client.calls) == 2


def test_a_persistent_rate_limit_is_rate_limited_after_retries_plus_one_calls():
    sleeps = Sleeps()
    client = FakeClient({"AAPL": rate_limited()})

    (answer,) = yahoo(client, rate_limit_retries=2, backoff=5.0, sleep=sleeps).fetch(asks("AAPL"))

    assert answer.error is FetchErrorKind.RATE_LIMITED
    assert client.asked() == ["AAPL"] * 3
    assert sleeps == [5.0, 10.0]


def test_without_retries_a_rate_limit_is_answered_after_one_call():
    sleeps = Sleeps()
    client = FakeClient({"AAPL": rate_limited()})

    (answer,) = yahoo(client, rate_limit_retries=0, sleep=sleeps).fetch(asks("AAPL"))

    assert answer.error is FetchErrorKind.RATE_LIMITED
    assert (len(client.calls), sleeps) == (1, [])


def test_after_a_persistent_rate_limit_the_rest_are_not_tried(recorded):
    client = FakeClient(
        {"AAPL": rate_limited(), "MSFT": chart_answer("MSFT"), "GS2C.DE": chart_answer("GS2C.DE")}
    )

    answers = list(yahoo(client, rate_limit_retries=1).fetch(asks("AAPL", "MSFT", "GS2C.DE")))

    assert keys(answers) == ["AAPL", "MSFT", "GS2C.DE"]
    assert errors(answers) == [FetchErrorKind.RATE_LIMITED] * 3
    assert [a.message for a in answers[1:]] == [f"not tried: {answers[0].message}"] * 2
    assert client.asked() == ["AAPL", "AAPL"]


def test_a_failure_other_than_a_rate_limit_is_not_retried():
    sleeps = Sleeps()
    client = FakeClient({"NOPE": unknown_symbol()})

    (answer,) = yahoo(client, sleep=sleeps).fetch(asks("NOPE"))

    assert answer.error is FetchErrorKind.NOT_FOUND
    assert (len(client.calls), sleeps) == (1, [])


# -- prices: offline, and what does not stop a batch -----------------------------------------------
def test_an_offline_error_answers_the_rest_offline_without_calls(recorded):
    sleeps = Sleeps()
    client = FakeClient(
        {"AAPL": dns_failure(), "MSFT": chart_answer("MSFT"), "GS2C.DE": chart_answer("GS2C.DE")}
    )

    answers = list(yahoo(client, sleep=sleeps).fetch(asks("AAPL", "MSFT", "GS2C.DE")))

    assert errors(answers) == [FetchErrorKind.OFFLINE] * 3
    assert answers[0].message == "cannot reach Yahoo (DNSError)"
    assert [a.message for a in answers[1:]] == ["not tried: cannot reach Yahoo (DNSError)"] * 2
    assert client.asked() == ["AAPL"]
    assert sleeps == []


def test_offline_before_the_batch_answers_everything_offline_without_calls(recorded):
    client = FakeClient({"AAPL": chart_answer("AAPL"), "MSFT": chart_answer("MSFT")})

    answers = list(yahoo(client, online_check=lambda: False).fetch(asks("AAPL", "MSFT")))

    assert keys(answers) == ["AAPL", "MSFT"]
    assert errors(answers) == [FetchErrorKind.OFFLINE] * 2
    assert client.calls == []


def test_the_online_check_is_asked_once_per_batch(recorded):
    check = OnlineCheck(online=True)
    names = ["AAPL", "MSFT", "GS2C.DE"]
    client = FakeClient({name: chart_answer(name) for name in names})

    answers = list(yahoo(client, online_check=check).fetch(asks(*names)))

    assert errors(answers) == [None] * 3
    assert check.asked == 1


def test_not_found_and_no_data_do_not_stop_the_batch(recorded):
    client = FakeClient(
        {
            "NOPE": unknown_symbol(),
            "HOLI": no_prices_in_window("HOLI"),
            "AAPL": chart_answer("AAPL"),
        }
    )

    answers = list(yahoo(client).fetch(asks("NOPE", "HOLI", "AAPL")))

    assert errors(answers) == [FetchErrorKind.NOT_FOUND, FetchErrorKind.NO_DATA, None]
    assert client.asked() == ["NOPE", "HOLI", "AAPL"]


def test_an_unexpected_failure_does_not_stop_the_batch(recorded):
    client = FakeClient({"AAPL": http_error(500), "MSFT": chart_answer("MSFT")})

    answers = list(yahoo(client).fetch(asks("AAPL", "MSFT")))

    assert errors(answers) == [FetchErrorKind.ERROR, None]
    assert answers[0].message == "Yahoo answered HTTP 500"


# -- cancellation ----------------------------------------------------------------------------------
def test_cancelling_after_the_first_answer_makes_one_call(recorded):
    cancel = threading.Event()
    client = FakeClient({"AAPL": chart_answer("AAPL"), "MSFT": chart_answer("MSFT")})

    answers = []
    for answer in yahoo(client).fetch(asks("AAPL", "MSFT"), cancelled=cancel.is_set):
        answers.append(answer)
        cancel.set()

    assert keys(answers) == ["AAPL"]
    assert client.asked() == ["AAPL"]


def test_cancelled_before_the_batch_answers_nothing():
    cancel = threading.Event()
    cancel.set()
    client = FakeClient()

    assert list(yahoo(client).fetch(asks("AAPL", "MSFT"), cancelled=cancel.is_set)) == []
    assert client.calls == []


def test_cancelling_during_a_back_off_ends_without_another_call():
    cancel = threading.Event()
    sleeps = Sleeps(then=cancel.set)
    client = FakeClient({"AAPL": rate_limited(), "MSFT": rate_limited()})

    answers = list(
        yahoo(client, backoff=5.0, sleep=sleeps).fetch(
            asks("AAPL", "MSFT"), cancelled=cancel.is_set
        )
    )

    assert answers == []
    assert client.asked() == ["AAPL"]
    assert sleeps == [5.0]


def test_cancelling_also_stops_the_not_tried_answers():
    cancel = threading.Event()
    client = FakeClient({"AAPL": dns_failure()})

    answers = []
    for answer in yahoo(client).fetch(asks("AAPL", "MSFT", "GS2C.DE"), cancelled=cancel.is_set):
        answers.append(answer)
        cancel.set()

    assert keys(answers) == ["AAPL"]


# -- fundamentals ----------------------------------------------------------------------------------
def test_a_snapshot_is_read_from_the_recorded_info(recorded):
    client = FakeClient({"MSFT": recorded_info("MSFT")})

    (answer,) = yahoo(client).fundamentals(["MSFT"])

    assert answer.ok, answer.message
    assert answer.key == "MSFT"
    assert answer.value == Fundamentals(
        symbol="MSFT",
        fetched=dt.date(2025, 10, 30),
        currency="USD",
        market_cap=4025388367872,
        total_debt=112184000512,
        total_cash=94564999168,
        return_on_equity=0.33280998,
        consensus="strong_buy",
        consensus_mean=1.22414,
        analysts=52,
        # The v7 quote's trailingPE, forwardPE, epsTrailingTwelveMonths; financialData's
        # operatingMargins, and debtToEquity 32.661 (percent) as a fraction.
        trailing_pe=39.644947,
        forward_pe=36.22408,
        trailing_eps=13.66,
        operating_margin=0.44901,
        debt_to_equity=pytest.approx(0.32661),
    )
    assert client.calls == [("info", "MSFT")]


def test_a_snapshot_is_read_from_a_hand_made_info():
    client = FakeClient({"SMOL": equity_info(financialCurrency="EUR")})

    (answer,) = yahoo(client).fundamentals(["SMOL"])

    assert answer.value == Fundamentals(
        symbol="SMOL",
        fetched=dt.date(2025, 10, 30),
        currency="EUR",
        market_cap=1.5e9,
        total_debt=2e8,
        total_cash=3.5e8,
        return_on_equity=0.18,
        consensus="buy",
        consensus_mean=2.1,
        analysts=7,
    )


@pytest.mark.parametrize("info", [{"trailingPegRatio": None}, {}], ids=["peg-only", "empty"])
def test_an_info_without_figures_is_an_unknown_symbol(info):
    client = FakeClient({"NOPE": info})

    (answer,) = yahoo(client).fundamentals(["NOPE"])

    assert answer.error is FetchErrorKind.NOT_FOUND
    assert answer.value is None


@pytest.mark.parametrize("kind", ["ETF", "MUTUALFUND", "INDEX"])
def test_anything_but_an_equity_has_no_fundamentals(kind):
    client = FakeClient({"FUND": equity_info(quoteType=kind)})

    (answer,) = yahoo(client).fundamentals(["FUND"])

    assert answer.error is FetchErrorKind.NO_DATA
    assert kind in answer.message


def test_an_info_without_a_quote_type_is_read_as_an_equity():
    info = equity_info()
    del info["quoteType"]
    client = FakeClient({"SMOL": info})

    (answer,) = yahoo(client).fundamentals(["SMOL"])

    assert answer.ok, answer.message
    assert answer.value.market_cap == 1.5e9


def test_a_symbol_asked_twice_is_fetched_once():
    client = FakeClient({"SMOL": equity_info(), "TINY": equity_info(marketCap=90_000_000)})

    answers = list(yahoo(client).fundamentals(["SMOL", "TINY", "SMOL"]))

    assert keys(answers) == ["SMOL", "TINY"]
    assert client.asked() == ["SMOL", "TINY"]


def test_an_unknown_symbol_does_not_stop_the_fundamentals():
    client = FakeClient({"NOPE": http_error(404), "SMOL": equity_info()})

    answers = list(yahoo(client).fundamentals(["NOPE", "SMOL"]))

    assert errors(answers) == [FetchErrorKind.NOT_FOUND, None]


def test_fundamentals_are_retried_after_a_rate_limit():
    sleeps = Sleeps()
    client = FakeClient({"SMOL": in_turn(rate_limited(), equity_info())})

    (answer,) = yahoo(client, backoff=3.0, sleep=sleeps).fundamentals(["SMOL"])

    assert answer.ok, answer.message
    assert sleeps == [3.0]
    assert client.asked() == ["SMOL", "SMOL"]


def test_after_a_persistent_rate_limit_the_other_fundamentals_are_not_tried():
    client = FakeClient({"SMOL": rate_limited(), "TINY": equity_info()})

    answers = list(yahoo(client, rate_limit_retries=1).fundamentals(["SMOL", "TINY"]))

    assert errors(answers) == [FetchErrorKind.RATE_LIMITED] * 2
    assert answers[1].message.startswith("not tried: ")
    assert client.asked() == ["SMOL", "SMOL"]


def test_after_an_offline_error_the_other_fundamentals_are_not_tried():
    client = FakeClient({"SMOL": dns_failure(), "TINY": equity_info()})

    answers = list(yahoo(client).fundamentals(["SMOL", "TINY"]))

    assert errors(answers) == [FetchErrorKind.OFFLINE] * 2
    assert answers[1].message == "not tried: cannot reach Yahoo (DNSError)"
    assert client.asked() == ["SMOL"]


def test_fundamentals_offline_before_the_batch_make_no_calls():
    client = FakeClient({"SMOL": equity_info(), "TINY": equity_info()})

    answers = list(yahoo(client, online_check=lambda: False).fundamentals(["SMOL", "TINY"]))

    assert errors(answers) == [FetchErrorKind.OFFLINE] * 2
    assert client.calls == []


def test_cancelling_the_fundamentals_after_the_first_answer_makes_one_call():
    cancel = threading.Event()
    client = FakeClient({"SMOL": equity_info(), "TINY": equity_info()})

    answers = []
    for answer in yahoo(client).fundamentals(["SMOL", "TINY"], cancelled=cancel.is_set):
        answers.append(answer)
        cancel.set()

    assert keys(answers) == ["SMOL"]
    assert client.asked() == ["SMOL"]


# -- symbol search ---------------------------------------------------------------------------------
def test_a_blank_query_makes_no_call_and_finds_nothing():
    check = OnlineCheck(online=False)
    client = FakeClient()

    answer = yahoo(client, online_check=check).search("   ")

    assert answer.ok
    assert answer.value == []
    assert (client.calls, check.asked) == ([], 0)


def test_a_search_offline_answers_offline_without_a_call():
    client = FakeClient({"apple": []})

    answer = yahoo(client, online_check=lambda: False).search("apple")

    assert (answer.key, answer.error) == ("apple", FetchErrorKind.OFFLINE)
    assert client.calls == []


def test_hits_come_in_yahoos_order_capped_at_max_results(recorded):
    client = FakeClient({"apple": recorded_quotes("apple")})  # seven hits, more than asked

    answer = yahoo(client).search("apple", max_results=3)

    assert answer.ok, answer.message
    assert answer.key == "apple"
    assert answer.value == [
        Instrument("AAPL", "Apple Inc.", InstrumentKind.EQUITY, "", "NASDAQ", verified=True),
        Instrument(
            "APLE", "Apple Hospitality REIT, Inc.", InstrumentKind.EQUITY, "", "NYSE", verified=True
        ),
        Instrument("AAPL.VI", "Apple Inc.", InstrumentKind.EQUITY, "", "Vienna", verified=True),
    ]
    assert client.calls == [("search", "apple", 3)]


def test_the_query_is_asked_with_its_spaces_tidied():
    client = FakeClient({"apple inc": []})

    answer = yahoo(client).search("  apple   inc ")

    assert (answer.key, answer.value) == ("apple inc", [])
    assert client.calls == [("search", "apple inc", 8)]


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (dns_failure(), FetchErrorKind.OFFLINE),
        (curl_errors.Timeout("Operation timed out"), FetchErrorKind.OFFLINE),
        (rate_limited(), FetchErrorKind.RATE_LIMITED),
        (http_error(429), FetchErrorKind.RATE_LIMITED),
        (http_error(500), FetchErrorKind.ERROR),
    ],
    ids=["dns", "timeout", "rate-limit", "http-429", "http-500"],
)
def test_a_search_failure_is_answered_with_its_kind(error, kind):
    client = FakeClient({"apple": error})

    answer = yahoo(client).search("apple")

    assert (answer.key, answer.error, answer.value) == ("apple", kind, None)


def test_a_rate_limited_search_is_not_retried():
    sleeps = Sleeps()
    client = FakeClient({"apple": rate_limited()})

    yahoo(client, sleep=sleeps).search("apple")

    assert (len(client.calls), sleeps) == (1, [])


# -- classify: yfinance's exceptions as error kinds ------------------------------------------------
def _requests_http_error(status: int) -> Exception:
    response = requests.Response()
    response.status_code = status
    return requests.HTTPError(f"{status} Client Error", response=response)


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (YFRateLimitError(), FetchErrorKind.RATE_LIMITED),
        (YFTzMissingError("NOPE"), FetchErrorKind.NOT_FOUND),
        (
            YFPricesMissingError("GONE", "", yahoo_reason="No data found, symbol may be delisted"),
            FetchErrorKind.NOT_FOUND,
        ),
        (no_prices_in_window(), FetchErrorKind.NO_DATA),
        (http_error(404), FetchErrorKind.NOT_FOUND),
        (http_error(429), FetchErrorKind.RATE_LIMITED),
        (http_error(500), FetchErrorKind.ERROR),
        (_requests_http_error(404), FetchErrorKind.NOT_FOUND),
        (_requests_http_error(429), FetchErrorKind.RATE_LIMITED),
        (dns_failure(), FetchErrorKind.OFFLINE),
        (curl_errors.ConnectionError("Failed to connect"), FetchErrorKind.OFFLINE),
        (curl_errors.Timeout("Operation timed out"), FetchErrorKind.OFFLINE),
        (ConnectionRefusedError(111, "Connection refused"), FetchErrorKind.OFFLINE),
        (TimeoutError("timed out"), FetchErrorKind.OFFLINE),
        (socket.gaierror(-2, "Name or service not known"), FetchErrorKind.OFFLINE),
        (FileNotFoundError(2, "No such file", "tkr-tz.db"), FetchErrorKind.ERROR),
        (PermissionError(13, "Permission denied", "tkr-tz.db"), FetchErrorKind.ERROR),
        (YFDataException("*** YAHOO! FINANCE IS CURRENTLY DOWN! ***"), FetchErrorKind.ERROR),
        (ValueError("bad frame"), FetchErrorKind.ERROR),
    ],
    ids=[
        "yf-rate-limit",
        "yf-tz-missing",
        "yf-prices-missing-with-reason",
        "yf-prices-missing-no-reason",
        "curl-http-404",
        "curl-http-429",
        "curl-http-500",
        "requests-http-404",
        "requests-http-429",
        "curl-dns",
        "curl-connection",
        "curl-timeout",
        "connection-refused",
        "timeout",
        "gaierror",
        "file-not-found",
        "permission",
        "yahoo-down",
        "value-error",
    ],
)
def test_classify_gives_the_kind_of_each_failure(error, kind):
    assert classify(error)[0] is kind


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            YFPricesMissingError("GONE", "", yahoo_reason="No data found, symbol may be delisted"),
            "Yahoo: No data found, symbol may be delisted",
        ),
        (http_error(503), "Yahoo answered HTTP 503"),
        (curl_errors.Timeout("Operation timed out"), "cannot reach Yahoo (Timeout)"),
        (ValueError("bad frame"), "ValueError: bad frame"),
    ],
    ids=["yahoo-reason", "http-status", "offline-names-the-error", "other"],
)
def test_classify_says_what_went_wrong(error, message):
    assert classify(error)[1] == message


# -- every capability ------------------------------------------------------------------------------
def test_sources_offers_the_same_object_for_every_capability():
    source = YahooSource(FakeClient())  # type: ignore[arg-type]

    sources = source.sources()

    assert isinstance(sources, MarketSources)
    assert sources.prices is source
    assert sources.fundamentals is source
    assert sources.search is source


def test_yahoo_sources_passes_its_options_to_the_source():
    client = FakeClient()

    sources = yahoo_sources(client, rate_limit_retries=4, backoff=0.5)  # type: ignore[arg-type]

    assert sources.prices.client is client
    assert (sources.prices.rate_limit_retries, sources.prices.backoff) == (4, 0.5)
    assert sources.fundamentals is sources.prices and sources.search is sources.prices
