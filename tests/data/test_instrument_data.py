"""An instrument's chart read from the store: with no range asked for, YTD, or the whole
history of a stock that stopped trading before the year began (not an empty year)."""

from __future__ import annotations

import datetime as dt

from desktop.data.formats.prices_csv import import_price_file
from desktop.data.instrument_data import load_instrument


def test_a_stock_that_stopped_trading_opens_on_its_whole_history(store, fixtures):
    import_price_file(store, fixtures / "SUM_yahoo_2023-2024.csv", "SUM")  # to 2024-03-08
    import_price_file(store, fixtures / "GSPC_daily_1987-2026.csv", "^GSPC")  # to 2026-08-21
    import_price_file(store, fixtures / "COHU_yahoo_2020-2024.csv", "COHU")  # to 2024-03-08
    today = dt.date(2025, 1, 15)
    chart = load_instrument(store, "SUM", benchmarks=["^GSPC"], today=today)
    assert chart.period.label == "Max" and chart.no_price_since == dt.date(2024, 3, 8)
    assert chart.frame.index[0].date() == dt.date(2023, 12, 1)  # its first close
    assert len(chart.frame) == 67
    asked = load_instrument(store, "SUM", period="YTD", benchmarks=["^GSPC"], today=today)
    assert asked.period.label == "YTD" and len(asked.frame) == 1  # as asked: its last close
    # Trading this year: YTD.
    live = load_instrument(store, "COHU", benchmarks=[], today=dt.date(2024, 3, 8))
    assert live.period.label == "YTD" and live.no_price_since is None
    assert live.frame.index[0].date() == dt.date(2023, 12, 29)
