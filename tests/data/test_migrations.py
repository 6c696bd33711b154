"""A database made by an earlier version is migrated in place and keeps every trade."""

import datetime as dt
import sqlite3
from decimal import Decimal as D

import sqlite_utils

from desktop.core.model import TradeType
from desktop.data import migrations
from desktop.data.store import Store


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
