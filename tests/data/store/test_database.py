"""The store: schema and migrations, WAL, foreign keys, the ledger kept valid, exact decimals,
prices upserted in one transaction, and simulated prices kept out of a user's database."""

import datetime as dt
import sqlite3
from dataclasses import replace
from decimal import Decimal as D

import pytest

from desktop.core.model import Trade, TradeType
from desktop.data.store import SIMULATED_SOURCE, Store, StoreError, migrations


def trade(day, kind, qty, price="10", fee="0", symbol="COHU", note=""):
    return Trade(dt.date(2024, 1, day), TradeType(kind), symbol, D(qty), D(price), D(fee), note)


def dump(store):
    conn = store.conn
    tables = [
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
    ]
    return {
        t: conn.execute(f"SELECT * FROM [{t}] ORDER BY 1, 2").fetchall()
        for t in tables
        if not t.startswith("_")
    }


def test_new_file_is_migrated_in_wal_mode_with_foreign_keys(tmp_path):
    with Store(tmp_path / "p.sqlite") as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        applied = [r[0] for r in store.conn.execute("SELECT name FROM _sqlite_migrations")]
        assert applied == [m.__name__ for m in migrations.MIGRATIONS]
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute("INSERT INTO watchlist(symbol) VALUES ('NOPE')")


def test_reopening_keeps_everything(tmp_path):
    path = tmp_path / "p.sqlite"
    with Store(path) as store:
        store.add_trade(trade(5, "buy", "100", "32.10", "1.00", note="é ünïcode  "))
        store.add_to_watchlist("IWM")
        store.upsert_prices("COHU", [{"date": dt.date(2024, 1, 5), "close": 32.95}], "csv")
    with Store(path) as store:
        (t,) = store.trades()
        assert (t.quantity, t.price, t.fee, t.note) == (
            D("100"),
            D("32.10"),
            D("1.00"),
            "é ünïcode  ",
        )
        assert store.watchlist() == ["IWM"]
        assert store.last_closes() == {"COHU": (dt.date(2024, 1, 5), 32.95)}


def test_a_database_from_a_newer_app_is_refused(tmp_path):
    path = tmp_path / "p.sqlite"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
        "VALUES (?, 'm999_future', 'x')",
        [migrations.MIGRATION_SET],
    )
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")  # as a copy or an older app leaves it
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version"):
        Store(path)
    assert path.read_bytes() == before  # refused before anything is written (not even WAL)


def _without_migration(path, name):
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [name])
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def test_a_schema_record_with_a_gap_is_refused_untouched(tmp_path):
    path = tmp_path / "p.sqlite"
    Store(path).close()
    _without_migration(path, migrations.MIGRATIONS[2].__name__)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="record of its schema is damaged"):
        Store(path)
    assert path.read_bytes() == before


def test_a_lost_last_schema_row_is_refused_with_a_way_on_not_a_traceback(tmp_path):
    path = tmp_path / "p.sqlite"
    Store(path).close()
    _without_migration(path, migrations.MIGRATIONS[-1].__name__)
    with pytest.raises(StoreError, match="cannot be brought up to date.*Restore one of its"):
        Store(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "p.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a readable"):
        Store(path)


def test_oversell_is_refused_and_nothing_written(store):
    store.add_trade(trade(2, "buy", "10"))
    before = dump(store)
    saved, problems = store.add_trade(trade(3, "sell", "11"))
    assert saved is None and problems[0].field == "quantity"
    assert dump(store) == before


def test_deleting_a_buy_a_later_sale_needs_is_refused(store):
    buy, _ = store.add_trade(trade(2, "buy", "10"))
    store.add_trade(trade(3, "sell", "10"))
    deleted, problems = store.delete_trade(buy.id)
    assert deleted is None and "cannot delete" in problems[0].message
    assert len(store.trades()) == 2


def test_editing_a_buy_below_what_was_sold_is_refused(store):
    buy, _ = store.add_trade(trade(2, "buy", "10"))
    store.add_trade(trade(3, "sell", "8"))
    saved, problems = store.update_trade(Trade(**{**_fields(buy), "quantity": D("5")}))
    assert saved is None and problems
    assert store.trade(buy.id).quantity == D("10")


