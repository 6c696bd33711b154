"""The quality card: what the small-cap quality lens asks of one holding, as figures to show.

Cheap (P/E), earnings power (EPS, operating margin, return on equity), no debt (debt, cash,
net cash, debt to equity), analysts rating it a buy (consensus, how many), and whether it can be
traded in size (liquidity). The window and the report both lay out ``quality_card``'s rows, so
they show the same figures. A figure is a number or ``None`` (unknown: shown "n/a", never 0),
with the date it was fetched.

**Liquidity** is the average daily dollar volume: the mean of close x volume over the sessions
dated in the ``LIQUIDITY_MONTHS`` calendar months up to the last cached close: after the same
day three months before it, up to it (2025-07-29 to 2025-10-28 for a last close on 2025-10-28; a
day the earlier month lacks is its month's last: after 2025-02-28 for 2025-05-31). The close is
the traded close (split-adjusted as Yahoo gives it, like its volume; never the dividend-adjusted
one), in the instrument's currency. A session without a volume (unknown, not cached, not a
number, negative) is left out of the mean, never counted as 0; a session with a volume of 0
counts (nothing traded). When every known volume in the window is 0 (Yahoo's bars of a fund's
NAV have ``Volume=0``: no exchange volume) or none is known, the liquidity is unknown. Its date
is that of the last close used.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

import numpy as np
import pandas as pd

from desktop.core.fundamentals import Fundamentals

#: The liquidity window, in calendar months up to the last cached close.
LIQUIDITY_MONTHS = 3


@dataclass(frozen=True, slots=True)
class Liquidity:
    """Average daily dollar volume (see the module docstring).

    - ``value``: in the instrument's currency per session, or ``None`` when unknown (``why``).
    - ``as_of``: the date of the last close used; ``start``, ``end``: the window's first and
      last days (``end`` the last cached close).
    - ``sessions``: the sessions averaged; ``missing_volumes``: those in the window left out for
      want of a volume.
    """

    value: float | None
    as_of: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    sessions: int = 0
    missing_volumes: int = 0
    why: str = ""


def _by_day(series: pd.Series) -> pd.Series:
    """Floats by exchange-local day (naive midnight), oldest first, one per day (the last)."""
    index = pd.DatetimeIndex(pd.to_datetime(series.index))
    if index.tz is not None:
        index = index.tz_localize(None)
    values = pd.to_numeric(pd.Series(series.to_numpy(), index=index.normalize()), errors="coerce")
    values = values.astype(float)
    values = values[~values.index.duplicated(keep="last")]
    return values.sort_index()


def liquidity(
    closes: pd.Series, volumes: pd.Series, *, months: int = LIQUIDITY_MONTHS
) -> Liquidity:
    """The average daily dollar volume of one instrument from its cached ``closes`` and
    ``volumes`` (shares), both indexed by date; dates without a volume may be absent or NaN."""
    close = _by_day(closes)
    close = close[np.isfinite(close) & (close > 0)]
    if close.empty:
        return Liquidity(None, why="no closes cached")
    end = close.index[-1]
    after = end - pd.DateOffset(months=months)
    window = close[close.index > after]
    start = window.index[0].date()
    volume = _by_day(volumes).reindex(window.index)
    known = np.isfinite(volume) & (volume >= 0)
    missing = int((~known).sum())
    span = {"start": start, "end": end.date(), "missing_volumes": missing}
    if not known.any():
        return Liquidity(None, **span, why=f"no volumes cached from {start} to {end.date()}")
    if not (volume[known] > 0).any():
        return Liquidity(None, **span, why=f"every volume from {start} to {end.date()} is 0")
    traded = window[known] * volume[known]
    return Liquidity(
        float(traded.mean()),
        as_of=traded.index[-1].date(),
        sessions=int(known.sum()),
        **span,
    )


class FigureKind(enum.StrEnum):
    """How a figure's number reads (for formatting)."""

    MONEY = "money"  #: an amount in ``currency``
    PER_SHARE = "per_share"  #: an amount in ``currency`` per share
    MULTIPLE = "multiple"  #: a ratio shown as a multiple (a P/E of 39.6)
    FRACTION = "fraction"  #: a fraction shown as a percentage (0.449 for 44.9%)
    SCORE = "score"  #: the analysts' 1 (strong buy) to 5 (sell) mean
    COUNT = "count"  #: a whole number


