"""Refresh orchestration: which symbols and dates are asked for, what is written for each
answer, the whole history asked again after a new split or dividend, and that offline, failed
writes and cancellation leave the database as it was."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Sequence
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from desktop.core.model import (
    DEFAULT_BENCHMARKS,
    RATE_SYMBOLS,
    Instrument,
    InstrumentKind,
    Trade,
    TradeType,
)
from desktop.data.refresh import (
    OVERLAP_DAYS,
    RefreshReport,
    last_completed_session,
    plan_refresh,
    run_refresh,
    symbols_to_refresh,
)
from desktop.data.sources.protocol import Fetched, FetchErrorKind, FetchRequest, PriceHistory
from desktop.data.store import Store

NY = ZoneInfo("America/New_York")
FRIDAY = dt.date(2024, 3, 8)
#: Saturday morning: the last completed session is Friday 8 March 2024.
SATURDAY = dt.datetime(2024, 3, 9, 10, 0, tzinfo=NY)
OFFLINE = FetchErrorKind.OFFLINE


class FakeSource:
    """A ``PriceSource`` answering from a table: symbol -> result, or a function of the request.
    Symbols it has no answer for are NOT_FOUND. Records the requests it was given."""

    name = "fake"

    def __init__(self, answers: dict[str, Fetched | Callable[[FetchRequest], Fetched]]):
        self.answers = answers
        self.requests: list[FetchRequest] = []

    def fetch(self, requests: Sequence[FetchRequest], cancelled=lambda: False):
        for request in requests:
            if cancelled():
                return
            self.requests.append(request)
            answer = self.answers.get(request.symbol)
            if answer is None:
                answer = Fetched.failed(
                    request.symbol,
                    FetchErrorKind.NOT_FOUND,
                    "Yahoo: No data found, symbol may be delisted",
                )
            yield answer(request) if callable(answer) else answer


def daily(symbol: str, start: dt.date, days: int, close: float = 10.0, **instrument) -> Fetched:
    """A successful result with ``days`` weekday rows from ``start``."""
    rows, day = [], start
    while len(rows) < days:
        if day.weekday() < 5:
            rows.append({"date": day, "close": close + len(rows), "volume": 1000})
        day += dt.timedelta(days=1)
    found = Instrument(symbol, verified=True, **instrument) if instrument else None
    return Fetched(symbol, PriceHistory(rows, found))


def offline(symbol: str) -> Fetched:
    return Fetched.failed(symbol, OFFLINE, "cannot reach Yahoo (DNSError)")


def buy(symbol: str, day: dt.date, qty: str = "10") -> Trade:
    return Trade(day, TradeType.BUY, symbol, D(qty), D("10"), D("0"))


def sell(symbol: str, day: dt.date, qty: str = "10") -> Trade:
    return Trade(day, TradeType.SELL, symbol, D(qty), D("12"), D("0"))


def cache(store: Store, symbol: str, first: dt.date, last: dt.date, close: float = 5.0) -> None:
    rows, day = [], first
    while day <= last:
        if day.weekday() < 5:
            rows.append({"date": day, "close": close, "adj_close": close})
        day += dt.timedelta(days=1)
    store.upsert_prices(symbol, rows, "csv")


def dump(store: Store) -> dict[str, list[tuple]]:
    conn = store.conn
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    tables.sort()
    return {t: conn.execute(f"SELECT * FROM [{t}] ORDER BY 1, 2").fetchall() for t in tables}


@pytest.fixture
def portfolio(store: Store) -> Store:
    """COHU and SUM held, IWM watched, a week of prices for each, a verified COHU."""
    for trade in (buy("COHU", dt.date(2024, 1, 8)), buy("SUM", dt.date(2024, 1, 9))):
        assert store.add_trade(trade)[1] == []
    store.add_to_watchlist("IWM")
    for symbol in ("COHU", "SUM", "IWM"):
        cache(store, symbol, dt.date(2024, 2, 26), dt.date(2024, 3, 1))
    store.save_instrument(
        Instrument(
            "COHU",
            "Cohu, Inc.",
            InstrumentKind.EQUITY,
            "USD",
            "NMS",
            "America/New_York",
            verified=True,
        )
    )
    store.record_fetch("COHU", ok=True)
    return store


# -- which symbols ----------------------------------------------------------------------------
def test_symbols_held_then_watched_then_benchmarks_without_duplicates(store):
    for trade in (
        buy("SUM", dt.date(2024, 1, 8)),
        buy("COHU", dt.date(2024, 1, 9)),
        buy("NAESX", dt.date(2024, 1, 10)),
        sell("NAESX", dt.date(2024, 2, 1)),
    ):
        assert store.add_trade(trade)[1] == []
    for symbol in ("IWM", "COHU", "^GSPC"):
        store.add_to_watchlist(symbol)

    # NAESX was sold and has no prices at all: it still needs its history up to the sale.
    rates = list(RATE_SYMBOLS)  # the 10-year and 13-week yields, for the markets lens
    assert symbols_to_refresh(store) == ["SUM", "COHU", "NAESX", "IWM", "^GSPC", "^RUT", *rates]

    cache(store, "NAESX", dt.date(2024, 1, 2), dt.date(2024, 2, 1))
    assert symbols_to_refresh(store) == ["SUM", "COHU", "IWM", "^GSPC", "^RUT", *rates]


def test_an_empty_database_still_refreshes_the_benchmarks(store):
    assert symbols_to_refresh(store) == [*DEFAULT_BENCHMARKS, *RATE_SYMBOLS]


# -- which dates ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("now", "session"),
    [
        (dt.datetime(2024, 3, 8, 16, 29, tzinfo=NY), dt.date(2024, 3, 7)),  # Friday, not final
        (dt.datetime(2024, 3, 8, 16, 30, tzinfo=NY), FRIDAY),
        (SATURDAY, FRIDAY),
        (dt.datetime(2024, 3, 10, 23, 0, tzinfo=NY), FRIDAY),  # Sunday night
        (dt.datetime(2024, 3, 11, 9, 0, tzinfo=NY), FRIDAY),  # Monday before the close
        (dt.datetime(2024, 3, 11, 17, 0, tzinfo=NY), dt.date(2024, 3, 11)),
        # The clocks went forward on 10 March: 20:15 UTC is 16:15 EDT (but would be 15:15 EST).
        (dt.datetime(2024, 3, 11, 20, 15, tzinfo=dt.UTC), FRIDAY),
        (dt.datetime(2024, 3, 11, 20, 31, tzinfo=dt.UTC), dt.date(2024, 3, 11)),
        (dt.datetime(2024, 3, 9, 3, 0, tzinfo=dt.UTC), FRIDAY),  # Friday 22:00 in New York
        (dt.datetime(2024, 3, 9, 1, 0, tzinfo=ZoneInfo("Asia/Tokyo")), dt.date(2024, 3, 7)),
    ],
)
def test_last_completed_session(now, session):
    assert last_completed_session(now) == session


def test_plan_whole_history_the_last_week_again_or_nothing(store):
    cache(store, "COHU", dt.date(2024, 3, 1), dt.date(2024, 3, 5))
    cache(store, "SUM", dt.date(2024, 3, 1), FRIDAY)

    plan = plan_refresh(store, ["NEW", "COHU", "SUM", "COHU"], SATURDAY)

    assert OVERLAP_DAYS == 7
    assert plan == [
        FetchRequest("NEW", None, FRIDAY),
        FetchRequest("COHU", dt.date(2024, 2, 27), FRIDAY),  # Tuesday 5 March, less a week
    ]


def test_simulated_demo_prices_are_replaced_by_the_whole_real_history(store):
    store.set_setting("demo", "1")
    rows = [{"date": FRIDAY, "close": 1.0}]
    store.upsert_prices("COHU", rows, "simulated")
    cache(store, "SUM", dt.date(2024, 3, 1), FRIDAY)

    assert plan_refresh(store, ["COHU", "SUM"], SATURDAY) == [FetchRequest("COHU", None, FRIDAY)]


def test_plan_after_a_weekend_reaches_back_a_week_and_ends_on_the_last_session(store):
    cache(store, "COHU", dt.date(2024, 3, 1), FRIDAY)
    monday_evening = dt.datetime(2024, 3, 11, 17, 0, tzinfo=NY)

    assert plan_refresh(store, ["COHU"], monday_evening) == [
        FetchRequest("COHU", dt.date(2024, 3, 1), dt.date(2024, 3, 11))
    ]


# -- what is written ----------------------------------------------------------------------------
def test_run_refresh_writes_rows_instruments_and_status(portfolio):
    source = FakeSource(
        {
            "COHU": daily("COHU", dt.date(2024, 3, 4), 5, close=33.0),
            "SUM": daily(
                "SUM",
                dt.date(2024, 3, 4),
                5,
                close=40.0,
                name="Summit Materials",
                kind=InstrumentKind.EQUITY,
                exchange="NYQ",
                timezone="America/New_York",
            ),
            "IWM": daily("IWM", dt.date(2024, 3, 4), 5),
            "^RUT": daily("^RUT", dt.date(2024, 3, 4), 5),
            "^GSPC": daily("^GSPC", dt.date(2024, 3, 4), 5),
            "^TNX": daily("^TNX", dt.date(2024, 3, 4), 5),
            "^IRX": daily("^IRX", dt.date(2024, 3, 4), 5),
        }
    )
    seen = []

    report = run_refresh(
        portfolio,
        source,
        now=SATURDAY,
        progress=lambda done, total, sym: seen.append((done, total, sym)),
    )

    every = ["COHU", "SUM", "IWM", "^RUT", "^GSPC", *RATE_SYMBOLS]
    assert [r.symbol for r in source.requests] == every
    assert source.requests[0] == FetchRequest("COHU", dt.date(2024, 2, 23), FRIDAY)
    assert source.requests[3] == FetchRequest("^RUT", None, FRIDAY)
    assert seen == [(i, 7, s) for i, s in enumerate(every, start=1)]
    assert report.updated == {s: 5 for s in every}
    assert report.failed == {} and not report.offline and not report.cancelled
    assert report.newest_close == FRIDAY
    assert report.summary() == "Updated 7 symbols (+35 rows); newest close 2024-03-08"
    cohu = portfolio.price_rows("COHU")
    assert cohu[-1] == {
        "date": "2024-03-08",
        "open": None,
        "high": None,
        "low": None,
        "close": 37.0,
        "adj_close": None,
        "volume": 1000,
        "dividend": 0.0,
        "split": 0.0,
        "capital_gain": 0.0,
        "source": "fake",
    }
    assert portfolio.price_span("COHU") == (dt.date(2024, 2, 26), FRIDAY)
    assert portfolio.instrument("SUM") == Instrument(
        "SUM", "Summit Materials", InstrumentKind.EQUITY, "USD", "NYQ", "America/New_York", True
    )
    status = portfolio.fetch_status()
    assert all(status[s]["error_kind"] is None for s in report.updated)
    assert all(status[s]["succeeded_at"] for s in report.updated)


def test_a_blank_name_does_not_replace_a_verified_one(portfolio):
    blank = Fetched(
        "COHU",
        PriceHistory(
            daily("COHU", dt.date(2024, 3, 4), 1).value.rows,
            Instrument(
                "COHU", "", InstrumentKind.UNKNOWN, "USD", "", "America/New_York", verified=True
            ),
        ),
    )

    run_refresh(portfolio, FakeSource({"COHU": blank}), symbols=["COHU"], now=SATURDAY)

    cohu = portfolio.instrument("COHU")
    assert (cohu.name, cohu.kind, cohu.exchange) == ("Cohu, Inc.", InstrumentKind.EQUITY, "NMS")


def test_up_to_date_symbols_are_not_asked_for(portfolio):
    cache(portfolio, "COHU", dt.date(2024, 3, 4), FRIDAY)
    source = FakeSource({})

    report = run_refresh(portfolio, source, symbols=["COHU"], now=SATURDAY)

    assert source.requests == []
    assert report.up_to_date == ["COHU"]
    assert report.summary() == "Prices up to date; newest close 2024-03-08"


def test_not_found_and_other_failures_are_recorded_with_their_kind(portfolio):
    before = portfolio.fetch_status()["COHU"]["succeeded_at"]
    source = FakeSource(
        {
            "SUM": Fetched.failed("SUM", FetchErrorKind.NO_DATA, "no prices"),
            "IWM": Fetched.failed("IWM", FetchErrorKind.RATE_LIMITED, "slow down"),
        }
    )

    report = run_refresh(portfolio, source, symbols=["COHU", "SUM", "IWM"], now=SATURDAY)

    status = portfolio.fetch_status()
    assert status["COHU"]["error_kind"] == "not_found"
    assert "No data found" in status["COHU"]["message"]
    assert status["COHU"]["succeeded_at"] == before  # the last success is remembered
    assert (status["SUM"]["error_kind"], status["IWM"]["error_kind"]) == ("no_data", "rate_limited")
    assert report.failed["COHU"][0] is FetchErrorKind.NOT_FOUND
    summary = report.summary()
    assert "not found on Yahoo: COHU" in summary and "delisted" not in summary
    assert portfolio.price_span("COHU") == (dt.date(2024, 2, 26), dt.date(2024, 3, 1))


# -- offline, failed writes, cancellation ---------------------------------------------------------
def test_offline_changes_nothing_in_the_database(portfolio):
    every = ("COHU", "SUM", "IWM", "^RUT", "^GSPC", *RATE_SYMBOLS)
    source = FakeSource({s: offline(s) for s in every})
    before = dump(portfolio)

    report = run_refresh(portfolio, source, now=SATURDAY)

    assert dump(portfolio) == before
    assert report.offline and report.updated == {}
    assert set(report.failed) == set(every)
    assert report.summary() == "Offline: showing cached prices (newest close 2024-03-01)"


def test_going_offline_halfway_keeps_what_was_written(portfolio):
    source = FakeSource(
        {
            "COHU": daily("COHU", dt.date(2024, 3, 4), 5),
            "SUM": offline("SUM"),
            "IWM": offline("IWM"),
        }
    )

    report = run_refresh(portfolio, source, symbols=["COHU", "SUM", "IWM"], now=SATURDAY)

    assert report.offline and report.updated == {"COHU": 5}
    assert report.summary() == (
        "Offline after updating 1 symbol (+5 rows): showing cached prices (newest close 2024-03-08)"
    )
    assert "SUM" not in portfolio.fetch_status()


def test_a_write_failure_leaves_that_symbols_cache_as_it_was(portfolio, monkeypatch):
    real_upsert = Store.upsert_prices

    def failing_upsert(self, symbol, rows, source):
        written = real_upsert(self, symbol, rows, source)  # rows are in, then the disk fails
        if symbol == "SUM":
            raise sqlite3.OperationalError("disk I/O error")
        return written

    monkeypatch.setattr(Store, "upsert_prices", failing_upsert)
    sum_rows, sum_instrument = portfolio.price_rows("SUM"), portfolio.instrument("SUM")
    source = FakeSource(
        {s: daily(s, dt.date(2024, 3, 4), 5, name=f"{s} Inc.") for s in ("COHU", "SUM", "IWM")}
    )

    report = run_refresh(portfolio, source, symbols=["COHU", "SUM", "IWM"], now=SATURDAY)

    assert portfolio.price_rows("SUM") == sum_rows
    assert portfolio.instrument("SUM") == sum_instrument
    assert report.updated == {"COHU": 5, "IWM": 5}
    kind, message = report.failed["SUM"]
    assert kind is FetchErrorKind.ERROR and "disk I/O error" in message
    assert portfolio.fetch_status()["SUM"]["error_kind"] == "error"
    assert portfolio.price_span("IWM")[1] == FRIDAY


def test_cancelled_refresh_stops_and_says_so(portfolio):
    source = FakeSource({s: daily(s, dt.date(2024, 3, 4), 5) for s in ("COHU", "SUM", "IWM")})
    done: list[str] = []

    report = run_refresh(
        portfolio,
        source,
        symbols=["COHU", "SUM", "IWM"],
        now=SATURDAY,
        progress=lambda d, t, s: done.append(s),
        cancelled=lambda: bool(done),
    )

    assert done == ["COHU"] and report.cancelled
    assert report.summary() == (
        "Refresh cancelled after updating 1 symbol (+5 rows); newest close 2024-03-08"
    )
    assert portfolio.price_span("SUM")[1] == dt.date(2024, 3, 1)


@pytest.mark.parametrize("kind", list(FetchErrorKind))
def test_no_summary_ever_says_delisted(kind):
    report = RefreshReport(
        failed={"SUM": (kind, "No data found, symbol may be delisted")},
        offline=kind is OFFLINE,
        newest_close=FRIDAY,
    )
    assert "delisted" not in report.summary().lower()


def test_cash_entries_are_not_symbols_and_foreign_holdings_bring_their_fx_rate(store):
    from desktop.core.model import Instrument

    store.save_instrument(Instrument("SAP.DE", "SAP", currency="EUR"))
    store.add_trade(Trade(dt.date(2024, 1, 2), TradeType.DEPOSIT, "", amount=D("1000")))
    store.add_trade(buy("SAP.DE", dt.date(2024, 1, 3)))

    assert symbols_to_refresh(store) == ["SAP.DE", "EURUSD=X", *DEFAULT_BENCHMARKS, *RATE_SYMBOLS]
