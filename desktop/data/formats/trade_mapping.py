"""Trades from any CSV: a mapping says which column holds each field, how the file writes
dates and numbers, and what its own words for each kind of entry mean.

Every row ends as a trade, as skipped (a row the mapping says is no trade: a transfer between
accounts, a total, another asset class), or as a problem with its line and why. An import
takes the trades only when no row is a problem: nothing is ever imported in part. Text is
kept exactly as given. Rows that repeat stored entries (same day, type, symbol, quantity,
price and amount) are marked, so an import can leave them out.

Broker files write signed numbers (a sale's quantity, a fee, a withdrawal below zero) and fill
every column of every row (a buy's cash amount): a ``signed`` mapping takes the magnitudes,
lets the sign choose between buy and sell (or deposit and withdrawal) where it is told to, and
leaves out the fields an entry's type does not use. Our own format is ``strict``: a negative
number or a field the type does not use is a problem.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from desktop.core.model import AMOUNT_TYPES, Problem, Trade, TradeType
from desktop.core.validation import parse_trade
from desktop.data.formats.csv_table import Block, read_blocks, read_text

FIELDS = ("date", "type", "symbol", "quantity", "price", "fee", "amount", "currency", "note")
NUMBERS = ("quantity", "price", "fee", "amount")
#: How a file may write its dates: key -> what the user is shown.
DATE_FORMATS = {
    "iso": "2024-03-15 (year-month-day)",
    "us": "03/15/2024 (month/day/year)",
    "eu": "15/03/2024 or 15.03.2024 (day/month/year)",
}
#: How a file may write its numbers: the decimal mark -> what the user is shown.
NUMBER_FORMATS = {".": "1,234.56", ",": "1.234,56"}
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}
#: Type words a mapping may give a file's word, besides our own types.
BUY_OR_SELL = "buy/sell"  #: by the quantity's sign: above zero a buy, below a sale
DEPOSIT_OR_WITHDRAWAL = "deposit/withdrawal"  #: by the amount's sign
SKIP = "skip"  #: not an entry of the ledger: the row is left out, and said so


class Status(enum.StrEnum):
    TRADE = "trade"
    DUPLICATE = "duplicate"  #: a trade the ledger already holds
    SKIPPED = "skipped"
    PROBLEM = "problem"


@dataclass(frozen=True)
class Mapping:
    """How to read one kind of file. Column names match trimmed and case-blind."""

    name: str
    columns: dict[str, str]  #: field -> the header's name for its column
    required: tuple[str, ...] = ("date",)  #: fields whose column the header must have
    date_format: str = "iso"
    decimal: str = "."
    delimiter: str = ","
    #: The file's words for types (lower-case) -> a type, BUY_OR_SELL, DEPOSIT_OR_WITHDRAWAL
    #: or SKIP; empty: the file writes our own types.
    types: dict[str, str] = field(default_factory=dict)
    default_type: str = ""  #: the type of every row when no column holds one
    section: str = ""  #: an Interactive Brokers statement's section ("Trades")
    #: column -> the values a row must hold in it; other rows are skipped, with why.
    keep: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: field -> a regular expression whose first group is the field in its cell.
    patterns: dict[str, str] = field(default_factory=dict)
    skip_starting: tuple[str, ...] = ()  #: rows whose first cell starts so are totals
    signed: bool = False
    strict: bool = False
    description: str = ""  #: what file it reads, for the preset list and the README
    #: More tables of the same file, each read with its own mapping (an Interactive Brokers
    #: statement's dividends, taxes and deposits); a table the file lacks is no problem.
    also: tuple[Mapping, ...] = ()

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        """A mapping saved by ``to_json``; ``ValueError`` if it is not one."""
        try:
            data = json.loads(text)
            names = {f.name for f in dataclasses.fields(cls)}
            if not isinstance(data, dict) or not set(data) <= names:
                raise ValueError(f"not a mapping: {sorted(set(data) - names)}")
            for key in ("required", "skip_starting"):
                if key in data:
                    data[key] = tuple(data[key])
            if "keep" in data:
                data["keep"] = {k: tuple(v) for k, v in data["keep"].items()}
            if "also" in data:
                data["also"] = tuple(cls.from_json(json.dumps(a)) for a in data["also"])
            mapping = cls(**data)
        except (TypeError, AttributeError, json.JSONDecodeError) as exc:
            raise ValueError(f"not a mapping: {exc}") from exc
        problem = mapping.problem()
        if problem:
            raise ValueError(problem)
        return mapping

    def problem(self) -> str:
        """What makes the mapping unusable, or ""."""
        if not self.columns.get("date"):
            return "no column is chosen for the date"
        unknown = sorted(set(self.columns) - set(FIELDS))
        if unknown:
            return f"unknown fields {', '.join(unknown)}"
        if self.date_format not in DATE_FORMATS:
            return f"unknown date format {self.date_format!r}"
        if self.decimal not in NUMBER_FORMATS:
            return f"unknown number format {self.decimal!r}"
        if self.delimiter not in SEPARATORS:
            return f"unknown separator {self.delimiter!r}"
        kinds = {t.value for t in TradeType} | {BUY_OR_SELL, DEPOSIT_OR_WITHDRAWAL, SKIP}
        bad = sorted({v for v in [*self.types.values(), self.default_type] if v} - kinds)
        if bad:
            return f"unknown types {', '.join(bad)}"
        if not self.columns.get("type") and not self.default_type:
            return "no column is chosen for the type, and no type is given for every row"
        for name, pattern in self.patterns.items():
            try:
                if re.compile(pattern).groups < 1:
                    return f"the pattern for {name} has no group"
            except re.error as exc:
                return f"the pattern for {name} is not valid: {exc}"
        return ""

    def is_header(self, names: list[str]) -> bool:
        return all(self.columns[f].strip().lower() in names for f in self.required)


@dataclass(frozen=True)
class Row:
    """One row of the file and what became of it."""

    line: int
    cells: dict[str, str]  #: field -> the text its column holds
    status: Status
    trade: Trade | None = None
    problems: tuple[Problem, ...] = ()  #: what is wrong, field by field
    skipped: str = ""  #: why it is no trade, or repeats one

    @property
    def reason(self) -> str:
        """Why the row is not imported, in a few words ("" for a trade)."""
        return self.skipped or "; ".join(
            p.message if p.field in ("line", "file") else f"{p.field}: {p.message}"
            for p in self.problems
        )


@dataclass
class Reading:
    """What a mapping makes of a file."""

    header: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    problem: Problem | None = None  #: the file cannot be read at all

    def trades(self, *, duplicates: bool = False) -> list[Trade]:
        wanted = {Status.TRADE, Status.DUPLICATE} if duplicates else {Status.TRADE}
        return [r.trade for r in self.rows if r.status in wanted and r.trade is not None]

    def count(self, status: Status) -> int:
        return sum(r.status is status for r in self.rows)

    def problems(self) -> list[Problem]:
        """Every reason the file cannot be imported: the file's own, or each bad row's."""
        if self.problem:
            return [self.problem]
        found = [
            Problem(p.field, f"line {r.line}: {p.message}") for r in self.rows for p in r.problems
        ]
        if not found and not any(r.trade for r in self.rows):
            skipped = self.count(Status.SKIPPED)
            found.append(
                Problem(
                    "file",
                    "the file has no trades" + (f" ({skipped} rows skipped)" if skipped else ""),
                )
            )
        return found


# -- reading -----------------------------------------------------------------------------------
def read_mapped(path: str | Path, mapping: Mapping, today: dt.date) -> Reading:
    """Read ``path`` with ``mapping``: every row as a trade, skipped, or a problem."""
    text, problem = read_text(path)
    if problem:
        return Reading(problem=problem)
    return read_mapped_text(text or "", mapping, today)


def read_mapped_text(text: str, mapping: Mapping, today: dt.date) -> Reading:
    unusable = mapping.problem()
    if unusable:
        return Reading(problem=Problem("mapping", unusable))

    def no_header(names: list[str]) -> str:
        missing = [
            mapping.columns[f]
            for f in mapping.required
            if mapping.columns[f].strip().lower() not in names
        ]
        expected = ",".join(mapping.columns[f] for f in FIELDS if f in mapping.columns)
        return f"the header has no {', '.join(missing)} column (expected {expected})"

    blocks, problem = read_blocks(
        text,
        delimiter=mapping.delimiter,
        section=mapping.section,
        is_header=mapping.is_header,
        no_header=no_header,
    )
    if problem:
        return Reading(problem=problem)
    reading = Reading(header=blocks[0].header)
    for block in blocks:
        missing = [
            mapping.columns[f]
            for f in mapping.required
            if mapping.columns[f].strip().lower() not in block.names()
        ]
        if missing:
            reading.problem = Problem("file", f"line {block.line}: {no_header(block.names())}")
            return reading
        reading.rows += [_row(block, line, values, mapping, today) for line, values in block.rows]
    for more in mapping.also:
        if more.section and not has_section(text, more):
            continue
        extra = read_mapped_text(text, more, today)
        if extra.problem:
            return Reading(reading.header, reading.rows, extra.problem)
        reading.rows += extra.rows
    reading.rows.sort(key=lambda r: r.line)
    return reading


def has_section(text: str, mapping: Mapping) -> bool:
    """Whether a statement holds ``mapping``'s section at all (a quick look, not a reading)."""
    start = f"{mapping.section},header".lower()
    return any(line.lower().replace('"', "").startswith(start) for line in text.splitlines())


