"""Tests for desktop/data/prices_csv.py: every real price file imports, and bad files are refused.

The real files are the excerpts in tests/fixtures (tests/fixtures/README.md: which rows of which
shared file). Expected values come from the data README's spot values and from reading the raw
files with plain string operations, never from the module under test.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.data.formats.prices_csv import import_price_file, read_price_file

D = dt.date

#: fixture -> (first date, last date, data rows), as tests/fixtures/README.md lists them (counted
#: there with awk and the csv module; NAESX's trailing ``null`` row is not a data row).
PRICE_FILES = {
    "GSPC_yahoo_1987-2025.csv": ("1987-10-01", "2025-09-26", 227),
    "GSPC_daily_1987-2026.csv": ("1987-10-01", "2026-08-21", 288),
    "RUT_daily_1987-2025.csv": ("1987-09-10", "2025-01-31", 78),
    "SPY_yahoo_2024-2025.csv": ("2024-12-02", "2025-09-26", 205),
    "IWM_yahoo_2024-2025.csv": ("2024-12-02", "2025-09-26", 205),
    "SPY_raw_1999-2024.csv": ("1999-12-31", "2024-12-31", 293),
    "IWM_raw_2023-2024.csv": ("2023-12-01", "2024-12-31", 272),
    "COHU_yahoo_2020-2024.csv": ("2020-01-02", "2024-03-08", 1_053),
    "SUM_yahoo_2023-2024.csv": ("2023-12-01", "2024-03-08", 67),
    "NAESX_yahoo_2024.csv": ("2024-02-01", "2024-05-02", 64),
    "IWN_daily_2024-2025.csv": ("2024-01-02", "2025-01-10", 258),
    "IWO_daily_2024-2025.csv": ("2024-01-02", "2025-01-10", 258),
    "SPY_yf_download_multiindex_2006.csv": ("2006-01-03", "2006-03-31", 62),
}
GSPC_YAHOO = "GSPC_yahoo_1987-2025.csv"
GSPC_DAILY = "GSPC_daily_1987-2026.csv"
#: Header names as the files spell them -> the store's fields (for the plain-string reader).
RAW_NAMES = {
    "date": "date",
    "price": "date",
    "open": "open",
    "high": "high",
    "low": "low",
    "close": "close",
    "adj close": "adj_close",
    "volume": "volume",
}
HEADER = "Date,Open,High,Low,Close,Adj Close,Volume"


def raw_rows(path: Path) -> dict[str, dict[str, str]]:
    """The file's rows by date, read with split() alone: ``{"2024-01-02": {"close": "1.5"}}``."""
    lines = path.read_text().splitlines()
    names = [RAW_NAMES.get(n.strip().lower()) for n in lines[0].split(",")]
    body = lines[3:] if lines[0].startswith("Price,") else lines[1:]
    out = {}
    for line in body:
        cells = line.split(",")
        row = {n: c for n, c in zip(names, cells, strict=True) if n}
        out[row.pop("date")[:10]] = row
    return out


def by_date(rows) -> dict[dt.date, dict]:
    return {r["date"]: r for r in rows}


