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
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from curl_cffi.requests import exceptions as curl_errors

from desktop.core.model import InstrumentKind
from desktop.data.paths import cache_dir
from desktop.data.sources.protocol import FetchErrorKind, FetchRequest
from desktop.data.sources.yahoo import source as yahoo
from desktop.data.sources.yahoo.source import YahooSource, classify, configure_yfinance, is_online
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

    results = list(source(batch_size=1).fetch(requests))

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
    gains = {r["date"]: r["capital_gain"] for r in result.rows if r["capital_gain"]}
    assert gains == pytest.approx(yf_json.events_by_bar(chart, "capitalGains"))
    assert len(gains) == 21 and sum(gains.values()) == pytest.approx(4.175)
    assert all("capital_gain" not in r for r in fetch_one("AAPL").rows)  # not a fund


# -- failures -------------------------------------------------------------------------------
def test_unknown_symbols_are_not_found_and_do_not_stop_the_batch(fake):
    # yfinance looks an unknown symbol's time zone up through quoteSummary for the first two
    # symbols of a process (an HTTP 404 error), then says YFTzMissingError: both are NOT_FOUND.
    symbols = ["NOPE1", "NOPE2", "NOPE3", "AAPL"]

    results = list(source(batch_size=1).fetch([FetchRequest(s, None, LAST_DAY) for s in symbols]))

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

    one_by_one = source(sleep=sleeps, backoff=1.0, rate_limit_retries=3, batch_size=1)
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
    results = list(source(batch_size=1).fetch(requests))

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

    for result in source(batch_size=1).fetch(requests, cancelled=lambda: len(results) >= 1):
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

    rows = by_date(fetch_one("FAKE.L").rows)

    assert rows[dt.date(2025, 5, 12)]["dividend"] == pytest.approx(0.26)
    assert rows[dt.date(2025, 5, 12)]["capital_gain"] == pytest.approx(0.13)


def test_a_minor_unit_history_already_in_pounds_is_left_alone(fake):
    chart = yf_json.load_chart("AAPL")
    # The quote is in pence while the history came in pounds: ~100x the last close.
    fake.charts["FAKE.L"] = yf_json.renamed(
        chart, "FAKE.L", currency="GBp", regularMarketPrice=26900.0
    )

    result = fetch_one("FAKE.L")

    assert by_date(result.rows)[LAST_DAY]["close"] == pytest.approx(269.0)
    assert result.instrument.currency == "GBP"


# -- several symbols for the same dates: one yf.download ---------------------------------------
@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch, fake: RecordedYahoo) -> list[yf_json.Download]:
    return yf_json.record_downloads(monkeypatch, fake)


def recorded_closes(symbol: str, start=None, end=LAST_DAY) -> dict[dt.date, float]:
    closes = yf_json.bar_values(yf_json.load_chart(symbol), "close")
    return {d: c for d, c in closes.items() if (start is None or d >= start) and d <= end}


def closes_of(result) -> dict[dt.date, float]:
    return {r["date"]: r["close"] for r in result.rows}


def symbol_of(url: str) -> str:
    return unquote(url.rsplit("/", 1)[1])


FIVE = ("AAPL", "MSFT", "GS2C.DE", "VFINX", "^FAKEIDX")
#: An incremental window old enough to hold every recorded bar: batched, unlike whole histories.
SINCE = dt.date(1985, 1, 1)


def test_whole_histories_are_fetched_alone_to_learn_each_instrument(fake, downloads):
    requests = [FetchRequest(s, None, LAST_DAY) for s in ("AAPL", "MSFT")]

    results = list(source().fetch(requests))

    assert downloads == []
    assert [r.instrument.currency for r in results] == ["USD", "USD"]
    assert all(r.instrument.verified and r.instrument.name for r in results)


