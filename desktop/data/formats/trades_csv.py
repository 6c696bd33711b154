"""Trades to and from CSV, columns ``date,type,symbol,quantity,price,fee,amount,currency,note``.

An import checks every row and then the whole ledger; with any problem it imports nothing and
names every bad row by its line number and why. Notes are written and read back exactly: a text
cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) is written with a leading
apostrophe, which the import takes off.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from pathlib import Path

from desktop.core.model import AMOUNT_TYPES, Problem, Trade, TradeType
from desktop.core.validation import parse_trade
from desktop.data.store import Store

COLUMNS = ("date", "type", "symbol", "quantity", "price", "fee", "amount", "currency", "note")
_REQUIRED = ("date", "type")


def read_trades(path: str | Path, today: dt.date) -> tuple[list[Trade], list[Problem]]:
    """Parse a trades CSV; every problem names its line (the header is line 1)."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return [], [Problem("file", f"{path} does not exist")]
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem("file", f"{path} cannot be read as a UTF-8 text file ({exc})")]
    # Strict: a quote left open (which would take every row after it into one note) or a
    # stray quote inside a field is an error, with its line, never read on.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [Problem("file", f"line {reader.line_num} is not valid CSV: {exc}")]
    if not header:
        return [], [Problem("file", f"{path} is empty")]
    names = [h.strip().lower() for h in header]
    twice = sorted({n for n in names if n and names.count(n) > 1})
    if twice:
        where = ", ".join(
            f"{n} (columns {' and '.join(str(i + 1) for i, m in enumerate(names) if m == n)})"
            for n in twice
        )
        return [], [Problem("file", f"the header names {where} more than once: which is meant?")]
    missing = [c for c in _REQUIRED if c not in names]
    if missing:
        return [], [
            Problem(
                "file",
                f"the header has no {', '.join(missing)} column (expected {','.join(COLUMNS)})",
            )
        ]
    trades, problems = [], []
    rows = iter(reader)
    while True:
        starts = reader.line_num + 1  # the line this row begins on
        try:
            values = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:  # a field over 131,072 characters, a NUL byte, a quote
            if "end of data" in str(exc):
                message = f"line {starts} opens a quote that is never closed"
            else:
                message = f"line {reader.line_num} is not valid CSV: {exc}"
            return [], [Problem("file", message)]
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(names) and any(v.strip() for v in values[len(names) :]):
            problems.append(
                Problem(
                    "line",
                    f"line {line}: {len(values)} values for the header's {len(names)} columns "
                    "(a comma in an unquoted note?)",
                )
            )
            continue
        row = {name: (values[i] if i < len(values) else "") for i, name in enumerate(names)}
        trade, row_problems = parse_trade(
            date=row.get("date", ""),
            type=row.get("type", ""),
            symbol=_untext(row.get("symbol", "")),
            quantity=row.get("quantity", ""),
            price=row.get("price", ""),
            fee=row.get("fee", ""),
            amount=row.get("amount", ""),
            currency=_untext(row.get("currency", "")),
            note=_untext(row.get("note", "")),
            today=today,
        )
        if trade is None:
            problems += [Problem(p.field, f"line {line}: {p.message}") for p in row_problems]
        else:
            trades.append(trade)
    if not trades and not problems:
        problems.append(Problem("file", f"{path} has no trades"))
    return trades, problems


def duplicate_key(t: Trade) -> tuple:
    """What makes two entries the same one entered twice: day, type, symbol, quantity,
    price and amount (not the note, not the fee)."""
    return (t.date, t.type, t.symbol, t.quantity, t.price, t.amount)


def new_trades(stored: list[Trade], incoming: list[Trade]) -> tuple[list[Trade], int]:
    """The entries of ``incoming`` that are not already stored, and how many were: each
    stored entry matches one incoming entry at most (two identical buys in a file, against one
    stored, leave one to import)."""
    left = Counter(duplicate_key(t) for t in stored)
    fresh = []
    for t in incoming:
        key = duplicate_key(t)
        if left[key]:
            left[key] -= 1
        else:
            fresh.append(t)
    return fresh, len(incoming) - len(fresh)


def import_trades(
    store: Store, path: str | Path, today: dt.date, *, allow_duplicates: bool = False
) -> tuple[int, int, list[Problem]]:
    """Add the trades of the file in one transaction, or none if any row or the ledger is bad;
    those already stored are skipped (unless ``allow_duplicates``): (added, skipped,
    problems)."""
    trades, problems = read_trades(path, today)
    if problems:
        return 0, 0, problems
    skipped = 0
    if not allow_duplicates:
        trades, skipped = new_trades(store.trades(), trades)
    if not trades:
        return 0, skipped, []
    saved, problems = store.add_trades(trades)
    return len(saved), skipped, problems


#: What a spreadsheet would take a cell starting with for a formula (CSV injection): such a
#: text cell is written with a leading apostrophe, which the import takes off again.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    """A text cell a spreadsheet shows as text: ``=HYPERLINK(...)`` is written ``'=HYP...``
    (and a text already starting with an apostrophe gets a second one, so both read back)."""
    return f"'{value}" if value.startswith((*_FORMULA_STARTS, "'")) else value


def _untext(value: str) -> str:
    """The text a cell written by ``spreadsheet_text`` holds."""
    return (
        value[1:]
        if value.startswith("'") and value[1:].startswith((*_FORMULA_STARTS, "'"))
        else value
    )


def _money(value, used: bool) -> str:
    return format(value, "f") if used else ""


def write_trades(trades: list[Trade], path: str | Path) -> None:
    """Write the ledger, fields that do not apply to a type left blank."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for t in trades:
            trades_units = t.type in (TradeType.BUY, TradeType.SELL)
            writer.writerow(
                [
                    t.date.isoformat(),
                    t.type.value,
                    spreadsheet_text(t.symbol),
                    _money(t.quantity, trades_units or t.type is TradeType.SPLIT),
                    _money(t.price, trades_units),
                    _money(t.fee, trades_units),
                    _money(t.amount, t.type in AMOUNT_TYPES),
                    spreadsheet_text(t.currency),
                    spreadsheet_text(t.note),
                ]
            )
