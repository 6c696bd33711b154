"""Fundamentals snapshots: the table (migrations 4 and 8), saving and reading them, refreshing
those of held equities, and the report's ``fundamentals`` per holding."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from decimal import Decimal as D

import pytest
import sqlite_utils

from desktop.core.fundamentals import Fundamentals
from desktop.core.model import Instrument, InstrumentKind, Trade, TradeType
from desktop.data.refresh import FUNDAMENTALS_MAX_AGE_DAYS, refresh_fundamentals
from desktop.data.report import build_report
from desktop.data.sources.protocol import Fetched, FetchErrorKind
from desktop.data.store import Store, StoreError, migrations

NOW = dt.datetime(2025, 10, 30, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()

MSFT = Fundamentals(
    symbol="MSFT",
    fetched=dt.date(2025, 10, 29),
    currency="USD",
    market_cap=4_025_388_367_872.0,
    total_debt=112_184_000_512.0,
    total_cash=94_564_999_168.0,
    return_on_equity=0.33280998,
    consensus="strong_buy",
    consensus_mean=1.22414,
    analysts=52,
)


def snapshot(symbol: str, fetched: dt.date = TODAY, **figures) -> Fundamentals:
    figures.setdefault("market_cap", 1.5e9)
    return Fundamentals(symbol=symbol, fetched=fetched, currency="USD", **figures)


def buy(store: Store, symbol: str, qty: str = "10") -> None:
    trade = Trade(dt.date(2024, 1, 5), TradeType.BUY, symbol, D(qty), D("10"))
    assert store.add_trade(trade)[1] == []


def sell(store: Store, symbol: str, qty: str = "10") -> None:
    trade = Trade(dt.date(2024, 2, 5), TradeType.SELL, symbol, D(qty), D("11"))
    assert store.add_trade(trade)[1] == []


def kind(store: Store, symbol: str, k: InstrumentKind) -> None:
    store.save_instrument(Instrument(symbol, symbol, k, "USD", "", "", True))


class FakeFundamentals:
    """Stands in for ``YahooSource.fundamentals``: planted answers, and what was asked."""

    name = "fake"

    def __init__(self, answers: dict[str, Fundamentals | FetchErrorKind]) -> None:
        self.answers = answers
        self.asked: list[list[str]] = []

    def fundamentals(self, symbols, cancelled=lambda: False):
        self.asked.append(list(symbols))
        for symbol in symbols:
            if cancelled():
                return
            answer = self.answers.get(symbol, FetchErrorKind.NOT_FOUND)
            if isinstance(answer, FetchErrorKind):
                yield Fetched.failed(symbol, answer, f"{answer.value} for {symbol}")
            else:
                yield Fetched(symbol, answer)


# -- storage ------------------------------------------------------------------------------
def test_the_migration_creates_the_table(store):
    columns = {
        c[1]: (c[2], c[3], c[5]) for c in store.conn.execute("PRAGMA table_info(fundamentals)")
    }
    assert columns == {
        "symbol": ("TEXT", 0, 1),
        "fetched": ("TEXT", 1, 0),
        "currency": ("TEXT", 1, 0),
        "market_cap": ("REAL", 0, 0),
        "total_debt": ("REAL", 0, 0),
        "total_cash": ("REAL", 0, 0),
        "return_on_equity": ("REAL", 0, 0),
        "consensus": ("TEXT", 0, 0),
        "consensus_mean": ("REAL", 0, 0),
        "analysts": ("INTEGER", 0, 0),
        # m008_quality_figures (tests/data/store/test_quality_migration.py)
        "trailing_pe": ("REAL", 0, 0),
        "forward_pe": ("REAL", 0, 0),
        "trailing_eps": ("REAL", 0, 0),
        "operating_margin": ("REAL", 0, 0),
        "debt_to_equity": ("REAL", 0, 0),
    }
    (fk,) = store.conn.execute("PRAGMA foreign_key_list(fundamentals)").fetchall()
    assert (fk[2], fk[3], fk[4]) == ("instruments", "symbol", "symbol")


def test_a_version_three_database_gets_the_table(tmp_path):
    path = tmp_path / "v3.sqlite"
    db = sqlite_utils.Database(path)
    first_three = sqlite_utils.Migrations(migrations.MIGRATION_SET)
    for fn in migrations.MIGRATIONS[:3]:
        first_three()(fn)
    first_three.apply(db)
    db.close()

    with Store(path) as store:
        assert store.fundamentals() == {}
        applied = [r[0] for r in store.conn.execute("SELECT name FROM _sqlite_migrations")]
        assert applied[3:] == [fn.__name__ for fn in migrations.MIGRATIONS[3:]]
        assert "m004_fundamentals" in applied


def test_a_snapshot_reads_back_as_saved(store):
    store.save_fundamentals(MSFT)
    assert store.fundamentals() == {"MSFT": MSFT}
    assert store.instrument("MSFT") is not None  # the row its foreign key needs


def test_saving_again_replaces_every_figure(store):
    store.save_fundamentals(MSFT)
    newer = Fundamentals("MSFT", dt.date(2025, 11, 5), "USD", market_cap=3.9e12)
    store.save_fundamentals(newer)
    assert store.fundamentals() == {"MSFT": newer}  # the old debt, cash, ... are gone


def test_a_snapshot_without_figures_keeps_its_nones(store):
    empty = Fundamentals("^GSPC", TODAY, "")
    store.save_fundamentals(empty)
    assert store.fundamentals()["^GSPC"] == empty


def test_a_refused_write_leaves_the_old_snapshot(store):
    store.save_fundamentals(MSFT)
    store.conn.execute(
        "CREATE TRIGGER no_updates BEFORE UPDATE ON fundamentals "
        "BEGIN SELECT RAISE(ABORT, 'read only'); END"
    )
    with pytest.raises(StoreError, match="read only") as refused:
        store.save_fundamentals(Fundamentals("MSFT", TODAY, "USD", market_cap=1.0))
    assert isinstance(refused.value.__cause__, sqlite3.IntegrityError)
    assert store.fundamentals() == {"MSFT": MSFT}


# -- refresh ------------------------------------------------------------------------------
def test_held_equities_and_unknown_kinds_are_fetched_not_funds_or_sold(store):
    for symbol in ("EQ", "NEW", "ETF", "FUND", "IDX", "SOLD"):
        buy(store, symbol)
    kind(store, "EQ", InstrumentKind.EQUITY)
    kind(store, "ETF", InstrumentKind.ETF)
    kind(store, "FUND", InstrumentKind.MUTUAL_FUND)
    kind(store, "IDX", InstrumentKind.INDEX)
    sell(store, "SOLD")
    store.add_to_watchlist("WATCHED")
    source = FakeFundamentals({"EQ": snapshot("EQ"), "NEW": snapshot("NEW")})

    report = refresh_fundamentals(store, source, NOW)

    assert source.asked == [["EQ", "NEW"]]
    assert report.updated == ["EQ", "NEW"] and not report.failed and not report.offline
    assert set(store.fundamentals()) == {"EQ", "NEW"}


def test_only_missing_or_week_old_snapshots_are_fetched(store):
    for symbol in ("FRESH", "EDGE", "OLD", "NONE"):
        buy(store, symbol)
    store.save_fundamentals(snapshot("FRESH", TODAY - dt.timedelta(days=1)))
    store.save_fundamentals(snapshot("EDGE", TODAY - dt.timedelta(days=FUNDAMENTALS_MAX_AGE_DAYS)))
    store.save_fundamentals(
        snapshot("OLD", TODAY - dt.timedelta(days=FUNDAMENTALS_MAX_AGE_DAYS + 1))
    )
    source = FakeFundamentals({"OLD": snapshot("OLD"), "NONE": snapshot("NONE")})

    refresh_fundamentals(store, source, NOW)

    assert source.asked == [["OLD", "NONE"]]
    assert store.fundamentals()["OLD"].fetched == TODAY


def test_nothing_stale_asks_nothing(store):
    buy(store, "EQ")
    store.save_fundamentals(snapshot("EQ"))
    source = FakeFundamentals({})
    assert refresh_fundamentals(store, source, NOW).updated == []
    assert source.asked == []


def test_symbols_narrow_what_is_fetched(store):
    buy(store, "A")
    buy(store, "B")
    source = FakeFundamentals({"B": snapshot("B")})
    refresh_fundamentals(store, source, NOW, symbols=["B", "NOT_HELD"])
    assert source.asked == [["B"]]


def test_a_failure_keeps_the_old_snapshot_and_not_found_saves_nothing(store):
    for symbol in ("KEPT", "GONE", "GOOD"):
        buy(store, symbol)
    old = snapshot("KEPT", TODAY - dt.timedelta(days=30), market_cap=5e9)
    store.save_fundamentals(old)
    source = FakeFundamentals(
        {
            "KEPT": FetchErrorKind.RATE_LIMITED,
            "GONE": FetchErrorKind.NOT_FOUND,
            "GOOD": snapshot("GOOD"),
        }
    )

    report = refresh_fundamentals(store, source, NOW)

    assert report.updated == ["GOOD"]
    assert {s: k for s, (k, _m) in report.failed.items()} == {
        "KEPT": FetchErrorKind.RATE_LIMITED,
        "GONE": FetchErrorKind.NOT_FOUND,
    }
    saved = store.fundamentals()
    assert saved["KEPT"] == old and "GONE" not in saved


def test_offline_stops_quietly_and_writes_nothing(store):
    buy(store, "A")
    buy(store, "B")
    source = FakeFundamentals({"A": FetchErrorKind.OFFLINE, "B": snapshot("B")})

    report = refresh_fundamentals(store, source, NOW)

    assert report.offline and report.updated == [] and report.failed == {}
    assert store.fundamentals() == {}


def test_without_a_fundamentals_source_nothing_is_fetched_or_written(store):
    buy(store, "A")

    report = refresh_fundamentals(store, None, NOW)

    assert (report.updated, report.failed, report.offline) == ([], {}, False)
    assert store.fundamentals() == {}


def test_cancelled_stops_between_symbols(store):
    buy(store, "A")
    source = FakeFundamentals({"A": snapshot("A")})
    report = refresh_fundamentals(store, source, NOW, cancelled=lambda: True)
    assert report.updated == [] and store.fundamentals() == {}


# -- report -------------------------------------------------------------------------------
def test_the_report_gives_each_holding_its_fundamentals_or_null(store):
    for symbol in ("MSFT", "FUND"):
        buy(store, symbol)
        store.upsert_prices(symbol, [{"date": "2024-01-05", "close": 10.0}], "csv")
    store.save_fundamentals(MSFT)

    holdings = {h["symbol"]: h for h in build_report(store, benchmarks=[]).data["holdings"]}

    assert holdings["FUND"]["fundamentals"] is None
    assert holdings["MSFT"]["fundamentals"] == {
        "market_cap": MSFT.market_cap,
        "cap_class": "large",
        "total_debt": MSFT.total_debt,
        "total_cash": MSFT.total_cash,
        "net_cash": pytest.approx(MSFT.total_cash - MSFT.total_debt),
        "return_on_equity": MSFT.return_on_equity,
        "consensus": "strong_buy",
        "consensus_mean": MSFT.consensus_mean,
        "analysts": 52,
        "currency": "USD",
        "fetched": dt.date(2025, 10, 29),
    }


def test_the_report_json_carries_the_fundamentals(store, capsys):
    from desktop.app import main

    buy(store, "MSFT")
    store.upsert_prices("MSFT", [{"date": "2024-01-05", "close": 10.0}], "csv")
    store.save_fundamentals(MSFT)
    store.close()

    code = main(["--db", store.path, "report", "--json"])

    assert code == 0
    (holding,) = json.loads(capsys.readouterr().out)["holdings"]
    assert holding["fundamentals"]["fetched"] == "2025-10-29"
    assert holding["fundamentals"]["cap_class"] == "large"