def test_symbols_sharing_a_window_cost_one_download(fake, downloads):
    fake.charts["^FAKEIDX"] = yf_json.as_index(yf_json.load_chart("MSFT"))
    requests = [FetchRequest(s, SINCE, LAST_DAY) for s in FIVE]

    results = list(source().fetch(requests))

    assert [r.symbol for r in results] == list(FIVE)
    assert all(r.ok for r in results), [r.message for r in results]
    (call,) = downloads
    assert sorted(call.tickers) == sorted(FIVE)
    assert call.kwargs["start"] == SINCE and "period" not in call.kwargs
    assert call.kwargs["end"] == LAST_DAY + dt.timedelta(days=1)  # end made exclusive
    assert {k: call.kwargs[k] for k in ("interval", "auto_adjust", "actions", "group_by")} == {
        "interval": "1d",
        "auto_adjust": False,
        "actions": True,
        "group_by": "column",
    }
    assert call.kwargs["multi_level_index"] is True and call.kwargs["progress"] is False
    # download still asks Yahoo for each symbol's chart once; nobody is asked twice.
    assert [len(fake.chart_calls(s)) for s in FIVE] == [1] * 5
    by_symbol = {r.symbol: r for r in results}
    assert closes_of(by_symbol["AAPL"])[LAST_DAY] == pytest.approx(269.0)
    assert closes_of(by_symbol["GS2C.DE"]) == pytest.approx(recorded_closes("GS2C.DE"))
    assert closes_of(by_symbol["VFINX"]) == pytest.approx(recorded_closes("VFINX"))
    assert closes_of(by_symbol["^FAKEIDX"]) == pytest.approx(recorded_closes("MSFT"))
    assert all(r.instrument is None for r in results)  # download has no chart metadata
    assert all(isinstance(r["volume"], int) for r in by_symbol["GS2C.DE"].rows)
    # The frame as yfinance 1.7 built it: ragged Capital Gains, naive exchange-local dates.
    frame = call.frame
    assert frame.columns.names == ["Price", "Ticker"]
    assert ("Capital Gains", "VFINX") in frame.columns
    assert ("Capital Gains", "AAPL") not in frame.columns
    assert str(frame.index.dtype) == "datetime64[s]"


def test_batched_rows_are_the_rows_each_symbol_gets_alone(fake, downloads):
    import yfinance.data

    start = dt.date(2025, 6, 1)
    requests = [FetchRequest(s, start, LAST_DAY) for s in ("AAPL", "MSFT", "GS2C.DE", "VFINX")]

    batched = list(source().fetch(requests))
    # yfinance memoises a chart whose window ended over 30 minutes ago: make it ask again.
    yfinance.data.YfData.cache_get.cache_clear()
    alone = list(source(batch_size=1).fetch(requests))

    assert len(downloads) == 1
    assert downloads[0].kwargs["start"] == start and "period" not in downloads[0].kwargs
    assert all(r.ok for r in batched + alone)
    assert [r.rows for r in batched] == [r.rows for r in alone]
    assert [r["date"] for r in batched[0].rows][0] == dt.date(2025, 6, 2)  # a Monday
    dividends = {r["date"]: r["dividend"] for r in batched[0].rows if r["dividend"]}
    assert dividends == pytest.approx({dt.date(2025, 8, 11): 0.26})
    # The chart request download made is the one Ticker.history makes alone.
    download_asked, alone_asked = fake.chart_calls("AAPL")
    assert download_asked == alone_asked


def test_mixed_time_zones_keep_each_exchange_s_own_dates(fake, downloads):
    start = dt.date(2025, 10, 20)
    requests = [FetchRequest(s, start, LAST_DAY) for s in ("GS2C.DE", "AAPL")]

    xetra, aapl = source().fetch(requests)

    frame = downloads[0].frame
    assert frame[("Volume", "GS2C.DE")].dtype == "float64"  # NaN where Xetra has no row
    assert frame[("Close", "GS2C.DE")].isna().sum() == 3
    assert closes_of(xetra) == pytest.approx(recorded_closes("GS2C.DE", start))
    assert list(closes_of(xetra)) == [dt.date(2025, 10, d) for d in (23, 24, 27, 28)]
    assert all(isinstance(r["volume"], int) for r in xetra.rows)
    assert closes_of(aapl) == pytest.approx(recorded_closes("AAPL", start))
    assert len(aapl.rows) == 7


