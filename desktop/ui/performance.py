"""What the returns chart and the summary strip show, read from the portfolio snapshot.

``load_performance`` runs on a worker thread: it reads the ledger and the closes through its own
``Store`` (a connection belongs to its thread) into a ``PortfolioSnapshot``, and values the
holdings the window's table shows from it, so the main thread only shows them. Choosing a range
asks the snapshot for that period (``for_period``): the timeline and the daily returns are
shared, so only the period's lines and figures are computed, on the main thread. The chart's
last point and the strip's TTWROR are the snapshot's, so they are the report's too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop.core.model import BENCHMARK_NAMES, DEFAULT_BENCHMARKS

if TYPE_CHECKING:
    import pandas as pd

    from desktop.core.factors import FactorExposure
    from desktop.core.model import Trade
    from desktop.core.snapshot import PortfolioSnapshot
    from desktop.data.report import FactorFrames

PORTFOLIO = "Portfolio"


def custom_range(name: str) -> tuple[dt.date, dt.date] | None:
    """The days of a custom range's name, "2024-01-02..2024-06-28"; ``None`` for a named one."""
    first, sep, last = name.partition("..")
    if not sep:
        return None
    return dt.date.fromisoformat(first), dt.date.fromisoformat(last)


def custom_name(start: dt.date, end: dt.date) -> str:
    return f"{start.isoformat()}..{end.isoformat()}"


def range_caption(name: str) -> str:
    """A range as the screen names it: "1Y", or a custom one's days ("3 Mar 2025 – 30 Sep
    2025")."""
    days = custom_range(name)
    if days is None:
        return name
    return " – ".join(f"{d.day} {d:%b %Y}" for d in days)


def benchmark_label(symbol: str) -> str:
    name = BENCHMARK_NAMES.get(symbol)
    return f"{name} ({symbol})" if name else symbol


@dataclass
class Performance:
    """The snapshot the chart reads, the last date it draws to, and whether there are trades.

    ``as_of`` is the last valued day of the portfolio (the benchmarks are compared over the
    same days), or without trades the newest benchmark close.
    """

    snapshot: PortfolioSnapshot | None = None
    as_of: dt.date | None = None
    #: The day the ranges count back from (YTD: its calendar year); prices may end before it.
    today: dt.date = field(default_factory=dt.date.today)
    has_trades: bool = False
    #: ``Store.ledger_changes()`` when the entries were read (``None``: they were given).
    ledger_changes: int | None = None
    #: Whether the entries differ from those the Trades tab showed (``None``: not asked).
    ledger_differs: bool | None = None
    #: The factor frames the lens may use (``report.factor_frames``), read on the worker.
    factor_frames: FactorFrames | None = None
    _periods: dict[str, PortfolioSnapshot] = field(default_factory=dict, repr=False)
    _lenses: dict[str, tuple] = field(default_factory=dict, repr=False)
    _frames: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    _lines: dict[str, dict[str, pd.Series]] = field(default_factory=dict, repr=False)
    _prepared: set[str] = field(default_factory=set, repr=False)

    def for_range(self, range_name: str) -> PortfolioSnapshot | None:
        """The snapshot over the range ending at ``as_of`` (kept for the next redraw)."""
        if self.snapshot is None or self.as_of is None:
            return None
        if range_name not in self._periods:
            from desktop.core.periods import resolve_period

            custom = custom_range(range_name)
            if custom is not None:  # from a day to a day, both inclusive
                period = resolve_period(None, start=custom[0], end=custom[1], as_of=self.today)
            else:
                period = resolve_period(range_name, as_of=self.today)
            self._periods[range_name] = self.snapshot.for_period(period)
        return self._periods[range_name]

    def lines(self, range_name: str) -> dict[str, pd.Series]:
        """Cumulative returns over the range by label, each 0 at the range's base close (the
        close before the first trade when the range reaches back further)."""
        if range_name in self._lines:
            return self._lines[range_name]
        snapshot = self.for_range(range_name)
        if snapshot is None:
            return {}
        out = {}
        if len(snapshot.line) > 1:
            out[PORTFOLIO] = snapshot.line
        for symbol in snapshot.benchmarks:
            line = snapshot.benchmark_line(symbol)
            if len(line) > 1:
                out[benchmark_label(symbol)] = line
        self._lines[range_name] = out  # whole: another thread never reads it half-filled
        return out

    def _frames_of(self, kind: str, range_name: str, make) -> Any:
        """``make(snapshot, benchmarks)`` for the range, kept; ``None`` without a valued day."""
        key = (kind, range_name)
        if key not in self._frames:
            snapshot = self.for_range(range_name)
            valued = snapshot is not None and snapshot.window is not None
            if not valued or len(snapshot.line) < 2:
                self._frames[key] = None
            else:
                self._frames[key] = make(snapshot, list(snapshot.benchmarks))
        return self._frames[key]

    def comparison_frames(self, range_name: str) -> tuple[pd.DataFrame, pd.DataFrame] | None:
        """The range's relative strength and drawdown frames (``core.chart_data``), or
        ``None`` without a valued day."""
        from desktop.core import chart_data

        return self._frames_of(
            "comparison",
            range_name,
            lambda s, b: (chart_data.relative_strength(s, b), chart_data.drawdown(s, b)),
        )

    def more_frames(self, range_name: str) -> dict[str, Any] | None:
        """The range's rolling one- and three-year returns with the rolling excess (``rolling``:
        years -> (returns, excess)), the value against the same money in each benchmark, and
        the monthly heatmap (``core.chart_data``)."""
        from desktop.core import chart_data

        def make(s, b) -> dict[str, Any]:
            rolling = {}
            for years in (1, 3):
                frame = chart_data.rolling(s, b, days=365 * years)
                rolling[years] = (frame, chart_data.rolling_excess(frame, b))
            return {
                "rolling": rolling,
                "value": chart_data.value(s, b),
                "heatmap": chart_data.heatmap(s, b),
            }

        return self._frames_of("more", range_name, make)

    def factor_lens(self, range_name: str) -> tuple[FactorExposure | None, str]:
        """The range's factor exposure and attribution, or why there is none."""
        if range_name not in self._lenses:
            from desktop.core.factors import factor_lens

            snapshot = self.for_range(range_name)
            if snapshot is None or snapshot.window is None:
                self._lenses[range_name] = (None, "no valued days in the range")
            else:
                frames = self.factor_frames.frames if self.factor_frames else []
                self._lenses[range_name] = factor_lens(snapshot.period_returns, frames)
        return self._lenses[range_name]

    def prepare(self, range_name: str) -> Performance:
        """Compute everything the screen shows for the range (worker thread), so that the
        window only draws it: the lines, the strip's figures, the why, the tabs' frames."""
        self.lines(range_name)
        self.ttwror(range_name)
        shown = self.for_range(range_name)
        if shown is not None:
            _ = shown.contributions, shown.comparisons
        self.factor_lens(range_name)
        self.comparison_frames(range_name)
        self.more_frames(range_name)
        self._prepared.add(range_name)
        return self

    def prepared(self, range_name: str) -> bool:
        """Whether ``prepare`` has computed the range (drawing it computes nothing more)."""
        return range_name in self._prepared or self.snapshot is None or self.as_of is None

    def ttwror(self, range_name: str) -> float | None:
        """The portfolio's TTWROR over the range: the last point of its line."""
        snapshot = self.for_range(range_name)
        return snapshot.ttwror if snapshot is not None and len(snapshot.line) > 1 else None


