"""CsvFolderSource: prices from a folder of CSV files, through the real refresh.

The folder holds two real files, excerpts in tests/fixtures: COHU 2020-01-02..2024-03-08 and ^RUT
1987-09-10..1987-10-30 plus 2024-12-02..2025-01-31 (CRLF, Close first).
"""

from __future__ import annotations

import datetime as dt
import shutil
from zoneinfo import ZoneInfo

import pytest

from desktop.data.formats.prices_csv import read_price_file
from desktop.data.refresh import run_refresh
from desktop.data.sources.csv_folder import CsvFolderSource, csv_file_name
from desktop.data.sources.protocol import FetchErrorKind, FetchRequest

NY = ZoneInfo("America/New_York")
COHU_FILE = "COHU_yahoo_2020-2024.csv"


@pytest.fixture
def folder(tmp_path, fixtures):
    prices = tmp_path / "prices"
    prices.mkdir()
    shutil.copy(fixtures / COHU_FILE, prices / "COHU.csv")
    shutil.copy(fixtures / "RUT_daily_1987-2025.csv", prices / "_RUT.csv")
    (prices / "BAD.csv").write_text("this is not a price file\n1,2\n")
    return prices


def test_file_names_are_safe():
    assert csv_file_name("COHU") == "COHU.csv"
    assert csv_file_name("^GSPC") == "_GSPC.csv"
    assert csv_file_name("eurusd=x") == "EURUSD_X.csv"
    assert csv_file_name("BRK-B") == "BRK-B.csv"
    assert csv_file_name("../etc/passwd") == ".._ETC_PASSWD.csv"  # never leaves the folder


def test_fetch_filters_to_the_window(folder, fixtures):
    source = CsvFolderSource(folder)
    start, end = dt.date(2024, 1, 2), dt.date(2024, 1, 31)
    (result,) = source.fetch([FetchRequest("COHU", start, end)])

    assert result.ok and result.key == "COHU"
    expected = [r for r in read_price_file(fixtures / COHU_FILE).rows]
    expected = [r for r in expected if start <= r["date"] <= end]
    assert result.value.rows == expected and len(result.value.rows) == 21  # MLK day closed
    assert source.name == "csv"


def test_whole_history_and_index_symbols(folder):
    (result,) = CsvFolderSource(folder).fetch([FetchRequest("^RUT", None, dt.date(2025, 1, 15))])
    assert result.ok
    assert result.value.rows[0]["date"] == dt.date(1987, 9, 10)
    assert result.value.rows[-1]["date"] == dt.date(2025, 1, 15)  # the file goes on to 2025-01-31


def test_missing_bad_and_empty_window(folder):
    end = dt.date(2024, 3, 8)
    missing, bad, none = CsvFolderSource(folder).fetch(
        [
            FetchRequest("NOPE", None, end),
            FetchRequest("BAD", None, end),
            FetchRequest("COHU", dt.date(2030, 1, 1), dt.date(2030, 2, 1)),
        ]
    )
    assert missing.error is FetchErrorKind.NOT_FOUND and "NOPE.csv" in missing.message
    assert bad.error is FetchErrorKind.ERROR and "Close" in bad.message
    assert none.error is FetchErrorKind.NO_DATA


def test_cancel_stops_between_symbols(folder):
    requests = [FetchRequest(s, None, dt.date(2024, 1, 5)) for s in ("COHU", "^RUT")]
    assert list(CsvFolderSource(folder).fetch(requests, cancelled=lambda: True)) == []


def test_run_refresh_end_to_end(store, folder):
    now = dt.datetime(2024, 3, 11, 20, 0, tzinfo=NY)  # a Monday evening after the last row
    report = run_refresh(store, CsvFolderSource(folder), symbols=["COHU", "^RUT", "NOPE"], now=now)

    closes = store.closes(["COHU", "^RUT"])
    assert closes["COHU"].dropna().index[0].date() == dt.date(2020, 1, 2)
    assert closes["COHU"].dropna().iloc[-1] == pytest.approx(
        read_price_file(folder / "COHU.csv").rows[-1]["close"]
    )
    assert closes["^RUT"].dropna().index[0].date() == dt.date(1987, 9, 10)
    assert report.failed["NOPE"][0] is FetchErrorKind.NOT_FOUND
    assert set(report.updated) == {"COHU", "^RUT"} and not report.offline


def test_a_second_refresh_asks_only_for_new_days(store, folder):
    now = dt.datetime(2024, 3, 11, 20, 0, tzinfo=NY)
    run_refresh(store, CsvFolderSource(folder), symbols=["COHU"], now=now)
    again = run_refresh(store, CsvFolderSource(folder), symbols=["COHU"], now=now)
    assert again.updated.get("COHU", 0) == 0 and not again.failed.get("COHU")
