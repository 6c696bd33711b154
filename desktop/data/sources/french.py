"""The Fama/French three factors from Kenneth French's data library: parse, download, cache.

The library publishes each data set as a zip holding one CSV in its own layout (CRLF lines):

- a preamble (``This file was created by CMPT_ME_BEME_RETS using the 202408 CRSP database.``,
  notes on the T-bill source), a blank line, then the column row ``,Mkt-RF,SMB,HML,RF``;
- one row per period: ``19260701,    0.10,   -0.25,   -0.27,   0.009`` (daily, ``YYYYMMDD``)
  or ``192607,    2.96, ...`` (monthly, ``YYYYMM``), values in **percent**;
- a blank line, after which the monthly file carries a second table (`` Annual Factors:
  January-December``, ``  1927,  29.47, ...``) and every file ends with a copyright line.

``parse_french_csv`` reads the first table only, so annual rows never leak into the monthly
series, and returns a frame of **fractions** (percent / 100) with columns ``mkt_rf, smb, hml,
rf`` on a ``DatetimeIndex``: the date for daily rows, the month-end for monthly rows. The frame's
``attrs`` say where it came from (``source`` such as ``"Fama-French 202408"``, ``vintage``,
``frequency``); ``desktop.core.factors`` reports ``source`` with every regression.

``FrenchFactors`` downloads the current zip with urllib when it can, keeps it in a cache folder,
and falls back to the cached copy when it cannot. Problems are data here: every function returns
``(frame or None, message)`` and never raises for a bad file or a dead connection.

No Qt, and pandas is imported only when a file is parsed, so importing this module stays cheap.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import os
import re
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

BASE_URL = "https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp/"
#: The library's zip for each frequency; the cache keeps the same file name.
URLS = {
    "daily": BASE_URL + "F-F_Research_Data_Factors_daily_CSV.zip",
    "monthly": BASE_URL + "F-F_Research_Data_Factors_CSV.zip",
}
#: Column names in the file -> ours.
COLUMNS = {"mkt-rf": "mkt_rf", "smb": "smb", "hml": "hml", "rf": "rf"}
#: French marks missing values with these in some data sets (none occur in the 3-factor files).
MISSING_MARKERS = frozenset({-99.99, -999.0})
#: The zips are about half a megabyte; anything far larger is not the file we asked for.
MAX_BYTES = 20_000_000
DEFAULT_TIMEOUT = 10.0
#: French updates the files about once a month; a day-old copy is fresh enough.
DEFAULT_MAX_AGE = dt.timedelta(days=1)

#: ``opener(url, timeout_seconds) -> body``; anything it raises counts as "could not download".
Opener = Callable[[str, float], bytes]

_VINTAGE = re.compile(r"using the (\d{6}) CRSP database")
_DATE_FORMATS = {8: ("daily", "%Y%m%d"), 6: ("monthly", "%Y%m")}


def parse_french_csv(data: str | bytes) -> tuple[pd.DataFrame | None, str]:
    """The first table of a French factor CSV as fractions, or ``None`` and what is wrong.

    Daily files give one row per trading date, monthly files one row per month stamped with the
    month's last calendar day. Columns other than Mkt-RF, SMB, HML and RF (the five-factor
    file's RMW and CMA) are ignored. On success the message is empty.
    """
    text = _decode(data)
    lines = text.splitlines()
    header = _find_header(lines)
    if header is None:
        return None, "no column row ',Mkt-RF,SMB,HML,RF' found: not a Fama/French factor file"
    at, positions = header

    dates: list[str] = []
    rows: list[list[float]] = []
    for number, line in enumerate(lines[at + 1 :], start=at + 2):
        if not line.strip():
            break  # the end of the first table; an annual table or the copyright follows
        cells = [c.strip() for c in line.split(",")]
        if not cells[0].isdigit() or len(cells[0]) not in _DATE_FORMATS:
            return None, f"line {number}: {cells[0]!r} is not a YYYYMMDD or YYYYMM date"
        try:
            rows.append([_fraction(cells[p]) for p in positions])
        except (IndexError, ValueError):
            return None, f"line {number}: expected four numbers, got {line.strip()!r}"
        dates.append(cells[0])

    if not dates:
        return None, "the factor table has no rows"
    widths = {len(d) for d in dates}
    if len(widths) != 1:
        return None, "the factor table mixes daily (YYYYMMDD) and monthly (YYYYMM) dates"
    frequency, date_format = _DATE_FORMATS[widths.pop()]

    import numpy as np
    import pandas as pd

    try:
        index = pd.DatetimeIndex(pd.to_datetime(dates, format=date_format))
    except ValueError:
        return None, "the factor table has a date that is not on the calendar"
    if frequency == "monthly":
        index = index + pd.offsets.MonthEnd(0)
    if not index.is_monotonic_increasing or not index.is_unique:
        return None, "the factor table's dates are not in increasing order"

    values = np.array(rows, dtype=float)
    frame = pd.DataFrame(values, index=index.rename("date"), columns=list(COLUMNS.values()))
    vintage = _vintage(lines[:at])
    frame.attrs.update(
        source=f"Fama-French {vintage}".strip(), vintage=vintage, frequency=frequency
    )
    return frame, ""


def parse_french_zip(data: bytes) -> tuple[pd.DataFrame | None, str]:
    """Parse the zip the library serves: it holds exactly one CSV."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [i for i in archive.infolist() if i.filename.lower().endswith(".csv")]
        if len(members) != 1:
            return None, f"the zip holds {len(members)} CSV files, expected one"
        if members[0].file_size > MAX_BYTES:
            return None, f"{members[0].filename} is too large to be a factor file"
        body = archive.read(members[0])
    # A truncated or foreign download fails in the zip reader or in zlib.
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        return None, f"the download is not a readable zip archive ({exc})"
    except (NotImplementedError, RuntimeError) as exc:  # unknown compression, encryption
        return None, f"the zip cannot be read ({exc})"
    return parse_french_csv(body)


