"""Tests for desktop/data/french.py: the real Fama/French files parse, and the fetcher never raises.

The files are the excerpts in tests/fixtures (daily 20180102..20240830; monthly 201801..202408 and
annual 2018..2023, with the library's preamble and copyright line). Expected counts and ranges are
those of the excerpts (tests/fixtures/README.md); expected values are read from the raw file text
with plain string operations, never from the module under test. The fetcher is driven by a
fake opener: no test reaches the network.
"""

from __future__ import annotations

import functools
import io
import os
import subprocess
import sys
import time
import urllib.error
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from desktop.data.sources.french import (
    URLS,
    FrenchFactors,
    parse_french_csv,
    parse_french_zip,
)

DAILY = "F-F_Research_Data_Factors_daily.CSV"
MONTHLY = "F-F_Research_Data_Factors.CSV"
COLUMNS = ["mkt_rf", "smb", "hml", "rf"]


def raw_row(text: str, date: str) -> list[float]:
    """The four values on the line that starts with ``date,``, in percent as written."""
    (line,) = [ln for ln in text.split("\r\n") if ln.split(",")[0] == date]
    return [float(cell) for cell in line.split(",")[1:]]


def raw_table(text: str, digits: int) -> dict[str, list[float]]:
    """Every line whose first cell is exactly ``digits`` digits: the daily or monthly rows.
    Annual rows (``  1927,``) have four digits after two spaces and never match."""
    rows = {}
    for line in text.split("\r\n"):
        first = line.split(",")[0]
        if len(first) == digits and first.isdigit():
            rows[first] = [float(cell) for cell in line.split(",")[1:]]
    return rows


@functools.lru_cache
def parsed(path: Path) -> pd.DataFrame:
    """The module's frame for a fixture file, parsed once for the tests that only read it."""
    return parse_french_csv(path.read_bytes())[0]


