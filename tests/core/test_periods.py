"""Periods: names and from/to resolved to calendar days, and the closes measured between."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from desktop.core.periods import (
    PERIODS,
    Period,
    Window,
    base_date,
    end_date,
    months_back,
    period_start,
    resolve_period,
    window,
)
from desktop.core.returns import RANGES, range_start

D = dt.date
HOLIDAYS = ["2023-12-25", "2024-01-01", "2024-01-15", "2024-02-19", "2024-03-29"]


def trading_days(first: str, last: str, unit: str = "s") -> pd.DatetimeIndex:
    days = pd.bdate_range(first, last)
    return days[~days.isin(pd.to_datetime(HOLIDAYS))].as_unit(unit)


DAYS = trading_days("2023-12-20", "2024-04-05")


def ts(day) -> pd.Timestamp:
    return pd.Timestamp(day)


# -- named periods -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "end", "start"),
    [
        ("1M", D(2024, 6, 14), D(2024, 5, 15)),
        ("3M", D(2024, 6, 14), D(2024, 3, 15)),
        ("6M", D(2024, 6, 14), D(2023, 12, 15)),
        ("YTD", D(2024, 6, 14), D(2024, 1, 1)),
        ("1Y", D(2024, 6, 14), D(2023, 6, 15)),
        ("3Y", D(2024, 6, 14), D(2021, 6, 15)),
        ("5Y", D(2024, 6, 14), D(2019, 6, 15)),
        ("10Y", D(2024, 6, 14), D(2014, 6, 15)),
        ("Max", D(2024, 6, 14), None),
        # Counting back clamps to the last day of a shorter month; the period starts a day later.
        ("1M", D(2024, 3, 31), D(2024, 3, 1)),  # 31 Mar - 1M = 29 Feb 2024 (leap year)
        ("1M", D(2023, 3, 31), D(2023, 3, 1)),  # 31 Mar - 1M = 28 Feb 2023
        ("1M", D(2024, 3, 30), D(2024, 3, 1)),
        ("1M", D(2024, 3, 28), D(2024, 2, 29)),
        ("3M", D(2024, 5, 31), D(2024, 3, 1)),  # 29 Feb
        ("6M", D(2023, 8, 31), D(2023, 3, 1)),  # 28 Feb 2023
        ("1M", D(2024, 4, 30), D(2024, 3, 31)),  # 30 Mar: a month end is not snapped to 31 Mar
        ("1M", D(2024, 1, 15), D(2023, 12, 16)),  # across a year end
        ("10Y", D(2024, 2, 29), D(2014, 3, 1)),  # 28 Feb 2014
        ("1Y", D(2025, 2, 28), D(2024, 2, 29)),  # 28 Feb 2024
        ("YTD", D(2024, 1, 1), D(2024, 1, 1)),
    ],
)
def test_period_start(name, end, start):
    assert period_start(name, end) == start
    assert resolve_period(name, as_of=end) == Period(start, end, name)


def test_months_back_clamps_to_month_end():
    assert months_back(D(2024, 5, 31), 1) == D(2024, 4, 30)
    assert months_back(D(2024, 3, 31), 1) == D(2024, 2, 29)
    assert months_back(D(2100, 3, 31), 1) == D(2100, 2, 28)  # not a leap year
    assert months_back(D(2024, 1, 31), 13) == D(2022, 12, 31)
    assert months_back(D(2024, 6, 14), 0) == D(2024, 6, 14)


def test_every_chart_range_is_a_period_and_range_start_delegates():
    assert set(RANGES) <= set(PERIODS)
    for name in PERIODS:
        assert range_start(name, D(2024, 2, 29)) == period_start(name, D(2024, 2, 29))
    assert range_start("1M", D(2024, 3, 31)) == D(2024, 3, 1)


def test_names_are_case_insensitive_and_counted_back_from_end():
    ytd = resolve_period("ytd", as_of=D(2024, 6, 14))
    assert ytd == Period(D(2024, 1, 1), D(2024, 6, 14), "YTD")
    assert resolve_period("max", as_of=D(2024, 6, 14)).label == "Max"
    last_year = resolve_period("1Y", end=D(2023, 12, 31), as_of=D(2024, 6, 14))
    assert last_year == Period(D(2023, 1, 1), D(2023, 12, 31), "1Y")


def test_custom_from_to():
    p = resolve_period(None, start=D(2024, 1, 1), end=D(2024, 3, 31), as_of=D(2024, 6, 14))
    assert p == Period(D(2024, 1, 1), D(2024, 3, 31), "2024-01-01 to 2024-03-31")
    since = resolve_period(None, as_of=D(2024, 6, 14))  # no from: since the series begins
    assert since == Period(None, D(2024, 6, 14), "start to 2024-06-14")
    one_day = resolve_period(None, start=D(2024, 1, 5), end=D(2024, 1, 5), as_of=D(2024, 6, 14))
    assert one_day.start == one_day.end


def test_bugs_raise():
    with pytest.raises(ValueError, match="unknown range"):
        resolve_period("2W", as_of=D(2024, 1, 1))
    with pytest.raises(ValueError, match="not both"):
        resolve_period("1Y", start=D(2024, 1, 1), as_of=D(2024, 6, 1))
    with pytest.raises(ValueError, match="after it ends"):
        resolve_period(None, start=D(2024, 2, 1), end=D(2024, 1, 1), as_of=D(2024, 6, 1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        resolve_period("1Y", as_of=D(2024, 1, 1)).start = None


# -- base and end closes -----------------------------------------------------------------------
def test_ytd_base_is_the_last_close_of_the_previous_year():
    # 29 Dec 2023 is a Friday; 1 Jan 2024 a holiday, so 2 Jan is the first close of the year.
    assert base_date(DAYS, D(2024, 1, 1)) == ts("2023-12-29")
    assert base_date(DAYS, D(2024, 1, 2)) == ts("2023-12-29")


def test_base_skips_weekends_and_holidays():
    assert base_date(DAYS, D(2024, 1, 8)) == ts("2024-01-05")  # Monday: Friday's close
    assert base_date(DAYS, D(2024, 1, 6)) == ts("2024-01-05")  # Saturday
    assert base_date(DAYS, D(2024, 1, 16)) == ts("2024-01-12")  # after a Monday holiday
    assert base_date(DAYS, D(2024, 1, 10)) == ts("2024-01-09")
    assert end_date(DAYS, D(2024, 1, 7)) == ts("2024-01-05")  # Sunday
    assert end_date(DAYS, D(2024, 1, 5)) == ts("2024-01-05")


def test_one_month_from_march_31():
    p = resolve_period("1M", as_of=D(2024, 3, 31))  # a Sunday; Good Friday 29 Mar is closed
    assert window(DAYS, p) == Window(ts("2024-02-29"), ts("2024-03-28"))
    assert window(DAYS, p).days == 28
    days_2023 = trading_days("2023-02-01", "2023-04-10")
    p = resolve_period("1M", as_of=D(2023, 3, 31))  # a Friday
    assert window(days_2023, p) == Window(ts("2023-02-28"), ts("2023-03-31"))


def test_base_before_the_data_is_the_first_date():
    assert base_date(DAYS, D(2020, 1, 1)) == DAYS[0]
    assert base_date(DAYS, None) == DAYS[0]
    assert base_date(DAYS, DAYS[0]) == DAYS[0]  # nothing before the first close either
    five_years = resolve_period("5Y", as_of=D(2024, 3, 1))
    assert window(DAYS, five_years) == window(DAYS, resolve_period("Max", as_of=D(2024, 3, 1)))
    assert window(DAYS, five_years).base == ts("2023-12-20")


def test_empty_series_and_periods_outside_the_data():
    empty = DAYS[:0]
    assert base_date(empty, D(2024, 1, 1)) is None
    assert base_date(empty, None) is None
    assert end_date(empty, D(2024, 1, 1)) is None
    assert window(empty, resolve_period("Max", as_of=D(2024, 1, 1))) is None
    before = resolve_period(None, start=D(2023, 1, 1), end=D(2023, 6, 30), as_of=D(2024, 1, 1))
    assert window(DAYS, before) is None  # ends before the first close
    after = resolve_period(None, start=D(2025, 1, 1), end=D(2025, 6, 30), as_of=D(2025, 7, 1))
    late = window(DAYS, after)  # starts after the last close: nothing after the base
    assert late == Window(DAYS[-1], DAYS[-1])
    assert late.empty


def test_weekend_period_is_empty():
    weekend = resolve_period(None, start=D(2024, 1, 6), end=D(2024, 1, 7), as_of=D(2024, 2, 1))
    w = window(DAYS, weekend)
    assert w == Window(ts("2024-01-05"), ts("2024-01-05"))
    assert w.empty
    assert w.days == 0
    friday = resolve_period(None, start=D(2024, 1, 5), end=D(2024, 1, 7), as_of=D(2024, 2, 1))
    assert window(DAYS, friday) == Window(ts("2024-01-04"), ts("2024-01-05"))
    assert not window(DAYS, friday).empty


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_any_datetime_unit(unit):
    days = DAYS.as_unit(unit)
    p = resolve_period("YTD", as_of=D(2024, 1, 10))
    assert window(days, p) == Window(ts("2023-12-29"), ts("2024-01-10"))
    assert window(days, p).days == 12