def write(tmp_path: Path, content: str | bytes, name: str = "prices.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    return path


def messages(parsed) -> str:
    return " | ".join(str(p) for p in parsed.problems)


def dump(store) -> list[tuple]:
    prices = store.conn.execute("SELECT * FROM prices ORDER BY symbol, date").fetchall()
    instruments = store.conn.execute("SELECT * FROM instruments ORDER BY symbol").fetchall()
    return prices + instruments


# -- the real files -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PRICE_FILES))
def test_every_real_price_file_reads_completely(fixtures: Path, name: str):
    first, last, count = PRICE_FILES[name]
    path = fixtures / name
    parsed = read_price_file(path)

    assert parsed.problems == ()
    assert parsed.notes == ()
    assert len(parsed.rows) == count
    assert parsed.rows[0]["date"] == D.fromisoformat(first)
    assert parsed.rows[-1]["date"] == D.fromisoformat(last)
    dates = [r["date"] for r in parsed.rows]
    assert dates == sorted(set(dates))
    assert all(r["close"] > 0 for r in parsed.rows)
    assert parsed.skipped == (1 if name.startswith("NAESX") else 0)
    assert parsed.symbol_in_file == ("SPY" if "multiindex" in name else None)

    # Every value equals the text in the file, read independently.
    raw = raw_rows(path)
    for row in parsed.rows:
        expected = raw[row["date"].isoformat()]
        assert {k: v for k, v in row.items() if k != "date"} == {
            k: float(v) for k, v in expected.items() if v != "null"
        }


@pytest.mark.parametrize(
    ("name", "day", "close"),
    [
        (GSPC_DAILY, "2024-12-31", 5881.63),
        (GSPC_DAILY, "1987-10-19", 224.84),
        (GSPC_YAHOO, "2024-12-31", 5881.63),
        (GSPC_YAHOO, "1987-10-19", 224.84),
        ("RUT_daily_1987-2025.csv", "2024-12-31", 2230.16),
        ("RUT_daily_1987-2025.csv", "1987-10-19", 133.60),
        ("SPY_raw_1999-2024.csv", "2024-12-31", 586.08),
        ("IWM_raw_2023-2024.csv", "2024-12-31", 220.96),
        ("SPY_yahoo_2024-2025.csv", "2024-12-31", 586.08),
        ("SPY_yahoo_2024-2025.csv", "2025-09-26", 659.21),  # the intraday snapshot, as written
        ("IWM_yahoo_2024-2025.csv", "2025-09-26", 240.23),
    ],
)
def test_readme_spot_closes(fixtures: Path, name: str, day: str, close: float):
    rows = by_date(read_price_file(fixtures / name).rows)
    assert round(rows[D.fromisoformat(day)]["close"], 2) == close


def test_gspc_exact_values(fixtures: Path):
    daily = by_date(read_price_file(fixtures / GSPC_DAILY).rows)
    yahoo = by_date(read_price_file(fixtures / GSPC_YAHOO).rows)
    day = D(2024, 12, 31)
    assert daily[day]["close"] == 5881.6298828125
    assert daily[day]["volume"] == 3128350000
    assert "adj_close" not in daily[day]  # the lowercase file has no adj close column
    assert yahoo[day]["close"] == yahoo[day]["adj_close"] == 5881.629883


def test_spy_raw_close_is_unadjusted(fixtures: Path):
    rows = by_date(read_price_file(fixtures / "SPY_raw_1999-2024.csv").rows)
    assert rows[D(1999, 12, 31)]["close"] == 146.875


def test_rut_close_comes_first_in_the_file(fixtures: Path):
    rows = by_date(read_price_file(fixtures / "RUT_daily_1987-2025.csv").rows)
    crash = rows[D(1987, 10, 19)]
    assert crash["close"] == crash["low"] == 133.60000610351562
    assert crash["open"] == crash["high"] == 152.74000549316406


def test_cohu_last_row_and_adjusted_close(fixtures: Path):
    rows = by_date(read_price_file(fixtures / "COHU_yahoo_2020-2024.csv").rows)
    assert rows[D(2024, 3, 8)] == {
        "date": D(2024, 3, 8),
        "open": 32.91,
        "high": 33.099998,
        "low": 31.950001,
        "close": 31.950001,
        "adj_close": 31.950001,
        "volume": 227700.0,
    }
    first = rows[D(2020, 1, 2)]
    assert (first["close"], first["adj_close"]) == (22.690001, 22.627321)  # dividends until 2020
    after = rows[D(2020, 2, 24)]  # Cohu's last ex-dividend day: from here on Adj Close == Close
    assert after["close"] == after["adj_close"] == 21.59


def test_naesx_trailing_null_row_is_counted_not_imported(fixtures: Path):
    parsed = read_price_file(fixtures / "NAESX_yahoo_2024.csv")
    assert parsed.skipped == 1
    assert parsed.rows[-1]["date"] == D(2024, 5, 2)
    assert parsed.rows[-1]["close"] == 103.82
    assert D(2024, 5, 3) not in by_date(parsed.rows)


def test_multiindex_file_exposes_its_ticker(fixtures: Path):
    parsed = read_price_file(fixtures / "SPY_yf_download_multiindex_2006.csv")
    assert parsed.symbol_in_file == "SPY"
    assert parsed.rows[0] == {
        "date": D(2006, 1, 3),
        "close": 87.22505187988281,
        "high": 87.43158528464988,
        "low": 85.6347625212094,
        "open": 86.18551476567983,
        "volume": 73256700.0,
    }


@pytest.mark.parametrize(
    "name", ["F-F_Research_Data_Factors_daily.CSV", "SPY_dividends_2020-2026.csv"]
)
def test_files_that_are_not_prices_are_refused(fixtures: Path, name: str):
    parsed = read_price_file(fixtures / name)
    assert parsed.rows == ()
    assert "Close column" in messages(parsed)


# -- importing into the store ---------------------------------------------------------------------


def test_import_writes_every_row(store, fixtures: Path):
    written, parsed = import_price_file(store, fixtures / GSPC_DAILY, "^GSPC")
    assert written == len(parsed.rows) == 288
    stored = store.price_rows("^GSPC")
    assert len(stored) == 288
    assert {r["source"] for r in stored} == {"csv"}
    assert store.price_span("^GSPC") == (D(1987, 10, 1), D(2026, 8, 21))
    assert round(store.last_closes(["^GSPC"])["^GSPC"][1], 2) == 7674.37


def test_import_of_the_whole_history_writes_every_row_and_is_fast(store, shared_data: Path):
    # The only test here that needs the full file: the speed of 24,777 rows (1927-2026).
    path = shared_data / "GSPC_daily_1927-2026.csv"
    started = time.perf_counter()
    written, parsed = import_price_file(store, path, "^GSPC")
    elapsed = time.perf_counter() - started
    assert written == len(parsed.rows) == 24_777
    stored = store.price_rows("^GSPC")
    assert len(stored) == 24_777
    assert {r["source"] for r in stored} == {"csv"}
    assert store.price_span("^GSPC") == (D(1927, 12, 30), D(2026, 8, 21))
    assert round(store.last_closes(["^GSPC"])["^GSPC"][1], 2) == 7674.37
    assert elapsed < 2.0, f"importing 24,777 rows took {elapsed:.2f} s"


@pytest.mark.parametrize(
    ("name", "symbol"),
    [
        ("COHU_yahoo_2020-2024.csv", "COHU"),
        ("NAESX_yahoo_2024.csv", "NAESX"),
        ("SPY_yf_download_multiindex_2006.csv", "SPY"),
    ],
)
def test_importing_the_same_file_twice_changes_nothing(store, fixtures: Path, name, symbol):
    written, _ = import_price_file(store, fixtures / name, symbol)
    before = dump(store)
    again, _ = import_price_file(store, fixtures / name, symbol)
    assert again == written
    assert dump(store) == before


def test_a_file_without_adj_close_keeps_the_stored_adj_close(store, fixtures: Path):
    import_price_file(store, fixtures / GSPC_YAHOO, "^GSPC")
    import_price_file(store, fixtures / GSPC_DAILY, "^GSPC")
    rows = {r["date"]: r for r in store.price_rows("^GSPC")}
    assert rows["2024-12-31"]["close"] == 5881.6298828125  # the later file's close
    assert rows["2024-12-31"]["adj_close"] == 5881.629883  # kept from the first
    assert rows["2026-08-21"]["adj_close"] is None


def test_an_empty_cell_keeps_the_stored_value(store, tmp_path: Path):
    full = write(
        tmp_path, f"{HEADER}\n2024-01-02,10,12,9,11,11,100\n2024-01-03,11,13,10,12,12,200\n"
    )
    import_price_file(store, full, "ABC")
    gap = write(
        tmp_path, f"{HEADER}\n2024-01-02,,12,9,11.5,11.5,100\n2024-01-03,11,13,10,12,12,200\n"
    )
    written, parsed = import_price_file(store, gap, "ABC")
    assert written == 2
    assert "open" not in parsed.rows[0]
    rows = store.price_rows("ABC")
    assert (rows[0]["open"], rows[0]["close"]) == (10.0, 11.5)
    assert rows[1]["open"] == 11.0


def test_nothing_is_written_when_the_file_is_refused(store, tmp_path: Path):
    bad = write(tmp_path, "Date,Close\n" + "".join(f"2024-01-{d:02},oops\n" for d in range(1, 20)))
    written, parsed = import_price_file(store, bad, "ABC")
    assert written == 0
    assert parsed.problems
    assert dump(store) == []


# -- the shapes yfinance and Yahoo write ---------------------------------------------------------


def test_crlf_and_no_final_newline(tmp_path: Path):
    path = write(
        tmp_path,
        f"{HEADER}\r\n2024-01-02,10,12,9,11,10.5,100\r\n2024-01-03,11,13,10,12,11.5,200".encode(),
    )
    parsed = read_price_file(path)
    assert parsed.problems == ()
    assert [r["date"] for r in parsed.rows] == [D(2024, 1, 2), D(2024, 1, 3)]
    assert parsed.rows[-1] == {
        "date": D(2024, 1, 3),
        "open": 11.0,
        "high": 13.0,
        "low": 10.0,
        "close": 12.0,
        "adj_close": 11.5,
        "volume": 200.0,
    }


def test_lowercase_headers_in_yfinance_order_and_other_columns_ignored(tmp_path: Path):
    path = write(
        tmp_path,
        "date,close,high,low,open,volume,dividends,stock splits\n2024-01-02,11,12,9,10,100,0.5,0\n",
    )
    (row,) = read_price_file(path).rows
    assert row == {
        "date": D(2024, 1, 2),
        "open": 10.0,
        "high": 12.0,
        "low": 9.0,
        "close": 11.0,
        "volume": 100.0,
    }


def test_only_date_and_close_are_required(tmp_path: Path):
    path = write(tmp_path, "Close,DATE\n11.5,2024-01-02\n")
    assert read_price_file(path).rows == ({"date": D(2024, 1, 2), "close": 11.5},)


def test_adj_close_spellings(tmp_path: Path):
    for header in ("Adj Close", "adj_close", "ADJ CLOSE"):
        path = write(tmp_path, f"Date,Close,{header}\n2024-01-02,11,10\n")
        assert read_price_file(path).rows[0]["adj_close"] == 10.0


def test_multiindex_header_written_by_yf_download(tmp_path: Path):
    path = write(
        tmp_path,
        b"Price,Close,High,Low,Open,Volume\r\nTicker,^GSPC,^GSPC,^GSPC,^GSPC,^GSPC\r\nDate,,,,,\r\n"
        b"2024-01-02,4742.83,4754.33,4722.67,4745.2,3743050000\r\n",
    )
    parsed = read_price_file(path)
    assert parsed.problems == ()
    assert parsed.symbol_in_file == "^GSPC"
    assert parsed.rows == (
        {
            "date": D(2024, 1, 2),
            "close": 4742.83,
            "high": 4754.33,
            "low": 4722.67,
            "open": 4745.2,
            "volume": 3743050000.0,
        },
    )


def test_multiindex_header_grouped_by_ticker(tmp_path: Path):
    path = write(tmp_path, "Ticker,SPY,SPY\nPrice,Close,Volume\nDate,,\n2024-01-02,472.65,123\n")
    parsed = read_price_file(path)
    assert parsed.symbol_in_file == "SPY"
    assert parsed.rows[0]["close"] == 472.65


def test_multiindex_header_with_several_symbols_is_refused(tmp_path: Path):
    path = write(tmp_path, "Price,Close,Close\nTicker,SPY,IWM\nDate,,\n2024-01-02,472.65,200.1\n")
    parsed = read_price_file(path)
    assert parsed.rows == ()
    assert "several symbols (IWM, SPY)" in messages(parsed)


@pytest.mark.parametrize(
    "stamp",
    [
        "2024-01-05 00:00:00-05:00",
        "2024-01-05 00:00:00+09:00",
        "2024-01-05T00:00:00Z",
        "2024-01-05",
    ],
)
def test_dates_with_time_and_offset_keep_their_calendar_date(tmp_path: Path, stamp: str):
    path = write(tmp_path, f"Date,Close\n{stamp},11\n")
    assert read_price_file(path).rows[0]["date"] == D(2024, 1, 5)


def test_byte_order_mark_and_blank_lines(tmp_path: Path):
    path = write(tmp_path, "\ufeffDate,Close\n\n2024-01-02,11\n\n2024-01-03,12\n\n")
    assert len(read_price_file(path).rows) == 2


def test_rows_are_sorted_and_a_repeated_date_keeps_the_later_row(tmp_path: Path):
    path = write(tmp_path, "Date,Close\n2024-01-03,12\n2024-01-02,11\n2024-01-03,13\n")
    parsed = read_price_file(path)
    assert [(r["date"], r["close"]) for r in parsed.rows] == [
        (D(2024, 1, 2), 11.0),
        (D(2024, 1, 3), 13.0),
    ]
    (note,) = parsed.notes
    assert note.field == "date"
    assert "2024-01-03 (lines 2 and 4)" in note.message


def test_null_and_empty_closes_are_counted_silently(tmp_path: Path):
    path = write(
        tmp_path,
        f"{HEADER}\n2024-01-02,10,12,9,11,11,100\n2024-01-03,null,null,null,null,null,null\n"
        "2024-01-04,,,,,,\n2024-01-05,10,12,9,11,11,100\n",
    )
    parsed = read_price_file(path)
    assert (len(parsed.rows), parsed.skipped, parsed.problems, parsed.notes) == (2, 2, (), ())


def test_a_zero_open_is_unknown_but_a_zero_volume_is_kept(tmp_path: Path):
    path = write(tmp_path, f"{HEADER}\n2024-01-02,0,12,9,11,11,0\n")
    (row,) = read_price_file(path).rows
    assert "open" not in row
    assert row["volume"] == 0.0


# -- files that are refused, or rows that are skipped --------------------------------------------


def test_nonexistent_path(tmp_path: Path):
    parsed = read_price_file(tmp_path / "nope.csv")
    assert parsed.rows == ()
    assert parsed.problems[0].field == "file"
    assert "does not exist" in messages(parsed)


def test_a_folder(tmp_path: Path):
    assert "is a folder" in messages(read_price_file(tmp_path))


@pytest.mark.parametrize("content", [b"", b"\r\n\n  \n", b"Date,Open,High,Low,Close,Volume\r\n"])
def test_empty_file_or_header_only(tmp_path: Path, content: bytes):
    parsed = read_price_file(write(tmp_path, content))
    assert parsed.rows == ()
    text = messages(parsed)
    assert "is empty" in text or "has no price rows" in text


def test_every_close_null(tmp_path: Path):
    parsed = read_price_file(write(tmp_path, "Date,Close\n2024-01-02,null\n"))
    assert "has no row with a close" in messages(parsed)
    assert parsed.skipped == 1


def test_missing_close_column(tmp_path: Path):
    parsed = read_price_file(write(tmp_path, "Date,Open,High,Low,Volume\n2024-01-02,1,2,0.5,10\n"))
    assert parsed.rows == ()
    assert "has no Close column" in messages(parsed)
    assert "Date,Open,High,Low,Volume" in messages(parsed)


def test_missing_date_column(tmp_path: Path):
    parsed = read_price_file(write(tmp_path, "Day,Close\n2024-01-02,1\n"))
    assert "has no Date column" in messages(parsed)


def test_no_header_line(tmp_path: Path):
    parsed = read_price_file(write(tmp_path, "2024-01-02,1,2,0.5,1.5,1.5,10\n"))
    assert "has no Date or Close column" in messages(parsed)


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 4,
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",  # an .xlsx
        "Date,Close\n2024-01-02,1\n".encode("utf-16"),
        b"\xff\xfe\xfa garbage \xc3\x28",
    ],
)
def test_binary_files(tmp_path: Path, content: bytes):
    parsed = read_price_file(write(tmp_path, content))
    assert parsed.rows == ()
    assert "is not a CSV text file" in messages(parsed)


