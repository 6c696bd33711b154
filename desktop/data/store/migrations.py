"""The store's schema, as an append-only list of migrations applied with sqlite-utils.

Each migration is a function taking a ``sqlite_utils.Database``; they are registered in order with
``sqlite_utils.Migrations`` and recorded in its ``_sqlite_migrations`` table. Never rename or edit
one that has shipped: add a new one. This module does not import sqlite-utils itself, so that
opening an up-to-date database (the start-up path) costs one query, not the import of pandas that
sqlite-utils brings with it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

MIGRATION_SET = "portfolio-desk"


def m001_initial(db: Any) -> None:
    """Instruments, the trade ledger, the watchlist, daily prices, fetch status and settings."""
    db.execute(
        """
        CREATE TABLE instruments (
            symbol TEXT PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL DEFAULT 'unknown',
            currency TEXT NOT NULL DEFAULT 'USD',
            exchange TEXT NOT NULL DEFAULT '',
            timezone TEXT NOT NULL DEFAULT '',
            verified INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    # Money and quantities are stored as decimal text so they read back exactly as typed.
    db.execute(
        """
        CREATE TABLE trades (
            id INTEGER PRIMARY KEY,
            date TEXT NOT NULL,
            type TEXT NOT NULL,
            symbol TEXT NOT NULL REFERENCES instruments(symbol),
            quantity TEXT NOT NULL,
            price TEXT NOT NULL,
            fee TEXT NOT NULL DEFAULT '0',
            note TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX trades_symbol_date ON trades(symbol, date)")
    db.execute(
        """
        CREATE TABLE watchlist (
            symbol TEXT PRIMARY KEY REFERENCES instruments(symbol),
            position INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute(
        """
        CREATE TABLE prices (
            symbol TEXT NOT NULL REFERENCES instruments(symbol),
            date TEXT NOT NULL,
            open REAL, high REAL, low REAL,
            close REAL NOT NULL,
            adj_close REAL,
            volume REAL,
            dividend REAL NOT NULL DEFAULT 0,
            split REAL NOT NULL DEFAULT 0,
            source TEXT NOT NULL,
            PRIMARY KEY (symbol, date)
        ) WITHOUT ROWID
        """
    )
    # Lets "are any simulated prices left?" be answered without scanning every price.
    db.execute("CREATE INDEX prices_simulated ON prices(symbol) WHERE source = 'simulated'")
    db.execute(
        """
        CREATE TABLE fetch_status (
            symbol TEXT PRIMARY KEY REFERENCES instruments(symbol),
            attempted_at TEXT NOT NULL,
            succeeded_at TEXT,
            error_kind TEXT,
            message TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def m002_income_and_cash(db: Any) -> None:
    """Dividends, splits, fees, taxes, deposits, withdrawals and interest: each entry gets an
    amount and a currency, and cash entries name no security (their symbol is NULL)."""
    trades = db["trades"]
    trades.add_column("amount", str, not_null_default="0")
    trades.add_column("currency", str, not_null_default="")
    trades.transform(not_null={"symbol": False})


def m003_capital_gains(db: Any) -> None:
    """Capital-gain distributions per share (funds and ETFs pay them), beside dividends: 0 on a
    day without one, as for every row cached before."""
    db["prices"].add_column("capital_gain", float, not_null_default=0)


def m004_fundamentals(db: Any) -> None:
    """One fundamentals snapshot per equity (market cap, debt, cash, ROE, analysts' consensus),
    replaced by each fetch; ``fetched`` is the ISO date it was fetched."""
    db.execute(
        """
        CREATE TABLE fundamentals (
            symbol TEXT PRIMARY KEY REFERENCES instruments(symbol),
            fetched TEXT NOT NULL,
            currency TEXT NOT NULL DEFAULT '',
            market_cap REAL,
            total_debt REAL,
            total_cash REAL,
            return_on_equity REAL,
            consensus TEXT,
            consensus_mean REAL,
            analysts INTEGER
        )
        """
    )


def m005_close_series(db: Any) -> None:
    """Each symbol's closes packed into arrays, kept in step with its rows by triggers and by
    the store's price writes (``series``): a recompute reads them in milliseconds."""
    from desktop.data.store import series

    for statement in series.SCHEMA:
        db.execute(statement)
    series.pack_all(db.conn)


def m006_ledger_positions(db: Any) -> None:
    """The ledger's positions now, kept beside the entries for the window's first paint
    (``positions``); booked on the next start, then kept in step by every trade write."""
    from desktop.data.store import positions

    for statement in positions.SCHEMA:
        db.execute(statement)


def m007_first_paint_indexes(db: Any) -> None:
    """What the window's first paint asks of the entries, found at once however long the
    ledger: those in a currency of their own (``currency`` given, most are not: the kept
    positions then mix currencies) and the splits (a close cached before one is divided by
    it)."""
    db.execute("CREATE INDEX trades_own_currency ON trades(currency, symbol) WHERE currency <> ''")
    db.execute("CREATE INDEX trades_splits ON trades(symbol, date) WHERE type = 'split'")


def m008_quality_figures(db: Any) -> None:
    """The quality card's other figures beside each fundamentals snapshot: trailing and forward
    P/E, trailing EPS, operating margin (a fraction) and debt to equity (a fraction, not
    Yahoo's percent). NULL (unknown) in the snapshots fetched before, until their next fetch."""
    for column in (
        "trailing_pe",
        "forward_pe",
        "trailing_eps",
        "operating_margin",
        "debt_to_equity",
    ):
        db.execute(f"ALTER TABLE fundamentals ADD COLUMN {column} REAL")


MIGRATIONS: list[Callable[[Any], None]] = [
    m001_initial,
    m002_income_and_cash,
    m003_capital_gains,
    m004_fundamentals,
    m005_close_series,
    m006_ledger_positions,
    m007_first_paint_indexes,
    m008_quality_figures,
]


class NewerSchemaError(RuntimeError):
    """The database was written by a newer Portfolio Desk; opening it could damage it."""


def _applied(conn: sqlite3.Connection) -> list[str]:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='_sqlite_migrations'"
    ).fetchone()
    if not exists:
        return []
    rows = conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
        [MIGRATION_SET],
    )
    return [r[0] for r in rows]


def applied(conn: sqlite3.Connection) -> list[str]:
    """The names of our migrations the database records, in the order applied."""
    return _applied(conn)


def applied_any(conn: sqlite3.Connection) -> bool:
    """Whether the database records any of our migrations (it is a Portfolio Desk file)."""
    return bool(_applied(conn))


def is_current(conn: sqlite3.Connection) -> bool:
    """True when every known migration is applied (one cheap query, no sqlite-utils import)."""
    applied = _applied(conn)
    known = [m.__name__ for m in MIGRATIONS]
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise NewerSchemaError(
            "this database was written by a newer version of Portfolio Desk "
            f"(it has migrations {', '.join(unknown)}); update the app to open it"
        )
    if applied != known[: len(applied)]:  # a gap: a row lost, not a migration to come
        missing = [name for name in known[: len(applied)] if name not in applied]
        raise NewerSchemaError(
            "this database's record of its schema is damaged (it lacks "
            f"{', '.join(missing) or 'the migrations in order'}, though later ones are "
            "applied): restore one of its backups (File > Restore from backup, or "
            "`portfolio-desk backup list`)"
        )
    return applied == known


def migrate(db: Any) -> None:
    """Apply the pending migrations to a ``sqlite_utils.Database``, each in its own transaction."""
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)
    for fn in MIGRATIONS:
        migrations()(fn)
    migrations.apply(db)
