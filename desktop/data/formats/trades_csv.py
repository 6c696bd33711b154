"""Trades to and from CSV, columns ``date,type,symbol,quantity,price,fee,amount,currency,note``.

An import checks every row and then the whole ledger; with any problem it imports nothing and
names every bad row by its line number and why. Notes are written and read back exactly: a text
cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) is written with a leading
apostrophe, which the import takes off.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from desktop.core.model import AMOUNT_TYPES, Problem, Trade, TradeType
from desktop.data.formats.trade_mapping import (
    FIELDS,
    FORMULA_STARTS,
    Mapping,
    new_trades,
    read_mapped,
)
from desktop.data.formats.trade_presets import PORTFOLIO_DESK
from desktop.data.store import Store

COLUMNS = FIELDS


def read_trades(
    path: str | Path, today: dt.date, mapping: Mapping | None = None
) -> tuple[list[Trade], list[Problem]]:
    """Parse a trades CSV (ours, or as ``mapping`` reads it); every problem names its line."""
    reading = read_mapped(path, mapping or PORTFOLIO_DESK, today)
    problems = reading.problems()
    return ([] if problems else reading.trades(duplicates=True)), problems


def import_trades(
    store: Store,
    path: str | Path,
    today: dt.date,
    *,
    allow_duplicates: bool = False,
    mapping: Mapping | None = None,
) -> tuple[int, int, list[Problem]]:
    """Add the trades of the file in one transaction, or none if any row or the ledger is bad;
    those already stored are skipped (unless ``allow_duplicates``): (added, skipped,
    problems)."""
    trades, problems = read_trades(path, today, mapping)
    if problems:
        return 0, 0, problems
    # The ledger read for duplicates in the import's own transaction: another writer cannot
    # add the same rows between the check and the write.
    with store.atomic():
        skipped = 0
        if not allow_duplicates:
            trades, skipped = new_trades(store.trades(), trades)
        if not trades:
            return 0, skipped, []
        saved, problems = store.add_trades(trades)
    return len(saved), skipped, problems


def spreadsheet_text(value: str) -> str:
    """A text cell a spreadsheet shows as text: ``=HYPERLINK(...)`` is written ``'=HYP...``
    (and a text already starting with an apostrophe gets a second one, so both read back)."""
    return f"'{value}" if value.startswith((*FORMULA_STARTS, "'")) else value


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
                    _money(t.price, trades_units or (t.type is TradeType.SPLIT and bool(t.price))),
                    _money(t.fee, trades_units),
                    _money(t.amount, t.type in AMOUNT_TYPES),
                    spreadsheet_text(t.currency),
                    spreadsheet_text(t.note),
                ]
            )