def test_mostly_non_numeric_closes_are_refused_naming_lines(tmp_path: Path):
    body = "".join(f"2024-01-{d:02},{'abc' if d > 2 else d}\n" for d in range(1, 21))
    parsed = read_price_file(write(tmp_path, "Date,Close\n" + body))
    assert parsed.rows == ()
    assert str(parsed.problems[0]) == "file: 18 of the 20 rows of prices.csv cannot be read"
    assert str(parsed.problems[1]) == (
        "close: not a number on lines 4, 5, 6, 7, 8 and 13 more (first: 'abc')"
    )


def test_non_positive_closes_and_bad_dates_are_refused_by_line(tmp_path: Path):
    parsed = read_price_file(
        write(tmp_path, "Date,Close\n2024-01-02,0\n2024-01-03,-5\n01/04/2024,3\n")
    )
    assert parsed.rows == ()
    text = messages(parsed)
    assert "close: not positive on lines 2, 3 (first: '0')" in text
    assert "date: not a YYYY-MM-DD date on line 4 ('01/04/2024')" in text


def test_a_few_bad_rows_in_a_long_file_are_skipped_and_noted(tmp_path: Path):
    days = [D(2020, 1, 1) + dt.timedelta(days=i) for i in range(300)]
    lines = [f"{d},1,2,0.5,1.5,1.5,10" for d in days]
    lines[99] = f"{days[99]},1,2,0.5,#VALUE!,1.5,10"  # line 101 of the file
    lines[199] = f"{days[199]},1,2,0.5,1.5,1.5,-10"  # line 201
    parsed = read_price_file(write(tmp_path, "\n".join([HEADER, *lines])))
    assert parsed.problems == ()
    assert len(parsed.rows) == 298
    assert [str(n) for n in parsed.notes] == [
        "close: row skipped: not a number on line 101 ('#VALUE!')",
        "volume: row skipped: negative on line 201 ('-10')",
    ]