def zipped(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members:
            archive.writestr(name, body)
    return buffer.getvalue()


@pytest.fixture
def daily_bytes(fixtures: Path) -> bytes:
    return (fixtures / DAILY).read_bytes()


@pytest.fixture
def monthly_bytes(fixtures: Path) -> bytes:
    return (fixtures / MONTHLY).read_bytes()


# -- the real files ---------------------------------------------------------------------------
def test_daily_file_rows_range_and_labels(daily_bytes):
    frame, message = parse_french_csv(daily_bytes)
    assert message == ""
    assert list(frame.columns) == COLUMNS
    assert len(frame) == 1_677
    assert frame.index[0] == pd.Timestamp("2018-01-02")
    assert frame.index[-1] == pd.Timestamp("2024-08-30")
    assert isinstance(frame.index, pd.DatetimeIndex)
    assert frame.index.is_monotonic_increasing and frame.index.is_unique
    assert (frame.dtypes == "float64").all()
    assert not frame.isna().any().any()
    assert frame.attrs == {
        "source": "Fama-French 202408",
        "vintage": "202408",
        "frequency": "daily",
    }


def test_first_daily_row_is_in_fractions(daily_bytes):
    # 20180102,    0.85,    0.35,   -0.22,   0.006   (percent)
    frame, _ = parse_french_csv(daily_bytes)
    assert frame.iloc[0].tolist() == pytest.approx([0.0085, 0.0035, -0.0022, 0.00006], abs=1e-15)


def test_monthly_file_keeps_only_the_monthly_table(monthly_bytes):
    text = monthly_bytes.decode()
    annual_at = text.index("Annual Factors")
    assert text[annual_at:].count("\r\n  19") + text[annual_at:].count("\r\n  20") == 6  # 2018..23

    frame, message = parse_french_csv(monthly_bytes)
    assert message == ""
    assert len(frame) == 80  # 201801..202408
    assert frame.index[0] == pd.Timestamp("2018-01-31")
    assert frame.index[-1] == pd.Timestamp("2024-08-31")
    assert frame.index.is_month_end.all()
    assert frame.index.to_period("M").is_unique
    assert frame.attrs["frequency"] == "monthly"
    assert frame.attrs["source"] == "Fama-French 202408"
    # The annual table's 2023 row (Mkt-RF 21.68) must not have become a month.
    assert frame.iloc[-1].tolist() == pytest.approx([0.0161, -0.0355, -0.0112, 0.0048])
    assert not (frame["mkt_rf"] == pytest.approx(0.2168)).any()


@pytest.mark.parametrize(
    ("file", "date", "stamp"),
    [
        (DAILY, "20180102", "2018-01-02"),
        (DAILY, "20200316", "2020-03-16"),
        (DAILY, "20220613", "2022-06-13"),
        (DAILY, "20240830", "2024-08-30"),
        (MONTHLY, "201801", "2018-01-31"),
        (MONTHLY, "202003", "2020-03-31"),
        (MONTHLY, "202402", "2024-02-29"),
    ],
)
def test_spot_values_match_the_raw_text(fixtures, file, date, stamp):
    text = (fixtures / file).read_bytes().decode()
    expected = [v / 100 for v in raw_row(text, date)]
    frame = parsed(fixtures / file)
    assert frame.loc[pd.Timestamp(stamp)].tolist() == pytest.approx(expected, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(("file", "digits"), [(DAILY, 8), (MONTHLY, 6)])
def test_every_row_matches_the_raw_text(fixtures, file, digits):
    raw = raw_table((fixtures / file).read_bytes().decode(), digits)
    frame = parsed(fixtures / file)
    assert len(raw) == len(frame)
    expected = np.array(list(raw.values())) / 100
    np.testing.assert_allclose(frame.to_numpy(), expected, rtol=1e-12, atol=0)
    months = pd.to_datetime(list(raw), format="%Y%m%d" if digits == 8 else "%Y%m")
    assert (frame.index.to_period("M") == months.to_period("M")).all()


def test_text_bytes_and_plain_newlines_parse_alike(daily_bytes):
    from_bytes, _ = parse_french_csv(daily_bytes)
    from_text, _ = parse_french_csv(daily_bytes.decode())
    from_lf, _ = parse_french_csv(daily_bytes.decode().replace("\r\n", "\n"))
    pd.testing.assert_frame_equal(from_bytes, from_text)
    pd.testing.assert_frame_equal(from_bytes, from_lf)


# -- files that are not factor files ----------------------------------------------------------
HEADER = "Preamble.\r\n\r\n,Mkt-RF,SMB,HML,RF\r\n"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "no column row"),
        ("<html><body>Not found</body></html>", "no column row"),
        (HEADER, "no rows"),
        (HEADER + "192607, 2.96, -2.56, x, 0.22\r\n", "line 4"),
        (HEADER + "192607, 2.96, -2.56\r\n", "line 4"),
        (HEADER + "1926-07, 2.96, -2.56, -2.43, 0.22\r\n", "not a YYYYMMDD or YYYYMM date"),
        (HEADER + "192607,1,1,1,1\r\n19260801,1,1,1,1\r\n", "mixes daily"),
        (HEADER + "192608,1,1,1,1\r\n192607,1,1,1,1\r\n", "increasing"),
        (HEADER + "192613,1,1,1,1\r\n", "calendar"),
    ],
)
def test_bad_files_are_refused_with_a_reason(text, words):
    frame, message = parse_french_csv(text)
    assert frame is None
    assert words in message


def test_columns_are_found_by_name_and_missing_markers_become_nan():
    # The five-factor file's layout, with French's -99.99 missing-value marker.
    text = "x\r\n\r\n,Mkt-RF,SMB,HML,RMW,CMA,RF\r\n196307,-0.39,-0.41,-0.97,0.68,-1.18,0.27\r\n"
    text += "196308,5.07,-0.80,1.80,0.36,-99.99,0.25\r\n\r\nCopyright\r\n"
    frame, _ = parse_french_csv(text)
    assert frame.iloc[0].tolist() == pytest.approx([-0.0039, -0.0041, -0.0097, 0.0027])
    assert frame.attrs["source"] == "Fama-French"  # no vintage line in this preamble
    text = text.replace("-99.99", "0").replace(",1.80,", ",-99.99,")
    frame, _ = parse_french_csv(text)
    assert pd.isna(frame.loc["1963-08-31", "hml"])