def test_bars_without_a_close_are_dropped_in_a_batch(fake, downloads):
    blank, no_close = dt.date(2025, 6, 2), dt.date(2025, 6, 3)
    chart = yf_json.with_null_bars(yf_json.load_chart("AAPL"), [blank])
    fake.charts["AAPL"] = yf_json.with_null_close(chart, no_close)

    aapl, msft = source().fetch([FetchRequest(s, SINCE, LAST_DAY) for s in ("AAPL", "MSFT")])

    assert len(downloads) == 1
    assert blank not in closes_of(aapl) and no_close not in closes_of(aapl)
    assert len(aapl.rows) == 124
    assert {blank, no_close} <= set(closes_of(msft))
    assert len(fake.chart_calls("AAPL")) == 1  # rows came back: no second request


def test_an_unknown_symbol_among_good_ones_is_asked_again_alone(fake, downloads):
    symbols = ("AAPL", "NOPE", "MSFT")

    results = list(source().fetch([FetchRequest(s, SINCE, LAST_DAY) for s in symbols]))

    assert [r.error for r in results] == [None, FetchErrorKind.NOT_FOUND, None]
    assert "offline" not in results[1].message.lower()
    (call,) = downloads
    nope = call.frame.xs("NOPE", axis=1, level="Ticker")
    assert list(nope.columns) == ["Adj Close", "Close", "High", "Low", "Open", "Volume"]
    assert nope.isna().all().all()  # all NaN, no Dividends/Stock Splits: download's "failed"
    asked_after = {symbol_of(url) for url, _ in fake.calls[call.calls_after :]}
    assert asked_after == {"NOPE"}
    assert closes_of(results[2]) == pytest.approx(recorded_closes("MSFT"))


def test_when_every_symbol_is_unknown_each_is_asked_again_alone(fake, downloads):
    results = list(source().fetch([FetchRequest(s, SINCE, LAST_DAY) for s in ("NOPE1", "NOPE2")]))

    assert [r.error for r in results] == [FetchErrorKind.NOT_FOUND] * 2
    (call,) = downloads
    assert call.frame.shape == (0, 12) and call.frame.index.name is None


def test_a_batch_when_offline_is_offline_for_every_symbol_quickly(fake, downloads):
    symbols = ("AAPL", "MSFT", "GS2C.DE", "VFINX")
    for symbol in symbols:
        fake.failures[symbol] = lambda: curl_errors.DNSError(
            "Failed to perform, curl: (6) Could not resolve host: query2.finance.yahoo.com"
        )

    started = time.monotonic()
    results = list(source().fetch([FetchRequest(s, SINCE, LAST_DAY) for s in symbols]))

    assert time.monotonic() - started < 2
    assert [r.error for r in results] == [FetchErrorKind.OFFLINE] * 4
    assert all("not found" not in r.message and "delisted" not in r.message for r in results)
    (call,) = downloads
    assert call.frame.empty
    # Once the first symbol, asked alone, says offline, nobody else is asked.
    assert [symbol_of(url) for url, _ in fake.calls[call.calls_after :]] == ["AAPL"]


def test_rate_limit_in_a_batch_keeps_what_came_back_and_spares_the_rest(fake, downloads):
    from yfinance.exceptions import YFRateLimitError

    fake.failures["AAPL"] = YFRateLimitError
    sleeps = Sleeps()
    requests = [FetchRequest(s, SINCE, LAST_DAY) for s in ("AAPL", "MSFT", "NOPE")]

    results = list(source(sleep=sleeps, backoff=1.0, rate_limit_retries=2).fetch(requests))

    assert [r.error for r in results] == [
        FetchErrorKind.RATE_LIMITED,
        None,  # downloaded before the wall
        FetchErrorKind.RATE_LIMITED,  # not tried again
    ]
    assert sleeps == [1.0, 2.0]
    assert closes_of(results[1]) == pytest.approx(recorded_closes("MSFT"))
    after = [symbol_of(url) for url, _ in fake.calls[downloads[0].calls_after :]]
    assert set(after) == {"AAPL"}