def test_a_short_row(tmp_path: Path):
    parsed = read_price_file(write(tmp_path, "Date,Open,Close\n2024-01-02,1\n"))
    assert "row: too few values on line 2" in messages(parsed)


def test_importing_the_module_does_not_import_pandas(subprocess_env):
    code = "import sys, desktop.data.formats.prices_csv; print('pandas' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=subprocess_env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_a_row_dated_after_today_is_refused_not_imported(tmp_path: Path, time_machine):
    time_machine.move_to(dt.datetime(2024, 1, 5, 12, tzinfo=dt.UTC))
    days = [dt.date(2023, 1, 1) + dt.timedelta(days=i) for i in range(365 + 4)]  # to 5 Jan
    rows = "".join(f"{d},{10 + i / 100}\n" for i, d in enumerate(days))
    one_late = read_price_file(write(tmp_path, f"Date,Close\n{rows}2024-01-08,20\n"))
    assert [r["date"] for r in one_late.rows] == days  # all but the one after today
    assert any("after today (2024-01-05) on line 371" in n.message for n in one_late.notes)
    future = "".join(f"2024-02-{d:02d},{d}\n" for d in range(1, 11))
    all_late = read_price_file(write(tmp_path, f"Date,Close\n{future}", name="future.csv"))
    assert all_late.rows == () and any("after today" in p.message for p in all_late.problems)


