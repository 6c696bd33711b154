"""Tests for desktop/data/factor_data.py: the refresh fetches both French files, the monthly one
is read offline, and a file the user brings is kept as a download would be.

A fake opener stands in for the data library: no test reaches the network.
"""

from __future__ import annotations

import io
import zipfile

from desktop.data.factor_data import (
    cached_french_monthly,
    french_cache,
    import_french,
    refresh_french,
)
from desktop.data.sources.french import URLS, FrenchFactors

DAILY = "F-F_Research_Data_Factors_daily.CSV"
MONTHLY = "F-F_Research_Data_Factors.CSV"


def zipped(name: str, body: bytes) -> bytes:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr(name, body)
    return packed.getvalue()


def test_the_refresh_fetches_the_daily_and_the_monthly_file(fixtures):
    answers = {
        URLS["daily"]: zipped(DAILY, (fixtures / DAILY).read_bytes()),
        URLS["monthly"]: zipped(MONTHLY, (fixtures / MONTHLY).read_bytes()),
    }
    asked = []

    def opener(url: str, timeout: float) -> bytes:
        asked.append(url)
        return answers[url]

    assert refresh_french(opener) == ""
    assert sorted(asked) == sorted(URLS.values())
    cache = FrenchFactors(french_cache())
    for frequency in ("daily", "monthly"):
        assert cache.cache_path(frequency).read_bytes() == answers[URLS[frequency]]
    frame, _ = cached_french_monthly()
    assert frame is not None and len(frame) == 80  # 201801..202408


def test_a_failed_download_is_said_for_each_file(fixtures):
    def opener(url: str, timeout: float) -> bytes:
        if url == URLS["monthly"]:
            raise OSError("no route to host")
        return zipped(DAILY, (fixtures / DAILY).read_bytes())

    message = refresh_french(opener)
    assert "monthly" in message and "no route to host" in message and "daily" not in message


def test_no_monthly_file_is_said_in_words():
    frame, message = cached_french_monthly()
    assert frame is None and "refresh" in message and "import factors" in message


def test_an_imported_csv_is_kept_zipped_under_the_library_s_name(fixtures, tmp_path):
    frame, message = import_french(fixtures / MONTHLY)
    target = FrenchFactors(french_cache()).cache_path("monthly")
    assert frame is not None and str(target) in message
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == [MONTHLY]
        assert archive.read(MONTHLY) == (fixtures / MONTHLY).read_bytes()
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no partial file left
