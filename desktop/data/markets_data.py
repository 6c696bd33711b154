"""The Markets screen's data, read from the store and the portfolio snapshot: small against
large (``size_data``), the size premium of Ken French's monthly file, the portfolio's rolling
beta to each index, its factor style in words, and the rates (``core.markets``). Never fetches;
each part that cannot be shown says why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop.core.markets import (
    BETA_DAYS,
    RateSensitivity,
    curve_slope,
    index_returns,
    rate_sensitivities,
    rolling_beta,
    style_in_words,
)
from desktop.core.model import DEFAULT_BENCHMARKS, RATE_SYMBOLS
from desktop.data.store import Store

if TYPE_CHECKING:
    import pandas as pd

    from desktop.core.factors import FactorExposure
    from desktop.core.snapshot import PortfolioSnapshot

#: Without a portfolio history, the indices' rate sensitivity is measured over this long.
RATES_YEARS = 5


@dataclass
class MarketsData:
    """What the Markets screen shows; a ``None`` part has its ``notes`` entry saying why."""

    size: pd.DataFrame | None = None
    premium: dict[str, Any] | None = None
    betas: pd.DataFrame | None = None
    style: str = ""
    slope: pd.Series | None = None
    rates: dict[str, RateSensitivity] = field(default_factory=dict)
    rates_days: tuple[dt.date, dt.date] | None = None
    notes: dict[str, str] = field(default_factory=dict)


def load_markets(
    store: Store, snapshot: PortfolioSnapshot | None, lens: FactorExposure | None = None
) -> MarketsData:
    """Every part of the screen; ``snapshot``: the portfolio over its whole history (its daily
    returns); ``lens``: its factor exposure (over its whole history), for the style in words."""
    import pandas as pd

    from desktop.data.factor_data import size_premium_data
    from desktop.data.size_data import size_frame

    data = MarketsData()
    data.size, data.notes["size"] = size_frame(store)
    data.premium, data.notes["premium"] = size_premium_data()
    closes = store.closes([*DEFAULT_BENCHMARKS, *RATE_SYMBOLS])
    returns = snapshot.daily_returns if snapshot is not None else pd.Series(dtype=float)
    returns = returns.dropna()
    if len(returns) > BETA_DAYS:
        days = pd.DatetimeIndex(returns.index)
        data.betas = pd.DataFrame(
            {s: rolling_beta(returns, index_returns(closes[s], days)) for s in DEFAULT_BENCHMARKS}
        )
        if data.betas.isna().all().all():
            data.betas, data.notes["betas"] = None, "the indices have no closes on its days"
    else:
        data.notes["betas"] = (
            f"a rolling one-year beta needs more than {BETA_DAYS} days of the portfolio's "
            f"returns (it has {len(returns)})"
        )
    if lens is not None:
        data.style = "Your portfolio " + style_in_words(
            lens.smb.value, lens.hml.value, lens.mkt_rf.value
        )
        data.style += f" ({lens.source}, {lens.start:%Y-%m-%d} to {lens.end:%Y-%m-%d})"
    else:
        data.notes["style"] = (
            "no factor exposure: no factor file covers the portfolio's history (a refresh "
            "fetches Ken French's, or `portfolio-desk import factors FILE`)"
        )
    tnx, irx = (closes[s].dropna() for s in RATE_SYMBOLS)
    if tnx.empty:
        data.notes["rates"] = (
            "no cached closes for ^TNX (the 10-year yield): a refresh fetches it with the "
            "benchmarks, or `portfolio-desk import prices FILE --symbol ^TNX` reads a CSV"
        )
        return data
    if not irx.empty:
        data.slope = curve_slope(tnx, irx)
    else:
        data.notes["slope"] = "no cached closes for ^IRX (the 13-week yield): no slope"
    if len(returns):
        days = pd.DatetimeIndex(returns.index)
    else:  # the indices alone, over the last few years of ^RUT's sessions
        rut = closes[DEFAULT_BENCHMARKS[0]].dropna()
        days = (
            pd.DatetimeIndex(
                rut.index[rut.index >= rut.index[-1] - pd.DateOffset(years=RATES_YEARS)]
            )
            if len(rut)
            else pd.DatetimeIndex([])
        )
    series = {"portfolio": returns} if len(returns) else {}
    series.update({s: index_returns(closes[s], days) for s in DEFAULT_BENCHMARKS})
    data.rates = rate_sensitivities(series, tnx)
    if len(days):
        data.rates_days = (days[0].date(), days[-1].date())
    return data
