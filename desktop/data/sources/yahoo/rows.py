"""Turn what yfinance's ``Ticker.history`` returns into the rows and instrument a refresh stores.

Pure pandas, no yfinance: ``client.py`` fetches, this module reads. Columns are read by name
(their order is not guaranteed), each row is keyed by its exchange-local date, and only finished
sessions are kept: a bar for a session still trading is Yahoo's live quote, not a close.
Prices quoted in minor units (pence, cents, agorot) are converted to the major currency.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from desktop.core.model import Instrument, InstrumentKind

if TYPE_CHECKING:
    import pandas as pd

#: yfinance column -> price row field.
COLUMNS = {
    "Open": "open",
    "High": "high",
    "Low": "low",
    "Close": "close",
    "Adj Close": "adj_close",
    "Volume": "volume",
    "Dividends": "dividend",
    "Stock Splits": "split",
    "Capital Gains": "capital_gain",  # funds and ETFs only; other frames have no such column
}
PRICE_COLUMNS = ("open", "high", "low", "close", "adj_close")
#: Minor-unit currency codes Yahoo uses -> the ISO currency the app stores.
MINOR_UNITS = {"GBp": "GBP", "ZAc": "ZAR", "ILA": "ILS"}
KINDS = {
    "EQUITY": InstrumentKind.EQUITY,
    "ETF": InstrumentKind.ETF,
    "MUTUALFUND": InstrumentKind.MUTUAL_FUND,
    "INDEX": InstrumentKind.INDEX,
}
#: When the exchange's session times are unknown: a US-style 16:00 close.
FALLBACK_CLOSE = dt.time(16, 0)
#: Time after the close before the day's bar is taken as final (late prints, the closing auction).
SETTLE = dt.timedelta(minutes=30)
#: A single dividend above this fraction of the price is taken as quoted in minor units.
IMPLAUSIBLE_YIELD = 0.25


def unfinished_day(metadata: Mapping[str, Any], now: dt.datetime) -> dt.date:
    """The first exchange-local date whose bar is not yet final: today, or tomorrow once today's
    session (if any) has closed and settled. Rows on or after it are live quotes."""
    tz = ZoneInfo(metadata.get("exchangeTimezoneName") or "America/New_York")
    local_now = now.astimezone(tz)
    today = local_now.date()
    regular = (metadata.get("currentTradingPeriod") or {}).get("regular") or {}
    start, end = _as_datetime(regular.get("start"), tz), _as_datetime(regular.get("end"), tz)
    if start is not None and start.date() > today:
        return today + dt.timedelta(days=1)  # Yahoo has already moved on to the next session
    if end is not None and end.date() == today:
        closes_at = end
    else:
        closes_at = dt.datetime.combine(today, FALLBACK_CLOSE, tz)
    return today if local_now < closes_at + SETTLE else today + dt.timedelta(days=1)


def _as_datetime(value: Any, tz: ZoneInfo) -> dt.datetime | None:
    """A session bound as yfinance leaves it: a tz-aware Timestamp, or epoch seconds."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(value, tz)
    if isinstance(value, dt.datetime):
        return value.astimezone(tz)
    return None


def frame_to_rows(
    frame: pd.DataFrame,
    metadata: Mapping[str, Any],
    *,
    start: dt.date | None,
    end: dt.date,
    now: dt.datetime,
) -> list[dict[str, Any]]:
    """Daily rows from a ``history(auto_adjust=False, actions=True)`` frame, oldest first.

    The index may be tz-aware (the exchange's zone) or naive (already exchange-local dates);
    either way a row is keyed by the date it shows.

    Keeps dates in ``[start, end]`` before the unfinished day, drops rows without a close and
    keeps the last row of a repeated date. A field that is NaN is left out of its row (so an
    upsert keeps what is stored), and so is ``capital_gain`` for a frame without ``Capital
    Gains`` (anything but a fund or an ETF).
    """
    if frame.empty or "Close" not in frame.columns:
        return []
    data = frame[[c for c in COLUMNS if c in frame.columns]].rename(columns=COLUMNS)
    data.index = frame.index.date
    data = data[data["close"].notna()]
    data = data[~data.index.duplicated(keep="last")]
    last_day = min(end, unfinished_day(metadata, now) - dt.timedelta(days=1))
    keep = [(start is None or day >= start) and day <= last_day for day in data.index]
    data = data[keep]
    if data.empty:
        return []
    data = _in_major_units(data, metadata)
    rows = []
    for day, values in zip(data.index, data.to_dict("records"), strict=True):
        row: dict[str, Any] = {"date": day}
        for field, value in values.items():
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            row[field] = int(value) if field == "volume" else float(value)
        rows.append(row)
    return rows


def _in_major_units(data: pd.DataFrame, metadata: Mapping[str, Any]) -> pd.DataFrame:
    """Prices (and dividends that are plainly in the same unit) divided by 100 for GBp/ZAc/ILA.

    Yahoo occasionally sends a minor-unit ticker's history already in the major unit; like
    yfinance's repair, that shows as a quote price about 100 times the last close.
    """
    if metadata.get("currency") not in MINOR_UNITS:
        return data
    quote = metadata.get("regularMarketPrice")
    last_close = float(data["close"].iloc[-1])
    if quote and last_close and abs(float(quote) / last_close / 100 - 1) < 0.1:
        return data
    data = data.copy()
    for column in PRICE_COLUMNS:
        if column in data.columns:
            data[column] = data[column] / 100
    if "dividend" in data.columns:
        # yfinance's heuristic: Yahoo usually gives these dividends in the major unit already;
        # a per-share dividend worth a quarter of the price or more was in pence too. Capital
        # gains are distributions like dividends: taken to be in the same unit.
        paid = data["dividend"] > 0
        if paid.any():
            previous_close = data["close"].shift(1).fillna(data["close"])[paid]
            if float((data["dividend"][paid] / previous_close).mean()) > IMPLAUSIBLE_YIELD:
                for column in ("dividend", "capital_gain"):
                    if column in data.columns:
                        data[column] = data[column] / 100
    return data


def instrument_from(symbol: str, metadata: Mapping[str, Any]) -> Instrument:
    """What the chart's metadata says about ``symbol`` (verified: Yahoo returned prices)."""
    name = str(metadata.get("longName") or metadata.get("shortName") or "").strip()
    currency = str(metadata.get("currency") or "")
    return Instrument(
        symbol=symbol,
        name=name,
        kind=KINDS.get(str(metadata.get("instrumentType") or ""), InstrumentKind.UNKNOWN),
        currency=MINOR_UNITS.get(currency, currency),
        exchange=str(metadata.get("exchangeName") or ""),
        timezone=str(metadata.get("exchangeTimezoneName") or ""),
        verified=True,
    )