def urllib_opener(url: str, timeout: float) -> bytes:
    """Fetch ``url`` with the standard library; raises on any failure (the caller reports it)."""
    import urllib.request

    from desktop import __version__

    request = urllib.request.Request(url, headers={"User-Agent": f"PortfolioDesk/{__version__}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body = response.read(MAX_BYTES + 1)
    if len(body) > MAX_BYTES:
        raise ValueError(f"the answer is larger than {MAX_BYTES:,} bytes")
    return body


class FrenchFactors:
    """The library's daily and monthly three-factor files, downloaded when possible and cached.

    ``load`` uses a cached zip younger than ``max_age`` as it is; otherwise it downloads the
    current zip (``opener``, default urllib, with ``timeout`` seconds), replaces the cache with it
    once it parses, and falls back to the older cached copy when the download fails. It returns
    ``(frame, message)`` where the message says which copy was used, or ``(None, message)``
    saying why there is none. Tests inject ``opener`` so they never reach the network.
    """

    def __init__(
        self,
        cache_dir: Path,
        *,
        opener: Opener | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_age: dt.timedelta = DEFAULT_MAX_AGE,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.opener: Opener = opener or urllib_opener
        self.timeout = timeout
        self.max_age = max_age

    def daily(self, *, refresh: bool = False) -> tuple[pd.DataFrame | None, str]:
        return self.load("daily", refresh=refresh)

    def monthly(self, *, refresh: bool = False) -> tuple[pd.DataFrame | None, str]:
        return self.load("monthly", refresh=refresh)

    def cache_path(self, frequency: str) -> Path:
        return self.cache_dir / URLS[frequency].rsplit("/", 1)[-1]

    def load(
        self, frequency: str = "daily", *, refresh: bool = False
    ) -> tuple[pd.DataFrame | None, str]:
        """The factors at ``frequency`` ("daily" or "monthly"); ``refresh`` skips a fresh cache."""
        if frequency not in URLS:
            return None, f"unknown frequency {frequency!r}: use 'daily' or 'monthly'"
        path = self.cache_path(frequency)
        age = _age(path)
        if not refresh and age is not None and age < self.max_age:
            frame, _ = self._read_cache(path, frequency)
            if frame is not None:  # else the cache is damaged: download a new copy
                return frame, f"Loaded {_describe(frame)} from the cache ({_saved(path)})"

        frame, body, reason = self._download(frequency)
        if frame is not None:
            saved = self._write_cache(path, body)
            note = "" if saved is None else f"; could not save it to the cache ({saved})"
            return frame, f"Downloaded {_describe(frame)}{note}"

        if age is None:
            return None, f"Could not download the Fama/French {frequency} factors ({reason})"
        frame, problem = self._read_cache(path, frequency)
        if frame is None:
            return None, (
                f"Could not download the Fama/French {frequency} factors ({reason}), "
                f"and the cached copy is unreadable ({problem})"
            )
        return frame, (
            f"Could not download the Fama/French {frequency} factors ({reason}); "
            f"using the cached copy ({_saved(path)}): {_describe(frame)}"
        )

    def _download(self, frequency: str) -> tuple[pd.DataFrame | None, bytes, str]:
        """The parsed download and its bytes, or ``None`` and why there is none."""
        try:
            body = bytes(self.opener(URLS[frequency], self.timeout))
        # The opener is pluggable and urllib alone raises URLError, HTTPError, TimeoutError,
        # ssl and http.client errors: whatever it raises means "not downloaded", never a crash.
        except Exception as exc:  # noqa: BLE001
            return None, b"", _reason(exc, self.timeout)
        frame, problem = parse_french_zip(body)
        if frame is None:
            return None, b"", f"the download is not a factor file: {problem}"
        if frame.attrs["frequency"] != frequency:
            return None, b"", f"the download holds {frame.attrs['frequency']} factors"
        return frame, body, ""

    @staticmethod
    def _write_cache(path: Path, body: bytes) -> str | None:
        """Replace the cached zip atomically; the reason it failed, or ``None``."""
        tmp = path.with_name(path.name + ".part")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(body)
            os.replace(tmp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):  # the folder may be what failed
                tmp.unlink(missing_ok=True)
            return exc.strerror or str(exc)
        return None

    @staticmethod
    def _read_cache(path: Path, frequency: str) -> tuple[pd.DataFrame | None, str]:
        try:
            body = path.read_bytes()
        except OSError as exc:
            return None, exc.strerror or str(exc)
        frame, problem = parse_french_zip(body)
        if frame is not None and frame.attrs["frequency"] != frequency:
            return None, f"it holds {frame.attrs['frequency']} factors"
        return frame, problem


def _decode(data: str | bytes) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # the preamble is the only text; numbers are ASCII


def _find_header(lines: list[str]) -> tuple[int, list[int]] | None:
    """The column row's line index and the cell positions of Mkt-RF, SMB, HML, RF in order."""
    for at, line in enumerate(lines):
        cells = [c.strip().lower() for c in line.split(",")]
        if cells[0] == "" and all(name in cells[1:] for name in COLUMNS):
            return at, [cells.index(name) for name in COLUMNS]
    return None


def _fraction(cell: str) -> float:
    """Percent text to a fraction, correctly rounded: ``"0.10"`` -> the double nearest 0.001."""
    percent = float(cell)  # raises ValueError for text and empty cells
    if percent in MISSING_MARKERS:
        return math.nan
    if "e" in cell.lower():
        return percent / 100
    return float(cell + "e-2")


def _vintage(preamble: list[str]) -> str:
    for line in preamble:
        match = _VINTAGE.search(line)
        if match:
            return match.group(1)
    return ""


def _age(path: Path) -> dt.timedelta | None:
    try:
        return dt.timedelta(seconds=max(0.0, time.time() - path.stat().st_mtime))
    except OSError:
        return None


def _saved(path: Path) -> str:
    try:
        stamp = dt.datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return "date unknown"
    return f"saved {stamp:%Y-%m-%d %H:%M}"


def _describe(frame: pd.DataFrame) -> str:
    frequency = frame.attrs.get("frequency", "")
    unit = "days" if frequency == "daily" else "months"
    vintage = frame.attrs.get("vintage") or "unknown"
    last = frame.index[-1]
    end = f"{last:%Y-%m-%d}" if frequency == "daily" else f"{last:%Y-%m}"
    return (
        f"the Fama/French {frequency} factors (vintage {vintage}, {len(frame):,} {unit} to {end})"
    )


def _reason(exc: BaseException, timeout: float) -> str:
    """Why a download failed, in plain words."""
    import urllib.error

    if isinstance(exc, urllib.error.HTTPError):
        return f"the server answered HTTP {exc.code}"
    if isinstance(exc, TimeoutError):
        return f"no answer within {timeout:g} seconds"
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return f"no answer within {timeout:g} seconds"
        return f"no connection: {reason}"
    return str(exc) or type(exc).__name__
