"""A symbol's price change over the watchlist's periods (1D, 1M, YTD, 1Y), in plain Python
(the window shows them at start, before pandas is loaded).

- **1D**: the last close over the close before it.
- **1M, YTD, 1Y**: the last close over the period's base close: the last close before the
  period's first day (``periods.period_start``, counted back from today, as every range of the
  app). Unknown (``None``) when the symbol has no close before that day (too short a history,
  never a return from a later first close), or when its last close is before the period began
  (no price in the period: not a change of 0).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

#: A symbol whose newest close is this much older than the market's newest has stopped
#: trading, as far as the cache knows: taken over, delisted or suspended (two weeks of holidays
#: never happen on a US exchange). The holdings, the watchlist and the instrument window say
#: "no price since DATE" from it.
SILENT_AFTER = dt.timedelta(days=10)

#: The watchlist's periods, shortest first.
WATCH_PERIODS: tuple[str, ...] = ("1D", "1M", "YTD", "1Y")

Close = tuple[dt.date, float]


def base_days(today: dt.date) -> dict[str, dt.date]:
    """The first day of each period but 1D, ending ``today``: its base close is the last one
    before it. (``periods`` imported here: the holdings table uses ``is_silent`` at the first
    paint, which goes without it.)"""
    from desktop.core.periods import period_start

    return {name: period_start(name, today) for name in WATCH_PERIODS if name != "1D"}


def price_changes(
    last: Close | None,
    previous: Close | None,
    bases: Mapping[str, Close | None],
    starts: Mapping[str, dt.date],
) -> dict[str, float | None]:
    """Each period's change, a fraction: ``last`` and ``previous`` the two newest closes,
    ``bases`` each period's base close (the last before ``starts[name]``), or ``None``."""
    out: dict[str, float | None] = {"1D": _change(last, previous)}
    for name, start in starts.items():
        base = bases.get(name)
        out[name] = _change(last, base) if last is not None and last[0] >= start else None
    return out


def _change(last: Close | None, base: Close | None) -> float | None:
    if last is None or base is None or not base[1]:
        return None
    return last[1] / base[1] - 1.0


def is_silent(close_date: dt.date | None, reference: dt.date | None) -> bool:
    """Whether a symbol has had no close for more than ``SILENT_AFTER`` before ``reference``
    (the market's newest close)."""
    if close_date is None or reference is None:
        return False
    return reference - close_date > SILENT_AFTER
