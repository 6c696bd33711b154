"""One instrument over a period, as its own screen shows it: the closes and volumes of its
sessions, its price return since the period's base close, the benchmarks' over the same days,
and the user's own buys and sales on it.

- **Days.** The instrument's sessions from the period's base close (the last close before the
  period starts; its first close when it begins inside the period, or for Max) to its last
  close on or before the period's end (``periods.window``).
- **Return.** close / base close - 1: the price return (Yahoo's closes are split-adjusted, not
  dividend-adjusted), 0 on the base day.
- **Benchmarks, rebased.** Each benchmark on the instrument's days: its last close on or
  before each day, over its last close on or before the base day, less 1. A benchmark with no
  close on or before the base day is left blank (never drawn from a later first day, which
  would start it at 0 where the instrument is not), and said.
- **Trades.** Each buy and sale in the period at its date, with the quantity and price as
  entered, and ``y``, the price in today's shares (divided by the splits the ledger records
  after it), where it sits against the split-adjusted closes.
- **No price since.** An instrument whose last close is more than
  ``price_changes.SILENT_AFTER`` before the newest close of the market (taken over, delisted,
  suspended: SUM since February 2025) shows its whole history, and says since when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from desktop.core.model import Trade, TradeType
from desktop.core.periods import Period, window
from desktop.core.price_changes import is_silent


@dataclass(frozen=True)
class TradeMark:
    """A buy or sale on the chart: ``quantity`` and ``price`` as entered, ``y`` the price in
    today's shares (the closes' scale)."""

    date: dt.date
    side: TradeType
    quantity: Decimal
    price: Decimal
    y: float

    @property
    def text(self) -> str:
        return f"{self.side.value.capitalize()} {self.quantity:f} at {self.price:f} on {self.date}"


@dataclass(frozen=True)
class InstrumentChart:
    """What an instrument's screen draws over one period (see the module docstring).

    ``frame``: indexed by date, ``close``, ``volume`` (NaN where unknown) and ``return``, then
    one column per benchmark (its rebased return, NaN where it has none). ``last``: the last
    close in the period and its date; ``no_price_since``: the instrument's last close when it
    stopped trading, else ``None``; ``notes``: what the chart leaves out, in words.
    """

    symbol: str
    period: Period
    frame: pd.DataFrame
    marks: tuple[TradeMark, ...] = ()
    last: tuple[dt.date, float] | None = None
    no_price_since: dt.date | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def benchmarks(self) -> list[str]:
        return [c for c in self.frame.columns if c not in ("close", "volume", "return")]

    @property
    def empty(self) -> bool:
        return self.frame.empty


def instrument_chart(
    symbol: str,
    closes: pd.Series,
    period: Period,
    *,
    volumes: pd.Series | None = None,
    benchmarks: Mapping[str, pd.Series] | None = None,
    trades: Sequence[Trade] = (),
    newest: dt.date | None = None,
) -> InstrumentChart:
    """The chart of ``symbol`` over ``period`` from its ``closes`` (and ``volumes``), with
    ``benchmarks`` rebased to its base close and its ``trades`` marked; ``newest``: the
    market's newest close (default: the benchmarks' newest), against which a silence shows."""
    benchmarks = dict(benchmarks or {})
    series = _clean(closes)
    notes: list[str] = []
    last_ever = series.index[-1].date() if len(series) else None
    market_newest = newest or max(
        (s.index[-1].date() for s in map(_clean, benchmarks.values()) if len(s)), default=None
    )
    silent = last_ever if is_silent(last_ever, market_newest) else None
    w = window(series.index, period) if len(series) else None
    columns = ["close", "volume", "return", *benchmarks]
    if w is None:
        if len(series):
            notes.append(
                f"{symbol}'s closes begin {series.index[0]:%Y-%m-%d}, after the period ends"
            )
        else:
            notes.append(f"no closes are cached for {symbol}")
        frame = pd.DataFrame(columns=columns, index=pd.DatetimeIndex([], name="date"), dtype=float)
        return InstrumentChart(symbol, period, frame, no_price_since=silent, notes=tuple(notes))
    days = series.loc[w.base : w.end]
    frame = pd.DataFrame(index=pd.DatetimeIndex(days.index, name="date"))
    frame["close"] = days.to_numpy(dtype=float)
    frame["volume"] = (
        _clean(volumes).reindex(days.index).to_numpy(dtype=float) if volumes is not None else np.nan
    )
    frame["return"] = frame["close"] / frame["close"].iloc[0] - 1.0
    for name, other in benchmarks.items():
        frame[name] = _rebased(_clean(other), days.index)
        if frame[name].isna().all():
            has = _clean(other)
            notes.append(
                f"{name} has no close on or before {w.base:%Y-%m-%d} "
                + (f"(its closes begin {has.index[0]:%Y-%m-%d})" if len(has) else "(none cached)")
                + ": it is left out"
            )
    marks = tuple(_marks(symbol, trades, w.base, w.end))
    return InstrumentChart(
        symbol,
        period,
        frame,
        marks=marks,
        last=(w.end.date(), float(days.iloc[-1])),
        no_price_since=silent,
        notes=tuple(notes),
    )


def _clean(series: pd.Series | None) -> pd.Series:
    """Sorted by date, without NaN, on a ``DatetimeIndex``."""
    if series is None:
        return pd.Series(dtype=float)
    s = series.dropna()
    s.index = pd.DatetimeIndex(s.index)
    return s.sort_index() if not s.index.is_monotonic_increasing else s


def _rebased(other: pd.Series, days: pd.DatetimeIndex) -> np.ndarray:
    """``other``'s last close on or before each of ``days``, over its value on the first."""
    if other.empty:
        return np.full(len(days), np.nan)
    at = other.index.searchsorted(days, side="right") - 1
    values = np.where(at >= 0, other.to_numpy(dtype=float)[np.maximum(at, 0)], np.nan)
    if np.isnan(values[0]):
        return np.full(len(days), np.nan)
    return values / values[0] - 1.0