def test_update_and_delete_and_restore_with_same_id(store):
    buy, _ = store.add_trade(trade(2, "buy", "10", "20"))
    changed = Trade(**{**_fields(buy), "price": D("21.5")})
    assert store.update_trade(changed) == (changed, [])
    assert store.trade(buy.id).price == D("21.5")
    deleted, _ = store.delete_trade(buy.id)
    assert store.trades() == []
    restored, _ = store.add_trade(deleted)
    assert restored.id == buy.id and store.trades() == [changed]


def test_watchlist_keeps_order_and_refuses_duplicates(store):
    assert store.add_to_watchlist("IWM") and store.add_to_watchlist("SPY")
    assert not store.add_to_watchlist("IWM")
    assert store.watchlist() == ["IWM", "SPY"]
    assert store.remove_from_watchlist("IWM") and not store.remove_from_watchlist("IWM")
    assert store.watchlist() == ["SPY"]


def test_upsert_keeps_fields_a_row_does_not_carry(store):
    day = dt.date(2024, 1, 5)
    store.upsert_prices(
        "SPY", [{"date": day, "close": 470.0, "adj_close": 460.0, "volume": 1e6}], "yahoo"
    )
    store.upsert_prices("SPY", [{"date": day, "close": 471.0}], "csv")
    (row,) = store.price_rows("SPY")
    assert (row["close"], row["adj_close"], row["volume"], row["source"]) == (
        471.0,
        460.0,
        1e6,
        "csv",
    )


def test_rows_carrying_different_fields_in_one_call_keep_what_each_lacks(store):
    store.upsert_prices(
        "SPY", [{"date": "2024-01-05", "close": 470.0, "adj_close": 460.0}], "yahoo"
    )
    rows = [
        {"date": "2024-01-05", "close": 471.0},
        {"date": "2024-01-08", "close": 472.0, "adj_close": 462.0},
    ]
    store.upsert_prices("SPY", rows, "csv")
    assert [(r["close"], r["adj_close"]) for r in store.price_rows("SPY")] == [
        (471.0, 460.0),
        (472.0, 462.0),
    ]


def test_a_failed_price_write_leaves_the_cache_as_it_was(store):
    store.upsert_prices("SPY", [{"date": "2024-01-05", "close": 470.0}], "yahoo")
    before = dump(store)
    rows = [{"date": "2024-01-08", "close": 471.0}, {"date": "2024-01-09", "close": None}]
    with pytest.raises(StoreError, match="NOT NULL") as refused:
        store.upsert_prices("SPY", rows, "yahoo")  # close is NOT NULL: the second row fails
    assert isinstance(refused.value.__cause__, sqlite3.IntegrityError)
    assert dump(store) == before


def test_replace_prices_swaps_the_whole_history_for_the_new_rows(store):
    store.upsert_prices(
        "VFINX",
        [
            {"date": "2024-01-04", "close": 1.0, "adj_close": 0.9, "dividend": 0.1},
            {"date": "2024-01-05", "close": 2.0, "adj_close": 1.9, "volume": 7},
        ],
        "csv",
    )
    store.upsert_prices("OTHER", [{"date": "2024-01-05", "close": 3.0}], "csv")
    rows = [
        {"date": dt.date(2024, 1, 5), "close": 2.5, "capital_gain": 0.4},
        {"date": dt.date(2024, 1, 8), "close": 2.6, "adj_close": 2.6, "split": 2.0},
        {"date": dt.date(2024, 1, 8), "close": 2.7, "adj_close": 2.7, "split": 2.0},
    ]

    assert store.replace_prices("VFINX", rows, "yahoo") == 2

    def stored(day, close, **fields):
        blank = {"open": None, "high": None, "low": None, "adj_close": None, "volume": None}
        no_actions = {"dividend": 0.0, "split": 0.0, "capital_gain": 0.0}
        return {**blank, **no_actions, "date": day, "close": close, "source": "yahoo", **fields}

    assert store.price_rows("VFINX") == [
        stored("2024-01-05", 2.5, capital_gain=0.4),  # the old adj_close and volume are gone
        stored("2024-01-08", 2.7, adj_close=2.7, split=2.0),  # a repeated date keeps its last
    ]
    assert [r["close"] for r in store.price_rows("OTHER")] == [3.0]


