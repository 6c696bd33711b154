"""Hostile price CSVs (desktop/data/formats/prices_csv.py), imported as the command line's
``import-prices`` does (``import_price_file`` into a ``Store``): any file is imported exactly or
refused with problems that name a field and, for a bad row, its line; a refused file writes
nothing.

The files are generated here, cell by cell, and what the importer must make of each is worked
out by ``expect`` from the cells alone (the rules of the module's docstrings, restated with
plain string handling): the rows, the lines of the bad rows, the line a quote is left open on.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
import time_machine
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desktop.data.formats.prices_csv import (
    MAX_BAD_ROWS,
    MAX_BAD_SHARE,
    import_price_file,
    read_price_file,
)

TODAY = dt.date(2025, 6, 2)
NOON = dt.datetime(2025, 6, 2, 12, tzinfo=dt.UTC)
NAME = "prices.csv"
OPTIONAL = ("open", "high", "low", "adj_close", "volume")  # in the order a row is checked
SPELLINGS = {
    "date": ["Date", "date", "DATE", " Date "],
    "open": ["Open", "open", "OPEN"],
    "high": ["High", "high"],
    "low": ["Low", "low", " LOW"],
    "close": ["Close", "close", "CLOSE ", "\tClose"],
    "adj_close": ["Adj Close", "adj_close", "ADJ CLOSE", "AdjClose", "Adj_Close"],
    "volume": ["Volume", "volume"],
}
#: Header names that are no column the importer reads (some close to one that is).
JUNK_NAMES = [
    "Dividends",
    "Stock Splits",
    "Capital Gains",
    "Note",
    "W\u00e4hrung",
    "=SUM(A1:A9)",
    "'; DROP TABLE prices;--",
    "",
    "Close Price",
    "Adj. Close",
    "Vol.",
    "Datum",
    "@cmd",
    "Adj\u00a0Close",
]
JUNK_CELLS = [
    "",
    "0.5",
    "x",
    "a,b",
    'say "hi"',
    "two\nlines",
    "cr\r\nlf",
    '=HYPERLINK("http://x","y")',
    "'; DROP TABLE prices;--",
    "+1",
    "-1",
    "@SUM(A1)",
    "\u202eevil",
    "\ufeff",
    "\u0663\u0662",
]
#: What Yahoo, pandas and spreadsheets write for "no value" (compared trimmed, any case).
NULL_WORDS = ("", "null", "nan", "none", "na", "n/a", "-")
NULL_CELLS = ["", " ", "null", "NULL", "Null", "nan", "NaN", "NAN", "None", "NA", "n/a", "N/A", "-"]
BAD_DATES = [
    "01/02/2024",
    "2024-02-30",
    "2024-13-01",
    "abc",
    "2024-01-05x",
    "\u0662\u0660\u0662\u0664-\u0660\u0661-\u0660\u0665",
    "'2024-01-05",
    "=DATE(2024,1,5)",
    "",
]
BAD_NUMBERS = [
    "abc",
    "inf",
    "-inf",
    "Infinity",
    "1e400",
    "-1e400",
    "9" * 400,
    "-nan",
    "+NaN",
    "1_5",
    "32,10",
    "1.234,56",
    "1,234.56",
    "\u22125",
    "=1+2",
    "@SUM(A1)",
    "'; DROP TABLE prices;--",
    "'12'",
    '"12"',
    "#VALUE!",
    "12 34",
    "1\u00a0000",
    "0x10",
]
NOT_POSITIVE = ["0", "-0", "0.0", "-5", "-0.01", "1e-999999"]
DIGIT_SETS = (
    "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
    "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19",
)
PROBLEM_FIELDS = {"file", "row", "date", "symbol", "close", *OPTIONAL}
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?(inf|infinity|nan)", re.I)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})([ T].*)?", re.ASCII | re.DOTALL)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


# -- what the importer must make of a file ------------------------------------------------------
def number(text: str) -> float | None:
    """The value of a cell as a decimal number (digits of any script), or ``None``."""
    s = "".join(
        str(unicodedata.decimal(c)) if unicodedata.category(c) == "Nd" else c for c in text.strip()
    )
    if not _NUMBER.fullmatch(s):
        return None
    try:
        return float(Decimal(s))
    except InvalidOperation:
        return None


def day_of(text: str) -> dt.date | None:
    """The calendar date a cell starts with (``2024-01-05``, maybe a time after it)."""
    found = _ISO.fullmatch(text.strip())
    if not found:
        return None
    try:
        return dt.date(*map(int, found.groups()[:3]))
    except ValueError:
        return None


@dataclass
class Layout:
    """Which column holds each field the importer reads, and how many the header names."""

    at: dict[str, int]
    named: int

    @property
    def width(self) -> int:
        return max(self.at.values()) + 1


def blank(cells: list[str]) -> bool:
    """A line with nothing on it (a row of empty values, ``,,,``, is not blank)."""
    return not cells or (len(cells) == 1 and not cells[0].strip())


def expect_row(cells: list[str], layout: Layout):
    """``None`` (a blank line), ``"skipped"`` (no close), ``("bad", field)`` or the row."""
    if blank(cells):
        return None
    if len(cells) < layout.width or any(c.strip() for c in cells[layout.named :]):
        return ("bad", "row")
    close_text = cells[layout.at["close"]]
    if close_text.strip().lower() in NULL_WORDS:
        return "skipped"
    day = day_of(cells[layout.at["date"]])
    if day is None or day > TODAY:
        return ("bad", "date")
    close = number(close_text)
    if close is None or not math.isfinite(close) or close <= 0:
        return ("bad", "close")
    record = {"date": day, "close": close}
    for name in OPTIONAL:
        if name not in layout.at:
            continue
        text = cells[layout.at[name]]
        if text.strip().lower() in NULL_WORDS:
            continue
        value = number(text)
        if value is None or not math.isfinite(value) or value < 0:
            return ("bad", name)
        if value or name == "volume":  # a zero open, high or low is Yahoo's "unknown"
            record[name] = value
    return record


@dataclass
class Expected:
    """What importing a generated file must do."""

    rows: list[dict] = field(default_factory=list)  #: oldest first, one per date
    skipped: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)  #: (line, field)
    total: int = 0
    repeated: bool = False
    refused: str = ""  #: the field of the refusal, "" when the file is imported
    line: int | None = None  #: the line a refusal must name


def expect(records: list[tuple[int, list[str]]], layout: Layout) -> Expected:
    """The outcome of the data rows ``(line, cells)``, by the module's documented rules."""
    out = Expected()
    by_date: dict[dt.date, dict] = {}
    for line, cells in records:
        outcome = expect_row(cells, layout)
        if outcome is None:
            continue
        out.total += 1
        if outcome == "skipped":
            out.skipped += 1
        elif isinstance(outcome, tuple):
            out.bad.append((line, outcome[1]))
        else:
            out.repeated |= outcome["date"] in by_date
            by_date[outcome["date"]] = outcome  # the later row of a repeated date is kept
    n_bad = len(out.bad)
    if n_bad > MAX_BAD_ROWS or n_bad > MAX_BAD_SHARE * out.total or (n_bad and not by_date):
        out.refused = "file"
    elif not by_date:
        out.refused = "file"
    out.rows = [by_date[d] for d in sorted(by_date)]
    return out


