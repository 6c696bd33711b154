"""YahooSource against yfinance's own parsing of recorded Yahoo answers (tests/yahoo_frames.py).

Expected values are read from the recorded JSON independently of yfinance. Failures are planted
as the exceptions yfinance's HTTP layer raises, so classification goes through yfinance's real
code paths. Nothing here reaches the network; the two ``offline_ok`` tests meet the test guard
the way the app meets a dead connection.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from decimal import Decimal as D
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from curl_cffi.requests import exceptions as curl_errors

from desktop.core.fundamentals import CapClass
from desktop.core.model import Instrument, InstrumentKind, Trade, TradeType
from desktop.data.paths import cache_dir
from desktop.data.refresh import refresh_fundamentals, run_refresh
from desktop.data.sources.protocol import FetchErrorKind, FetchRequest
from desktop.data.sources.yahoo import source as yahoo
from desktop.data.sources.yahoo.client import YahooClient
from desktop.data.sources.yahoo.source import YahooSource, classify, is_online
from tests import yahoo_frames as yf_json
from tests.data.test_refresh import SATURDAY, dump
from tests.yahoo_frames import YAHOO_JSON, RecordedYahoo, response, serve_recorded

NY = ZoneInfo("America/New_York")
#: The morning after the recordings (captured 2025-10-29, after the US close).
MORNING_AFTER = dt.datetime(2025, 10, 30, 8, 0, tzinfo=NY)
LAST_DAY = dt.date(2025, 10, 28)


@pytest.fixture
def client(tmp_path) -> YahooClient:
    """The process's one way into yfinance, as the app makes it; caches in this test's folder."""
    return YahooClient(tmp_path / "yfinance")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, client: YahooClient) -> RecordedYahoo:
    fake = serve_recorded(
        monkeypatch,
        {name: yf_json.load_chart(name) for name in ("AAPL", "MSFT", "GS2C.DE", "VFINX")},
    )
    fake.client = client
    return fake


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def source(fake: RecordedYahoo, now: dt.datetime = MORNING_AFTER, **kwargs) -> YahooSource:
    kwargs.setdefault("sleep", Sleeps())
    return YahooSource(fake.client, now=lambda: now, online_check=None, **kwargs)


def fetch_one(fake: RecordedYahoo, symbol: str, start=None, end=LAST_DAY, now=MORNING_AFTER, **kw):
    (result,) = source(fake, now, **kw).fetch([FetchRequest(symbol, start, end)])
    assert result.key == symbol
    return result


def by_date(rows):
    return {r["date"]: r for r in rows}


def ny_midnight(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(), NY).timestamp())


# -- prices as recorded ---------------------------------------------------------------------
def test_one_symbol_gives_every_completed_session_with_the_recorded_values(fake):
    chart = yf_json.load_chart("AAPL")
    result = fetch_one(fake, "AAPL")

    assert result.ok, result.message
    rows = by_date(result.value.rows)
    expected_dates = [d for d in yf_json.bar_dates(chart) if d <= LAST_DAY]
    assert [r["date"] for r in result.value.rows] == expected_dates  # oldest first, end inclusive
    assert len(rows) == 126
    assert rows[dt.date(2025, 10, 28)]["close"] == pytest.approx(269.0)
    assert rows[dt.date(2025, 5, 12)]["close"] == pytest.approx(210.7899932861328)
    assert rows[dt.date(2025, 5, 12)]["volume"] == 63775800
    for field in ("open", "high", "low", "close", "volume"):
        recorded = yf_json.bar_values(chart, field)
        assert all(rows[d][field] == pytest.approx(recorded[d]) for d in rows), field
    adj = yf_json.adj_closes(chart)
    assert all(rows[d]["adj_close"] == pytest.approx(adj[d]) for d in rows)
    dividends = {d: r["dividend"] for d, r in rows.items() if r["dividend"]}
    assert dividends == pytest.approx(yf_json.event_amounts(chart, "dividends"))
    assert {r["split"] for r in result.value.rows} == {0.0}
    assert isinstance(result.value.rows[0]["volume"], int)


def test_whole_history_asks_for_max_period_and_end_is_made_exclusive(fake):
    fetch_one(fake, "AAPL", start=None, end=LAST_DAY)

    (params,) = fake.chart_calls("AAPL")
    assert "range" not in params  # period='max' is sent as a 99-year period1
    assert params["period1"] < ny_midnight(dt.date(1930, 1, 1))
    assert params["period2"] == ny_midnight(LAST_DAY + dt.timedelta(days=1))
    assert params["interval"] == "1d"


def test_a_window_is_asked_for_and_respected(fake):
    result = fetch_one(fake, "AAPL", start=dt.date(2025, 10, 1), end=dt.date(2025, 10, 10))

    (params,) = fake.chart_calls("AAPL")
    assert params["period1"] == ny_midnight(dt.date(2025, 10, 1))
    dates = [r["date"] for r in result.value.rows]
    assert dates[0] == dt.date(2025, 10, 1) and dates[-1] == dt.date(2025, 10, 10)
    assert len(dates) == 8


def test_metadata_becomes_a_verified_instrument(fake):
    instrument = fetch_one(fake, "AAPL").value.instrument

    assert instrument is not None
    assert (instrument.symbol, instrument.name, instrument.kind) == (
        "AAPL",
        "Apple Inc.",
        InstrumentKind.EQUITY,
    )
    assert (instrument.currency, instrument.exchange, instrument.timezone) == (
        "USD",
        "NMS",
        "America/New_York",
    )
    assert instrument.verified


def test_several_symbols_in_order_with_exchange_local_dates(fake):
    requests = [FetchRequest(s, None, LAST_DAY) for s in ("AAPL", "GS2C.DE", "MSFT")]

    results = list(source(fake).fetch(requests))

    assert [r.key for r in results] == ["AAPL", "GS2C.DE", "MSFT"]
    assert all(r.ok for r in results)
    xetra = results[1]
    chart = yf_json.load_chart("GS2C.DE")
    # Dates in Europe/Berlin across the end of summer time (26 October 2025).
    closes = {d: c for d, c in yf_json.bar_values(chart, "close").items() if d <= LAST_DAY}
    assert {r["date"]: r["close"] for r in xetra.value.rows} == pytest.approx(closes)
    assert (xetra.value.instrument.currency, xetra.value.instrument.timezone) == (
        "EUR",
        "Europe/Berlin",
    )
    assert xetra.value.instrument.name == "GameStop Corp."
    msft = yf_json.bar_values(yf_json.load_chart("MSFT"), "close")
    assert by_date(results[2].value.rows)[dt.date(2025, 8, 1)]["close"] == pytest.approx(
        msft[dt.date(2025, 8, 1)]
    )


def test_an_index_has_no_dividends_and_adjusted_equals_raw(fake):
    fake.charts["^FAKEIDX"] = yf_json.as_index(yf_json.load_chart("AAPL"))

    result = fetch_one(fake, "^FAKEIDX")

    assert result.ok
    assert result.value.instrument.kind is InstrumentKind.INDEX
    assert {r["dividend"] for r in result.value.rows} == {0.0}
    assert all(r["adj_close"] == r["close"] for r in result.value.rows)


def test_a_mutual_fund_with_capital_gains_is_read_by_column_name(fake):
    frame, _metadata = fake.client.history("VFINX", None, LAST_DAY)
    assert list(frame.columns)[-1] == "Capital Gains" and frame["Capital Gains"].gt(0).any()

    result = fetch_one(fake, "VFINX")

    assert result.ok
    assert result.value.instrument.kind is InstrumentKind.MUTUAL_FUND
    assert result.value.instrument.name == "Vanguard 500 Index Fund"
    chart = yf_json.load_chart("VFINX")
    assert {r["date"]: r["close"] for r in result.value.rows} == pytest.approx(
        yf_json.bar_values(chart, "close")
    )
    gains = {r["date"]: r["capital_gain"] for r in result.value.rows if r["capital_gain"]}
    assert gains == pytest.approx(yf_json.events_by_bar(chart, "capitalGains"))
    assert len(gains) == 21 and sum(gains.values()) == pytest.approx(4.175)
    assert all("capital_gain" not in r for r in fetch_one(fake, "AAPL").value.rows)  # not a fund


# -- failures -------------------------------------------------------------------------------
def test_unknown_symbols_are_not_found_and_do_not_stop_the_batch(fake):
    # yfinance looks an unknown symbol's time zone up through quoteSummary for the first two
    # symbols of a process (an HTTP 404 error), then says YFTzMissingError: both are NOT_FOUND.
    symbols = ["NOPE1", "NOPE2", "NOPE3", "AAPL"]

    results = list(source(fake).fetch([FetchRequest(s, None, LAST_DAY) for s in symbols]))

    assert [r.error for r in results] == [FetchErrorKind.NOT_FOUND] * 3 + [None]
    quote_summary = [url for url, _ in fake.calls if "quoteSummary" in url]
    assert [url.rsplit("/", 1)[1] for url in quote_summary] == ["NOPE1", "NOPE2"]
    assert all("offline" not in r.message.lower() for r in results)


def test_yahoo_reason_for_a_symbol_whose_time_zone_is_known_is_not_found(fake):
    import yfinance as yf

    fake.client.start()
    yf.cache.get_tz_cache().store("GONE", "America/New_York")  # fetched once, delisted since

    result = fetch_one(fake, "GONE")

    assert result.error is FetchErrorKind.NOT_FOUND
    assert "No data found" in result.message


def test_an_empty_window_is_no_data_not_a_missing_symbol(fake):
    result = fetch_one(
        fake,
        "AAPL",
        start=dt.date(2025, 11, 3),
        end=dt.date(2025, 11, 4),
        now=dt.datetime(2025, 11, 5, 9, tzinfo=NY),
    )

    assert result.error is FetchErrorKind.NO_DATA
    assert "delisted" not in result.message


def test_rate_limit_is_retried_with_backoff_then_succeeds(fake):
    from yfinance.exceptions import YFRateLimitError

    fake.failures["AAPL"] = [YFRateLimitError, YFRateLimitError]
    sleeps = Sleeps()

    result = fetch_one(fake, "AAPL", sleep=sleeps, backoff=5.0, rate_limit_retries=2)

    assert result.ok and len(result.value.rows) == 126
    assert sleeps == [5.0, 10.0]


def test_persistent_rate_limit_gives_up_and_spares_the_remaining_symbols(fake):
    from yfinance.exceptions import YFRateLimitError

    fake.failures["AAPL"] = YFRateLimitError
    sleeps = Sleeps()
    requests = [FetchRequest(s, None, LAST_DAY) for s in ("AAPL", "MSFT")]

    one_by_one = source(fake, sleep=sleeps, backoff=1.0, rate_limit_retries=3)
    results = list(one_by_one.fetch(requests))

    assert [r.error for r in results] == [FetchErrorKind.RATE_LIMITED] * 2
    assert sleeps == [1.0, 2.0, 4.0]
    assert not [u for u, _ in fake.calls if "MSFT" in u]


def test_connection_error_is_offline_and_the_rest_are_answered_without_trying(fake):
    for symbol in ("AAPL", "MSFT", "GS2C.DE"):
        fake.failures[symbol] = lambda: curl_errors.DNSError(
            "Failed to perform, curl: (6) Could not resolve host: query2.finance.yahoo.com"
        )
    requests = [FetchRequest(s, None, LAST_DAY) for s in ("AAPL", "MSFT", "GS2C.DE")]

    started = time.monotonic()
    results = list(source(fake).fetch(requests))

    assert time.monotonic() - started < 2
    assert [r.error for r in results] == [FetchErrorKind.OFFLINE] * 3
    assert len(fake.calls) == 1  # only AAPL's first request was tried
    assert all("not found" not in r.message and "delisted" not in r.message for r in results)


def test_failed_online_check_answers_offline_without_touching_yfinance(fake):
    requests = [FetchRequest(s, None, LAST_DAY) for s in ("AAPL", "MSFT")]

    results = list(YahooSource(fake.client, online_check=lambda: False).fetch(requests))

    assert [r.error for r in results] == [FetchErrorKind.OFFLINE] * 2
    assert fake.calls == []


def test_cancelled_between_symbols(fake):
    results = []
    requests = [FetchRequest(s, None, LAST_DAY) for s in ("AAPL", "MSFT", "GS2C.DE")]

    for result in source(fake).fetch(requests, cancelled=lambda: len(results) >= 1):
        results.append(result)

    assert [r.key for r in results] == ["AAPL"]
    assert fake.chart_calls("MSFT") == []


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (curl_errors.ConnectionError("refused"), FetchErrorKind.OFFLINE),
        (curl_errors.Timeout("timed out"), FetchErrorKind.OFFLINE),
        (curl_errors.ProxyError("proxy"), FetchErrorKind.OFFLINE),
        (ConnectionRefusedError(111, "refused"), FetchErrorKind.OFFLINE),
        (TimeoutError("timed out"), FetchErrorKind.OFFLINE),
        (PermissionError(13, "cache folder"), FetchErrorKind.ERROR),
        (ValueError("bug"), FetchErrorKind.ERROR),
    ],
)
def test_classification(error, kind):
    assert classify(error)[0] is kind


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (404, FetchErrorKind.NOT_FOUND),
        (429, FetchErrorKind.RATE_LIMITED),
        (500, FetchErrorKind.ERROR),
    ],
)
def test_http_errors_mean_yahoo_answered(status, kind):
    response = yf_json.response("https://query2.finance.yahoo.com/x", status, {})
    assert classify(curl_errors.HTTPError(f"HTTP Error {status}", 0, response))[0] is kind


# -- awkward frames ---------------------------------------------------------------------------
def test_bars_without_a_close_are_dropped(fake):
    blank, no_close = dt.date(2025, 6, 2), dt.date(2025, 6, 3)
    chart = yf_json.with_null_bars(yf_json.load_chart("AAPL"), [blank])
    fake.charts["AAPL"] = yf_json.with_null_close(chart, no_close)

    rows = by_date(fetch_one(fake, "AAPL").value.rows)

    assert blank not in rows and no_close not in rows
    assert len(rows) == 124
    assert dt.date(2025, 6, 4) in rows


def test_a_repeated_bar_gives_one_row_per_date(fake):
    day = dt.date(2025, 7, 1)
    fake.charts["AAPL"] = yf_json.with_repeated_bar(yf_json.load_chart("AAPL"), day, close=999.0)

    result = fetch_one(fake, "AAPL")

    dates = [r["date"] for r in result.value.rows]
    assert len(dates) == len(set(dates)) == 126
    recorded = yf_json.bar_values(yf_json.load_chart("AAPL"), "close")
    # yfinance keeps the first of two bars with the same date (unless they are the last two).
    assert by_date(result.value.rows)[day]["close"] == pytest.approx(recorded[day])


@pytest.mark.parametrize(
    ("now", "kept"),
    [
        (dt.datetime(2025, 10, 29, 15, 0, tzinfo=NY), False),  # session still trading
        (dt.datetime(2025, 10, 29, 16, 10, tzinfo=NY), False),  # closed, not yet settled
        (dt.datetime(2025, 10, 29, 16, 45, tzinfo=NY), True),
        (dt.datetime(2025, 10, 30, 8, 0, tzinfo=NY), True),
    ],
)
def test_todays_live_bar_is_kept_only_once_the_session_is_over(fake, now, kept):
    today = dt.date(2025, 10, 29)

    rows = by_date(fetch_one(fake, "AAPL", end=today, now=now).value.rows)

    assert (today in rows) is kept
    assert dt.date(2025, 10, 28) in rows


def test_a_session_yahoo_has_moved_past_is_final(fake):
    # Recorded at 17:35 in Frankfurt: Yahoo's current trading period is already the next day.
    now = dt.datetime(2025, 10, 29, 17, 40, tzinfo=ZoneInfo("Europe/Berlin"))

    rows = by_date(fetch_one(fake, "GS2C.DE", end=dt.date(2025, 10, 29), now=now).value.rows)

    assert dt.date(2025, 10, 29) in rows


def test_a_split_is_reported_as_new_shares_per_old(fake):
    day = dt.date(2025, 6, 2)
    fake.charts["AAPL"] = yf_json.with_split(yf_json.load_chart("AAPL"), day, (4, 1))

    rows = by_date(fetch_one(fake, "AAPL").value.rows)

    assert rows[day]["split"] == 4.0
    assert sum(1 for r in rows.values() if r["split"]) == 1


def test_pence_become_pounds(fake):
    chart = yf_json.load_chart("AAPL")
    fake.charts["FAKE.L"] = yf_json.renamed(
        chart, "FAKE.L", currency="GBp", exchangeName="LSE", exchangeTimezoneName="Europe/London"
    )

    result = fetch_one(
        fake, "FAKE.L", now=dt.datetime(2025, 10, 30, 8, tzinfo=ZoneInfo("Europe/London"))
    )

    assert result.value.instrument.currency == "GBP"
    closes = yf_json.bar_values(chart, "close")
    rows = by_date(result.value.rows)
    assert all(r["close"] == pytest.approx(closes[d] / 100) for d, r in rows.items())
    assert rows[dt.date(2025, 5, 12)]["high"] == pytest.approx(
        yf_json.bar_values(chart, "high")[dt.date(2025, 5, 12)] / 100
    )
    assert rows[dt.date(2025, 5, 12)]["volume"] == 63775800  # volumes are not money
    # 0.26 against a 2.11 price is a plausible dividend in pounds: left as it is.
    assert rows[dt.date(2025, 5, 12)]["dividend"] == pytest.approx(0.26)


def test_pence_dividends_and_capital_gains_are_converted_too(fake):
    chart = yf_json.renamed(
        yf_json.load_chart("AAPL"), "FAKE.L", currency="GBp", instrumentType="ETF"
    )
    events = yf_json.result(chart)["events"]
    for event in events["dividends"].values():
        event["amount"] = 26.0  # pence, against prices of about 210 pence
    events["capitalGains"] = {
        key: {"date": event["date"], "amount": 13.0} for key, event in events["dividends"].items()
    }
    fake.charts["FAKE.L"] = chart

    rows = by_date(fetch_one(fake, "FAKE.L").value.rows)

    assert rows[dt.date(2025, 5, 12)]["dividend"] == pytest.approx(0.26)
    assert rows[dt.date(2025, 5, 12)]["capital_gain"] == pytest.approx(0.13)


def test_a_minor_unit_history_already_in_pounds_is_left_alone(fake):
    chart = yf_json.load_chart("AAPL")
    # The quote is in pence while the history came in pounds: ~100x the last close.
    fake.charts["FAKE.L"] = yf_json.renamed(
        chart, "FAKE.L", currency="GBp", regularMarketPrice=26900.0
    )

    result = fetch_one(fake, "FAKE.L")

    assert by_date(result.value.rows)[LAST_DAY]["close"] == pytest.approx(269.0)
    assert result.value.instrument.currency == "GBP"


# -- set-up ---------------------------------------------------------------------------------
def test_yfinance_caches_live_in_the_client_s_folder(fake):
    import yfinance as yf

    fetch_one(fake, "AAPL")

    assert (fake.client.cache_folder / "tkr-tz.db").is_file()
    assert yf.cache.get_tz_cache().lookup("AAPL") == "America/New_York"
    assert yf.config.debug.hide_exceptions is False


def test_by_default_the_caches_are_in_the_app_cache_folder(monkeypatch):
    serve_recorded(monkeypatch, {"AAPL": yf_json.load_chart("AAPL")})

    YahooClient().history("AAPL", dt.date(2025, 10, 1), LAST_DAY)

    assert (cache_dir() / "yfinance" / "tkr-tz.db").is_file()


def test_every_request_goes_through_the_client_s_one_session(fake):
    import yfinance.data

    sessions = []
    real_get = fake.get

    def get(url, params=None, timeout=30):
        sessions.append(yfinance.data.YfData()._session)  # private: re-check on upgrade
        return real_get(url, params, timeout)

    fake.get = get
    for symbol in ("AAPL", "MSFT"):
        fetch_one(fake, symbol, start=dt.date(2025, 10, 1))

    assert len(sessions) >= 2
    assert all(s is fake.client._session for s in sessions) and sessions[0] is not None


def test_yfinance_is_entered_by_one_thread_at_a_time(fake):
    """Four threads fetch at once through one client; the fake Yahoo counts how many requests
    are inside yfinance together (a short pause in each makes an overlap likely without the
    client's lock: this test fails when the lock is removed)."""
    import threading
    import time

    inside, most = [0], [0]
    guard = threading.Lock()
    real_get = fake.get

    def get(url, params=None, timeout=30):
        with guard:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.005)
        try:
            return real_get(url, params, timeout)
        finally:
            with guard:
                inside[0] -= 1

    fake.get = get
    errors = []

    def work(symbol):
        for _ in range(3):
            result = fetch_one(fake, symbol, start=dt.date(2025, 10, 1))
            if not result.ok:
                errors.append(result.message)

    threads = [threading.Thread(target=work, args=(s,)) for s in ("AAPL", "MSFT") * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert most[0] == 1


def test_importing_the_adapter_does_not_import_yfinance(subprocess_env):
    code = "import sys, desktop.data.sources.yahoo.source; print('yfinance' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=subprocess_env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout.strip() == "False"


# -- the real thing, against the test guard's dead network ------------------------------------
@pytest.mark.offline_ok
def test_offline_fetch_of_three_symbols_says_offline_and_tries_only_the_first(client, monkeypatch):
    # The guard refuses every connection, as a dead network does; no online check first.
    asked = []
    real_history = client.history
    monkeypatch.setattr(client, "history", lambda s, *a: asked.append(s) or real_history(s, *a))
    requests = [FetchRequest(s, dt.date(2025, 10, 1), LAST_DAY) for s in ("AAPL", "^RUT", "^GSPC")]

    results = list(YahooSource(client, online_check=None).fetch(requests))

    assert [r.error for r in results] == [FetchErrorKind.OFFLINE] * 3
    assert asked == ["AAPL"]
    assert [r.message.startswith("not tried") for r in results] == [False, True, True]


@pytest.mark.offline_ok
def test_online_check_is_false_and_quick_without_a_network(monkeypatch):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)

    started = time.monotonic()
    assert is_online(timeout=1.0) is False
    assert time.monotonic() - started < 1.5
    assert yahoo.YAHOO_HOST == "query2.finance.yahoo.com"


