"""The whole database to one JSON file and back: the same records and the same report; a file
that is not whole, not ours, newer, or hostile is refused with its table and row, and nothing
is written."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

import pytest

from desktop.core.fundamentals import Fundamentals
from desktop.core.model import Trade, TradeType
from desktop.data.formats import database_json
from desktop.data.report import build_report
from desktop.data.store import Store, StoreError

TODAY = dt.date(2024, 6, 28)


def _portfolio(path) -> Store:
    store = Store(path)
    entries = [
        Trade(dt.date(2024, 1, 2), TradeType.DEPOSIT, "", amount=D("10000")),
        Trade(dt.date(2024, 1, 5), TradeType.BUY, "COHU", D("100"), D("32.10"), D("1.00")),
        Trade(dt.date(2024, 1, 8), TradeType.BUY, "SUM", D("12.5"), D("40.125"), D("0")),
        Trade(dt.date(2024, 3, 1), TradeType.DIVIDEND, "COHU", amount=D("12.50")),
        Trade(dt.date(2024, 4, 1), TradeType.SPLIT, "COHU", D("2")),
        Trade(dt.date(2024, 5, 2), TradeType.SELL, "COHU", D("50"), D("17.40"), D("1.25")),
    ]
    for t in entries:
        _, problems = store.add_trade(t)
        assert problems == []
    days = [dt.date(2024, 1, 2) + dt.timedelta(days=i) for i in range(0, 170) if i % 7 < 5]
    for symbol, start in (("COHU", 32.0), ("SUM", 40.0), ("^RUT", 2000.0)):
        split = symbol == "COHU"  # its closes halve on the split's day
        rows = [
            {
                "date": d,
                "close": start * (1 + 0.001 * i) / (2 if split and d >= dt.date(2024, 4, 1) else 1),
                "adj_close": start * (1 + 0.0011 * i),
            }
            for i, d in enumerate(days)
        ]
        store.upsert_prices(symbol, rows, "csv")
    store.add_to_watchlist("^RUT")
    store.set_setting("cost_method", "average")
    store.save_fundamentals(
        Fundamentals("COHU", dt.date(2024, 6, 1), "USD", market_cap=1.5e9, total_debt=0.0)
    )
    store.record_fetch("SUM", ok=False, error_kind="network", message="timed out")
    return store


def _records(store: Store) -> dict:
    data = database_json.dump(store.conn)
    data.pop("exported_at")
    return data


def test_a_database_exported_and_imported_into_a_new_one_is_the_same(tmp_path):
    with _portfolio(tmp_path / "a.sqlite") as original:
        counts = original.export_json(tmp_path / "a.json")
        expected = _records(original)
        report = build_report(original, benchmarks=["^RUT"]).data
        closes = original.closes(["COHU", "SUM"])
    assert counts["trades"] == 6 and counts["prices"] == len(expected["tables"]["prices"]["rows"])
    with Store(tmp_path / "b.sqlite") as copy:
        imported = copy.import_json(tmp_path / "a.json", today=TODAY)
        assert imported == counts
        assert _records(copy) == expected  # every table, row for row, value for value
        assert build_report(copy, benchmarks=["^RUT"]).data == report
        assert copy.cost_method().value == "average"
        # The derived data (packed closes) is rebuilt from the rows, not carried over.
        assert "close_series" not in expected["tables"]
        again = copy.closes(["COHU", "SUM"])
        assert list(again) == list(closes)
        assert all(again[s].equals(closes[s]) for s in closes)
    # The file is JSON a person can read: the ledger's exact decimal text, no NaN.
    text = (tmp_path / "a.json").read_text()
    assert '"40.125"' in text and "NaN" not in text


def test_an_import_into_a_database_that_holds_trades_is_refused(tmp_path):
    with _portfolio(tmp_path / "a.sqlite") as original:
        original.export_json(tmp_path / "a.json")
        with pytest.raises(StoreError, match="already holds 6 trades"):
            original.import_json(tmp_path / "a.json", today=TODAY)
        assert len(original.trades()) == 6


def _exported(tmp_path) -> dict:
    with _portfolio(tmp_path / "a.sqlite") as original:
        original.export_json(tmp_path / "a.json")
    return json.loads((tmp_path / "a.json").read_text())


def _trade_row(data: dict, entry: int) -> list:
    table = data["tables"]["trades"]
    return next(r for r in table["rows"] if r[table["columns"].index("id")] == entry)


def _set(data: dict, table: str, row: list, column: str, value) -> None:
    row[data["tables"][table]["columns"].index(column)] = value


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda d: d.update(format="something-else"), "not a Portfolio Desk database export"),
        (lambda d: d.update(version=2), "format version 2"),
        (lambda d: d["schema"].append("m999_future"), "newer version.*m999_future"),
        (lambda d: d["tables"].update(secrets={"columns": [], "rows": []}), "unknown table"),
        (lambda d: d["tables"]["trades"]["columns"].append("evil"), "unknown column 'evil'"),
        (lambda d: d["tables"]["trades"]["rows"][0].append("x"), "table trades, row 1: needs"),
        (lambda d: _set(d, "trades", _trade_row(d, 2), "quantity", "abc"), "entry 2: quantity"),
        (lambda d: _set(d, "trades", _trade_row(d, 2), "quantity", "1e-999999"), "entry 2"),
        (lambda d: _set(d, "trades", _trade_row(d, 2), "date", "2024-02-30"), "entry 2: date"),
        (lambda d: _set(d, "trades", _trade_row(d, 6), "quantity", "5000"), "more than"),
        (lambda d: _set(d, "trades", _trade_row(d, 2), "symbol", "NOPE"), "table trades, row"),
        (lambda d: _set(d, "trades", _trade_row(d, 2), "note", ["nested"]), "not a plain value"),
        (
            lambda d: _set(d, "trades", _trade_row(d, 2), "fee", "0'); DROP TABLE trades;--"),
            "entry 2: fee",
        ),
    ],
)
def test_a_spoiled_file_is_refused_naming_where_and_nothing_is_written(tmp_path, spoil, message):
    data = _exported(tmp_path)
    spoil(data)
    path = tmp_path / "spoiled.json"
    path.write_text(json.dumps(data))
    with Store(tmp_path / "b.sqlite") as copy:
        with pytest.raises(StoreError, match=message):
            copy.import_json(path, today=TODAY)
        for table in database_json.TABLES:
            assert copy.conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table


def test_a_file_with_nan_or_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "bad.json"
    data = _exported(tmp_path)
    raw = json.dumps(data)
    prices = data["tables"]["prices"]
    prices["rows"][0][prices["columns"].index("close")] = float("nan")
    path.write_text(json.dumps(data))  # Python writes NaN, which is not JSON
    with Store(tmp_path / "b.sqlite") as copy:
        with pytest.raises(StoreError, match="NaN, which is not a number"):
            copy.import_json(path, today=TODAY)
        path.write_text(raw[: len(raw) // 2])  # cut off halfway
        with pytest.raises(StoreError, match="not valid JSON"):
            copy.import_json(path, today=TODAY)
        assert copy.trades() == []
