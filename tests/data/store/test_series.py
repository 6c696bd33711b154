"""The packed closes (``close_series``) always say what the price rows say."""

import sqlite3

import numpy as np
import pandas as pd
import pytest
import sqlite_utils

from desktop.data.store import Store, StoreError, migrations, series

ROWS = [
    {"date": "2024-01-02", "close": 10.0, "adj_close": 9.5},
    {"date": "2024-01-03", "close": 11.0},  # no adjusted close: the close stands in for it
    {"date": "2024-01-05", "close": 12.0, "adj_close": 11.6},
]


def packed(store, symbol):
    """The symbol's packed arrays as plain lists, or None when it has none."""
    row = store.conn.execute(
        "SELECT days, close, adj_close FROM close_series WHERE symbol = ?", [symbol]
    ).fetchone()
    if row is None:
        return None
    days = np.frombuffer(row[0], dtype="<i4").astype("datetime64[D]").astype(str).tolist()
    adjusted = [None if np.isnan(a) else a for a in np.frombuffer(row[2]).tolist()]
    return days, np.frombuffer(row[1]).tolist(), adjusted


def from_rows(store, symbols, **kwargs):
    """The same frame built the slow way: the rows through pandas' own pivot."""
    column = "COALESCE(adj_close, close)" if kwargs.get("adjusted") else "close"
    frame = pd.read_sql_query(f"SELECT symbol, date, {column} AS v FROM prices", store.conn)
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    wide = frame.pivot(index="date", columns="symbol", values="v").reindex(columns=symbols)
    if kwargs.get("start"):
        wide = wide.loc[pd.Timestamp(kwargs["start"]) :]
    if kwargs.get("end"):
        wide = wide.loc[: pd.Timestamp(kwargs["end"])]
    return wide.dropna(how="all")


def test_a_write_packs_the_rows_it_wrote(store):
    store.upsert_prices("COHU", ROWS, "csv")
    assert packed(store, "COHU") == (
        ["2024-01-02", "2024-01-03", "2024-01-05"],
        [10.0, 11.0, 12.0],
        [9.5, None, 11.6],
    )
    store.upsert_prices("COHU", [{"date": "2024-01-04", "close": 11.5}], "csv")
    assert packed(store, "COHU")[0] == ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"]
    store.replace_prices("COHU", [{"date": "2024-02-01", "close": 20.0}], "yahoo")
    assert packed(store, "COHU") == (["2024-02-01"], [20.0], [None])


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO prices(symbol, date, close, source) VALUES ('COHU', '2024-01-04', 99, 'x')",
        "UPDATE prices SET close = 99 WHERE symbol = 'COHU' AND date = '2024-01-03'",
        "DELETE FROM prices WHERE symbol = 'COHU' AND date = '2024-01-03'",
    ],
)
def test_any_other_write_of_a_row_drops_the_stale_series_and_reads_stay_right(store, sql):
    store.upsert_prices("COHU", ROWS, "csv")
    store.upsert_prices("SUM", [{"date": "2024-01-03", "close": 40.0}], "csv")
    store.conn.execute(sql)
    store.conn.commit()
    assert packed(store, "COHU") is None  # the trigger dropped it
    assert packed(store, "SUM") is not None  # another symbol's stays
    for adjusted in (False, True):
        got = store.closes(["COHU", "SUM"], adjusted=adjusted)
        pd.testing.assert_frame_equal(
            got, from_rows(store, ["COHU", "SUM"], adjusted=adjusted), check_names=False
        )


def test_closes_from_packed_series_match_the_rows_in_every_window(store):
    rng = np.random.default_rng(3)
    days = pd.bdate_range("2023-01-02", periods=300)
    for symbol, start in (("A", 0), ("B", 40), ("C", 120)):
        keep = rng.random(300 - start) > 0.1  # gaps
        rows = [
            {
                "date": d.date(),
                "close": float(c),
                **({"adj_close": float(c) * 0.9} if rng.random() > 0.3 else {}),
            }
            for d, c, k in zip(days[start:], rng.uniform(5, 50, 300 - start), keep, strict=True)
            if k
        ]
        store.upsert_prices(symbol, rows, "csv")
    cases = [{}, {"adjusted": True}, {"start": days[50].date()}, {"end": days[100].date()}]
    cases.append({"start": days[130].date(), "end": days[200].date(), "adjusted": True})
    for kwargs in cases:
        got = store.closes(["C", "A", "B", "MISSING"], **kwargs)
        want = from_rows(store, ["C", "A", "B", "MISSING"], **kwargs)
        pd.testing.assert_frame_equal(got, want, check_names=False, check_freq=False)


def test_a_failed_write_leaves_rows_and_series_as_they_were(store):
    store.upsert_prices("SPY", ROWS, "csv")
    before = packed(store, "SPY")
    with pytest.raises(StoreError):
        store.upsert_prices("SPY", [{"date": "2024-01-08", "close": None}], "csv")
    assert packed(store, "SPY") == before


def test_a_version_four_database_gets_its_closes_packed(tmp_path):
    path = tmp_path / "v4.sqlite"
    db = sqlite_utils.Database(path)
    first_four = sqlite_utils.Migrations(migrations.MIGRATION_SET)
    for fn in migrations.MIGRATIONS[:4]:
        first_four()(fn)
    first_four.apply(db)
    db.execute("INSERT INTO instruments(symbol) VALUES ('COHU')")
    for row in ROWS:
        db.execute(
            "INSERT INTO prices(symbol, date, close, adj_close, source) VALUES (?, ?, ?, ?, 'csv')",
            ["COHU", row["date"], row["close"], row.get("adj_close")],
        )
    db.conn.commit()
    db.close()

    with Store(path) as store:
        assert packed(store, "COHU")[:2] == (
            ["2024-01-02", "2024-01-03", "2024-01-05"],
            [10, 11, 12],
        )
        assert series.TABLE == "close_series"


def test_a_series_is_never_read_when_the_table_lost_it(store):
    store.upsert_prices("COHU", ROWS, "csv")
    with sqlite3.connect(store.path) as other:  # another program edits the file
        other.execute("UPDATE prices SET close = 50 WHERE date = '2024-01-05'")
    assert store.closes(["COHU"])["COHU"].tolist() == [10.0, 11.0, 50.0]