def _row(block: Block, line: int, values: list[str], m: Mapping, today: dt.date) -> Row:
    names = block.names()
    if len(values) > len(names) and any(v.strip() for v in values[len(names) :]):
        return Row(
            line,
            {},
            Status.PROBLEM,
            problems=(
                Problem(
                    "line",
                    (
                        f"{len(values)} values for the header's {len(names)} columns "
                        "(a comma in an unquoted note?)"
                    ),
                ),
            ),
        )
    by_name = {n: (values[i] if i < len(values) else "") for i, n in enumerate(names)}
    cells = {f: by_name.get(col.strip().lower(), "") for f, col in m.columns.items() if col}
    if m.skip_starting and values and values[0].strip().startswith(m.skip_starting):
        return Row(line, cells, Status.SKIPPED, skipped="a total, not an entry")
    for column, allowed in m.keep.items():
        value = by_name.get(column.strip().lower(), "").strip()
        if value not in allowed:
            return Row(
                line,
                cells,
                Status.SKIPPED,
                skipped=f"{column} is '{value}', not " + " or ".join(f"'{a}'" for a in allowed),
            )
    problems: list[Problem] = []
    for name, pattern in m.patterns.items():
        found = re.search(pattern, cells.get(name, ""))
        if found is None:
            problems.append(Problem(name, f"'{cells.get(name, '')}' does not hold one"))
        else:
            cells[name] = found.group(1)
    kind = m.default_type
    if m.columns.get("type"):
        word = cells.get("type", "").strip()
        kind = m.types.get(word.lower(), "") if m.types else word
        if m.types and not kind:
            problems.append(
                Problem("type", f"'{word}' is not a kind of entry this file's mapping knows")
            )
    if kind == SKIP:
        return Row(line, cells, Status.SKIPPED, skipped=f"'{cells.get('type', '')}' is no trade")
    numbers: dict[str, str] = {}
    signs: dict[str, int] = {}
    for name in NUMBERS:
        raw = cells.get(name, "")
        if not m.signed and m.decimal == ".":  # as typed: the checks of the trade dialog
            numbers[name], signs[name] = raw, 0
            continue
        text, sign, why = _number(raw, m.decimal)
        if why:
            problems.append(Problem(name, why))
        numbers[name], signs[name] = text, sign
    if kind == BUY_OR_SELL:
        kind = {1: "buy", -1: "sell"}.get(signs["quantity"], "")
        if not kind:
            problems.append(Problem("quantity", "zero or empty: neither a buy nor a sale"))
    elif kind == DEPOSIT_OR_WITHDRAWAL:
        kind = {1: "deposit", -1: "withdrawal"}.get(signs["amount"], "")
        if not kind:
            problems.append(Problem("amount", "zero or empty: neither a deposit nor a withdrawal"))
    if m.signed:
        numbers = _used(kind, numbers)
    else:  # a negative number is refused, as typed
        numbers = {n: ("-" if signs[n] < 0 else "") + v for n, v in numbers.items()}
    day: dt.date | str = cells.get("date", "")
    if m.date_format != "iso" or not m.strict:
        day, why = _date(str(day), m.date_format)
        if why:
            problems.append(Problem("date", why))
    if problems:
        return Row(line, cells, Status.PROBLEM, problems=tuple(problems))
    text = _untext if m.strict else _as_given
    trade, found = parse_trade(
        date=day or "",
        type=kind,
        symbol=text(cells.get("symbol", "")),
        quantity=numbers["quantity"],
        price=numbers["price"],
        fee=numbers["fee"],
        amount=numbers["amount"],
        currency=text(cells.get("currency", "")),
        note=_untext(cells.get("note", "")) if m.strict else cells.get("note", ""),
        today=today,
    )
    if trade is None:
        return Row(line, cells, Status.PROBLEM, problems=tuple(found))
    return Row(line, cells, Status.TRADE, trade)