# -- the zip the library serves ---------------------------------------------------------------
def test_zip_parses_like_the_csv_inside(daily_bytes):
    from_zip, message = parse_french_zip(zipped((DAILY, daily_bytes)))
    assert message == ""
    pd.testing.assert_frame_equal(from_zip, parse_french_csv(daily_bytes)[0])
    assert from_zip.attrs["source"] == "Fama-French 202408"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"<html>503 Service Unavailable</html>", "not a readable zip"),
        (zipped(("readme.txt", b"hello")), "0 CSV files"),
        (zipped(("a.csv", b"x"), ("b.CSV", b"y")), "2 CSV files"),
        (zipped(("a.csv", b"not a factor file")), "no column row"),
    ],
)
def test_bad_zips_are_refused_with_a_reason(body, words):
    frame, message = parse_french_zip(body)
    assert frame is None
    assert words in message


def test_truncated_or_corrupted_zip_is_refused(monthly_bytes):
    body = zipped((MONTHLY, monthly_bytes))
    frame, message = parse_french_zip(body[: len(body) // 2])
    assert frame is None and "not a readable zip" in message
    middle = len(body) // 2  # inside the compressed data; the directory at the end is intact
    damaged = (
        body[:middle] + bytes(b ^ 0xFF for b in body[middle : middle + 64]) + body[middle + 64 :]
    )
    frame, message = parse_french_zip(damaged)
    assert frame is None and "not a readable zip" in message


# -- the fetcher, with a fake opener ----------------------------------------------------------
class FakeOpener:
    """Answers each URL from a dict; an exception in the dict is raised. Records every call."""

    def __init__(self, answers: dict[str, bytes | BaseException]):
        self.answers = answers
        self.calls: list[tuple[str, float]] = []

    def __call__(self, url: str, timeout: float) -> bytes:
        self.calls.append((url, timeout))
        answer = self.answers[url]
        if isinstance(answer, BaseException):
            raise answer
        return answer


OFFLINE = urllib.error.URLError(OSError("Name or service not known"))


@pytest.fixture
def daily_zip(daily_bytes) -> bytes:
    return zipped((DAILY, daily_bytes))


@pytest.fixture
def monthly_zip(monthly_bytes) -> bytes:
    return zipped((MONTHLY, monthly_bytes))


def age_file(path: Path, days: float) -> None:
    stamp = time.time() - days * 86_400
    os.utime(path, (stamp, stamp))


def test_download_succeeds_and_writes_the_cache(tmp_path, daily_zip):
    opener = FakeOpener({URLS["daily"]: daily_zip})
    factors = FrenchFactors(tmp_path / "cache", opener=opener, timeout=3.0)
    frame, message = factors.daily()
    assert len(frame) == 1_677
    assert message.startswith("Downloaded the Fama/French daily factors")
    assert "202408" in message and "2024-08-30" in message
    assert opener.calls == [(URLS["daily"], 3.0)]
    cached = tmp_path / "cache" / "F-F_Research_Data_Factors_daily_CSV.zip"
    assert cached.read_bytes() == daily_zip
    assert not list((tmp_path / "cache").glob("*.part"))


def test_fresh_cache_is_used_without_downloading(tmp_path, monthly_zip):
    opener = FakeOpener({URLS["monthly"]: monthly_zip})
    factors = FrenchFactors(tmp_path, opener=opener)
    first, _ = factors.monthly()
    second, message = factors.monthly()
    assert len(opener.calls) == 1
    assert (
        message.startswith("Loaded the Fama/French monthly factors") and "from the cache" in message
    )
    pd.testing.assert_frame_equal(first, second)


def test_failed_download_falls_back_to_the_cache(tmp_path, monthly_zip):
    FrenchFactors(tmp_path, opener=FakeOpener({URLS["monthly"]: monthly_zip})).monthly()
    age_file(tmp_path / "F-F_Research_Data_Factors_CSV.zip", days=3)
    opener = FakeOpener({URLS["monthly"]: OFFLINE})
    frame, message = FrenchFactors(tmp_path, opener=opener).monthly()
    assert len(opener.calls) == 1  # the cache was stale, so a download was tried
    assert len(frame) == 80
    assert "no connection" in message and "using the cached copy" in message


def test_refresh_skips_a_fresh_cache_but_falls_back_to_it(tmp_path, monthly_zip):
    FrenchFactors(tmp_path, opener=FakeOpener({URLS["monthly"]: monthly_zip})).monthly()
    opener = FakeOpener({URLS["monthly"]: TimeoutError("timed out")})
    frame, message = FrenchFactors(tmp_path, opener=opener, timeout=2).monthly(refresh=True)
    assert len(opener.calls) == 1
    assert frame is not None
    assert "no answer within 2 seconds" in message


def test_failure_without_cache_is_none_and_a_message(tmp_path):
    opener = FakeOpener({URLS["daily"]: OFFLINE})
    frame, message = FrenchFactors(tmp_path / "cache", opener=opener).daily()
    assert frame is None
    assert message == (
        "Could not download the Fama/French daily factors "
        "(no connection: Name or service not known)"
    )
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (urllib.error.HTTPError(URLS["daily"], 503, "Unavailable", None, None), "HTTP 503"),
        (b"<html>Please try again later</html>", "not a factor file"),
        (RuntimeError("something odd"), "something odd"),
    ],
)
def test_every_download_failure_is_reported_never_raised(tmp_path, answer, words):
    frame, message = FrenchFactors(tmp_path, opener=FakeOpener({URLS["daily"]: answer})).daily()
    assert frame is None
    assert words in message
    assert not list(tmp_path.iterdir())


