"""The whole database as one JSON file, and back: ``export database`` / ``import database``.

The file holds what the user's records are (instruments, the ledger, the watchlist, prices,
fetch status, fundamentals, settings), table by table, with the schema version that wrote it;
not the derived tables (packed closes, kept positions, the ledger's change count), which the
store rebuilds. Prices are JSON numbers (Python writes the shortest text that reads back as the
same float), amounts and quantities the exact decimal text the ledger stores.

An import goes into a database that holds no trades, in one transaction, and is checked before
it commits: the format and schema version, every table and column known, every value a JSON
scalar, every entry valid on its own (``parse_trade``) and as a ledger, every reference whole.
Anything wrong is refused with the table and row named, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from pathlib import Path
from typing import Any

from desktop.core.holdings import ledger_problems
from desktop.core.validation import parse_trade
from desktop.data.store import migrations

FORMAT = "portfolio-desk-database"
VERSION = 1
#: The tables written, parents before the tables that refer to them.
TABLES = (
    "instruments",
    "settings",
    "trades",
    "watchlist",
    "prices",
    "fetch_status",
    "fundamentals",
)


class DatabaseFileError(ValueError):
    """A database file that cannot be imported; the message says where and why."""


def dump(conn: sqlite3.Connection) -> dict[str, Any]:
    """The database's records as one JSON-ready object."""
    tables = {}
    for table in TABLES:
        order = "symbol, date" if table == "prices" else "rowid"  # prices has no rowid
        cursor = conn.execute(f"SELECT * FROM {table} ORDER BY {order}")
        columns = [d[0] for d in cursor.description]
        tables[table] = {"columns": columns, "rows": [list(r) for r in cursor]}
    return {
        "format": FORMAT,
        "version": VERSION,
        "schema": migrations.applied(conn),
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "tables": tables,
    }


def write(conn: sqlite3.Connection, path: str | Path) -> dict[str, int]:
    """Write the database to ``path`` (the caller makes it atomic); the rows per table."""
    data = dump(conn)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    return {t: len(v["rows"]) for t, v in data["tables"].items()}


def read(path: str | Path) -> dict[str, Any]:
    """The file's content, refused unless it is a database file of a version this app reads."""

    def no_constant(name: str) -> None:
        raise DatabaseFileError(f"{path} holds {name}, which is not a number")

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"), parse_constant=no_constant)
    except FileNotFoundError as exc:
        raise DatabaseFileError(f"{path} does not exist") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DatabaseFileError(f"{path} cannot be read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise DatabaseFileError(f"{path} is not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DatabaseFileError(f"{path} is not a Portfolio Desk database export")
    if data.get("version") != VERSION:
        raise DatabaseFileError(
            f"{path} is format version {data.get('version')!r}; this app reads version {VERSION}"
        )
    known = [m.__name__ for m in migrations.MIGRATIONS]
    schema = data.get("schema")
    if not isinstance(schema, list) or any(name not in known for name in schema):
        newer = [n for n in schema or [] if n not in known] if isinstance(schema, list) else []
        raise DatabaseFileError(
            f"{path} was written by a newer version of Portfolio Desk (schema {', '.join(newer)})"
            if newer
            else f"{path} has no schema list"
        )
    if not isinstance(data.get("tables"), dict):
        raise DatabaseFileError(f"{path} has no tables")
    return data


def load(conn: sqlite3.Connection, data: dict[str, Any], *, today: dt.date) -> dict[str, int]:
    """Insert ``data``'s rows (from ``read``) over ``conn``, inside the caller's transaction;
    raise ``DatabaseFileError`` on the first thing wrong (the caller rolls back)."""
    unknown = [t for t in data["tables"] if t not in TABLES]
    if unknown:
        raise DatabaseFileError(f"unknown table {unknown[0]!r} (known: {', '.join(TABLES)})")
    counts = {}
    for table in TABLES:
        content = data["tables"].get(table, {"columns": [], "rows": []})
        if not isinstance(content, dict):
            raise DatabaseFileError(f"table {table}: not an object with columns and rows")
        columns, rows = content.get("columns"), content.get("rows")
        if not isinstance(columns, list) or not isinstance(rows, list):
            raise DatabaseFileError(f"table {table}: needs a list of columns and a list of rows")
        have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        stray = [c for c in columns if c not in have]
        if stray or len(set(columns)) != len(columns):
            what = f"unknown column {stray[0]!r}" if stray else "a column named twice"
            raise DatabaseFileError(f"table {table}: {what}")
        if table == "settings":
            conn.execute("DELETE FROM settings")  # a new database's defaults give way
        marks = ",".join("?" * len(columns))
        sql = f"INSERT INTO {table} ({','.join(columns)}) VALUES ({marks})"
        for i, row in enumerate(rows, start=1):
            _check_row(table, i, row, len(columns))
            try:
                conn.execute(sql, row)
            except sqlite3.Error as exc:
                raise DatabaseFileError(f"table {table}, row {i}: {exc}") from exc
        counts[table] = len(rows)
    _check_trades(conn, today)
    broken = conn.execute("PRAGMA foreign_key_check").fetchone()
    if broken:
        raise DatabaseFileError(
            f"table {broken[0]}, row {broken[1]}: refers to a missing {broken[2]} entry"
        )
    return counts


def _check_row(table: str, i: int, row: Any, width: int) -> None:
    if not isinstance(row, list) or len(row) != width:
        raise DatabaseFileError(f"table {table}, row {i}: needs {width} values")
    for value in row:
        if isinstance(value, bool) or not (value is None or isinstance(value, str | int | float)):
            raise DatabaseFileError(f"table {table}, row {i}: {value!r} is not a plain value")
        if isinstance(value, float) and not math.isfinite(value):
            raise DatabaseFileError(f"table {table}, row {i}: {value!r} is not a number")


def _check_trades(conn: sqlite3.Connection, today: dt.date) -> None:
    """Every entry as the app would take it when typed, and the ledger as a whole."""
    from desktop.data.store import rows as convert

    trades = []
    sql = f"SELECT {convert.TRADE_COLUMNS} FROM trades ORDER BY date, id"
    for row in conn.execute(sql).fetchall():
        tid, day, kind, symbol, quantity, price, fee, note, amount, currency = row
        texts = [day, kind, symbol or "", quantity, price, fee, note, amount, currency]
        if not all(isinstance(v, str) for v in texts):
            raise DatabaseFileError(f"table trades, entry {tid}: a field is not text")
        trade, problems = parse_trade(
            date=day,
            type=kind,
            symbol=symbol or "",
            quantity=_blank_zero(quantity),
            price=_blank_zero(price),
            fee=fee,
            amount=_blank_zero(amount),
            currency=currency,
            note=note,
            today=today,
            trade_id=tid,
        )
        if problems:
            p = problems[0]
            raise DatabaseFileError(f"table trades, entry {tid}: {p.field}: {p.message}")
        trades.append(trade)
    problems = ledger_problems(trades)
    if problems:
        raise DatabaseFileError(f"table trades: {problems[0].message}")


def _blank_zero(text: str) -> str:
    """The store writes "0" in fields an entry type does not use; the parser wants them blank
    for such types and takes "0" as given otherwise, so "0" is passed as blank."""
    return "" if text == "0" else text
