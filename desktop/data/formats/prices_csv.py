"""Read a daily price CSV as Yahoo Finance or yfinance writes it, and import it into the store.

Three shapes occur in practice: Yahoo's download (``Date,Open,High,Low,Close,Adj Close,Volume``),
``DataFrame.to_csv()`` of a yfinance history (any column order, any case, dates perhaps with a time
and UTC offset), and ``yf.download(...).to_csv()`` with its three-row header (``Price,Close,...`` /
``Ticker,SPY,...`` / ``Date,,,``). Columns are matched by name; unknown columns are ignored.

What is wrong with a file is data, not an exception: ``read_price_file`` returns a ``PriceFile``
whose ``problems`` say, in words a user understands, why it cannot be imported. Rows whose close is
``null`` or empty are normal (Yahoo writes one for a session not yet priced) and are only counted.
A few unreadable rows are skipped and named by line in ``notes``; more than that refuses the file,
because a file that is mostly garbage is not the file the user meant.

The csv module does the parsing: it is fast enough (the 24,777 rows of ^GSPC in well under a
second) and keeps importing this module cheap.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import itertools
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.core.model import Problem

if TYPE_CHECKING:
    from desktop.data.store import Store

#: Column names as written (lower case, spaces and underscores removed) -> the store's fields.
COLUMNS = {
    "date": "date",
    "open": "open",
    "high": "high",
    "low": "low",
    "close": "close",
    "adjclose": "adj_close",
    "volume": "volume",
}
#: Cells that mean "no value".
NULLS = frozenset({"", "null", "nan", "none", "na", "n/a", "-"})
#: More unreadable rows than this (or than this share of the rows) refuses the whole file.
MAX_BAD_ROWS = 10
MAX_BAD_SHARE = 0.01
SOURCE = "csv"
_SHOWN_LINES = 5


@dataclass(frozen=True, slots=True)
class PriceFile:
    """What was read from one price CSV.

    - ``rows``: one dict per session, oldest first, one per date: ``date`` (``datetime.date``, the
      calendar date as written, never shifted to UTC), ``close`` and whichever of ``open, high,
      low, adj_close, volume`` the file has, as floats. A cell that is empty or ``null`` is left
      out of its row, so the store keeps what it had; so is a zero open, high or low, which is how
      Yahoo writes "unknown". Empty when there are problems.
    - ``skipped``: data rows left out because their close is ``null`` or empty.
    - ``symbol_in_file``: the symbol named by a yfinance ``Ticker`` header row, else ``None``.
      Nothing checks it against the symbol the prices are imported as; the caller may.
    - ``problems``: why the file cannot be imported; empty when it can.
    - ``notes``: what was left out or replaced without refusing the file: unreadable rows (by
      line) and repeated dates (the later row is kept).
    """

    rows: tuple[dict[str, Any], ...] = ()
    skipped: int = 0
    symbol_in_file: str | None = None
    problems: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()


def read_price_file(path: str | Path) -> PriceFile:
    """Read and check a price CSV; never raises for anything wrong with the file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return _refused(f"{path} does not exist")
    except IsADirectoryError:
        return _refused(f"{path} is a folder, not a CSV file")
    except OSError as exc:
        return _refused(f"cannot read {path}: {exc.strerror or exc}")
    if not raw.strip():
        return _refused(f"{path.name} is empty")
    try:
        if b"\x00" in raw:
            raise UnicodeDecodeError("utf-8", raw, 0, 1, "NUL byte")
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _refused(
            f"{path.name} is not a CSV text file; if it is a spreadsheet, save it as CSV first"
        )
    reader = _Records(text)
    try:
        return _parse(reader, path.name)
    except csv.Error as exc:
        if "end of data" in str(exc):  # the file ends inside a quoted value
            line = _line_of(text, _open_quote(text))
            return _refused(f"{path.name} line {line} opens a quote that is never closed")
        return _refused(f"{path.name} line {reader.reading} is not valid CSV: {exc}")


class _Records:
    """The csv module's reader (strict: an open quote is refused), with ``line_num`` the line
    the last record starts on: a row whose quoted value spans lines is named by its first."""

    def __init__(self, text: str) -> None:
        self._reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        self.line_num = 0

    def __iter__(self) -> _Records:
        return self

    def __next__(self) -> list[str]:
        starts = self._reader.line_num + 1
        cells = next(self._reader)
        self.line_num = starts
        return cells

    @property
    def reading(self) -> int:
        """The line being read (where a csv error was met)."""
        return self._reader.line_num


_QUOTES = re.compile(r'"+')
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as the reader splits lines


def _open_quote(text: str) -> int:
    """Where the quote that is never closed opens, in a text that ends inside a quoted value:
    after it every quote is one of a doubled pair, so it starts the last run of an odd
    number of quotes."""
    odd = [m.start() for m in _QUOTES.finditer(text) if len(m.group()) % 2]
    return odd[-1] if odd else len(text)