# -- writing the files ------------------------------------------------------------------------
def quoted(cells: list[str]) -> str:
    """One record as the csv module writes it (quoted where needed), without its line end."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    return buffer.getvalue()[:-2]


@dataclass
class PriceFile:
    text: str
    expected: Expected
    ticker: str | None = None  #: the symbol a yfinance Ticker row names
    refusal: str = ""  #: the field of a refusal decided by the header or the bytes


def _lines_before(text: str) -> int:
    return len(_LINE_BREAK.findall(text))


@st.composite
def header(draw):
    """Column names: date and close (one of them now and then missing), any of the others,
    junk columns, now and then one column named twice; in any order."""
    fields = ["date", "close", *draw(st.lists(st.sampled_from(OPTIONAL), unique=True))]
    missing = draw(st.sampled_from([None] * 18 + ["date", "close"]))
    if missing:
        fields.remove(missing)
    columns = [(f, draw(st.sampled_from(SPELLINGS[f]))) for f in fields]
    columns += [(None, draw(st.sampled_from(JUNK_NAMES))) for _ in range(draw(st.integers(0, 3)))]
    columns = draw(st.permutations(columns))
    # A blank first name is a pandas index, the dates (tested in test_prices_csv.py): not here.
    columns = [c for c in columns if c != (None, "")] + [c for c in columns if c == (None, "")]
    twice = None
    if fields and draw(st.integers(0, 14)) == 0:
        twice = draw(st.sampled_from(fields))
        where = draw(st.integers(0, len(columns)))
        columns.insert(where, (twice, draw(st.sampled_from(SPELLINGS[twice]))))
    return columns, missing, twice


@st.composite
def cell_for(draw, name: str | None, kind: str, used: list[dt.date]) -> str:
    if name is None:
        return draw(st.sampled_from(JUNK_CELLS))
    if name == "date":
        if kind == "bad_date" or (kind == "null" and draw(st.booleans())):  # a null row: skipped
            return draw(st.sampled_from(BAD_DATES))
        if kind == "future":
            return str(TODAY + dt.timedelta(days=draw(st.integers(1, 3000))))
        if kind == "repeat" and used:
            day = draw(st.sampled_from(used))
        else:
            day = draw(st.dates(min_value=dt.date(2000, 1, 1), max_value=TODAY))
        used.append(day)
        suffix = draw(st.sampled_from(["", "", " 00:00:00-05:00", "T00:00:00Z", " "]))
        return draw(st.sampled_from(["", " "])) + str(day) + suffix
    bad = kind == f"bad_{name}" or (kind == "bad_other" and name != "close")
    if name == "close" and kind == "null":
        return draw(st.sampled_from(NULL_CELLS))
    if bad:
        return draw(st.sampled_from(BAD_NUMBERS + (NOT_POSITIVE if name == "close" else ["-1"])))
    if name != "close" and draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from([*NULL_CELLS, "0", "-0", "0.0"]))
    style = draw(st.integers(0, 5))
    if style == 0:  # digits of another script
        digits = draw(st.sampled_from(DIGIT_SETS))
        return "".join(digits[int(c)] for c in str(draw(st.integers(1, 10**6))))
    if style == 1:
        return str(draw(st.decimals(min_value=Decimal("0.0001"), max_value=10**6, places=4)))
    value = draw(st.floats(min_value=5e-324, max_value=1.7e308))  # huge and subnormal too
    return draw(st.sampled_from(["", " ", "+"])) + repr(value) + draw(st.sampled_from(["", " "]))


KINDS = ["good"] * 10 + ["null", "repeat", "blank"]
HOSTILE_KINDS = [
    *KINDS,
    "bad_date",
    "future",
    "bad_close",
    "bad_other",
    "short",
    "extra",
    "semicolon",
]


@st.composite
def price_files(draw) -> PriceFile:
    """A price file from its cells, with what importing it must do."""
    columns, missing, twice = draw(header())
    yf_download = draw(st.integers(0, 4)) == 0 and not missing
    if yf_download:  # yf.download().to_csv(): the dates in the first column, unnamed
        columns = [("date", "Price"), *[c for c in columns if c[0] != "date"]]
        if twice == "date":
            twice = None
    names = [n for _, n in columns]
    at: dict[str, int] = {}
    for i, (f, _) in enumerate(columns):
        if f and f not in at:
            at[f] = i
    layout = Layout(at, len(columns))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))

    def end() -> str:
        return draw(st.sampled_from(["\n", "\r\n"])) if ending == "mixed" else ending

    text = draw(st.sampled_from(["", "\ufeff"]))
    ticker = None
    if yf_download:
        ticker = draw(st.sampled_from(["{symbol}", "{symbol}", "SPY"]))
        text += quoted(names) + end()
        text += quoted(["Ticker", *[ticker] * (len(names) - 1)]) + end()
        text += quoted(["Date", *[""] * (len(names) - 1)]) + end()
    else:
        text += quoted(names) + end()

    kinds = HOSTILE_KINDS if draw(st.booleans()) else KINDS
    used: list[dt.date] = []
    records: list[tuple[int, list[str]]] = []
    n_rows = draw(st.integers(0, 25))
    broken = draw(st.sampled_from([None] * 6 + ["open quote", "stray quote", "nul"]))
    broken_at = draw(st.integers(1, max(1, n_rows)))  # the data row spoiled
    csv_error_line = None
    header_refusal_first = False  # a csv error after the first data row ends no reading
    for index in range(n_rows):
        kind = draw(st.sampled_from(kinds))
        line = _lines_before(text) + 1
        if broken in ("open quote", "stray quote") and index + 1 == broken_at:
            cells = [draw(cell_for(f, "good", used)) for f, _ in columns]
            at_cell = draw(st.integers(0, len(cells) - 1))
            before = quoted(cells[:at_cell]) + ("," if at_cell else "")
            header_refusal_first = not all(blank(c) for _, c in records)
            if broken == "open quote":  # never closed: no quote after it anywhere
                tail = "".join(c.replace('"', "") + end() for c in ["oops", *JUNK_CELLS])
                text += before
                csv_error_line = _lines_before(text) + 1
                text += '"' + tail
            else:  # a quoted value with text after its closing quote
                text += before + '"ab"c' + end()
                csv_error_line = _lines_before(text)
            break
        if kind == "blank":
            cells = draw(st.sampled_from([[], [" "], [""] * len(names), [""] * 2]))
            text += (quoted(cells) if len(cells) > 1 else "".join(cells)) + end()
            records.append((line, cells))
            continue
        cells = [draw(cell_for(f, kind, used)) for f, _ in columns]
        if kind == "short":
            cells = cells[: draw(st.integers(1, max(1, layout.width - 1)))]
        elif kind == "extra":
            cells += draw(st.lists(st.sampled_from(["x", "3", "10"]), min_size=1, max_size=2))
        elif draw(st.integers(0, 3)) == 0:  # trailing junk values left out, or left empty
            cells = cells[: max(layout.width, draw(st.integers(0, len(cells))))]
            cells += [""] * draw(st.integers(0, 2))
        if kind == "semicolon":
            simple = [c for c in cells if not set(c) & set(',"\r\n')]
            text += ";".join(simple or ["2024-01-02", "1.5"]) + end()
            cells = [";".join(simple or ["2024-01-02", "1.5"])]
        else:
            text += quoted(cells) + end()
        records.append((line, cells))
    if draw(st.booleans()):
        text = text.rstrip("\r\n") if csv_error_line is None else text  # no final line end

    expected = expect(records, layout) if not (missing or twice) else Expected()
    refusal = ""
    if twice:
        refusal = twice
    elif missing:
        refusal = "file"
    if csv_error_line is not None and (not refusal or not header_refusal_first):
        # A csv error ends the reading where it is met; the header is checked once the first
        # data row is read, so its refusal comes first if the error is further down.
        refusal, expected = "file", Expected(refused="file", line=csv_error_line)
    if broken == "nul":
        where = draw(st.integers(0, len(text)))
        text = text[:where] + "\x00" + text[where:]
        refusal, expected = "file", Expected(refused="file")
    return PriceFile(text, expected, ticker, refusal)


# -- checking an import -----------------------------------------------------------------------
_symbols = itertools.count()
EARLIER = [
    {"date": "1990-01-02", "close": 10.0, "volume": 100.0},
    {"date": "1990-01-03", "close": 10.5, "open": 10.1},
]


def stored_row(record: dict) -> dict:
    """A row as ``Store.price_rows`` gives it back: every field, those not imported empty."""
    row = {"date": str(record["date"]), "source": "csv", "dividend": 0, "split": 0}
    row |= {"capital_gain": 0, **{f: record.get(f) for f in ("close", *OPTIONAL)}}
    return row


def lines_named(message: str) -> list[int]:
    """The line numbers a row problem lists: ``on line 7 (...)`` or ``on lines 3, 4 and ...``."""
    found = re.search(r"on lines? ((?:\d+, )*\d+)", message)
    return [int(n) for n in found.group(1).split(", ")] if found else []


def check_problems(problems) -> None:
    for p in problems:
        assert p.field in PROBLEM_FIELDS and p.message, p
        if p.field not in ("file", "symbol"):  # a bad row by its line; a column twice by name
            assert lines_named(p.message) or p.message.endswith(" columns"), p


def import_into(store, tmp_path: Path, content: str | bytes):
    """Import ``content`` (``{symbol}`` in it replaced) as a new symbol that has earlier rows;
    returns what the checks need."""
    symbol = f"T{next(_symbols)}"
    if isinstance(content, str):
        content = content.replace("{symbol}", symbol).encode()
    store.upsert_prices(symbol, EARLIER, source="yahoo")
    store.upsert_prices("WITNESS", EARLIER, source="yahoo")
    before = store.price_rows(symbol), store.price_rows("WITNESS")
    path = tmp_path / NAME
    path.write_bytes(content)
    written, parsed = import_price_file(store, path, symbol)
    after = store.price_rows(symbol), store.price_rows("WITNESS")
    return symbol, before, after, written, parsed


EXAMPLES = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@EXAMPLES
@given(file=price_files())
def test_a_hostile_price_file_is_imported_exactly_or_refused_with_nothing_written(
    store, tmp_path, file
):
    with time_machine.travel(NOON, tick=False):
        symbol, before, after, written, parsed = import_into(store, tmp_path, file.text)
    expected = file.expected
    check_problems(parsed.problems)
    refused = file.refusal or expected.refused
    ticker = file.ticker.replace("{symbol}", symbol) if file.ticker else None
    if not refused and ticker and ticker != symbol:
        refused = "symbol"
    if refused:
        assert parsed.problems, "a refusal says why"
        assert written == 0 and after == before, "a refused file writes nothing"
        fields = {p.field for p in parsed.problems}
        assert refused in fields, (refused, parsed.problems)
        messages = " | ".join(p.message for p in parsed.problems)
        if expected.line is not None:
            assert re.search(rf"\bline {expected.line}\b", messages), (expected.line, messages)
        if expected.bad and refused == "file":
            n_bad = len(expected.bad)
            assert f"{n_bad} of the {expected.total} rows of {NAME}" in messages
            for name in {f for _, f in expected.bad}:
                lines = [line for line, f in expected.bad if f == name]
                named = [
                    n for p in parsed.problems if p.field == name for n in lines_named(p.message)
                ]
                assert set(lines[:5]) <= set(named) <= set(lines), (name, lines, named)
        return
    assert parsed.problems == (), parsed.problems
    assert list(parsed.rows) == expected.rows
    assert parsed.skipped == expected.skipped
    assert any("repeated dates" in n.message for n in parsed.notes) == expected.repeated
    assert written == len(expected.rows)
    new = [stored_row(r) for r in expected.rows]
    assert after[0] == sorted(before[0] + new, key=lambda r: r["date"])
    assert after[1] == before[1]
    for row in after[0]:
        assert math.isfinite(row["close"]) and row["close"] > 0


RAW_ALPHABET = st.sampled_from(
    [",", '"', "\n", "\r", "\r\n", ";", "\t", "\x00", "\ufeff", " ", "0", "1", "5", ".", "-"]
    + ["e", "nan", "inf", "null", "Date", "Close", "Price", "Ticker", "2024-01-05", "x", "\u0663"]
)


@EXAMPLES
@given(
    head=st.sampled_from(["", "Date,Close\n", "Date,Open,High,Low,Close,Adj Close,Volume\r\n"]),
    body=st.one_of(
        st.lists(RAW_ALPHABET, max_size=80).map("".join).map(str.encode),
        st.binary(max_size=200),
        st.text(max_size=200).map(str.encode),
    ),
)
@example(head="Date,Close\n", body=b'2024-01-05,"1\n2024-01-08,2\n')
@example(head="", body=b"\xef\xbb\xbf\xef\xbb\xbfDate,Close\n2024-01-05,1\n")
def test_any_bytes_at_all_are_imported_or_refused_without_a_crash(store, tmp_path, head, body):
    with time_machine.travel(NOON, tick=False):
        symbol, before, after, written, parsed = import_into(store, tmp_path, head.encode() + body)
    check_problems(parsed.problems)
    if parsed.problems:
        assert written == 0 and after == before and parsed.rows == ()
        return
    assert written == len(parsed.rows) > 0
    stored = {r["date"]: r for r in after[0]}
    for row in parsed.rows:
        assert row["date"] <= TODAY and math.isfinite(row["close"]) and row["close"] > 0
        assert stored[str(row["date"])]["close"] == row["close"]
    assert after[1] == before[1]


# -- the line a quote is left open on --------------------------------------------------------
def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / NAME
    path.write_bytes(text.encode())
    return path


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('Date,Close\n2024-01-02,1\n2024-01-03,"2\n2024-01-04,3\n2024-01-05,4\n', 3),
        # a value over two lines before it: counted as two lines
        ('Date,Close,Note\n2024-01-02,1,"a\nb"\n2024-01-03,"5\n2024-01-04,3\n2024-01-05,4\n', 4),
        # in the same row as a value over two lines: the quote opens on the row's second line
        ('Date,Close,Note,X\n2024-01-02,1,"a\nb","open\n2024-01-03,2,x,y\n2024-01-04,3,x,y\n', 3),
        ('\ufeffDate,Close\r\n2024-01-02,1\r\n2024-01-03,"2""\r\n2024-01-04,3\r\n', 3),
        ('Date,Close\r2024-01-02,1\r"2024-01-03,2\r2024-01-04,3\r', 3),
        ('Date,"Close\n2024-01-02,1\n2024-01-03,2\n', 1),
    ],
)
def test_a_quote_left_open_is_refused_naming_the_line_it_opens_on(tmp_path, text, line):
    parsed = read_price_file(write(tmp_path, text))
    assert parsed.rows == ()
    (problem,) = parsed.problems
    assert problem.field == "file"
    assert f"{NAME} line {line} opens a quote that is never closed" in problem.message


def test_a_bad_row_over_two_lines_is_named_by_the_line_it_starts_on(tmp_path):
    parsed = read_price_file(
        write(tmp_path, 'Date,Close,Note\n2024-01-02,1,"one\nnote"\n2024-01-03,abc,"two\nlines"\n')
    )
    assert "close: not a number on line 4 ('abc')" in [str(p) for p in parsed.problems]


def test_an_underscore_in_a_close_is_refused_never_read_as_digit_grouping(tmp_path):
    # float() reads "1_5" as 15.0 (Python's digit grouping): the close of "1_5" was 15.
    parsed = read_price_file(write(tmp_path, "Date,Close\n2024-01-02,1_5\n2024-01-03,2\n"))
    assert parsed.rows == ()
    assert "close: not a number on line 2 ('1_5')" in [str(p) for p in parsed.problems]