def load_performance(
    db_path: str,
    benchmarks: tuple[str, ...] = DEFAULT_BENCHMARKS,
    *,
    trades: list[Trade] | None = None,
    ranges: tuple[str, ...] = (),
    previous: PortfolioSnapshot | None = None,
    updated: list[str] | None = None,
    shown: list[Trade] | None = None,
    factors: FactorFrames | None = None,
    today: dt.date | None = None,
) -> Performance:
    """Worker-thread entry: read the store into a snapshot (imports pandas). With
    ``previous`` (the snapshot shown), its market data is reused (the prices are not read
    again unless the ledger now needs some it does not hold) and what did not change is not
    booked again; with ``updated`` (symbols a refresh or an import wrote), only their prices
    are read again; with ``trades`` (the ledger as the window keeps it), the entries are not
    read either. The lines and figures of ``ranges`` (the one
    shown) are computed here too, so the main thread only draws them, and whether the entries
    differ from ``shown`` (the Trades tab's) is found here too. ``factors``: the factor frames
    read before, when neither the prices nor the factor file changed since (else read again).
    ``today``: the day the ranges count back from (default: the calendar's)."""
    from desktop.data.report import factor_frames, load_snapshot
    from desktop.data.store import Store

    with Store(db_path, check=False) as store:  # the window checks the file once
        changes = store.ledger_changes() if trades is None else None  # read before the entries
        # Those read before while nothing they hold changed: an edit wrote no prices, a
        # refresh wrote ``updated``; without ``previous`` every price is read again.
        written = (updated or ()) if previous is not None else None
        if factors is None or not factors.current(written):
            factors = factor_frames(store)
        snapshot = load_snapshot(
            store,
            benchmarks=benchmarks,
            market=previous.market if previous is not None else None,
            trades=trades,
            previous=previous,
            updated=updated,
            today=today,
        )
    # What the holdings table and the strip show, computed here, on the worker (cached).
    _ = snapshot.latest, snapshot.latest_cash
    perf = Performance(
        snapshot=snapshot,
        today=today or dt.date.today(),
        factor_frames=factors,
        has_trades=bool(snapshot.trades),
        ledger_changes=changes,
        ledger_differs=set(snapshot.trades) != set(shown) if shown is not None else None,
    )
    perf.as_of = snapshot.as_of
    if perf.as_of is None:  # nothing valued yet: the benchmarks alone, to their newest close
        newest = [
            snapshot.index_closes(s).index[-1].date()
            for s in benchmarks
            if not snapshot.index_closes(s).empty
        ]
        perf.as_of = max(newest, default=None)
    for name in ranges:
        perf.prepare(name)
    return perf
