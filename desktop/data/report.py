"""The portfolio report: holdings at the period's end, performance over it, and each benchmark.

Reads the store into a ``PortfolioSnapshot`` (the pure engine: booking, timeline, metrics) and
turns it into plain data for the command line (``report --json``). Never fetches: a benchmark
with no cached closes gets null figures and a note.

In the report, ``realized_gain``, ``dividends``, ``fees`` (fee entries), ``commissions`` (fees on
buys and sales, inside the cost basis and realized gain) and ``taxes`` are those of the period;
``market_value``, ``cost_basis`` and ``unrealized_gain`` are at its end. Money is in the base
currency, a holding's ``currency`` is its own, and its ``return_local`` is in that currency.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop.core.fundamentals import Fundamentals
from desktop.core.model import DEFAULT_BENCHMARKS, Trade, reads_adjusted
from desktop.data.store import Store

if TYPE_CHECKING:
    import pandas as pd

    from desktop.core.snapshot import MarketData, PortfolioSnapshot

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


def quality_data(store: Store, snapshot: PortfolioSnapshot) -> dict[str, Any]:
    """``quality`` (with ``--factors``): each holding's quality card, by symbol, as now (the
    snapshot last fetched, the liquidity to the last cached close), not at the period's end.

    Each figure: ``label``, ``value`` (null where unknown), ``kind`` (how the number reads),
    ``currency`` (of money), ``fetched`` (the date of its data) and ``text`` (the cap class,
    the consensus key); ``liquidity_window`` the sessions averaged (null without a snapshot);
    a holding's ``note`` says why figures are null."""
    from desktop.data.quality_data import holding_quality

    currencies = {f.holding.symbol: f.currency for f in snapshot.holdings}
    cards = holding_quality(store, currencies, currencies=currencies)
    out = {}
    for symbol, card in cards.items():
        liquid = card.liquidity
        out[symbol] = {
            "figures": {
                f.key: {
                    "label": f.label,
                    "value": f.value,
                    "kind": f.kind.value,
                    "currency": f.currency,
                    "fetched": f.fetched,
                    "text": f.text,
                }
                for f in card.figures
            },
            "liquidity_window": (
                {
                    "from": liquid.start,
                    "to": liquid.end,
                    "sessions": liquid.sessions,
                    "missing_volumes": liquid.missing_volumes,
                }
                if liquid is not None
                else None
            ),
            "note": card.note or None,
        }
    return out


def _monthly(table) -> dict[str, list[float | None]]:
    """{year: [January ... December]}, null for months without returns."""
    return {str(year): [_num(row.get(m)) for m in range(1, 13)] for year, row in table.iterrows()}


def _yearly(series) -> dict[str, float | None]:
    return {str(year): _num(value) for year, value in series.items()}


@dataclass(frozen=True)
class FactorFrames:
    """The factors the lens may use, best first (a frame, or why there is none, each): Ken
    French's daily file as last downloaded, then ETF proxies from cached closes; and when the
    French folder last changed, to know whether they are still current."""

    frames: list[tuple[pd.DataFrame | None, str]]
    french_stamp: float

    def current(self, updated: Sequence[str] | None) -> bool:
        """Still what the store and the French folder hold, after ``updated`` were written
        (``None``: anything may have been)."""
        from desktop.core.factors import PROXY_SYMBOLS

        if updated is None or set(updated) & set(PROXY_SYMBOLS):
            return False
        return _french_stamp() == self.french_stamp


def _french_stamp() -> float:
    from desktop.data.factor_data import french_cache

    folder = french_cache()
    files = list(folder.iterdir()) if folder.is_dir() else []
    return max((f.stat().st_mtime for f in files), default=0.0)


def factor_frames(store: Store) -> FactorFrames:
    """The factor frames (``FactorFrames``), read now."""
    from desktop.data.factor_data import cached_french, proxy_factors_from

    stamp = _french_stamp()
    return FactorFrames([cached_french(), proxy_factors_from(store)], stamp)


