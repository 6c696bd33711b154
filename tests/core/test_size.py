"""Tests for desktop/core/size.py: the size premium of French's monthly SMB, and ^RUT / ^GSPC.

The factor figures are checked against ``math.prod`` and plain sums over the CSV text itself
(read with string operations, not with the parser or pandas); the ratio and the 12-month
excess against loops over the price files read with the csv module, and against small cases
worked by hand.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from desktop.core.size import size_premium, size_ratio
from desktop.data.sources.french import parse_french_csv

MONTHLY = "F-F_Research_Data_Factors.CSV"


def raw_smb(text: str) -> list[tuple[str, float]]:
    """(YYYYMM, SMB as a fraction) of each row of the first table, from the text alone."""
    lines = text.splitlines()
    rows = []
    for line in lines[lines.index(",Mkt-RF,SMB,HML,RF") + 1 :]:
        if not line.strip():
            break  # the annual table follows
        cells = [c.strip() for c in line.split(",")]
        rows.append((cells[0], float(cells[2]) / 100))
    return rows


def by_hand(values: list[float]) -> tuple[float, float]:
    """(geometric, arithmetic) a year: the product of (1 + SMB) ** (12 / n) - 1; the mean x 12."""
    n = len(values)
    return math.prod(1 + v for v in values) ** (12 / n) - 1, sum(values) / n * 12


def smb_of(text: str) -> pd.Series:
    frame, problem = parse_french_csv(text)
    assert frame is not None, problem
    return frame["smb"]


def monthly_series(values: list[float], first: str = "2000-01") -> pd.Series:
    index = pd.date_range(first, periods=len(values), freq="ME")
    return pd.Series(values, index=index, dtype=float)


def test_the_premium_of_the_fixture_file_is_its_months_compounded(fixtures):
    text = (fixtures / MONTHLY).read_text()
    rows = raw_smb(text)
    assert len(rows) == 80  # tests/fixtures/README.md: monthly 201801..202408
    premium = size_premium(smb_of(text))
    geometric, arithmetic = by_hand([v for _, v in rows])
    assert premium["first_month"] == "2018-01" and premium["last_month"] == "2024-08"
    assert premium["months"] == 80 and premium["problem"] == ""
    assert premium["annualized_geometric"] == pytest.approx(geometric, rel=1e-12)
    assert premium["annualized_arithmetic"] == pytest.approx(arithmetic, rel=1e-12)
    # Fewer than 120 months: no last ten years to speak of.
    assert premium["last_10y_from"] is None
    assert premium["last_10y_geometric"] is None and premium["last_10y_arithmetic"] is None


def test_the_last_ten_years_are_the_last_120_months():
    # Ten months of 0, then 120 of +1%: the last ten years compound to 1.01 ** 12 a year.
    premium = size_premium(monthly_series([0.0] * 10 + [0.01] * 120))
    assert premium["last_10y_from"] == "2000-11"
    assert premium["last_10y_geometric"] == pytest.approx(1.01**12 - 1, rel=1e-12)
    assert premium["last_10y_arithmetic"] == pytest.approx(0.12, rel=1e-12)
    assert premium["annualized_geometric"] == pytest.approx(1.01 ** (120 * 12 / 130) - 1)
    assert premium["annualized_arithmetic"] == pytest.approx(1.2 / 130 * 12)


def test_geometric_is_below_arithmetic_when_months_swing():
    # +10% then -10%: 0.99 over two months, (0.99 ** 6) - 1 a year; the mean month is 0.
    premium = size_premium(monthly_series([0.10, -0.10]))
    assert premium["annualized_geometric"] == pytest.approx(0.99**6 - 1)
    assert premium["annualized_arithmetic"] == pytest.approx(0.0, abs=1e-15)


def test_a_missing_value_is_refused_naming_the_month(fixtures):
    text = (fixtures / MONTHLY).read_text()
    # French's marker for a missing value, which the parser reads as NaN.
    marked = text.replace("201803,   -2.35,    4.06,", "201803,   -2.35,  -99.99,")
    assert marked != text
    premium = size_premium(smb_of(marked))
    assert "2018-03" in premium["problem"] and "1 month" in premium["problem"]
    assert premium["annualized_geometric"] is None and premium["annualized_arithmetic"] is None
    assert premium["first_month"] == "2018-01" and premium["months"] == 80


def test_a_month_missing_from_the_sequence_is_refused():
    smb = monthly_series([0.01, 0.02, 0.03, 0.04]).drop(pd.Timestamp("2000-02-29"))
    premium = size_premium(smb)
    assert "2000-01 is followed by 2000-03" in premium["problem"]
    assert premium["annualized_geometric"] is None


def test_no_months_say_so():
    premium = size_premium(pd.Series([], index=pd.DatetimeIndex([]), dtype=float))
    assert premium["problem"] and premium["months"] == 0 and premium["first_month"] is None


def test_the_full_file_since_1926(shared_data):
    """The whole monthly file (192607..202408, 1,178 months) and the "two points a year since
    1927" that is said of the size premium: it holds for the arithmetic mean, not for what SMB
    compounded to."""
    text = (shared_data / MONTHLY).read_text()
    rows = raw_smb(text)
    premium = size_premium(smb_of(text))
    assert premium["months"] == len(rows) == 1178  # ../shared/data/README.md
    assert (premium["first_month"], premium["last_month"]) == ("1926-07", "2024-08")
    geometric, arithmetic = by_hand([v for _, v in rows])
    assert premium["annualized_geometric"] == pytest.approx(geometric, rel=1e-12)
    assert premium["annualized_arithmetic"] == pytest.approx(arithmetic, rel=1e-12)
    recent = rows[-120:]
    assert recent[0][0] == "201409" and premium["last_10y_from"] == "2014-09"
    geometric_10y, arithmetic_10y = by_hand([v for _, v in recent])
    assert premium["last_10y_geometric"] == pytest.approx(geometric_10y, rel=1e-12)
    assert premium["last_10y_arithmetic"] == pytest.approx(arithmetic_10y, rel=1e-12)
    since_1927 = by_hand([v for month, v in rows if month >= "192701"])
    assert round(since_1927[1] * 100) == 2  # "two points a year": the arithmetic mean
    assert since_1927[0] < 0.0175  # compounded, nearer one and a half
    assert geometric_10y < 0 and arithmetic_10y < 0  # and the last ten years paid nothing


# -- the ratio ------------------------------------------------------------------------------------
def closes_of(path, date_column: str, close_column: str) -> dict[dt.date, float]:
    with open(path, newline="") as f:
        return {
            dt.date.fromisoformat(row[date_column]): float(row[close_column])
            for row in csv.DictReader(f)
            if row[close_column] not in ("", "null")
        }


def as_series(closes: dict[dt.date, float]) -> pd.Series:
    return pd.Series(list(closes.values()), index=pd.DatetimeIndex(list(closes)), dtype=float)


def expected_size(rut: dict, gspc: dict) -> list[tuple[dt.date, float, float]]:
    """(date, ratio, excess) on the common dates, by a loop and bisect."""
    common = sorted(set(rut) & set(gspc))
    out = []
    for day in common:
        back = day - dt.timedelta(days=365)
        at = bisect.bisect_right(common, back) - 1
        if at < 0:
            excess = math.nan
        else:
            then = common[at]
            excess = (rut[day] / rut[then] - 1) - (gspc[day] / gspc[then] - 1)
        out.append((day, rut[day] / gspc[day], excess))
    return out


def test_the_ratio_and_the_excess_by_hand():
    d = dt.date
    rut = {d(2023, 1, 3): 100, d(2023, 6, 1): 90, d(2023, 7, 4): 95, d(2024, 1, 2): 115}
    rut |= {d(2024, 1, 3): 120, d(2024, 6, 3): 130}
    gspc = {d(2023, 1, 3): 200, d(2023, 6, 1): 210, d(2024, 1, 2): 215, d(2024, 1, 3): 220}
    gspc |= {d(2024, 6, 3): 230, d(2024, 6, 4): 231}
    frame = size_ratio(as_series(rut), as_series(gspc))
    assert list(frame.columns) == ["ratio", "excess_12m"] and frame.index.name == "date"
    # Only the dates both closed: 2023-07-04 (^RUT alone) and 2024-06-04 (^GSPC alone) are out.
    assert [t.date() for t in frame.index] == [
        d(2023, 1, 3),
        d(2023, 6, 1),
        d(2024, 1, 2),
        d(2024, 1, 3),
        d(2024, 6, 3),
    ]
    ratios = [100 / 200, 90 / 210, 115 / 215, 120 / 220, 130 / 230]
    assert frame["ratio"].tolist() == pytest.approx(ratios)
    excess = frame["excess_12m"].tolist()
    # 2024-01-02 looks back to 2023-01-02, before the first common session: blank.
    assert all(math.isnan(v) for v in excess[:3])
    # 2024-01-03 from 2023-01-03: +20% less +10%.
    assert excess[3] == pytest.approx(0.1)
    # 2024-06-03 looks back to 2023-06-04, a Sunday: from 2023-06-01, the last common session
    # on or before it (not ^RUT's 2023-07-04, which ^GSPC does not have).
    assert excess[4] == pytest.approx((130 / 90 - 1) - (230 / 210 - 1))


def test_the_ratio_of_the_real_files(fixtures):
    rut = closes_of(fixtures / "RUT_daily_1987-2025.csv", "Date", "Close")
    gspc = closes_of(fixtures / "GSPC_daily_1987-2026.csv", "date", "close")
    frame = size_ratio(as_series(rut), as_series(gspc))
    expected = expected_size(rut, gspc)
    # Common: 1987-10-01..10-30 (^GSPC's excerpt starts there) and December 2024 (it skips
    # January 2025, which the ^RUT excerpt has).
    assert [t.date() for t in frame.index] == [day for day, _, _ in expected]
    assert len(frame) == 22 + 21  # counted with grep: the sessions of both months
    assert frame["ratio"].tolist() == pytest.approx([r for _, r, _ in expected], rel=1e-15)
    got, want = frame["excess_12m"].to_numpy(), np.array([e for _, _, e in expected])
    assert (np.isnan(got) == np.isnan(want)).all()
    assert got[~np.isnan(got)] == pytest.approx(want[~np.isnan(want)], rel=1e-12)
    # 1987: no year of common history before it. December 2024 looks back to December 2023,
    # which the excerpts do not have: from 1987-10-30, the last common session on or before.
    assert np.isnan(got[:22]).all() and not np.isnan(got[22:]).any()


def test_the_ratio_of_the_full_files_over_a_real_year(shared_data):
    rut = closes_of(shared_data / "RUT_daily_1987-2026.csv", "Date", "Close")
    gspc = closes_of(shared_data / "GSPC_daily_1927-2026.csv", "date", "close")
    frame = size_ratio(as_series(rut), as_series(gspc))
    expected = expected_size(rut, gspc)
    assert len(frame) == len(expected)
    got, want = frame["excess_12m"].to_numpy(), np.array([e for _, _, e in expected])
    assert (np.isnan(got) == np.isnan(want)).all()
    assert got[~np.isnan(got)] == pytest.approx(want[~np.isnan(want)], rel=1e-12)
    assert frame["ratio"].tolist() == pytest.approx([r for _, r, _ in expected], rel=1e-15)


def test_blank_and_bad_closes_are_not_sessions():
    days = pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-04"])
    rut = pd.Series([100.0, np.nan, 0.0], index=days)
    gspc = pd.Series([200.0, 201.0, 202.0], index=days)
    frame = size_ratio(rut, gspc)
    assert frame.index.tolist() == [pd.Timestamp("2024-01-02")]
    assert frame["ratio"].tolist() == [0.5]


def test_no_common_session_is_an_empty_frame():
    rut = pd.Series([1.0], index=pd.DatetimeIndex(["2024-01-02"]))
    gspc = pd.Series([2.0], index=pd.DatetimeIndex(["2024-01-03"]))
    frame = size_ratio(rut, gspc)
    assert frame.empty and list(frame.columns) == ["ratio", "excess_12m"]
