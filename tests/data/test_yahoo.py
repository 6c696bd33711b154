"""YahooSource against yfinance's own parsing of recorded Yahoo answers (tests/yahoo_frames.py).

Expected values are read from the recorded JSON independently of yfinance. Failures are planted
as the exceptions yfinance's HTTP layer raises, so classification goes through yfinance's real
code paths. Nothing here reaches the network; the two ``offline_ok`` tests meet the test guard
the way the app meets a dead connection.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

import pytest
from curl_cffi.requests import exceptions as curl_errors

from desktop.core.model import InstrumentKind
from desktop.data import yahoo
from desktop.data.paths import cache_dir
from desktop.data.sources import FetchErrorKind, FetchRequest
from desktop.data.yahoo import YahooSource, classify, configure_yfinance, is_online
from tests import yahoo_frames as yf_json
from tests.yahoo_frames import RecordedYahoo, serve_recorded

NY = ZoneInfo("America/New_York")
#: The morning after the recordings (captured 2025-10-29, after the US close).
MORNING_AFTER = dt.datetime(2025, 10, 30, 8, 0, tzinfo=NY)
LAST_DAY = dt.date(2025, 10, 28)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, shared_data) -> RecordedYahoo:
    return serve_recorded(
        monkeypatch,
        {name: yf_json.load_chart(name) for name in ("AAPL", "MSFT", "GS2C.DE", "VFINX")},
    )


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def source(now: dt.datetime = MORNING_AFTER, **kwargs) -> YahooSource:
    kwargs.setdefault("sleep", Sleeps())
    return YahooSource(now=lambda: now, online_check=None, **kwargs)


def fetch_one(symbol: str, start=None, end=LAST_DAY, now=MORNING_AFTER, **kwargs):
    (result,) = source(now, **kwargs).fetch([FetchRequest(symbol, start, end)])
    assert result.symbol == symbol
    return result


def by_date(rows):
    return {r["date"]: r for r in rows}


def ny_midnight(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(), NY).timestamp())


# -- prices as recorded ---------------------------------------------------------------------
def test_one_symbol_gives_every_completed_session_with_the_recorded_values(fake):
    chart = yf_json.load_chart("AAPL")
    result = fetch_one("AAPL")

    assert result.ok, result.message
    rows = by_date(result.rows)
    expected_dates = [d for d in yf_json.bar_dates(chart) if d <= LAST_DAY]
    assert [r["date"] for r in result.rows] == expected_dates  # oldest first, end inclusive
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
    assert {r["split"] for r in result.rows} == {0.0}
    assert isinstance(result.rows[0]["volume"], int)


def test_whole_history_asks_for_max_period_and_end_is_made_exclusive(fake):
    fetch_one("AAPL", start=None, end=LAST_DAY)

    (params,) = fake.chart_calls("AAPL")
    assert "range" not in params  # period='max' is sent as a 99-year period1
    assert params["period1"] < ny_midnight(dt.date(1930, 1, 1))
    assert params["period2"] == ny_midnight(LAST_DAY + dt.timedelta(days=1))
    assert params["interval"] == "1d"


def test_a_window_is_asked_for_and_respected(fake):
    result = fetch_one("AAPL", start=dt.date(2025, 10, 1), end=dt.date(2025, 10, 10))

    (params,) = fake.chart_calls("AAPL")
    assert params["period1"] == ny_midnight(dt.date(2025, 10, 1))
    dates = [r["date"] for r in result.rows]
    assert dates[0] == dt.date(2025, 10, 1) and dates[-1] == dt.date(2025, 10, 10)
    assert len(dates) == 8


def test_metadata_becomes_a_verified_instrument(fake):
    instrument = fetch_one("AAPL").instrument

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

    results = list(source().fetch(requests))

    assert [r.symbol for r in results] == ["AAPL", "GS2C.DE", "MSFT"]
    assert all(r.ok for r in results)
    xetra = results[1]
    chart = yf_json.load_chart("GS2C.DE")
    # Dates in Europe/Berlin across the end of summer time (26 October 2025).
    closes = {d: c for d, c in yf_json.bar_values(chart, "close").items() if d <= LAST_DAY}
    assert {r["date"]: r["close"] for r in xetra.rows} == pytest.approx(closes)
    assert (xetra.instrument.currency, xetra.instrument.timezone) == ("EUR", "Europe/Berlin")
    assert xetra.instrument.name == "GameStop Corp."
    msft = yf_json.bar_values(yf_json.load_chart("MSFT"), "close")
    assert by_date(results[2].rows)[dt.date(2025, 8, 1)]["close"] == pytest.approx(
        msft[dt.date(2025, 8, 1)]
    )


def test_an_index_has_no_dividends_and_adjusted_equals_raw(fake):
    fake.charts["^FAKEIDX"] = yf_json.as_index(yf_json.load_chart("AAPL"))

    result = fetch_one("^FAKEIDX")

    assert result.ok
    assert result.instrument.kind is InstrumentKind.INDEX
    assert {r["dividend"] for r in result.rows} == {0.0}
    assert all(r["adj_close"] == r["close"] for r in result.rows)


def test_a_mutual_fund_with_capital_gains_is_read_by_column_name(fake):
    import yfinance as yf

    configure_yfinance()
    frame = yf.Ticker("VFINX").history(period="max", auto_adjust=False)
    assert list(frame.columns)[-1] == "Capital Gains" and frame["Capital Gains"].gt(0).any()

    result = fetch_one("VFINX")

    assert result.ok
    assert result.instrument.kind is InstrumentKind.MUTUAL_FUND
    assert result.instrument.name == "Vanguard 500 Index Fund"
    chart = yf_json.load_chart("VFINX")
    assert {r["date"]: r["close"] for r in result.rows} == pytest.approx(
        yf_json.bar_values(chart, "close")
    )
    assert all("capital_gain" not in r for r in result.rows)  # a later issue


# -- failures -------------------------------------------------------------------------------
def test_unknown_symbols_are_not_found_and_do_not_stop_the_batch(fake):
    # yfinance looks an unknown symbol's time zone up through quoteSummary for the first two
    # symbols of a process (an HTTP 404 error), then says YFTzMissingError: both are NOT_FOUND.
    symbols = ["NOPE1", "NOPE2", "NOPE3", "AAPL"]

    results = list(source().fetch([FetchRequest(s, None, LAST_DAY) for s in symbols]))

    assert [r.error for r in results] == [FetchErrorKind.NOT_FOUND] * 3 + [None]
    quote_summary = [url for url, _ in fake.calls if "quoteSummary" in url]
    assert [url.rsplit("/", 1)[1] for url in quote_summary] == ["NOPE1", "NOPE2"]
    assert all("offline" not in r.message.lower() for r in results)


def test_yahoo_reason_for_a_symbol_whose_time_zone_is_known_is_not_found(fake):
    import yfinance as yf

    configure_yfinance()
    yf.cache.get_tz_cache().store("GONE", "America/New_York")  # fetched once, delisted since

    result = fetch_one("GONE")

    assert result.error is FetchErrorKind.NOT_FOUND
    assert "No data found" in result.message


def test_an_empty_window_is_no_data_not_a_missing_symbol(fake):
    result = fetch_one(
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

    result = fetch_one("AAPL", sleep=sleeps, backoff=5.0, rate_limit_retries=2)

    assert result.ok and len(result.rows) == 126
    assert sleeps == [5.0, 10.0]


def test_persistent_rate_limit_gives_up_and_spares_the_remaining_symbols(fake):
    from yfinance.exceptions import YFRateLimitError

    fake.failures["AAPL"] = YFRateLimitError
    sleeps = Sleeps()
    requests = [FetchRequest(s, None, LAST_DAY) for s in ("AAPL", "MSFT")]

    results = list(source(sleep=sleeps, backoff=1.0, rate_limit_retries=3).fetch(requests))

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
    results = list(source().fetch(requests))

    assert time.monotonic() - started < 2
    assert [r.error for r in results] == [FetchErrorKind.OFFLINE] * 3
    assert len(fake.calls) == 1  # only AAPL's first request was tried
    assert all("not found" not in r.message and "delisted" not in r.message for r in results)


def test_failed_online_check_answers_offline_without_touching_yfinance(fake):
    requests = [FetchRequest(s, None, LAST_DAY) for s in ("AAPL", "MSFT")]

    results = list(YahooSource(online_check=lambda: False).fetch(requests))

    assert [r.error for r in results] == [FetchErrorKind.OFFLINE] * 2
    assert fake.calls == []


def test_cancelled_between_symbols(fake):
    results = []
    requests = [FetchRequest(s, None, LAST_DAY) for s in ("AAPL", "MSFT", "GS2C.DE")]

    for result in source().fetch(requests, cancelled=lambda: len(results) >= 1):
        results.append(result)

    assert [r.symbol for r in results] == ["AAPL"]
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

    rows = by_date(fetch_one("AAPL").rows)

    assert blank not in rows and no_close not in rows
    assert len(rows) == 124
    assert dt.date(2025, 6, 4) in rows


def test_a_repeated_bar_gives_one_row_per_date(fake):
    day = dt.date(2025, 7, 1)
    fake.charts["AAPL"] = yf_json.with_repeated_bar(yf_json.load_chart("AAPL"), day, close=999.0)

    result = fetch_one("AAPL")

    dates = [r["date"] for r in result.rows]
    assert len(dates) == len(set(dates)) == 126
    recorded = yf_json.bar_values(yf_json.load_chart("AAPL"), "close")
    # yfinance keeps the first of two bars with the same date (unless they are the last two).
    assert by_date(result.rows)[day]["close"] == pytest.approx(recorded[day])


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

    rows = by_date(fetch_one("AAPL", end=today, now=now).rows)

    assert (today in rows) is kept
    assert dt.date(2025, 10, 28) in rows


def test_a_session_yahoo_has_moved_past_is_final(fake):
    # Recorded at 17:35 in Frankfurt: Yahoo's current trading period is already the next day.
    now = dt.datetime(2025, 10, 29, 17, 40, tzinfo=ZoneInfo("Europe/Berlin"))

    rows = by_date(fetch_one("GS2C.DE", end=dt.date(2025, 10, 29), now=now).rows)

    assert dt.date(2025, 10, 29) in rows


def test_a_split_is_reported_as_new_shares_per_old(fake):
    day = dt.date(2025, 6, 2)
    fake.charts["AAPL"] = yf_json.with_split(yf_json.load_chart("AAPL"), day, (4, 1))

    rows = by_date(fetch_one("AAPL").rows)

    assert rows[day]["split"] == 4.0
    assert sum(1 for r in rows.values() if r["split"]) == 1


def test_pence_become_pounds(fake):
    chart = yf_json.load_chart("AAPL")
    fake.charts["FAKE.L"] = yf_json.renamed(
        chart, "FAKE.L", currency="GBp", exchangeName="LSE", exchangeTimezoneName="Europe/London"
    )

    result = fetch_one("FAKE.L", now=dt.datetime(2025, 10, 30, 8, tzinfo=ZoneInfo("Europe/London")))

    assert result.instrument.currency == "GBP"
    closes = yf_json.bar_values(chart, "close")
    rows = by_date(result.rows)
    assert all(r["close"] == pytest.approx(closes[d] / 100) for d, r in rows.items())
    assert rows[dt.date(2025, 5, 12)]["high"] == pytest.approx(
        yf_json.bar_values(chart, "high")[dt.date(2025, 5, 12)] / 100
    )
    assert rows[dt.date(2025, 5, 12)]["volume"] == 63775800  # volumes are not money
    # 0.26 against a 2.11 price is a plausible dividend in pounds: left as it is.
    assert rows[dt.date(2025, 5, 12)]["dividend"] == pytest.approx(0.26)


def test_pence_dividends_are_converted_too(fake):
    chart = yf_json.renamed(yf_json.load_chart("AAPL"), "FAKE.L", currency="GBp")
    for event in yf_json.result(chart)["events"]["dividends"].values():
        event["amount"] = 26.0  # pence, against prices of about 210 pence
    fake.charts["FAKE.L"] = chart

    rows = by_date(fetch_one("FAKE.L").rows)

    assert rows[dt.date(2025, 5, 12)]["dividend"] == pytest.approx(0.26)


def test_a_minor_unit_history_already_in_pounds_is_left_alone(fake):
    chart = yf_json.load_chart("AAPL")
    # The quote is in pence while the history came in pounds: ~100x the last close.
    fake.charts["FAKE.L"] = yf_json.renamed(
        chart, "FAKE.L", currency="GBp", regularMarketPrice=26900.0
    )

    result = fetch_one("FAKE.L")

    assert by_date(result.rows)[LAST_DAY]["close"] == pytest.approx(269.0)
    assert result.instrument.currency == "GBP"


# -- set-up ---------------------------------------------------------------------------------
def test_yfinance_caches_live_in_the_app_cache_folder(fake):
    import yfinance as yf

    fetch_one("AAPL")

    assert (cache_dir() / "yfinance" / "tkr-tz.db").is_file()
    assert yf.cache.get_tz_cache().lookup("AAPL") == "America/New_York"
    assert yf.config.debug.hide_exceptions is False


def test_importing_the_adapter_does_not_import_yfinance(subprocess_env):
    code = "import sys, desktop.data.yahoo; print('yfinance' in sys.modules)"
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
def test_offline_fetch_of_three_symbols_says_offline_within_seconds(monkeypatch):
    yf_json.fresh_yfinance(monkeypatch)
    requests = [FetchRequest(s, None, LAST_DAY) for s in ("AAPL", "^RUT", "^GSPC")]

    started = time.monotonic()
    results = list(YahooSource().fetch(requests))

    assert time.monotonic() - started < 5
    assert [r.error for r in results] == [FetchErrorKind.OFFLINE] * 3


@pytest.mark.offline_ok
def test_online_check_is_false_and_quick_without_a_network(monkeypatch):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)

    started = time.monotonic()
    assert is_online(timeout=1.0) is False
    assert time.monotonic() - started < 1.5
    assert yahoo.YAHOO_HOST == "query2.finance.yahoo.com"