def test_adjusted_closes_are_never_joined_to_cached_closes_as_traded(store, fixtures, tmp_path):
    import csv as csv_module

    from desktop.data.formats.prices_csv import import_price_file

    yahoo = fixtures / "IWM_yahoo_2024-2025.csv"  # Close as traded, and Adj Close
    assert import_price_file(store, yahoo, "IWM")[0] > 0
    before = store.price_rows("IWM")
    with open(yahoo, newline="") as f:
        rows = list(csv_module.DictReader(f))
    # What yfinance writes by default (auto_adjust): "Close" holds the adjusted close.
    adjusted = tmp_path / "IWM_adjusted.csv"
    with open(adjusted, "w", newline="") as f:
        writer = csv_module.writer(f)
        writer.writerow(["Date", "Close", "Volume"])
        for r in rows:
            writer.writerow([r["Date"], r["Adj Close"], r["Volume"]])
    closes = [float(r["Close"]) for r in rows]
    adj = [float(r["Adj Close"]) for r in rows]
    median_off = sorted(abs(a / c - 1) for a, c in zip(adj, closes, strict=True))[len(rows) // 2]
    written, parsed = import_price_file(store, adjusted, "IWM")
    assert written == 0 and store.price_rows("IWM") == before  # nothing changed
    (problem,) = parsed.problems
    assert problem.message.startswith(
        f"on the {len(rows)} days it shares with the cached prices of IWM, its closes differ "
        f"from them by {median_off:.1%} (the median): they are the cached adjusted closes"
    )
    # The same file as traded again is welcome (nothing differs); so is another symbol's.
    assert import_price_file(store, yahoo, "IWM")[1].problems == ()
    assert import_price_file(store, adjusted, "IWM-ADJ")[1].problems == ()


def test_a_row_with_more_values_than_the_header_is_refused_not_cut(store, tmp_path):
    from desktop.data.formats.prices_csv import import_price_file

    path = tmp_path / "comma.csv"
    path.write_text("Date,Close\n2024-01-05,32.10\n2024-01-08,3,10\n")  # 3,10: a decimal comma
    written, parsed = import_price_file(store, path, "COHU")
    assert written == 0 and store.price_rows("COHU") == []
    assert any(
        "line 3" in p.message and "more values than the header" in p.message
        for p in parsed.problems
    ), parsed.problems
