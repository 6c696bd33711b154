"""The portfolio report: holdings at the period's end, performance over it, and each benchmark.

Reads the store, runs the pure engine (booking, timeline, metrics) and returns plain data for
the command line (``report --json``) and the window. Never fetches: a benchmark with no cached
closes gets null figures and a note.

In the report, ``realized_gain``, ``dividends``, ``fees`` (fee entries), ``commissions`` (fees on
buys and sales, inside the cost basis and realized gain) and ``taxes`` are those of the period;
``market_value``, ``cost_basis`` and ``unrealized_gain`` are at its end. Holdings are valued in
their own currency; the portfolio's performance is in the base currency.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from desktop.core.fundamentals import Fundamentals
from desktop.core.model import DEFAULT_BENCHMARKS, SECURITY_TRADES, Trade, TradeType
from desktop.data.store import Store

PORTFOLIO_METRICS = (
    "ttwror",
    "ttwror_annualized",
    "irr",
    "absolute_gain",
    "simple_return",
    "max_drawdown",
    "volatility",
)
BENCHMARK_METRICS = (
    "return",
    "excess_return",
    "benchmark_equivalent_value",
    "ks_pme",
    "beta",
    "alpha",
    "correlation",
    "tracking_error",
    "information_ratio",
    "up_capture",
    "down_capture",
)


@dataclass
class Report:
    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def _num(value: Any) -> float | None:
    """A JSON number, or None for what is unknown (None, NaN, infinity)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _fundamentals_data(f: Fundamentals | None) -> dict[str, Any] | None:
    """A holding's latest fundamentals snapshot (in its own currency), or None if never fetched."""
    if f is None:
        return None
    return {
        "market_cap": _num(f.market_cap),
        "cap_class": f.cap_class.value if f.cap_class is not None else None,
        "total_debt": _num(f.total_debt),
        "total_cash": _num(f.total_cash),
        "net_cash": _num(f.net_cash),
        "return_on_equity": _num(f.return_on_equity),
        "consensus": f.consensus,
        "consensus_mean": _num(f.consensus_mean),
        "analysts": f.analysts,
        "currency": f.currency,
        "fetched": f.fetched,
    }


def _in_period(trades: Sequence[Trade], base: dt.date | None, end: dt.date) -> list[Trade]:
    return [t for t in trades if (base is None or t.date > base) and t.date <= end]


def _income(trades: Sequence[Trade]) -> dict[str, Decimal]:
    """Dividends, fees, commissions and taxes of some entries. ``fees`` are the fee entries, as
    in the booking (``Book.fees``); ``commissions`` the fees paid on buys and sales, which are
    already in the cost basis and the realized gain."""
    zero = Decimal(0)
    return {
        "dividends": sum((t.amount for t in trades if t.type is TradeType.DIVIDEND), zero),
        "fees": sum((t.amount for t in trades if t.type is TradeType.FEE), zero),
        "commissions": sum((t.fee for t in trades if t.type in SECURITY_TRADES), zero),
        "taxes": sum((t.amount for t in trades if t.type is TradeType.TAX), zero),
    }


def _monthly(table) -> dict[str, list[float | None]]:
    """{year: [January ... December]}, null for months without returns."""
    return {str(year): [_num(row.get(m)) for m in range(1, 13)] for year, row in table.iterrows()}


def _yearly(series) -> dict[str, float | None]:
    return {str(year): _num(value) for year, value in series.items()}


def _factor_lens(
    store: Store, valuation, period, frequency: str = "daily"
) -> tuple[dict | None, str]:
    """Exposures of the period's daily excess returns to market, size and value: Ken French's
    factors where the cached file covers the period, else ETF proxies."""
    from desktop.core.factors import factor_regression, portfolio_excess
    from desktop.core.performance import period_returns
    from desktop.core.returns import time_weighted_returns
    from desktop.data.factor_data import cached_french, proxy_factors_from

    r = period_returns(time_weighted_returns(valuation), period)
    messages = []
    for load in (cached_french, lambda: proxy_factors_from(store)):
        frame, message = load()
        if frame is None:
            messages.append(message)
            continue
        if frequency == "monthly":
            exposure, message = _monthly_lens(r, frame)
        else:
            exposure, message = factor_regression(portfolio_excess(r, frame["rf"]), frame)
        if exposure is None:
            messages.append(f"{frame.attrs.get('source', 'factors')}: {message}")
            continue
        return _exposure_data(exposure), ""
    return None, "factor lens unavailable: " + "; ".join(m for m in messages if m)


