"""The "quality small cap" lens: a fundamentals snapshot per equity, as fetched on a date.

Cheap, earnings power, little debt, ample cash: market cap and its class, trailing and forward
P/E, trailing EPS and operating margin, total debt and cash, debt to equity, return on equity,
and the analysts' consensus. Plain data; ``None`` where the source had nothing (funds and
indices have no such figures). ``quality.py`` lays them out as the quality card.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

# Conventional US size bands, in US dollars.
_MICRO, _SMALL, _MID = 300e6, 2e9, 10e9


class CapClass(enum.StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MID = "mid"
    LARGE = "large"


def cap_class(market_cap: float | None) -> CapClass | None:
    """Micro under $300M, small to $2B, mid to $10B, large above."""
    if market_cap is None or market_cap <= 0:
        return None
    if market_cap < _MICRO:
        return CapClass.MICRO
    if market_cap < _SMALL:
        return CapClass.SMALL
    if market_cap < _MID:
        return CapClass.MID
    return CapClass.LARGE


@dataclass(frozen=True, slots=True)
class Fundamentals:
    """One equity's snapshot.

    - ``fetched``: the day it was fetched (figures age: show it).
    - ``market_cap``, ``total_debt``, ``total_cash``: in ``currency``.
    - ``return_on_equity``: a fraction (0.33 for 33%).
    - ``consensus``: Yahoo's recommendation key (``strong_buy`` ... ``sell``);
      ``consensus_mean`` its 1 (strong buy) to 5 (sell) score; ``analysts`` how many.
    - ``trailing_pe``, ``forward_pe``: price over the last twelve months' and the analysts'
      next-year earnings per share, a multiple (39.6); ``None`` when earnings are a loss.
    - ``trailing_eps``: the last twelve months' earnings per share, in ``currency`` per share.
    - ``operating_margin``: operating income over revenue, a fraction (0.449 for 44.9%).
    - ``debt_to_equity``: total debt over shareholders' equity, a fraction (0.327 for 32.7%;
      Yahoo gives it in percent, 32.661); ``None`` when equity is negative.
    """

    symbol: str
    fetched: dt.date
    currency: str
    market_cap: float | None = None
    total_debt: float | None = None
    total_cash: float | None = None
    return_on_equity: float | None = None
    consensus: str | None = None
    consensus_mean: float | None = None
    analysts: int | None = None
    trailing_pe: float | None = None
    forward_pe: float | None = None
    trailing_eps: float | None = None
    operating_margin: float | None = None
    debt_to_equity: float | None = None

    @property
    def cap_class(self) -> CapClass | None:
        return cap_class(self.market_cap)

    @property
    def net_cash(self) -> float | None:
        """Cash less debt: positive means the company could repay all its debt today."""
        if self.total_cash is None or self.total_debt is None:
            return None
        return self.total_cash - self.total_debt
