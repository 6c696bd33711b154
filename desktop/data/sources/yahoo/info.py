"""Reading what yfinance says about an instrument: ``Ticker.info`` into a fundamentals snapshot,
and ``Search(...).quotes`` into instruments. Pure parsing of yfinance's plain outputs (this
module does not import yfinance; ``client.py`` makes the calls)."""

from __future__ import annotations

import datetime as dt
import math
import numbers
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
    are absent, not None. Anything else is unknown: text (Yahoo's formatted ``"32.66%"``, or
    ``"Infinity"`` where it divided by zero), a bool, NaN or an infinity."""
    if isinstance(value, Mapping):
        value = value.get("raw")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _positive(value: Any) -> float | None:
    """A figure that is meaningless at zero or below (a market cap, a P/E of a loss)."""
    number = _number(value)
    return number if number is not None and number > 0 else None


def _not_negative(value: Any) -> float | None:
    """A figure that cannot be below zero (debt, cash, a count of analysts)."""
    number = _number(value)
    return number if number is not None and number >= 0 else None


def _first(info: Mapping[str, Any], *keys: str) -> Any:
    """The first of ``keys`` that ``info`` has a number for (the same figure from two modules)."""
    for key in keys:
        if _number(info.get(key)) is not None:
            return info[key]
    return None


def fundamentals_from_info(symbol: str, info: Mapping[str, Any], fetched: dt.date) -> Fundamentals:
    """The snapshot in ``info`` (see ``Fundamentals`` for units); bad values are ``None``.

    Keys, as yfinance 1.7 flattens quoteSummary (``formatted=false``) and the v7 quote:
    ``marketCap``; ``trailingPE`` and ``forwardPE`` (summaryDetail, v7 wins) and
    ``trailingEps`` (defaultKeyStatistics) or else ``epsTrailingTwelveMonths`` (v7); and from
    financialData ``operatingMargins``, ``totalDebt``, ``totalCash``, ``returnOnEquity``
    (fractions already), ``debtToEquity`` (in percent: 32.661 is 0.32661) and the analysts'
    ``recommendationKey``, ``recommendationMean`` (1 to 5) and ``numberOfAnalystOpinions``.
    """
    analysts = _not_negative(info.get("numberOfAnalystOpinions"))
    key = info.get("recommendationKey")
    mean = _number(info.get("recommendationMean"))
    debt_to_equity = _not_negative(info.get("debtToEquity"))
    return Fundamentals(
        symbol=symbol,
        fetched=fetched,
        currency=str(info.get("financialCurrency") or info.get("currency") or ""),
        market_cap=_positive(info.get("marketCap")),
        total_debt=_not_negative(info.get("totalDebt")),
        total_cash=_not_negative(info.get("totalCash")),
        return_on_equity=_number(info.get("returnOnEquity")),
        consensus=key if isinstance(key, str) and key and key != "none" else None,
        consensus_mean=mean if mean is not None and 1 <= mean <= 5 else None,
        analysts=int(analysts) if analysts is not None and analysts.is_integer() else None,
        trailing_pe=_positive(info.get("trailingPE")),
        forward_pe=_positive(info.get("forwardPE")),
        trailing_eps=_number(_first(info, "trailingEps", "epsTrailingTwelveMonths")),
        operating_margin=_number(info.get("operatingMargins")),
        debt_to_equity=debt_to_equity / 100 if debt_to_equity is not None else None,
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