def _line_of(text: str, index: int) -> int:
    return len(_LINE_BREAK.findall(text, 0, index)) + 1


def import_price_file(store: Store, path: str | Path, symbol: str) -> tuple[int, PriceFile]:
    """Read ``path`` and write its rows for ``symbol`` in one transaction (source ``csv``).

    Returns the number of rows written and what was read; nothing is written when the file has
    problems. Importing the same file again rewrites the same values.
    """
    parsed = read_price_file(path)
    if parsed.problems:
        return 0, parsed
    named = parsed.symbol_in_file
    if named and named.strip().upper() != symbol.strip().upper():
        why = (
            f"the file holds the prices of {named}, not {symbol}: import it as {named} "
            f"(or check the file)"
        )
        return 0, dataclasses.replace(parsed, rows=(), problems=(Problem("symbol", why),))
    clash = _clash_with_cache(store, symbol, parsed.rows)
    if clash:
        return 0, dataclasses.replace(parsed, rows=(), problems=(Problem("file", clash),))
    # Rows that leave out a field must not share a batch with rows that carry it: a batch is
    # written with one column list, and the gap would be written as NULL instead of kept.
    batches: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in parsed.rows:
        batches.setdefault(tuple(row), []).append(row)
    written = 0
    with store.atomic():
        for rows in batches.values():
            written += store.upsert_prices(symbol, rows, source=SOURCE)
    return written, parsed


#: A file whose closes differ from the cached ones by more than this on most of the days both
#: have is another series: adjusted against raw closes, another share class, another symbol.
CLASH = 0.005


def _clash_with_cache(store: Store, symbol: str, rows: Sequence[dict[str, Any]]) -> str:
    """Why the file's closes cannot join the cached closes of ``symbol``, or ""."""
    import statistics

    days = {str(r["date"]): r for r in rows if r.get("close")}
    common = [
        (float(days[str(c["date"])]["close"]), float(c["close"]), c.get("adj_close"))
        for c in store.price_rows(symbol)
        if str(c["date"]) in days and c.get("close")
    ]
    if not common:
        return ""
    diffs = [abs(mine / theirs - 1) for mine, theirs, _ in common]
    if sum(d > CLASH for d in diffs) * 2 <= len(diffs):  # a few corrected closes are welcome
        return ""
    off = statistics.median(diffs)
    adjusted = [(mine, float(adj)) for mine, _, adj in common if adj]
    matches = (
        len(adjusted) == len(common)
        and statistics.median(abs(mine / adj - 1) for mine, adj in adjusted) <= CLASH / 5
    )
    what = (
        ": they are the cached adjusted closes (dividends and splits taken out), not the "
        "closes as traded"
        if matches
        else ""
    )
    return (
        f"on the {len(common)} days it shares with the cached prices of {symbol}, its closes "
        f"differ from them by {off:.1%} (the median){what}. Joined, the two would make one "
        "series with a jump in it: check the file (a download of adjusted closes, or another "
        "symbol's?); nothing was imported"
    )


def _refused(message: str, field: str = "file") -> PriceFile:
    return PriceFile(problems=(Problem(field, message),))


def _parse(reader: _Records, name: str) -> PriceFile:
    lines = (cells for cells in reader if len(cells) > 1 or (cells and cells[0].strip()))
    first = next(lines, None)
    if first is None:
        return _refused(f"{name} is empty")

    # yf.download().to_csv(): a "Price" row of names and a "Ticker" row (either order), then the
    # index's name alone on a "Date,,," row; the dates are in the first column.
    levels: dict[str, list[str]] = {}
    row = first
    while row is not None and row[0].strip().lower() in ("price", "ticker"):
        levels[row[0].strip().lower()] = row
        row = next(lines, None)
    if levels:
        header = levels.get("price") or levels["ticker"]
        if (
            row is not None
            and row[0].strip().lower() == "date"
            and not any(map(str.strip, row[1:]))
        ):
            row = next(lines, None)
    else:
        header, row = first, next(lines, None)

    symbol = None
    if "ticker" in levels:
        tickers = levels["ticker"]
        found = {cell.strip() for cell in tickers[1:]}
        found.discard("")
        if len(found) > 1:
            return _refused(
                f"{name} holds prices of several symbols ({', '.join(sorted(found))}); "
                "import one symbol per file"
            )
        symbol = found.pop() if found else None

    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        field = COLUMNS.get(cell.strip().lower().replace(" ", "").replace("_", ""))
        if field in columns:
            return _refused(f"{name} has two {cell.strip()} columns", field)
        if field:
            columns[field] = index
    if "date" not in columns and (levels or not header[0].strip()):
        columns["date"] = 0  # a pandas index column: named on its own row, or not at all
    missing = [label for label in ("Date", "Close") if label.lower() not in columns]
    if missing:
        shown = ",".join(first)[:80]
        return _refused(
            f"{name} has no {' or '.join(missing)} column; a price CSV starts with a line naming "
            f"its columns, such as Date,Open,High,Low,Close,Adj Close,Volume (this one starts "
            f"with {shown!r})"
        )

    data = itertools.chain([] if row is None else [row], lines)
    return _rows(data, reader, columns, name, symbol, len(header))