def test_windows_are_units_and_a_symbol_alone_in_its_window_uses_history(fake, downloads):
    requests = [
        FetchRequest("AAPL", SINCE, LAST_DAY),
        FetchRequest("GS2C.DE", dt.date(2025, 10, 20), LAST_DAY),
        FetchRequest("MSFT", SINCE, LAST_DAY),
    ]

    results = list(source().fetch(requests))

    assert [r.symbol for r in results] == ["AAPL", "MSFT", "GS2C.DE"]
    assert all(r.ok for r in results)
    assert [sorted(d.tickers) for d in downloads] == [["AAPL", "MSFT"]]
    assert results[2].instrument.timezone == "Europe/Berlin"  # history's metadata


def test_minor_unit_and_round_the_clock_symbols_are_fetched_alone(fake, downloads):
    fake.charts["FAKE.L"] = yf_json.renamed(yf_json.load_chart("AAPL"), "FAKE.L", currency="GBp")
    fake.charts["BTC-USD"] = yf_json.renamed(yf_json.load_chart("MSFT"), "BTC-USD")
    symbols = ("FAKE.L", "AAPL", "BTC-USD", "MSFT")

    results = list(source().fetch([FetchRequest(s, SINCE, LAST_DAY) for s in symbols]))

    assert [r.symbol for r in results] == ["FAKE.L", "AAPL", "MSFT", "BTC-USD"]
    assert all(r.ok for r in results)
    assert [sorted(d.tickers) for d in downloads] == [["AAPL", "MSFT"]]
    pence = results[0]
    assert pence.instrument.currency == "GBP"
    assert closes_of(pence)[LAST_DAY] == pytest.approx(2.69)


def test_big_windows_are_split_into_downloads_of_batch_size(fake, downloads):
    fake.charts["^FAKEIDX"] = yf_json.as_index(yf_json.load_chart("MSFT"))
    requests = [FetchRequest(s, SINCE, LAST_DAY) for s in FIVE]

    results = list(source(batch_size=2).fetch(requests))

    assert [r.symbol for r in results] == list(FIVE)
    assert all(r.ok for r in results)
    assert [sorted(d.tickers) for d in downloads] == [["AAPL", "MSFT"], ["GS2C.DE", "VFINX"]]
    assert results[4].instrument.kind is InstrumentKind.INDEX  # the fifth, alone


def test_a_symbol_asked_twice_in_a_window_gets_two_answers(fake, downloads):
    requests = [FetchRequest(s, SINCE, LAST_DAY) for s in ("AAPL", "MSFT", "AAPL")]

    results = list(source().fetch(requests))

    assert [r.symbol for r in results] == ["AAPL", "MSFT", "AAPL"]
    assert results[0].rows == results[2].rows and len(results[0].rows) == 126
    assert sorted(downloads[0].tickers) == ["AAPL", "MSFT"]


def test_cancelled_between_units_and_never_before_a_download(fake, downloads):
    requests = [
        FetchRequest("AAPL", SINCE, LAST_DAY),
        FetchRequest("MSFT", SINCE, LAST_DAY),
        FetchRequest("GS2C.DE", dt.date(2025, 10, 1), LAST_DAY),
        FetchRequest("VFINX", dt.date(2025, 10, 1), LAST_DAY),
    ]
    results = []

    for result in source().fetch(requests, cancelled=lambda: len(results) >= 2):
        results.append(result)

    assert [r.symbol for r in results] == ["AAPL", "MSFT"]
    assert len(downloads) == 1
    assert fake.chart_calls("GS2C.DE") == fake.chart_calls("VFINX") == []
    assert list(source().fetch(requests, cancelled=lambda: True)) == []
    assert len(downloads) == 1