def _as_given(value: str) -> str:
    return value


def _used(kind: str, numbers: dict[str, str]) -> dict[str, str]:
    """A broker row's numbers without those its type does not use (a buy's cash amount, a
    dividend's price)."""
    try:
        t = TradeType(kind)
    except ValueError:
        return numbers
    if t in (TradeType.BUY, TradeType.SELL):
        keep = {"quantity", "price", "fee"}
    elif t is TradeType.SPLIT:
        keep = {"quantity"}
    elif t in AMOUNT_TYPES:
        keep = {"amount"}
    else:
        keep = set(NUMBERS)
    return {n: (v if n in keep else "") for n, v in numbers.items()}


_CURRENCY_SIGNS = "$€£¥"
_COMMA_DECIMAL = re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+(,\d+)?|,\d+")


def _number(raw: str, decimal: str) -> tuple[str, int, str]:
    """``raw`` as plain digits with a dot for the decimal mark, its sign (1, -1, or 0 for
    zero or empty), or why it is not a number. The digits are checked further as typed."""
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return "", 0, ""
    negative = False
    if text.startswith("(") and text.endswith(")"):  # accountants' negatives: (1,234.56)
        negative, text = True, text[1:-1]
    if text[:1] and text[0] in "+-":
        negative, text = negative or text[0] == "-", text[1:]
    text = text.strip(_CURRENCY_SIGNS)  # $1,234.56 and -$1,234.56 alike
    if text[:1] and text[0] in "+-":  # $-1,234.56
        negative, text = negative or text[0] == "-", text[1:]
    if not text:
        return "", 0, f"'{raw}' is not a number"
    if decimal == ",":
        if not _COMMA_DECIMAL.fullmatch(text):
            return "", 0, f"'{raw}' is not a number written 1.234,56"
        text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return "", 0, f"'{raw}' is not a number"
    if not value.is_finite():
        return text, 1, ""  # the check as typed says so
    return text, (0 if value == 0 else -1 if negative else 1), ""


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})(\d{2})(\d{2})")
_DAY_FIRST_OR_MONTH_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")