def _factor_lens(
    store: Store, valuation, period, frequency: str = "daily"
) -> tuple[dict | None, str]:
    """Exposures of the period's daily excess returns to market, size and value: Ken French's
    factors where the cached file covers the period, else ETF proxies."""
    from desktop.core.factors import factor_lens
    from desktop.core.performance import period_returns
    from desktop.core.returns import time_weighted_returns

    r = period_returns(time_weighted_returns(valuation), period)
    exposure, message = factor_lens(r, factor_frames(store).frames, frequency)
    return (_exposure_data(exposure), "") if exposure is not None else (None, message)


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
        "attribution": {k: _num(v) for k, v in x.attribution.items() if k != "total"},
        "attribution_total": _num(x.attribution["total"]),
        "in_words": x.in_words,
    }


_STORE_ORDER = operator.attrgetter("date", "id")


def load_snapshot(
    store: Store,
    *,
    period: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    benchmarks: Sequence[str] = DEFAULT_BENCHMARKS,
    today: dt.date | None = None,
    total_return: bool = False,
    market: MarketData | None = None,
    trades: Sequence[Trade] | None = None,
    previous: PortfolioSnapshot | None = None,
    updated: Sequence[str] | None = None,
) -> PortfolioSnapshot:
    """The portfolio snapshot of what ``store`` holds, for the period asked (default: Max).

    ``market``: market data already in memory, used when it covers the ledger (every traded
    symbol's closes, every foreign currency's rates); else the store's are read. ``trades``:
    the ledger as the store now holds it, when the caller keeps it in memory (else read).
    ``previous``: the snapshot shown; what it computed of the same market and of entries that
    did not change is reused (an edit books only the security it changed). ``updated``:
    symbols whose closes were written since ``market`` was read (read again, the rest kept)."""
    from desktop.core.snapshot import PortfolioSnapshot
    from desktop.data.market import base_currency, foreign_currencies, load_market, update_market

    # In the store's order; a C key, so that sorting 100,000 entries on a worker never holds
    # the interpreter from the window for long (a lambda key measured 7-56 ms of stall).
    trades = store.trades() if trades is None else sorted(trades, key=_STORE_ORDER)
    if market is not None:
        base = base_currency(store)
        symbols = {t.symbol for t in trades if t.symbol}
        instruments = store.instruments()
        currencies = {s: instruments[s].currency for s in symbols if s in instruments}
        covered = (
            market.base == base
            and symbols <= set(market.closes.columns)
            and set(foreign_currencies(store, trades, base)) <= set(market.fx.columns)
            and set(benchmarks) <= set(market.closes.columns)
            and all(market.currencies.get(s) == c for s, c in currencies.items())
            and (market.index_closes is not None) == total_return
        )
        if not covered:
            market = None
        elif updated:
            market = update_market(store, market, updated, trades)
    if market is None:
        market = load_market(store, trades, benchmarks, total_return=total_return)
    names = {s: i.name for s, i in store.instruments().items()}
    return PortfolioSnapshot.create(
        trades,
        market,
        period=period,
        start=start,
        end=end,
        method=store.cost_method(),
        benchmarks=benchmarks,
        names=names,
        today=today,
        previous=previous if previous is not None and previous.market is market else None,
    )


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
    """``report --json``: the snapshot of the period as plain data, and notes on what is
    missing. Never fetches."""
    snapshot = load_snapshot(
        store,
        period=period,
        start=start,
        end=end,
        benchmarks=benchmarks,
        today=today,
        total_return=total_return,
    )
    return report_of(store, snapshot, factors=factors, total_return=total_return)


