"""The holdings as CSV: one row per open position, as ``report --json`` values them (the same
snapshot), for a spreadsheet. Text cells a spreadsheet would run as a formula are written with
a leading apostrophe; numbers are written plainly (a dot for decimals, no thousands separator)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from desktop.data.formats.trades_csv import spreadsheet_text

#: The columns, in order: the report's holding fields.
COLUMNS = (
    "symbol",
    "name",
    "currency",
    "quantity",
    "average_cost",
    "cost_basis",
    "last_close",
    "close_date",
    "market_value",
    "unrealized_gain",
    "unrealized_return",
    "weight",
    "realized_gain",
    "dividends",
)
_TEXT = {"symbol", "name", "currency"}


def _cell(key: str, value: Any) -> str:
    if value is None:
        return ""  # unknown (no close yet): blank, never 0
    if key in _TEXT:
        return spreadsheet_text(str(value))
    if isinstance(value, float):
        return repr(round(value, 10))  # the float's digits, without binary noise beyond them
    return str(value)


def write_holdings(holdings: Iterable[Mapping[str, Any]], path: str | Path) -> int:
    """Write ``holdings`` (the report's ``holdings`` list); the number of rows written."""
    rows = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for h in holdings:
            writer.writerow([_cell(key, h.get(key)) for key in COLUMNS])
            rows += 1
    return rows