@dataclass(frozen=True, slots=True)
class QualityFigure:
    """One row of the card: ``key`` (stable, the report's), ``label``, ``value`` (a number or
    ``None``), its ``kind``, ``currency`` (for money), ``fetched`` (the date of the data it is
    from; ``None`` when unknown) and ``text`` (the cap class beside the market cap, Yahoo's
    recommendation key beside the consensus score)."""

    key: str
    label: str
    value: float | None
    kind: FigureKind
    fetched: dt.date | None
    currency: str = ""
    text: str | None = None


#: The card's rows in order: key, label, kind.
CARD: tuple[tuple[str, str, FigureKind], ...] = (
    ("market_cap", "Market cap", FigureKind.MONEY),
    ("trailing_pe", "P/E (trailing)", FigureKind.MULTIPLE),
    ("forward_pe", "P/E (forward)", FigureKind.MULTIPLE),
    ("trailing_eps", "EPS (trailing 12 months)", FigureKind.PER_SHARE),
    ("operating_margin", "Operating margin", FigureKind.FRACTION),
    ("total_debt", "Total debt", FigureKind.MONEY),
    ("total_cash", "Total cash", FigureKind.MONEY),
    ("net_cash", "Net cash", FigureKind.MONEY),
    ("debt_to_equity", "Debt to equity", FigureKind.FRACTION),
    ("return_on_equity", "Return on equity", FigureKind.FRACTION),
    ("consensus", "Analyst consensus", FigureKind.SCORE),
    ("analysts", "Analysts", FigureKind.COUNT),
    ("liquidity", f"Average daily dollar volume ({LIQUIDITY_MONTHS} months)", FigureKind.MONEY),
)


def quality_card(
    fundamentals: Fundamentals | None,
    liquidity: Liquidity | None = None,
    *,
    price_currency: str | None = None,
) -> list[QualityFigure]:
    """The card's rows (``CARD``) for one holding.

    Without a fundamentals snapshot (a fund, an index, an equity not fetched yet) every figure
    but the liquidity is ``None`` (that comes from the cached closes and volumes). The liquidity
    is in ``price_currency`` (what the closes are quoted in; default the snapshot's currency) and
    dated by its last close; every other figure by the snapshot's ``fetched``.
    """
    if fundamentals is None:  # no snapshot: the market's own figure, liquidity, alone
        rows = []
        for key, label, kind in CARD:
            value = liquidity.value if key == "liquidity" and liquidity is not None else None
            fetched = liquidity.as_of if value is not None else None
            currency = (price_currency or "") if value is not None else ""
            rows.append(QualityFigure(key, label, _finite(value, kind), kind, fetched, currency))
        return rows
    f = fundamentals
    values = {
        "market_cap": f.market_cap,
        "trailing_pe": f.trailing_pe,
        "forward_pe": f.forward_pe,
        "trailing_eps": f.trailing_eps,
        "operating_margin": f.operating_margin,
        "total_debt": f.total_debt,
        "total_cash": f.total_cash,
        "net_cash": f.net_cash,
        "debt_to_equity": f.debt_to_equity,
        "return_on_equity": f.return_on_equity,
        "consensus": f.consensus_mean,
        "analysts": f.analysts,
    }
    texts = {
        "market_cap": f.cap_class.value if f.cap_class is not None else None,
        "consensus": f.consensus,
    }
    rows = []
    for key, label, kind in CARD:
        if key == "liquidity":
            value = liquidity.value if liquidity is not None else None
            fetched = liquidity.as_of if liquidity is not None and value is not None else None
            currency = price_currency or f.currency
        else:
            value, fetched = values[key], f.fetched
            currency = f.currency if kind in (FigureKind.MONEY, FigureKind.PER_SHARE) else ""
        number = _finite(value, kind)
        rows.append(QualityFigure(key, label, number, kind, fetched, currency, texts.get(key)))
    return rows


def _finite(value: float | None, kind: FigureKind) -> float | None:
    if value is None:
        return None
    number = float(value)
    if not np.isfinite(number):
        return None
    return int(number) if kind is FigureKind.COUNT else number
