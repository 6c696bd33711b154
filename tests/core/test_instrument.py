"""One instrument's chart: its sessions from the period's base close, its price return, the
benchmarks rebased on the same days, its trades in today's shares, and a silence said; the
numbers checked against the real closes read here with the csv module and computed by hand."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal as D

import pandas as pd
import pytest

from desktop.core.instrument import instrument_chart
from desktop.core.model import Trade, TradeType
from desktop.core.periods import Period, resolve_period
from desktop.core.price_changes import SILENT_AFTER
from tests.conftest import FIXTURES


def _closes(name: str, column: str = "Close") -> dict[dt.date, float]:
    with open(FIXTURES / name, newline="") as f:
        rows = list(csv.DictReader(f))
    key = next(k for k in rows[0] if k.lower() == column.lower())
    date = next(k for k in rows[0] if k.lower() == "date")
    return {dt.date.fromisoformat(r[date]): float(r[key]) for r in rows if r[key] != "null"}


def _series(closes: dict[dt.date, float]) -> pd.Series:
    return pd.Series(list(closes.values()), index=pd.DatetimeIndex(list(closes)), dtype=float)


def _on_or_before(closes: dict[dt.date, float], day: dt.date) -> float | None:
    before = [d for d in closes if d <= day]
    return closes[max(before)] if before else None


SUM = _closes("SUM_yahoo_2023-2024.csv")
SUM_VOLUME = _closes("SUM_yahoo_2023-2024.csv", "Volume")
RUT = _closes("RUT_daily_2023-2024.csv")
GSPC = _closes("GSPC_daily_2023-2024.csv")


def test_ytd_starts_at_last_year_s_close_and_the_indices_are_rebased_there():
    period = resolve_period("YTD", as_of=dt.date(2024, 3, 8))
    chart = instrument_chart(
        "SUM",
        _series(SUM),
        period,
        volumes=_series(SUM_VOLUME),
        benchmarks={"^RUT": _series(RUT), "^GSPC": _series(GSPC)},
    )
    days = [d for d in SUM if d >= dt.date(2023, 12, 29)]  # the base: 2023's last close
    assert [d.date() for d in chart.frame.index] == days
    base = SUM[dt.date(2023, 12, 29)]
    assert chart.frame["return"].tolist() == pytest.approx([SUM[d] / base - 1 for d in days])
    assert chart.frame["volume"].tolist() == [SUM_VOLUME[d] for d in days]
    for name, closes in (("^RUT", RUT), ("^GSPC", GSPC)):
        first = _on_or_before(closes, days[0])
        expected = [_on_or_before(closes, d) / first - 1 for d in days]
        assert chart.frame[name].tolist() == pytest.approx(expected)
    assert chart.last == (dt.date(2024, 3, 8), SUM[dt.date(2024, 3, 8)])
    assert chart.no_price_since is None and chart.notes == ()
    assert chart.frame["return"].iloc[0] == 0.0 and chart.frame["^RUT"].iloc[0] == 0.0


def test_a_benchmark_that_begins_after_the_base_is_left_out_and_said():
    late = {d: c for d, c in RUT.items() if d >= dt.date(2024, 1, 10)}
    period = Period(dt.date(2024, 1, 2), dt.date(2024, 2, 1), "custom")
    chart = instrument_chart("SUM", _series(SUM), period, benchmarks={"^RUT": _series(late)})
    assert chart.frame["^RUT"].isna().all()
    assert chart.notes == (
        "^RUT has no close on or before 2023-12-29 (its closes begin 2024-01-10): it is left out",
    )


def test_days_without_an_index_close_carry_its_last_one():
    gappy = {d: c for d, c in RUT.items() if d != dt.date(2024, 1, 3)}
    period = Period(dt.date(2024, 1, 2), dt.date(2024, 1, 5), "custom")
    chart = instrument_chart("SUM", _series(SUM), period, benchmarks={"^RUT": _series(gappy)})
    by_day = dict(zip(chart.frame.index.date, chart.frame["^RUT"], strict=True))
    base = RUT[dt.date(2023, 12, 29)]
    assert by_day[dt.date(2024, 1, 3)] == pytest.approx(RUT[dt.date(2024, 1, 2)] / base - 1)


def test_trades_are_marked_in_today_s_shares_with_what_was_entered():
    closes = _series({dt.date(2024, 1, d): 50.0 + d for d in range(2, 31)})
    trades = [
        Trade(dt.date(2024, 1, 3), TradeType.BUY, "X", D(10), D(100), D(1)),
        # 2 new shares for 1 old on the 10th: the buy's 100 is 50 in today's shares.
        Trade(dt.date(2024, 1, 10), TradeType.SPLIT, "X", D(2), D(1)),
        Trade(dt.date(2024, 1, 15), TradeType.SELL, "X", D(5), D(60), D(1)),
        Trade(dt.date(2024, 1, 16), TradeType.DIVIDEND, "X", amount=D(3)),
        Trade(dt.date(2023, 6, 1), TradeType.BUY, "X", D(1), D(10), D(0)),  # before the range
        Trade(dt.date(2024, 1, 4), TradeType.BUY, "Y", D(1), D(10), D(0)),  # another one's
    ]
    period = Period(dt.date(2024, 1, 3), dt.date(2024, 1, 30), "custom")
    chart = instrument_chart("X", closes, period, trades=trades)
    assert [(m.date, m.side, m.quantity, m.price, m.y) for m in chart.marks] == [
        (dt.date(2024, 1, 3), TradeType.BUY, D(10), D(100), 50.0),
        (dt.date(2024, 1, 15), TradeType.SELL, D(5), D(60), 60.0),
    ]
    assert chart.marks[0].text == "Buy 10 at 100 on 2024-01-03"


def test_an_instrument_that_stopped_trading_shows_its_history_and_since_when():
    period = resolve_period("Max", as_of=dt.date(2024, 3, 8))
    stopped = {d: c for d, c in SUM.items() if d <= dt.date(2024, 2, 7)}
    chart = instrument_chart("SUM", _series(stopped), period, benchmarks={"^RUT": _series(RUT)})
    assert chart.no_price_since == dt.date(2024, 2, 7)
    assert [d.date() for d in chart.frame.index] == list(stopped)  # its whole history
    # Silent for SILENT_AFTER only: not yet "no price since".
    edge = dt.date(2024, 3, 8) - SILENT_AFTER
    recent = {d: c for d, c in SUM.items() if d <= edge}
    assert (
        instrument_chart("SUM", _series(recent), period, newest=dt.date(2024, 3, 8)).no_price_since
        is None
    )


def test_no_closes_or_closes_after_the_period_say_so_with_an_empty_frame():
    period = Period(dt.date(2020, 1, 1), dt.date(2020, 12, 31), "2020")
    chart = instrument_chart("SUM", _series(SUM), period)
    assert chart.empty and chart.notes == ("SUM's closes begin 2023-12-01, after the period ends",)
    none = instrument_chart("SUM", pd.Series(dtype=float), period)
    assert none.empty and none.notes == ("no closes are cached for SUM",) and none.last is None
