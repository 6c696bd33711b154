"""Reporting periods and the closes they are measured between.

A ``Period`` is what the user asked for, in calendar days: a first day (``start``; ``None`` for
"Max", everything) and a last day (``end``), both inclusive. A named period counts back from its
end: "1M" ending on 14 June starts on 15 May, so its base is the close of 14 May (or the last
close before it); "YTD" starts on 1 January, so its base is the last close of the previous year.
Counting back clamps to the end of a shorter month (31 March - 1M = 29 February, then the period
starts on 1 March); a month end is not snapped to the earlier month's end (30 April - 1M = 30
March).

A ``Window`` is where a period meets a series of closes: the ``base`` close every return is
measured from (the last close before ``start``; the first close for "Max" or when the series
begins after ``start``) and the ``end`` close (the last one on or before ``end``). Returns cover
the days after the base through the end; a window whose base is its end holds no days.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is loaded by the functions that take its types (not at start)
    import pandas as pd

#: Named periods, shortest first.
PERIODS: tuple[str, ...] = ("1M", "3M", "6M", "YTD", "1Y", "3Y", "5Y", "10Y", "Max")
_MONTHS = {"1M": 1, "3M": 3, "6M": 6, "1Y": 12, "3Y": 36, "5Y": 60, "10Y": 120}
_CANONICAL = {name.upper(): name for name in PERIODS}


@dataclass(frozen=True)
class Period:
    """Calendar days to report on.

    ``start``: the first day, inclusive; ``None`` means since the series begins ("Max").
    ``end``: the last day, inclusive.
    ``label``: what the user chose, for display ("1Y", "2024-01-01 to 2024-06-30").
    """

    start: dt.date | None
    end: dt.date
    label: str

    def __post_init__(self) -> None:
        if self.start is not None and self.start > self.end:
            raise ValueError(f"the period starts on {self.start} after it ends on {self.end}")


@dataclass(frozen=True)
class Window:
    """The closes a period is measured between, on one series' dates.

    ``base``: the close returns are measured from (not itself part of the period's returns).
    ``end``: the last close in the period; equal to ``base`` when the period holds no close.
    """

    base: pd.Timestamp
    end: pd.Timestamp

    @property
    def days(self) -> int:
        """Calendar days from the base close to the end close."""
        return (self.end - self.base).days

    @property
    def empty(self) -> bool:
        return self.base == self.end


def months_back(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier, clamped to the last day of a shorter month."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def period_start(name: str, end: dt.date) -> dt.date | None:
    """The first day of the named period ending on ``end``; ``None`` for "Max"."""
    key = _CANONICAL.get(name.upper())
    if key is None:
        raise ValueError(f"unknown range {name!r}; expected one of {', '.join(PERIODS)}")
    if key == "Max":
        return None
    if key == "YTD":
        return dt.date(end.year, 1, 1)
    return months_back(end, _MONTHS[key]) + dt.timedelta(days=1)


def resolve_period(
    name: str | None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    as_of: dt.date,
) -> Period:
    """The period called ``name`` (see ``PERIODS``, any case), or from ``start`` to ``end``.

    ``end`` defaults to ``as_of``; a named period counts back from it. Without a name, ``start``
    ``None`` means since the series begins. Naming a period and giving a start is a bug, as is an
    unknown name or a start after the end (callers check what users type).
    """
    last = as_of if end is None else end
    if name is not None:
        if start is not None:
            raise ValueError("give a named period or a start date, not both")
        return Period(period_start(name, last), last, _CANONICAL[name.upper()])
    first = "start" if start is None else start.isoformat()
    return Period(start, last, f"{first} to {last.isoformat()}")


def base_date(index: pd.DatetimeIndex, start: dt.date | pd.Timestamp | None) -> pd.Timestamp | None:
    """The close a period starting on ``start`` is measured from; ``None`` for an empty index.

    The last date of ``index`` (sorted) before ``start``; the first date when ``start`` is
    ``None`` (Max) or no date precedes it (the series begins inside the period).
    """
    if len(index) == 0:
        return None
    if start is None:
        return index[0]
    import pandas as pd

    i = int(index.searchsorted(pd.Timestamp(start), side="left"))
    return index[max(i - 1, 0)]


def end_date(index: pd.DatetimeIndex, end: dt.date | pd.Timestamp) -> pd.Timestamp | None:
    """The last date of ``index`` (sorted) on or before ``end``; ``None`` when there is none."""
    import pandas as pd

    i = int(index.searchsorted(pd.Timestamp(end), side="right"))
    return index[i - 1] if i else None


def window(index: pd.DatetimeIndex, period: Period) -> Window | None:
    """Where ``period`` meets the dates of ``index``; ``None`` when no date is on or before its
    end (the series begins after the period, or is empty)."""
    last = end_date(index, period.end)
    if last is None:
        return None
    base = base_date(index, period.start)
    return Window(base, last)