def _monthly_lens(r, frame):
    """Monthly exposures: daily returns and factors compounded into calendar months, the
    month's risk-free rate taken from the portfolio's month."""
    from desktop.core.factors import compound_monthly, factor_regression, portfolio_excess

    both = frame.reindex(r.index).dropna()
    months = compound_monthly(r.loc[both.index])
    factor_months = compound_monthly(both)
    excess = portfolio_excess(months, factor_months["rf"])
    return factor_regression(
        excess, factor_months, frequency="monthly", source=frame.attrs.get("source")
    )


def _exposure_data(x) -> dict:
    def estimate(e) -> dict:
        return {"value": _num(e.value), "t": _num(e.t)}

    return {
        "source": x.source,
        "frequency": x.frequency,
        "observations": x.n,
        "from": x.start,
        "to": x.end,
        "alpha_annualized": _num(x.alpha_annual),
        "alpha": estimate(x.alpha),
        "market": estimate(x.mkt_rf),
        "size_smb": estimate(x.smb),
        "value_hml": estimate(x.hml),
        "r2": _num(x.r2),
        "adj_r2": _num(x.adj_r2),
    }


def build_report(
    store: Store,
    *,
    period: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    benchmarks: Sequence[str] = DEFAULT_BENCHMARKS,
    today: dt.date | None = None,
    factors: bool | str = False,
    total_return: bool = False,
) -> Report:
    import pandas as pd

    from desktop.core.benchmarks import compare
    from desktop.core.fx import convert_trades
    from desktop.core.holdings import book
    from desktop.core.performance import (
        EXPLAIN,
        monthly_returns,
        period_returns,
        summarize,
        ttwror,
        yearly_returns,
    )
    from desktop.core.periods import resolve_period, window
    from desktop.core.returns import time_weighted_returns
    from desktop.core.timeline import build_timeline, splits_after
    from desktop.core.valuation import value_holdings
    from desktop.data.market import load_market

    notes: list[str] = []
    trades = store.trades()
    method = store.cost_method()
    market = load_market(store, trades, benchmarks)
    symbols = sorted({t.symbol for t in trades if t.symbol})
    held_closes = market.closes[symbols].dropna(how="all")
    timeline = build_timeline(
        trades, held_closes, currencies=market.currencies, fx=market.fx, base=market.base
    )
    valuation = timeline.valuation
    as_of = valuation.index[-1].date() if len(valuation) else (today or dt.date.today())
    if period is None and start is None:
        period = "Max"
    chosen = resolve_period(period, start=start, end=end, as_of=as_of)
    w = window(pd.DatetimeIndex(valuation.index), chosen) if len(valuation) else None
    end_day = w.end.date() if w else chosen.end
    base_day = w.base.date() if w else chosen.start

    def rate_of(code: str, day: dt.date) -> float | None:
        if code not in market.fx:
            return None
        known = market.fx[code].loc[: pd.Timestamp(day)].dropna()
        return float(known.iloc[-1]) if len(known) else None

    # Booked in the base currency, each entry at its own day's rate.
    in_base, fx_problems = convert_trades(trades, market.currencies, market.base, rate_of)
    notes += [p.message for p in fx_problems]
    at_end, _ = book([t for t in in_base if t.date <= end_day], method)
    at_base, _ = book([t for t in in_base if base_day and t.date <= base_day], method)
    closes_at_end = {}
    for sym in symbols:
        series = market.closes[sym].loc[: pd.Timestamp(end_day)].dropna()
        if len(series):
            code = market.currencies.get(sym, market.base)
            rate = 1.0 if code == market.base else rate_of(code, end_day)
            # The cached closes are in today's shares; the booking at the end is in the shares
            # held then: the price as quoted then is the close times the splits since.
            since = float(splits_after(trades, sym, end_day))
            if rate is not None:
                close_then = float(series.iloc[-1]) * rate * since
                closes_at_end[sym] = (series.index[-1].date(), close_then)
    names = {s: i.name for s, i in store.instruments().items()}
    holdings, totals = value_holdings(at_end.positions, closes_at_end, names)
    period_trades = _in_period(in_base, base_day if w else None, end_day)

    snapshots = store.fundamentals()
    holding_rows = []
    for h in holdings:
        own = [t for t in in_base if t.symbol == h.symbol]
        income = _income(_in_period(own, base_day if w else None, end_day))
        realized = at_end.positions[h.symbol].realized_gain - (
            at_base.positions[h.symbol].realized_gain if h.symbol in at_base.positions else 0
        )
        # The holding's own return, from its entries as entered (in its currency) and its closes:
        # converted on each day at that day's rate for the base currency, and as it is in its
        # own currency. Mixing converted entries with unconverted closes measures neither.
        entered = [
            t
            for t in trades
            if t.symbol == h.symbol and t.type is not TradeType.FEE and t.type is not TradeType.TAX
        ]
        own_closes = held_closes[[h.symbol]].dropna(how="all")
        code = market.currencies.get(h.symbol, market.base)
        in_base_line = build_timeline(
            entered, own_closes, currencies=market.currencies, fx=market.fx, base=market.base
        ).valuation
        holding_return = ttwror(in_base_line, chosen) if len(in_base_line) else None
        local_line = build_timeline(entered, own_closes).valuation
        local_return = ttwror(local_line, chosen) if len(local_line) else None
        holding_rows.append(
            {
                "symbol": h.symbol,
                "name": h.name,
                "currency": code,
                "quantity": _num(h.quantity),
                "cost_basis": _num(h.cost_basis),
                "average_cost": _num(h.average_cost),
                "last_close": _num(h.last_close),
                "close_date": h.close_date,
                "market_value": _num(h.market_value),
                "unrealized_gain": _num(h.unrealized_gain),
                "unrealized_return": _num(h.unrealized_return),
                "weight": _num(h.weight),
                "realized_gain": _num(realized),
                "dividends": _num(income["dividends"]),
                "return": _num(holding_return),
                "return_local": _num(local_return),
                "fundamentals": _fundamentals_data(snapshots.get(h.symbol)),
            }
        )

    income = _income(period_trades)
    cash = at_end.cash if timeline.tracks_cash else None
    market_value = totals.market_value
    if market_value is not None and cash is not None:
        market_value += float(cash)
    portfolio: dict[str, Any] = {
        "market_value": _num(market_value),
        "cost_basis": _num(totals.cost_basis),
        "unrealized_gain": _num(totals.unrealized_gain),
        "unrealized_return": _num(totals.unrealized_return),
        "cash": _num(cash),
        "unpriced": list(totals.unpriced),
        "realized_gain": _num(at_end.realized_gain - at_base.realized_gain),
        "dividends": _num(income["dividends"]),
        "fees": _num(income["fees"]),
        "commissions": _num(income["commissions"]),
        "taxes": _num(income["taxes"]),
    }
    summary = summarize(valuation, timeline.flows, chosen) if w else None
    for key in PORTFOLIO_METRICS:
        portfolio[key] = _num(getattr(summary, key)) if summary else None

    r = period_returns(time_weighted_returns(valuation), chosen) if w else None
    tables = {
        "monthly_returns": _monthly(monthly_returns(r)) if r is not None and len(r) else {},
        "yearly_returns": _yearly(yearly_returns(r)) if r is not None and len(r) else {},
    }
    index_closes = store.closes(benchmarks, adjusted=True) if total_return else market.closes
    comparisons: dict[str, dict[str, Any]] = {}
    for symbol in benchmarks:
        if symbol in index_closes:
            closes = index_closes[symbol].dropna()
        else:
            closes = pd.Series([], dtype=float)
        if closes.empty:
            notes.append(f"no cached closes for benchmark {symbol}: its figures are null")
        result = compare(valuation, timeline.flows, closes, chosen) if w and len(closes) else None
        comparisons[symbol] = {
            key: _num(getattr(result, "benchmark_return" if key == "return" else key))
            if result
            else None
            for key in BENCHMARK_METRICS
        }
    if w is None:
        notes.append("no valued days in the period: performance figures are null")
    if factors:
        frequency = factors if isinstance(factors, str) else "daily"
        data_factors, message = (
            _factor_lens(store, valuation, chosen, frequency) if w else (None, "")
        )
        if message:
            notes.append(message)
    data = {
        "as_of": end_day,
        "period": {
            "label": chosen.label,
            "from": chosen.start,
            "to": chosen.end,
            "base_date": base_day if w else None,
            "end_date": end_day if w else None,
        },
        "base_currency": market.base,
        "cost_method": method.value,
        "tracks_cash": timeline.tracks_cash,
        "holdings": holding_rows,
        "portfolio": portfolio,
        "benchmarks": comparisons,
        "benchmark_prices": "adjusted close (total return)" if total_return else "close",
        **tables,
        "explain": dict(EXPLAIN),
        **({"factors": data_factors} if factors else {}),
        "simulated_prices": store.has_simulated_prices(),
    }
    return Report(data, notes)