def report_of(
    store: Store,
    snapshot: PortfolioSnapshot,
    *,
    factors: bool | str = False,
    total_return: bool = False,
) -> Report:
    """The report's data, read from ``snapshot`` (the factor lens reads the cached factors)."""
    from desktop.core.benchmarks import EXPLAIN as BENCHMARK_EXPLAIN
    from desktop.core.performance import EXPLAIN

    notes = list(snapshot.notes)
    w = snapshot.window
    snapshots = store.fundamentals()
    holding_rows = []
    for figures in snapshot.holdings:
        h = figures.holding
        holding_rows.append(
            {
                "symbol": h.symbol,
                "name": h.name,
                "currency": figures.currency,
                "quantity": _num(h.quantity),
                "cost_basis": _num(h.cost_basis),
                "average_cost": _num(h.average_cost),
                "last_close": _num(h.last_close),
                "close_date": h.close_date,
                "market_value": _num(h.market_value),
                "unrealized_gain": _num(h.unrealized_gain),
                "unrealized_return": _num(h.unrealized_return),
                "weight": _num(h.weight),
                "realized_gain": _num(figures.realized_gain),
                "dividends": _num(figures.dividends),
                "return": _num(figures.ttwror),
                "return_local": _num(figures.ttwror_local),
                "fundamentals": _fundamentals_data(snapshots.get(h.symbol)),
            }
        )
    totals, income = snapshot.totals, snapshot.income
    portfolio: dict[str, Any] = {
        "market_value": _num(snapshot.market_value),
        "cost_basis": _num(totals.cost_basis),
        "unrealized_gain": _num(totals.unrealized_gain),
        "unrealized_return": _num(totals.unrealized_return),
        "cash": _num(snapshot.cash),
        "unpriced": list(totals.unpriced),
        "realized_gain": _num(snapshot.realized_gain),
        "dividends": _num(income.dividends),
        "fees": _num(income.fees),
        "commissions": _num(income.commissions),
        "taxes": _num(income.taxes),
    }
    summary = snapshot.summary
    for key in PORTFOLIO_METRICS:
        portfolio[key] = _num(getattr(summary, key)) if summary else None
    r = snapshot.period_returns
    tables = {
        "monthly_returns": _monthly(snapshot.monthly_returns) if w and len(r) else {},
        "yearly_returns": _yearly(snapshot.yearly_returns) if w and len(r) else {},
    }
    comparisons: dict[str, dict[str, Any]] = {}
    for symbol, result in snapshot.comparisons.items():
        if snapshot.index_closes(symbol).empty:
            notes.append(f"no cached closes for benchmark {symbol}: its figures are null")
        comparisons[symbol] = {
            key: _num(getattr(result, "benchmark_return" if key == "return" else key))
            if result
            else None
            for key in BENCHMARK_METRICS
        }
    if factors:
        from desktop.data.factor_data import size_premium_data

        premium, premium_note = size_premium_data()  # the file's, not the period's
        if premium_note:
            notes.append(premium_note)
        frequency = factors if isinstance(factors, str) else "daily"
        data_factors, message = (
            _factor_lens(store, snapshot.valuation, snapshot.period, frequency) if w else (None, "")
        )
        if message:
            notes.append(message)
    period = snapshot.period
    data = {
        # The last close the figures use: the period's, else (no close in it) the newest.
        "as_of": snapshot.end_day if snapshot.window is not None else snapshot.as_of,
        "period": {
            "label": period.label,
            "from": period.start,
            "to": period.end,
            "base_date": snapshot.base_day if w else None,
            "end_date": snapshot.end_day if w else None,
        },
        "base_currency": snapshot.base_currency,
        "cost_method": snapshot.method.value,
        "tracks_cash": snapshot.tracks_cash,
        "holdings": holding_rows,
        "portfolio": portfolio,
        "contributions": {k: _num(v) for k, v in (snapshot.contributions or {}).items()},
        "benchmarks": comparisons,
        "benchmark_prices": (
            "adjusted close (total return)"
            if total_return
            else "close"
            + (
                "; adjusted close alone for SYM:TR"
                if any(map(reads_adjusted, snapshot.benchmarks))
                else ""
            )
        ),
        **tables,
        "explain": dict(EXPLAIN),
        "benchmark_explain": dict(BENCHMARK_EXPLAIN),
        **({"factors": data_factors} if factors else {}),
        # Ken French's monthly SMB over the whole file and its last ten years (null when no
        # monthly file is cached), with the file's vintage.
        **({"size_premium": premium} if factors else {}),
        **({"quality": quality_data(store, snapshot)} if factors else {}),
        # The factor attribution of the excess over the risk-free rate, also at the top
        # (null when no factors cover the period).
        **(
            {"attribution": data_factors.get("attribution") if data_factors else None}
            if factors
            else {}
        ),
        "simulated_prices": store.has_simulated_prices(),
    }
    return Report(data, notes)