def test_a_failed_replace_keeps_the_old_rows(store):
    store.upsert_prices("SPY", [{"date": "2024-01-05", "close": 470.0, "dividend": 1.5}], "csv")
    before = dump(store)
    rows = [{"date": "2024-01-08", "close": 471.0}, {"date": "2024-01-09", "close": None}]
    with pytest.raises(StoreError, match="NOT NULL"):  # after the old rows were deleted
        store.replace_prices("SPY", rows, "yahoo")
    assert dump(store) == before


def test_a_history_of_one_row_replaces_the_old_one(store):
    # sqlite-utils' insert_all of one row used to look the instrument's rowid up in prices.
    store.upsert_prices("SPY", [{"date": "2024-01-05", "close": 470.0}], "csv")
    assert store.replace_prices("SPY", [{"date": "2024-01-08", "close": 471.0}], "yahoo") == 1
    assert [(r["date"], r["close"]) for r in store.price_rows("SPY")] == [("2024-01-08", 471.0)]


def test_price_actions_of_the_real_rows_in_a_window(store):
    store.set_setting("demo", "1")
    store.upsert_prices(
        "VFINX",
        [
            {"date": "2024-01-04", "close": 1.0, "dividend": 0.1},
            {"date": "2024-01-05", "close": 2.0, "split": 2.0, "capital_gain": 0.3},
            {"date": "2024-01-08", "close": 2.0},
        ],
        "yahoo",
    )
    store.upsert_prices("SIM", [{"date": "2024-01-05", "close": 2.0}], SIMULATED_SOURCE)

    assert store.price_actions("VFINX", dt.date(2024, 1, 5), dt.date(2024, 1, 8)) == {
        dt.date(2024, 1, 5): {"dividend": 0.0, "split": 2.0, "capital_gain": 0.3},
        dt.date(2024, 1, 8): {"dividend": 0.0, "split": 0.0, "capital_gain": 0.0},
    }
    assert store.price_actions("SIM", dt.date(2024, 1, 1), dt.date(2024, 1, 31)) == {}


def test_simulated_prices_never_enter_a_users_database(store):
    with pytest.raises(ValueError, match="demo"):
        store.upsert_prices("COHU", [{"date": "2024-01-05", "close": 1.0}], SIMULATED_SOURCE)
    assert store.price_rows("COHU") == []


def test_real_prices_replace_simulated_ones_in_the_demo(store):
    store.set_setting("demo", "1")
    store.upsert_prices(
        "COHU",
        [{"date": "2024-01-04", "close": 1.0}, {"date": "2024-01-05", "close": 2.0}],
        SIMULATED_SOURCE,
    )
    assert store.has_simulated_prices()
    store.upsert_prices("COHU", [{"date": "2024-01-05", "close": 32.95}], "yahoo")
    assert [(r["date"], r["close"], r["source"]) for r in store.price_rows("COHU")] == [
        ("2024-01-05", 32.95, "yahoo")
    ]
    assert not store.has_simulated_prices()


def test_closes_frame_and_recent_closes(store):
    store.upsert_prices(
        "A", [{"date": "2024-01-02", "close": 1.0}, {"date": "2024-01-03", "close": 2.0}], "csv"
    )
    store.upsert_prices("B", [{"date": "2024-01-03", "close": 5.0}], "csv")
    frame = store.closes(["B", "A"])
    assert list(frame.columns) == ["B", "A"]
    assert frame.loc["2024-01-03", "B"] == 5.0 and frame["B"].isna().sum() == 1
    assert store.recent_closes(["A"]) == {
        "A": [(dt.date(2024, 1, 3), 2.0), (dt.date(2024, 1, 2), 1.0)]
    }


def _fields(t):
    return {f: getattr(t, f) for f in Trade.__slots__}


def test_every_sqlite_error_leaves_the_store_as_a_store_error_naming_the_file(store):
    store.conn.execute("DROP TABLE watchlist")  # a damaged file: reads and writes both fail

    with pytest.raises(StoreError, match="no such table: watchlist") as read:
        store.watchlist()
    with pytest.raises(StoreError, match="no such table: watchlist") as write:
        store.add_to_watchlist("COHU")

    assert store.path in str(read.value) and store.path in str(write.value)
    assert isinstance(read.value.__cause__, sqlite3.OperationalError)
    assert store.instrument("COHU") is None  # the failed write left nothing behind