@pytest.mark.parametrize(
    ("now", "kept"),
    [
        (dt.datetime(2025, 10, 29, 10, 0, tzinfo=NY), False),  # both markets trading
        (dt.datetime(2025, 10, 29, 16, 10, tzinfo=NY), False),  # US closed, not yet settled
        (dt.datetime(2025, 10, 29, 16, 45, tzinfo=NY), True),
    ],
)
def test_today_in_a_batch_is_final_after_16_30_new_york(fake, downloads, now, kept):
    import yfinance as yf

    # Known time zones: yfinance's download threads would otherwise write its tz cache at the
    # same moment and may hit "database is locked", sending a symbol down the per-symbol path
    # (which judges today's bar by its own exchange's close instead).
    configure_yfinance()
    tz = yf.cache.get_tz_cache()
    tz.store("AAPL", "America/New_York")
    tz.store("GS2C.DE", "Europe/Berlin")
    today = dt.date(2025, 10, 29)
    requests = [FetchRequest(s, dt.date(2025, 10, 27), today) for s in ("AAPL", "GS2C.DE")]

    aapl, xetra = source(now).fetch(requests)

    assert len(downloads) == 1
    assert (today in closes_of(aapl)) is kept
    assert (today in closes_of(xetra)) is kept
    assert dt.date(2025, 10, 28) in closes_of(aapl) and dt.date(2025, 10, 28) in closes_of(xetra)


# -- set-up ---------------------------------------------------------------------------------
def test_yfinance_caches_live_in_the_app_cache_folder(fake):
    import yfinance as yf

    fetch_one("AAPL")

    assert (cache_dir() / "yfinance" / "tkr-tz.db").is_file()
    assert yf.cache.get_tz_cache().lookup("AAPL") == "America/New_York"
    assert yf.config.debug.hide_exceptions is False


def test_history_and_download_keep_one_http_session(fake, downloads):
    import yfinance.data

    requests = [FetchRequest(s, SINCE, LAST_DAY) for s in ("AAPL", "MSFT")]
    list(source().fetch(requests))
    list(source(batch_size=1).fetch(requests))

    # download() would otherwise put a new session, without Yahoo's cookies, in yfinance's
    # process-wide YfData on every call (private yfinance state: re-check on upgrade).
    assert len(downloads) == 1 and downloads[0].kwargs["session"] is yahoo._session
    assert yfinance.data.YfData()._session is yahoo._session is not None


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
def test_offline_fetch_of_three_symbols_says_offline_within_seconds(monkeypatch):
    yf_json.fresh_yfinance(monkeypatch)
    requests = [FetchRequest(s, SINCE, LAST_DAY) for s in ("AAPL", "^RUT", "^GSPC")]

    started = time.monotonic()
    results = list(YahooSource().fetch(requests))

    assert time.monotonic() - started < 5
    assert [r.error for r in results] == [FetchErrorKind.OFFLINE] * 3


@pytest.mark.offline_ok
def test_offline_download_then_one_symbol_alone_says_offline(monkeypatch):
    # The guard refuses every curl_cffi request, as a dead network does: the batch comes back
    # empty, the first symbol alone says why, and the others are not asked again.
    yf_json.fresh_yfinance(monkeypatch)
    fake = RecordedYahoo()  # only counts: the requests go to the guard
    downloads = yf_json.record_downloads(monkeypatch, fake)
    requests = [FetchRequest(s, SINCE, LAST_DAY) for s in ("AAPL", "^RUT", "^GSPC", "MSFT")]
    histories = []
    real_history = YahooSource._history
    monkeypatch.setattr(
        YahooSource, "_history", lambda self, r: histories.append(r.symbol) or real_history(self, r)
    )

    started = time.monotonic()
    results = list(YahooSource(online_check=None).fetch(requests))

    assert time.monotonic() - started < 5
    assert [r.error for r in results] == [FetchErrorKind.OFFLINE] * 4
    assert len(downloads) == 1 and downloads[0].frame.empty
    assert histories == ["AAPL"]


@pytest.mark.offline_ok
def test_online_check_is_false_and_quick_without_a_network(monkeypatch):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)

    started = time.monotonic()
    assert is_online(timeout=1.0) is False
    assert time.monotonic() - started < 1.5
    assert yahoo.YAHOO_HOST == "query2.finance.yahoo.com"
