"""Migration 8 (``m008_quality_figures``): a database made before it keeps its fundamentals
snapshots, the new figures unknown (NULL, never 0) until the next fetch; new snapshots keep
every figure, through the store and through ``export database`` / ``import database``."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
import sqlite_utils

from desktop.core.fundamentals import Fundamentals
from desktop.data.store import Store, migrations

NEW_COLUMNS = ("trailing_pe", "forward_pe", "trailing_eps", "operating_margin", "debt_to_equity")

FULL = Fundamentals(
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
    trailing_pe=39.644947,
    forward_pe=36.22408,
    trailing_eps=13.66,
    operating_margin=0.44901,
    debt_to_equity=0.32661,
)


def version_seven(path) -> None:
    """A database as the release before migration 8 left it, with one snapshot."""
    db = sqlite_utils.Database(path)
    before = sqlite_utils.Migrations(migrations.MIGRATION_SET)
    for fn in migrations.MIGRATIONS:
        if fn.__name__ == "m008_quality_figures":
            break
        before()(fn)
    before.apply(db)
    db.execute("INSERT INTO instruments(symbol, kind) VALUES ('COHU', 'equity')")
    db.execute(
        "INSERT INTO fundamentals(symbol, fetched, currency, market_cap, total_debt, total_cash,"
        " return_on_equity, consensus, consensus_mean, analysts) VALUES "
        "('COHU', '2025-10-20', 'USD', 1150000000.0, 30500000.0, 251000000.0, -0.081,"
        " 'buy', 1.8, 5)"
    )
    db.conn.commit()
    db.close()


def test_migration_eight_is_the_last_and_adds_the_columns_as_real(store):
    assert migrations.MIGRATIONS[7].__name__ == "m008_quality_figures"
    assert migrations.MIGRATIONS[-1] is migrations.m008_quality_figures
    columns = {
        c[1]: (c[2], c[3], c[4]) for c in store.conn.execute("PRAGMA table_info(fundamentals)")
    }
    assert {c: columns[c] for c in NEW_COLUMNS} == {c: ("REAL", 0, None) for c in NEW_COLUMNS}


def test_an_old_database_migrates_and_keeps_its_figures(tmp_path):
    path = tmp_path / "v7.sqlite"
    version_seven(path)
    names = [fn.__name__ for fn in migrations.MIGRATIONS]

    with Store(path) as store:
        applied = [r[0] for r in store.conn.execute("SELECT name FROM _sqlite_migrations")]
        assert applied == names
        assert store.fundamentals() == {
            "COHU": Fundamentals(
                symbol="COHU",
                fetched=dt.date(2025, 10, 20),
                currency="USD",
                market_cap=1_150_000_000.0,
                total_debt=30_500_000.0,
                total_cash=251_000_000.0,
                return_on_equity=-0.081,
                consensus="buy",
                consensus_mean=1.8,
                analysts=5,
            )
        }
        # Unknown, not 0: the old snapshot never had them.
        old = store.fundamentals()["COHU"]
        assert [getattr(old, c) for c in NEW_COLUMNS] == [None] * 5
    raw = sqlite3.connect(path).execute(f"SELECT {', '.join(NEW_COLUMNS)} FROM fundamentals")
    assert raw.fetchall() == [(None,) * 5]


def test_the_next_fetch_fills_them_in(tmp_path):
    path = tmp_path / "v7.sqlite"
    version_seven(path)
    newer = Fundamentals(
        "COHU", dt.date(2025, 10, 29), "USD", market_cap=1.2e9, trailing_pe=None, forward_pe=41.0,
        trailing_eps=-1.52, operating_margin=-0.115, debt_to_equity=0.046,
    )  # fmt: skip
    with Store(path) as store:
        store.save_fundamentals(newer)
        assert store.fundamentals() == {"COHU": newer}


def test_new_figures_round_trip(store):
    store.save_fundamentals(FULL)
    assert store.fundamentals() == {"MSFT": FULL}
    row = store.conn.execute(
        f"SELECT {', '.join(NEW_COLUMNS)} FROM fundamentals WHERE symbol = 'MSFT'"
    ).fetchone()
    assert row == (39.644947, 36.22408, 13.66, 0.44901, 0.32661)


def test_negative_and_missing_figures_round_trip_as_they_are(store):
    loss = Fundamentals("LOSS", dt.date(2025, 10, 29), "USD", trailing_eps=-0.42,
                        operating_margin=-0.3)  # fmt: skip
    store.save_fundamentals(loss)
    assert store.fundamentals()["LOSS"] == loss


def test_export_and_import_database_keep_the_new_figures(store, tmp_path):
    store.save_fundamentals(FULL)
    dumped = tmp_path / "all.json"
    store.export_json(dumped)

    with Store(tmp_path / "fresh.sqlite") as fresh:
        fresh.import_json(dumped, today=dt.date(2025, 10, 30))
        assert fresh.fundamentals() == {"MSFT": FULL}


@pytest.mark.parametrize("count", [4, 7])
def test_any_older_database_reaches_migration_eight(tmp_path, count):
    path = tmp_path / f"v{count}.sqlite"
    db = sqlite_utils.Database(path)
    first = sqlite_utils.Migrations(migrations.MIGRATION_SET)
    for fn in migrations.MIGRATIONS[:count]:
        first()(fn)
    first.apply(db)
    db.close()

    with Store(path) as store:
        store.save_fundamentals(FULL)
        assert store.fundamentals()["MSFT"].debt_to_equity == 0.32661