def test_a_bad_download_does_not_overwrite_a_good_cache(tmp_path, monthly_zip):
    FrenchFactors(tmp_path, opener=FakeOpener({URLS["monthly"]: monthly_zip})).monthly()
    opener = FakeOpener({URLS["monthly"]: b"<html>maintenance</html>"})
    frame, message = FrenchFactors(tmp_path, opener=opener).monthly(refresh=True)
    assert len(frame) == 80 and "using the cached copy" in message
    assert (tmp_path / "F-F_Research_Data_Factors_CSV.zip").read_bytes() == monthly_zip


def test_monthly_uses_its_own_url_and_refuses_the_daily_file(tmp_path, daily_zip, monthly_zip):
    opener = FakeOpener({URLS["monthly"]: monthly_zip})
    frame, message = FrenchFactors(tmp_path, opener=opener).monthly()
    assert len(frame) == 80 and "monthly" in message
    assert (tmp_path / "F-F_Research_Data_Factors_CSV.zip").exists()

    wrong = FakeOpener({URLS["monthly"]: daily_zip})
    frame, message = FrenchFactors(tmp_path / "other", opener=wrong).monthly()
    assert frame is None and "holds daily factors" in message


def test_unwritable_cache_still_returns_the_download(tmp_path, monthly_zip):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    opener = FakeOpener({URLS["monthly"]: monthly_zip})
    frame, message = FrenchFactors(blocker, opener=opener).monthly()
    assert len(frame) == 80
    assert "could not save it to the cache" in message


def test_unreadable_cache_and_no_download(tmp_path):
    (tmp_path / "F-F_Research_Data_Factors_daily_CSV.zip").write_bytes(b"garbage")
    frame, message = FrenchFactors(tmp_path, opener=FakeOpener({URLS["daily"]: OFFLINE})).daily()
    assert frame is None
    assert "cached copy is unreadable" in message


def test_unknown_frequency_is_a_message(tmp_path):
    frame, message = FrenchFactors(tmp_path, opener=FakeOpener({})).load("weekly")
    assert frame is None and "weekly" in message


@pytest.mark.offline_ok
def test_real_opener_offline_is_a_message_not_an_exception(tmp_path):
    # The network guard refuses the connection as a dead network would: urllib's own failure.
    frame, message = FrenchFactors(tmp_path, timeout=1).daily()
    assert frame is None
    assert message.startswith("Could not download the Fama/French daily factors (")


def test_importing_the_module_imports_neither_pandas_nor_qt(subprocess_env):
    code = (
        "import sys, desktop.data.sources.french; "
        "print(sorted(m for m in ('pandas', 'numpy', 'PySide6', 'desktop.ui') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=subprocess_env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