def test_one_helper_makes_the_instrument_row_every_table_refers_to(store):
    store.add_trade(Trade(dt.date(2024, 1, 5), TradeType.BUY, "COHU", D("1"), D("30"), D("0")))
    store.upsert_prices("SPY", [{"date": "2024-01-05", "close": 470.0}], "csv")
    store.add_to_watchlist("IWM")
    store.ensure_instrument("^RUT")
    store.ensure_instrument("^RUT")  # again: still one row, unchanged

    rows = store.conn.execute("SELECT symbol, name, verified FROM instruments ORDER BY 1")
    assert rows.fetchall() == [
        ("COHU", "", 0),
        ("IWM", "", 0),
        ("SPY", "", 0),
        ("^RUT", "", 0),
    ]


def test_closes_equal_a_pivot_of_every_row_and_read_only_the_dates_asked(store):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(3)
    days = pd.bdate_range("2023-01-02", periods=120)
    rows = {}
    for symbol in ("A", "B", "C"):
        kept = sorted(rng.choice(len(days), size=80, replace=False))  # each with its own gaps
        rows[symbol] = [
            {"date": days[i].date(), "close": float(rng.uniform(5, 50))}
            | ({"adj_close": float(rng.uniform(5, 50))} if i % 3 else {})
            for i in kept
        ]
        store.upsert_prices(symbol, rows[symbol], "csv")
    flat = pd.DataFrame(
        [
            {
                "date": pd.Timestamp(r["date"]),
                "symbol": s,
                "close": r["close"],
                "adjusted": r.get("adj_close", r["close"]),
            }
            for s, rs in rows.items()
            for r in rs
        ]
    )
    start, end = days[10].date(), days[100].date()

    for adjusted, value in ((False, "close"), (True, "adjusted")):
        frame = store.closes(["C", "A", "B", "NONE"], start, adjusted=adjusted, end=end)
        inside = flat[(flat["date"] >= pd.Timestamp(start)) & (flat["date"] <= pd.Timestamp(end))]
        expected = inside.pivot(index="date", columns="symbol", values=value)
        expected = expected.reindex(columns=["C", "A", "B", "NONE"])
        pd.testing.assert_frame_equal(
            frame, expected, check_names=False, check_index_type=False, check_freq=False
        )
        assert frame.index.name == "date" and frame.index.is_monotonic_increasing
    assert store.closes([]).empty and list(store.closes(["NONE"]).columns) == ["NONE"]


def _put(store, trade):
    saved, problems = store.add_trade(trade)
    assert problems == [], problems
    return saved


def test_an_edit_is_checked_against_its_own_security_s_entries_only(store):
    day = dt.date(2024, 1, 5)
    _put(store, Trade(day, TradeType.BUY, "A", D("10"), D("5"), D("0")))
    # Another security's ledger broken behind the app's back (a sale of nothing held)...
    store.conn.execute("INSERT INTO instruments(symbol) VALUES ('B')")
    store.conn.execute(
        "INSERT INTO trades (date, type, symbol, quantity, price, fee, note, amount) "
        "VALUES ('2024-01-05', 'sell', 'B', '5', '1', '0', '', '0')"
    )

    # ...does not block a valid entry of A, and A's own rules still hold.
    assert store.add_trade(Trade(day, TradeType.SELL, "A", D("4"), D("6"), D("0")))[1] == []
    later = dt.date(2024, 1, 8)
    saved, problems = store.add_trade(Trade(later, TradeType.SELL, "A", D("7"), D("6"), D("0")))
    assert saved is None and "more than the 6 held" in problems[0].message


def test_moving_a_buy_to_another_security_is_checked_on_both(store):
    buy = _put(store, Trade(dt.date(2024, 1, 5), TradeType.BUY, "A", D("10"), D("5"), D("0")))
    _put(store, Trade(dt.date(2024, 1, 8), TradeType.SELL, "A", D("10"), D("6"), D("0")))

    saved, problems = store.update_trade(replace(buy, symbol="B"))

    assert saved is None and "the sale of 10 A" in problems[0].message
    assert store.trade(buy.id).symbol == "A"  # nothing changed