def _marks(
    symbol: str, trades: Sequence[Trade], base: pd.Timestamp, end: pd.Timestamp
) -> list[TradeMark]:
    """The buys and sales of ``symbol`` after the base close through the end (on the base
    day too: its close is where the line starts), in today's shares."""
    own = [t for t in trades if t.symbol == symbol]
    splits = [t for t in own if t.type is TradeType.SPLIT]
    out = []
    for t in own:
        if t.type not in (TradeType.BUY, TradeType.SELL) or not (
            base.date() <= t.date <= end.date()
        ):
            continue
        price = t.price
        for s in splits:
            if s.date > t.date:  # the shares of then are more (or fewer) shares now
                price = price * (s.price or Decimal(1)) / s.quantity
        out.append(TradeMark(t.date, t.type, t.quantity, t.price, float(price)))
    return out


@dataclass(frozen=True)
class PositionFigures:
    """The user's own position in one security: held now (``quantity``, ``cost_basis``,
    ``market_value``, ``unrealized_gain``: ``None`` where unpriced or not held) and what it did
    over the period (``ttwror``, ``irr``, ``dividends``, ``realized_gain``), in the base
    currency; ``period``: the period's label."""

    symbol: str
    period: str
    quantity: float
    cost_basis: float
    market_value: float | None
    unrealized_gain: float | None
    ttwror: float | None
    irr: float | None
    dividends: float
    realized_gain: float

    @property
    def held(self) -> bool:
        return self.quantity > 0


def position_figures(snapshot, symbol: str) -> PositionFigures | None:  # noqa: ANN001
    """``symbol``'s position from a ``PortfolioSnapshot`` (its entries alone, over the
    snapshot's period); ``None`` when the ledger has no entry of it."""
    if not any(t.symbol == symbol for t in snapshot.trades):
        return None
    own = snapshot.position(symbol)
    holdings, _ = own.latest
    now = next((h for h in holdings if h.symbol == symbol), None)
    summary = own.summary
    return PositionFigures(
        symbol=symbol,
        period=snapshot.period.label,
        quantity=now.quantity if now else 0.0,
        cost_basis=now.cost_basis if now else 0.0,
        market_value=now.market_value if now else None,
        unrealized_gain=now.unrealized_gain if now else None,
        ttwror=summary.ttwror if summary else None,
        irr=summary.irr if summary else None,
        dividends=float(own.income.dividends),
        realized_gain=own.realized_gain,
    )
