"""What the returns chart shows, computed on a worker thread and rebased on the main thread.

``load_performance`` reads the ledger and closes through its own ``Store`` (a connection belongs to
its thread) and turns them into daily returns for the portfolio and each benchmark; changing the
range only rebases those returns, which is cheap enough for the main thread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop.core.model import BENCHMARK_NAMES, DEFAULT_BENCHMARKS

if TYPE_CHECKING:
    import pandas as pd

PORTFOLIO = "Portfolio"


def benchmark_label(symbol: str) -> str:
    name = BENCHMARK_NAMES.get(symbol)
    return f"{name} ({symbol})" if name else symbol


@dataclass
class Performance:
    """Daily returns keyed by line label, and the last date any of them has."""

    returns: dict[str, pd.Series] = field(default_factory=dict)
    as_of: dt.date | None = None
    has_trades: bool = False

    def lines(self, range_name: str) -> dict[str, pd.Series]:
        """Cumulative returns over the range, each rebased to 0 at the range's base close."""
        from desktop.core.returns import cumulative, range_start

        if self.as_of is None:
            return {}
        start = range_start(range_name, self.as_of)
        begin = None if start is None else _timestamp(start)
        portfolio = self.returns.get(PORTFOLIO)
        if portfolio is not None and len(portfolio) > 1:
            # Compare over the same days: a range reaching back before the first trade starts at
            # the first trade, and every line is rebased on the close before it.
            inception = portfolio.index[1]
            begin = inception if begin is None else max(begin, inception)
        end = _timestamp(self.as_of)
        out = {}
        for label, series in self.returns.items():
            line = cumulative(series.loc[:end], begin)
            if len(line):
                out[label] = line
        return out


def _timestamp(day: dt.date):
    import pandas as pd

    return pd.Timestamp(day)


def load_performance(db_path: str, benchmarks: tuple[str, ...] = DEFAULT_BENCHMARKS) -> Performance:
    """Worker-thread entry: read the store and compute daily returns (imports pandas)."""
    from desktop.core.returns import price_returns, time_weighted_returns
    from desktop.core.timeline import build_timeline
    from desktop.data.market import load_market
    from desktop.data.store import Store

    with Store(db_path) as store:
        trades = store.trades()
        market = load_market(store, trades, benchmarks)
    closes = market.closes
    symbols = sorted({t.symbol for t in trades if t.symbol})
    perf = Performance(has_trades=bool(trades))
    if closes.empty:
        return perf
    if trades:
        # Only days on which something held has a close: a benchmark's extra days must not
        # stretch the portfolio with carried-forward prices.
        held = closes[symbols].dropna(how="all")
        timeline = build_timeline(
            trades, held, currencies=market.currencies, fx=market.fx, base=market.base
        )
        if len(timeline.valuation):
            perf.returns[PORTFOLIO] = time_weighted_returns(timeline.valuation)
    for symbol in benchmarks:
        series = closes[symbol].dropna()
        if len(series) > 1:
            perf.returns[benchmark_label(symbol)] = price_returns(series)
    portfolio = perf.returns.get(PORTFOLIO)
    # The chart ends where the portfolio's prices end: benchmarks are compared over the same days.
    last = portfolio.index[-1] if portfolio is not None else closes.dropna(how="all").index[-1]
    perf.as_of = last.date()
    return perf
