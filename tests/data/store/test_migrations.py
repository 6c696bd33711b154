"""A database made by an earlier version is migrated in place and keeps every trade and price."""

import datetime as dt
import sqlite3
from decimal import Decimal as D

import sqlite_utils

from desktop.core.model import TradeType
from desktop.data.store import Store, migrations


def test_a_version_one_database_is_migrated_and_keeps_its_trades(tmp_path):
    path = tmp_path / "v1.sqlite"
    db = sqlite_utils.Database(path)
    only_first = sqlite_utils.Migrations(migrations.MIGRATION_SET)
    only_first()(migrations.m001_initial)
    only_first.apply(db)
    db.execute("INSERT INTO instruments(symbol) VALUES ('COHU')")
    db.execute(
        "INSERT INTO trades(date, type, symbol, quantity, price, fee, note) "
        "VALUES ('2024-01-05', 'buy', 'COHU', '100', '32.10', '1.00', 'first')"
    )
    db.conn.commit()
    db.close()

    with Store(path) as store:
        (trade,) = store.trades()
        assert (trade.symbol, trade.quantity, trade.price, trade.note) == (
            "COHU",
            D("100"),
            D("32.10"),
            "first",
        )
        assert trade.amount == 0 and trade.currency == ""
        saved, problems = store.add_trade(
            type(trade)(dt.date(2024, 1, 2), TradeType.DEPOSIT, "", amount=D("5000"))
        )
        assert problems == [] and saved.symbol == ""
        applied = [r[0] for r in store.conn.execute("SELECT name FROM _sqlite_migrations")]
        assert applied == [m.__name__ for m in migrations.MIGRATIONS]
        fks = store.conn.execute("PRAGMA foreign_key_list(trades)").fetchall()
        assert [(fk[2], fk[3]) for fk in fks] == [("instruments", "symbol")]
    assert sqlite3.connect(path).execute(
        "SELECT symbol FROM trades WHERE type='deposit'"
    ).fetchone() == (None,)


def test_a_version_two_database_gets_capital_gains_and_keeps_its_prices(tmp_path):
    path = tmp_path / "v2.sqlite"
    db = sqlite_utils.Database(path)
    first_two = sqlite_utils.Migrations(migrations.MIGRATION_SET)
    first_two()(migrations.m001_initial)
    first_two()(migrations.m002_income_and_cash)
    first_two.apply(db)
    db.execute("INSERT INTO instruments(symbol) VALUES ('VFINX')")
    db.execute(
        "INSERT INTO prices(symbol, date, close, adj_close, dividend, source) "
        "VALUES ('VFINX', '2024-12-20', 520.5, 518.25, 1.94, 'yahoo')"
    )
    db.conn.commit()
    db.close()

    with Store(path) as store:
        columns = {c[1]: c for c in store.conn.execute("PRAGMA table_info(prices)")}
        _cid, _name, kind, not_null, default, _pk = columns["capital_gain"]
        assert (kind, not_null, default) == ("REAL", 1, "0")
        assert store.price_rows("VFINX") == [
            {
                "date": "2024-12-20",
                "open": None,
                "high": None,
                "low": None,
                "close": 520.5,
                "adj_close": 518.25,
                "volume": None,
                "dividend": 1.94,
                "split": 0.0,
                "capital_gain": 0.0,
                "source": "yahoo",
            }
        ]
        applied = [r[0] for r in store.conn.execute("SELECT name FROM _sqlite_migrations")]
        assert applied == [m.__name__ for m in migrations.MIGRATIONS]
        store.upsert_prices(
            "VFINX", [{"date": "2024-12-20", "close": 520.5, "capital_gain": 3.1}], "yahoo"
        )
        assert store.price_rows("VFINX")[0]["capital_gain"] == 3.1