# == fundamentals: Ticker.info on the recorded MSFT answers ==================================
INFO_NOW = dt.datetime(2025, 10, 30, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def msft_info(monkeypatch: pytest.MonkeyPatch, client: YahooClient) -> RecordedYahoo:
    fake = serve_recorded(monkeypatch)
    fake.client = client
    fake.summaries["MSFT"] = yf_json.load_summary(
        "analysis_api_financialData_MSFT", "profile_api_assetProfile-quoteType-fundProfile_MSFT"
    )
    fake.quotes["MSFT"] = yf_json.load_quote("MSFT")
    return fake


def info_source(fake: RecordedYahoo, **kwargs) -> YahooSource:
    kwargs.setdefault("sleep", Sleeps())
    return YahooSource(fake.client, now=lambda: INFO_NOW, online_check=None, **kwargs)


def recorded_financial_data() -> dict:
    raw = json.loads((yf_json.YAHOO_JSON / "analysis_api_financialData_MSFT.json").read_text())
    return raw["quoteSummary"]["result"][0]["financialData"]


def test_msft_snapshot_holds_the_recorded_figures(msft_info):
    financial = recorded_financial_data()
    quote = yf_json.load_quote("MSFT")["quoteResponse"]["result"][0]

    (answer,) = info_source(msft_info).fundamentals(["MSFT"])
    snapshot = answer.value

    assert (answer.key, answer.error, answer.message) == ("MSFT", None, "")
    assert snapshot is not None
    assert snapshot.symbol == "MSFT"
    assert snapshot.fetched == INFO_NOW.date()
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


def test_info_asks_quote_summary_quote_and_the_timeseries(msft_info):
    list(info_source(msft_info).fundamentals(["MSFT"]))

    urls = [url for url, _params in msft_info.calls]
    assert any("/v10/finance/quoteSummary/MSFT" in u for u in urls)
    assert any("/v7/finance/quote" in u for u in urls)
    assert any("/fundamentals-timeseries/" in u for u in urls)


def test_an_unknown_symbol_is_not_found(msft_info):
    answers = list(info_source(msft_info).fundamentals(["NOPE", "MSFT"]))

    assert (answers[0].key, answers[0].value, answers[0].error) == (
        "NOPE",
        None,
        FetchErrorKind.NOT_FOUND,
    )
    assert answers[1].key == "MSFT" and answers[1].value is not None  # the batch goes on


def test_a_connection_error_is_offline_and_the_rest_are_not_tried(msft_info):
    msft_info.failures["MSFT"] = lambda: curl_errors.ConnectionError("Failed to connect")
    msft_info.summaries["AAPL"] = msft_info.summaries["MSFT"]

    answers = list(info_source(msft_info).fundamentals(["MSFT", "AAPL"]))

    assert [(a.key, a.value, a.error) for a in answers] == [
        ("MSFT", None, FetchErrorKind.OFFLINE),
        ("AAPL", None, FetchErrorKind.OFFLINE),
    ]
    assert answers[1].message.startswith("not tried")
    assert not any("AAPL" in url for url, _params in msft_info.calls)


def test_a_failed_online_check_answers_offline_without_a_request(msft_info):
    yahoo = YahooSource(msft_info.client, now=lambda: INFO_NOW, online_check=lambda: False)

    answers = list(yahoo.fundamentals(["MSFT"]))

    assert [(a.key, a.error) for a in answers] == [("MSFT", FetchErrorKind.OFFLINE)]
    assert msft_info.calls == []


def test_rate_limit_is_retried_with_backoff(msft_info):
    from yfinance.exceptions import YFRateLimitError

    msft_info.failures["MSFT"] = [YFRateLimitError]
    sleeps = Sleeps()

    (answer,) = info_source(msft_info, sleep=sleeps).fundamentals(["MSFT"])

    assert answer.error is None and answer.value is not None
    assert sleeps == [5.0]


def test_a_fund_is_not_given_equity_fundamentals(msft_info):
    quote = yf_json.load_quote("MSFT")
    quote["quoteResponse"]["result"][0].update(quoteType="ETF", symbol="FUND")
    msft_info.quotes["FUND"] = quote
    msft_info.summaries["FUND"] = {"quoteSummary": {"result": [{}], "error": None}}

    (answer,) = info_source(msft_info).fundamentals(["FUND"])

    assert answer.value is None and answer.error is FetchErrorKind.NO_DATA


def test_cancelled_before_the_first_symbol_asks_nothing(msft_info):
    assert list(info_source(msft_info).fundamentals(["MSFT"], cancelled=lambda: True)) == []
    assert msft_info.calls == []


def test_no_symbols_no_requests(msft_info):
    assert list(info_source(msft_info).fundamentals([])) == []
    assert msft_info.calls == []


def test_unknown_symbol_is_not_found_even_when_yfinance_hides_the_404(msft_info, monkeypatch):
    import yfinance as yf

    # yfinance's default: the 404 is logged and info is {"trailingPegRatio": None}.
    msft_info.client.start()
    monkeypatch.setitem(yf.config.debug.data, "hide_exceptions", True)

    (answer,) = info_source(msft_info).fundamentals(["NOPE"])

    assert answer.value is None and answer.error is FetchErrorKind.NOT_FOUND


# == symbol search: yf.Search on the recorded answer for "apple" ============================
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
def recorded() -> dict[str, Any]:
    return json.loads((YAHOO_JSON / "search_v1_apple.json").read_text())


@pytest.fixture
def searched(monkeypatch: pytest.MonkeyPatch, recorded, client: YahooClient) -> FakeSearch:
    import yfinance.data

    fake = FakeSearch(recorded)
    fake.client = client

    def get(self: Any, url: str, params: dict[str, Any] | None = None, timeout: float = 30):
        return fake.get(url, params, timeout)

    monkeypatch.setattr(yfinance.data.YfData, "get", get)
    return fake


def search_source(fake: FakeSearch) -> YahooSource:
    return YahooSource(fake.client, online_check=None)


def test_search_turns_the_recorded_quotes_into_verified_instruments(searched, recorded):
    answer = search_source(searched).search("apple")
    hits = answer.value

    assert (answer.key, answer.error, answer.message) == ("apple", None, "")
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


def test_search_asks_for_quotes_only(searched):
    search_source(searched).search("  apple  ", max_results=5)

    ((url, params),) = searched.calls
    assert url.endswith("/v1/finance/search")
    assert params["q"] == "apple"
    assert params["quotesCount"] == 5
    assert params["newsCount"] == 0 and params["listsCount"] == 0


def test_max_results_caps_the_answer(searched):
    answer = search_source(searched).search("apple", max_results=2)
    assert answer.error is None
    assert [h.symbol for h in answer.value] == ["AAPL", "APLE"]


def test_a_blank_query_asks_nothing(searched):
    answer = search_source(searched).search("   ")
    assert (answer.value, answer.error) == ([], None)
    assert searched.calls == []


def test_a_connection_error_is_offline(searched):
    searched.failure = curl_errors.ConnectionError(
        "Could not resolve host: query2.finance.yahoo.com"
    )
    answer = search_source(searched).search("apple")
    assert answer.value is None and answer.error is FetchErrorKind.OFFLINE
    assert "cannot reach Yahoo" in answer.message


def test_rate_limiting_is_reported(searched):
    from yfinance.exceptions import YFRateLimitError

    searched.failure = YFRateLimitError()
    answer = search_source(searched).search("apple")
    assert answer.value is None and answer.error is FetchErrorKind.RATE_LIMITED


def test_a_bad_answer_is_no_hits_not_an_exception(searched):
    searched.body = {
        "quotes": [{"symbol": "AAPL"}, {"no": "symbol"}, {"symbol": "ES=F", "quoteType": "FUTURE"}]
    }
    answer = search_source(searched).search("apple")
    assert answer.error is None and answer.value == []  # no kind the app tracks


def test_offline_answers_at_once_without_a_request(searched):
    answer = YahooSource(searched.client, online_check=lambda: False).search("apple")
    assert answer.value is None and answer.error is FetchErrorKind.OFFLINE
    assert searched.calls == []


# == the frames yfinance builds ===============================================================
@pytest.mark.parametrize("name", ["AAPL", "MSFT", "GS2C.DE"])
def test_yfinance_builds_the_frame_the_unit_tests_build_by_hand(fake, name):
    import pandas as pd

    frame, metadata = fake.client.history(name, None, dt.date(2025, 12, 31))

    pd.testing.assert_frame_equal(frame, yf_json.history_frame(yf_json.load_chart(name)))
    assert (
        metadata.get("exchangeTimezoneName")
        == yf_json.meta(yf_json.load_chart(name))["exchangeTimezoneName"]
    )


# == through the refresh: recorded answers into the store ====================================
def hold(store, symbol: str) -> None:
    store.add_trade(Trade(dt.date(2024, 1, 5), TradeType.BUY, symbol, D("10"), D("100"), D("0")))


# -- with the real Yahoo adapter ----------------------------------------------------------------
def test_refresh_through_yahoo_source_stores_the_recorded_closes(store, client, monkeypatch):
    chart = yf_json.load_chart("AAPL")
    yf_json.serve_recorded(monkeypatch, {"AAPL": chart})
    now = dt.datetime(2025, 10, 29, 12, 0, tzinfo=NY)  # during the session: 29 Oct is live
    source = YahooSource(client, now=lambda: now, online_check=None)

    report = run_refresh(store, source, symbols=["AAPL"], now=now)

    assert report.updated == {"AAPL": 126}
    closes = yf_json.bar_values(chart, "close")
    stored = {dt.date.fromisoformat(r["date"]): r["close"] for r in store.price_rows("AAPL")}
    assert stored == pytest.approx({d: c for d, c in closes.items() if d <= dt.date(2025, 10, 28)})
    assert store.instrument("AAPL").name == "Apple Inc."
    assert store.price_rows("AAPL")[-1]["source"] == "yahoo"


def test_a_funds_capital_gains_land_in_the_cache(store, client, monkeypatch):
    chart = yf_json.load_chart("VFINX")  # quarterly bars since 1985, 21 capital gains
    fake = yf_json.serve_recorded(monkeypatch, {"VFINX": chart})
    now = dt.datetime(2025, 10, 29, 12, 0, tzinfo=NY)
    source = YahooSource(client, now=lambda: now, online_check=None)

    report = run_refresh(store, source, symbols=["VFINX"], now=now)

    assert report.updated == {"VFINX": 164} and report.refetched == []
    assert len(fake.chart_calls("VFINX")) == 1  # a whole history is not asked for twice
    rows = store.price_rows("VFINX")
    gains = {dt.date.fromisoformat(r["date"]): r["capital_gain"] for r in rows if r["capital_gain"]}
    assert gains == pytest.approx(yf_json.events_by_bar(chart, "capitalGains"))
    assert gains[dt.date(1999, 1, 1)] == pytest.approx(0.455)  # paid 26 March 1999
    assert sum(r["capital_gain"] for r in rows) == pytest.approx(4.175)
    assert store.instrument("VFINX").kind is InstrumentKind.MUTUAL_FUND


@pytest.mark.offline_ok
def test_offline_refresh_through_yahoo_source_changes_nothing(store, client):
    hold(store, "COHU")
    store.upsert_prices("COHU", [{"date": "2024-03-01", "close": 30.0}], "csv")
    portfolio = store
    before = dump(portfolio)

    report = run_refresh(portfolio, YahooSource(client), now=SATURDAY)

    assert dump(portfolio) == before
    assert report.offline and report.updated == {}
    assert report.summary().startswith("Offline: showing cached prices")


# -- with the real Yahoo adapter ----------------------------------------------------------------
def test_a_dividend_yahoo_reports_brings_its_whole_history_again(store, client, monkeypatch):
    chart = yf_json.load_chart("AAPL")
    fake = yf_json.serve_recorded(monkeypatch, {"AAPL": chart})
    august = dt.datetime(2025, 8, 6, 18, 0, tzinfo=NY)  # Wednesday evening, before the dividend
    october = dt.datetime(2025, 10, 29, 12, 0, tzinfo=NY)
    run_refresh(store, YahooSource(client, now=lambda: august, online_check=None), ["AAPL"], august)
    assert store.price_span("AAPL")[1] == dt.date(2025, 8, 6)

    report = run_refresh(
        store, YahooSource(client, now=lambda: october, online_check=None), ["AAPL"], october
    )

    calls = fake.chart_calls("AAPL")
    assert len(calls) == 3 and report.refetched == ["AAPL"]
    assert calls[1]["period1"] == int(dt.datetime(2025, 7, 30, tzinfo=NY).timestamp())
    long_ago = int(dt.datetime(1970, 1, 1, tzinfo=NY).timestamp())
    assert calls[0]["period1"] < long_ago and calls[2]["period1"] < long_ago  # period="max"
    dates = [d for d in yf_json.bar_dates(chart) if d <= dt.date(2025, 10, 28)]
    assert report.updated == {"AAPL": sum(1 for d in dates if d > dt.date(2025, 8, 6))}
    stored = {dt.date.fromisoformat(r["date"]): r for r in store.price_rows("AAPL")}
    assert list(stored) == dates
    dividends = {d: r["dividend"] for d, r in stored.items() if r["dividend"]}
    assert dividends == pytest.approx(yf_json.event_amounts(chart, "dividends"))
    adjusted = yf_json.adj_closes(chart)
    assert {d: r["adj_close"] for d, r in stored.items()} == pytest.approx(
        {d: adjusted[d] for d in dates}
    )


def test_with_the_real_adapter_an_unknown_symbol_saves_nothing(store, client, monkeypatch):
    fake = serve_recorded(monkeypatch)
    fake.summaries["MSFT"] = yf_json.load_summary("analysis_api_financialData_MSFT")
    fake.quotes["MSFT"] = yf_json.load_quote("MSFT")
    hold(store, "NOPE")
    hold(store, "MSFT")
    source = YahooSource(client, now=lambda: INFO_NOW, online_check=None)

    report = refresh_fundamentals(store, source, INFO_NOW)

    assert report.updated == ["MSFT"]
    assert report.failed["NOPE"][0] is FetchErrorKind.NOT_FOUND
    saved = store.fundamentals()
    assert set(saved) == {"MSFT"} and saved["MSFT"].analysts == 52