def _date(raw: str, form: str) -> tuple[dt.date | None, str]:
    """A date as the file writes it (a time after it ignored; of "03/05/2024 as of
    03/04/2024", the day it was as of), or why it is not one."""
    text = raw.strip()
    if " as of " in text:
        text = text.rsplit(" as of ", 1)[1].strip()
    text = re.split(r"[ ,T]", text, maxsplit=1)[0] if text else ""
    if not text:
        return None, "is empty"
    try:
        if form == "iso":
            found = _ISO.fullmatch(text)
            if found:
                y, mo, d = (int(g) for g in found.groups() if g is not None)
                return dt.date(y, mo, d), ""
        else:
            found = _DAY_FIRST_OR_MONTH_FIRST.fullmatch(text)
            if found:
                a, b, y = (int(g) for g in found.groups())
                mo, d = (a, b) if form == "us" else (b, a)
                return dt.date(y, mo, d), ""
    except ValueError:
        return None, f"'{raw}' is not a real date"
    return None, f"'{raw}' is not a date written {DATE_FORMATS[form]}"


#: What a spreadsheet would take a cell starting with for a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _untext(value: str) -> str:
    """The text a cell written by ``trades_csv.spreadsheet_text`` holds."""
    return (
        value[1:]
        if value.startswith("'") and value[1:].startswith((*FORMULA_STARTS, "'"))
        else value
    )


# -- duplicates --------------------------------------------------------------------------------
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


def mark_duplicates(reading: Reading, stored: list[Trade]) -> Reading:
    """The reading with each trade the ledger already holds marked ``DUPLICATE`` (one stored
    entry matches one row at most)."""
    left = Counter(duplicate_key(t) for t in stored)
    rows = []
    for row in reading.rows:
        if row.trade is not None and row.status is Status.TRADE:
            key = duplicate_key(row.trade)
            if left[key]:
                left[key] -= 1
                row = dataclasses.replace(
                    row, status=Status.DUPLICATE, skipped="already in the ledger"
                )
        rows.append(row)
    return Reading(reading.header, rows, reading.problem)
