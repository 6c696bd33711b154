"""``report --json --factors``'s ``quality``: each holding's card from the store, its liquidity
worked out here with the csv module from the recorded COHU prices, and nulls with a note for a
fund and for an equity whose fundamentals were never fetched."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal as D

import pytest

from desktop.core.fundamentals import Fundamentals
from desktop.core.model import Instrument, InstrumentKind, Trade, TradeType
from desktop.data.formats.prices_csv import import_price_file
from desktop.data.quality_data import holding_quality, store_liquidity
from desktop.data.report import build_report

LAST = dt.date(2024, 3, 8)  # the fixture's last close
COHU = Fundamentals(
    symbol="COHU",
    fetched=dt.date(2024, 3, 9),
    currency="USD",
    market_cap=1_480_000_000.0,
    total_debt=0.0,
    total_cash=330_000_000.0,
    return_on_equity=0.034,
    consensus="buy",
    consensus_mean=2.0,
    analysts=6,
    trailing_pe=50.2,
    forward_pe=None,
    trailing_eps=0.58,
    operating_margin=0.041,
    debt_to_equity=0.0,
)


def cohu_liquidity_by_hand(path) -> tuple[float, int, dt.date]:
    """Close x Volume averaged over the sessions after 2023-12-08 (three months before the last
    close, 2024-03-08) up to it, read with the csv module."""
    with open(path, newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if "2023-12-08" < r["Date"] <= "2024-03-08"]
    traded = [float(r["Close"]) * float(r["Volume"]) for r in rows]
    return sum(traded) / len(traded), len(traded), dt.date.fromisoformat(rows[0]["Date"])


def buy(store, symbol: str, day: dt.date = dt.date(2024, 1, 5)) -> None:
    assert store.add_trade(Trade(day, TradeType.BUY, symbol, D("100"), D("30")))[1] == []


def kind(store, symbol: str, k: InstrumentKind) -> None:
    store.save_instrument(Instrument(symbol, symbol, k, "USD", "", "", True))


@pytest.fixture
def held(store, fixtures):
    import_price_file(store, fixtures / "COHU_yahoo_2020-2024.csv", "COHU")
    kind(store, "COHU", InstrumentKind.EQUITY)
    store.save_fundamentals(COHU)
    kind(store, "FUND", InstrumentKind.MUTUAL_FUND)
    store.upsert_prices(
        "FUND",
        [{"date": d, "close": 50.0, "volume": 0} for d in ("2024-01-05", "2024-03-08")],
        "csv",
    )
    store.upsert_prices("NEW", [{"date": "2024-03-08", "close": 12.0, "volume": 1000}], "csv")
    for symbol in ("COHU", "FUND", "NEW"):
        buy(store, symbol)
    return store


def test_the_stores_liquidity_is_the_recorded_prices_by_hand(held, fixtures):
    value, sessions, first = cohu_liquidity_by_hand(fixtures / "COHU_yahoo_2020-2024.csv")
    got = store_liquidity(held, "COHU")
    assert got.value == pytest.approx(value, rel=1e-12)
    assert (got.sessions, got.missing_volumes, got.start, got.end, got.as_of) == (
        sessions,
        0,
        first,
        LAST,
        LAST,
    )
    assert sessions == 61  # 2023-12-11 .. 2024-03-08, counted in the file


def test_a_row_cached_without_a_volume_is_left_out(held, fixtures):
    value, sessions, _first = cohu_liquidity_by_hand(fixtures / "COHU_yahoo_2020-2024.csv")
    # A later row without a volume (a CSV without the column) moves the window on by a day.
    held.upsert_prices("COHU", [{"date": "2024-03-11", "close": 32.0}], "csv")
    got = store_liquidity(held, "COHU")
    assert got.end == dt.date(2024, 3, 11) and got.as_of == LAST and got.missing_volumes == 1
    with open(fixtures / "COHU_yahoo_2020-2024.csv", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if "2023-12-11" < r["Date"]]
    by_hand = [float(r["Close"]) * float(r["Volume"]) for r in rows]
    assert got.value == pytest.approx(sum(by_hand) / len(by_hand), rel=1e-12)
    assert got.sessions == len(by_hand) == sessions - 1


def test_report_quality_per_holding(held, fixtures):
    value, sessions, first = cohu_liquidity_by_hand(fixtures / "COHU_yahoo_2020-2024.csv")

    quality = build_report(held, benchmarks=[], factors=True, today=LAST).data["quality"]

    assert list(quality) == ["COHU", "FUND", "NEW"]
    cohu = quality["COHU"]
    figures = cohu["figures"]
    assert cohu["note"] is None
    assert {k: f["value"] for k, f in figures.items()} == {
        "market_cap": 1_480_000_000.0,
        "trailing_pe": 50.2,
        "forward_pe": None,
        "trailing_eps": 0.58,
        "operating_margin": 0.041,
        "total_debt": 0.0,  # no debt is a figure, not an unknown
        "total_cash": 330_000_000.0,
        "net_cash": 330_000_000.0,
        "debt_to_equity": 0.0,
        "return_on_equity": 0.034,
        "consensus": 2.0,
        "analysts": 6,
        "liquidity": pytest.approx(value, rel=1e-12),
    }
    assert figures["market_cap"]["text"] == "small" and figures["consensus"]["text"] == "buy"
    assert figures["liquidity"]["fetched"] == LAST
    assert {f["fetched"] for k, f in figures.items() if k != "liquidity"} == {COHU.fetched}
    assert figures["liquidity"]["currency"] == "USD" and figures["liquidity"]["kind"] == "money"
    assert figures["debt_to_equity"]["kind"] == "fraction"
    assert figures["trailing_pe"]["label"] == "P/E (trailing)"
    assert cohu["liquidity_window"] == {
        "from": first,
        "to": LAST,
        "sessions": sessions,
        "missing_volumes": 0,
    }

    for symbol, why in (("FUND", "a mutual fund"), ("NEW", "no fundamentals fetched")):
        card = quality[symbol]
        company = {k: f for k, f in card["figures"].items() if k != "liquidity"}
        assert all(f["value"] is None and f["fetched"] is None for f in company.values())
        assert list(card["figures"]) == list(figures)
        assert why in card["note"]
    # Liquidity from the closes and volumes alone: NEW's one session, 12 x 1000; the fund's
    # zero volumes (Yahoo's for a fund's daily price) give none.
    new = quality["NEW"]["figures"]["liquidity"]
    assert (new["value"], new["fetched"]) == (12_000.0, LAST)
    assert quality["FUND"]["figures"]["liquidity"]["value"] is None


def test_quality_comes_with_factors_only(held):
    assert "quality" not in build_report(held, benchmarks=[], today=LAST).data


def test_a_snapshot_without_volumes_says_why_its_liquidity_is_null(held):
    held.save_fundamentals(Fundamentals("FUND", dt.date(2024, 3, 9), "USD", market_cap=1e9))
    card = holding_quality(held, ["FUND"])["FUND"]
    rows = {f.key: f for f in card.figures}
    assert rows["liquidity"].value is None and rows["market_cap"].value == 1e9
    assert card.note == "liquidity unknown: every volume from 2024-01-05 to 2024-03-08 is 0"


def test_the_report_json_writes_the_quality_with_dates_and_nulls(held, capsys):
    from desktop.app import main

    held.close()
    code = main(["--db", str(held.path), "report", "--json", "--factors"])

    assert code == 0
    data = json.loads(capsys.readouterr().out)
    figures = data["quality"]["COHU"]["figures"]
    assert figures["liquidity"]["fetched"] == "2024-03-08"
    assert figures["market_cap"]["fetched"] == "2024-03-09"
    assert figures["forward_pe"]["value"] is None
    assert data["quality"]["FUND"]["figures"]["market_cap"] == {
        "label": "Market cap",
        "value": None,
        "kind": "money",
        "currency": "",
        "fetched": None,
        "text": None,
    }