def _rows(
    data: Iterator[list[str]],
    reader: _Records,
    columns: dict[str, int],
    name: str,
    symbol: str | None,
    named: int,
) -> PriceFile:
    """The rows under a header of ``named`` columns."""
    today = dt.date.today()
    date_at, close_at = columns["date"], columns["close"]
    others = [
        (f, columns[f]) for f in ("open", "high", "low", "adj_close", "volume") if f in columns
    ]
    width = max(columns.values()) + 1
    by_date: dict[dt.date, tuple[int, dict[str, Any]]] = {}
    bad: dict[tuple[str, str], list[tuple[int, str]]] = {}
    repeated: list[tuple[dt.date, int, int]] = []
    total = skipped = 0
    for cells in data:
        line = reader.line_num
        total += 1
        if len(cells) < width:
            bad.setdefault(("row", "too few values"), []).append((line, ",".join(cells)))
            continue
        if len(cells) > named and any(c.strip() for c in cells[named:]):  # never dropped
            key = ("row", "more values than the header names (a decimal comma, 3,10?)")
            bad.setdefault(key, []).append((line, ",".join(cells)))
            continue
        text = cells[close_at].strip()
        if text.lower() in NULLS:
            skipped += 1
            continue
        try:
            day = _date(cells[date_at])
        except ValueError:
            bad.setdefault(("date", "not a YYYY-MM-DD date"), []).append((line, cells[date_at]))
            continue
        if day > today:  # no close is known before its day: a wrong file or a wrong clock
            bad.setdefault(("date", f"after today ({today})"), []).append((line, cells[date_at]))
            continue
        close, reason = _number(text)
        if reason or close <= 0:
            bad.setdefault(("close", reason or "not positive"), []).append((line, text))
            continue
        record: dict[str, Any] = {"date": day, "close": close}
        for field, index in others:
            text = cells[index].strip()
            if text.lower() in NULLS:
                continue
            value, reason = _number(text)
            if reason or value < 0:
                bad.setdefault((field, reason or "negative"), []).append((line, text))
                break
            if value or field == "volume":
                record[field] = value
        else:
            if day in by_date:
                repeated.append((day, by_date[day][0], line))
            by_date[day] = (line, record)

    messages = [Problem(f, f"{why} on {_lines(found)}") for (f, why), found in bad.items()]
    n_bad = sum(len(found) for found in bad.values())
    if n_bad > MAX_BAD_ROWS or n_bad > MAX_BAD_SHARE * total or (n_bad and not by_date):
        summary = Problem("file", f"{n_bad} of the {total} rows of {name} cannot be read")
        return PriceFile(skipped=skipped, symbol_in_file=symbol, problems=(summary, *messages))
    if not by_date:
        why = "has no price rows" if not total else "has no row with a close"
        return PriceFile(
            skipped=skipped, symbol_in_file=symbol, problems=(Problem("file", f"{name} {why}"),)
        )

    notes = [Problem(p.field, f"row skipped: {p.message}") for p in messages]
    if repeated:
        shown = ", ".join(f"{d} (lines {a} and {b})" for d, a, b in repeated[:_SHOWN_LINES])
        more = f" and {len(repeated) - _SHOWN_LINES} more" if len(repeated) > _SHOWN_LINES else ""
        notes.append(Problem("date", f"repeated dates, the later row kept: {shown}{more}"))
    rows = tuple(by_date[day][1] for day in sorted(by_date))
    return PriceFile(rows=rows, skipped=skipped, symbol_in_file=symbol, notes=tuple(notes))


def _date(text: str) -> dt.date:
    """The calendar date a cell starts with: ``2024-01-05``, maybe followed by a time and offset."""
    text = text.strip()
    if len(text) > 10 and text[10] not in " T":
        raise ValueError(text)
    return dt.date.fromisoformat(text[:10])


def _number(text: str) -> tuple[float, str]:
    """The value of a cell and ``""``, or ``0.0`` and why it is not a finite number."""
    if "_" in text:  # float() reads "1_5" as 15.0, digits grouped as in Python source
        return 0.0, "not a number"
    try:
        value = float(text)
    except ValueError:
        return 0.0, "not a number"
    return (value, "") if math.isfinite(value) else (0.0, "not a number")


def _lines(found: list[tuple[int, str]]) -> str:
    """``line 7 ('abc')`` or ``lines 3, 4, 9, 12, 15 and 20 more (first: 'abc')``."""
    if len(found) == 1:
        return f"line {found[0][0]} ({found[0][1][:40]!r})"
    numbers = ", ".join(str(line) for line, _ in found[:_SHOWN_LINES])
    more = f" and {len(found) - _SHOWN_LINES} more" if len(found) > _SHOWN_LINES else ""
    return f"lines {numbers}{more} (first: {found[0][1][:40]!r})"
