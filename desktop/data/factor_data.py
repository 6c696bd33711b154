"""Factors for the factor lens, from what is on disk: Ken French's daily file as last cached,
or, when it is missing or does not cover the period, proxies from cached ETF closes (size: IWM
minus SPY, value: IWN minus IWO), labelled as proxies. Never fetches; ``refresh_french`` does,
from the refresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.data.paths import cache_dir
from desktop.data.store import Store

if TYPE_CHECKING:
    import pandas as pd


def _offline(url: str, timeout: float) -> bytes:
    raise OSError("the report never fetches")


def french_cache():
    return cache_dir() / "french"


def cached_french() -> tuple[pd.DataFrame | None, str]:
    """The French daily factors as last downloaded (however old), or why there are none."""
    from desktop.data.sources.french import FrenchFactors

    return FrenchFactors(french_cache(), opener=_offline).daily()


def refresh_french() -> str:
    """Download the French daily file if the cached one is more than a day old; a message."""
    from desktop.data.sources.french import FrenchFactors

    frame, message = FrenchFactors(french_cache()).daily()
    return message if frame is None else ""


def proxy_factors_from(store: Store) -> tuple[pd.DataFrame | None, str]:
    from desktop.core.factors import PROXY_SYMBOLS, proxy_factors

    closes = store.closes(PROXY_SYMBOLS)
    missing = [s for s in PROXY_SYMBOLS if s not in closes or closes[s].dropna().empty]
    if missing:
        return None, f"no cached closes for {', '.join(missing)} (needed for proxy factors)"
    return proxy_factors(closes), ""
