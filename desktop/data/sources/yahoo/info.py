"""Reading what yfinance says about an instrument: ``Ticker.info`` into a fundamentals snapshot,
and ``Search(...).quotes`` into instruments. Pure parsing of yfinance's plain outputs (this
module does not import yfinance; ``client.py`` makes the calls)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

from desktop.core.fundamentals import Fundamentals
from desktop.core.model import Instrument, InstrumentKind

_KINDS = {
    "EQUITY": InstrumentKind.EQUITY,
    "ETF": InstrumentKind.ETF,
    "MUTUALFUND": InstrumentKind.MUTUAL_FUND,
    "INDEX": InstrumentKind.INDEX,
}


def _number(value: Any) -> float | None:
    """yfinance's ``info`` holds raw numbers, sometimes a ``{"raw": ...}`` dict; missing keys
    are absent, not None."""
    if isinstance(value, Mapping):
        value = value.get("raw")
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def fundamentals_from_info(symbol: str, info: Mapping[str, Any], fetched: dt.date) -> Fundamentals:
    analysts = _number(info.get("numberOfAnalystOpinions"))
    key = info.get("recommendationKey")
    return Fundamentals(
        symbol=symbol,
        fetched=fetched,
        currency=str(info.get("financialCurrency") or info.get("currency") or ""),
        market_cap=_number(info.get("marketCap")),
        total_debt=_number(info.get("totalDebt")),
        total_cash=_number(info.get("totalCash")),
        return_on_equity=_number(info.get("returnOnEquity")),
        consensus=key if isinstance(key, str) and key and key != "none" else None,
        consensus_mean=_number(info.get("recommendationMean")),
        analysts=int(analysts) if analysts is not None else None,
    )


def instruments_from_search(quotes: Sequence[Mapping[str, Any]]) -> list[Instrument]:
    """Search hits as instruments (verified: Yahoo named them), in Yahoo's order; hits
    without a symbol, and kinds the app does not track (futures, currencies), are left out."""
    found = []
    for quote in quotes:
        symbol = str(quote.get("symbol") or "").upper()
        kind = _KINDS.get(str(quote.get("quoteType") or "").upper())
        if not symbol or kind is None:
            continue
        found.append(
            Instrument(
                symbol=symbol,
                name=str(quote.get("longname") or quote.get("shortname") or ""),
                kind=kind,
                currency=str(quote.get("currency") or ""),
                exchange=str(quote.get("exchDisp") or quote.get("exchange") or ""),
                verified=True,
            )
        )
    return found
