"""The chart's data: portfolio and benchmarks over the same days, rebased at the same close."""

import datetime as dt
from decimal import Decimal as D

import pytest

from desktop.core.model import Trade, TradeType
from desktop.ui.performance import PORTFOLIO, benchmark_label, load_performance

RUT = benchmark_label("^RUT")


def closes(store, symbol, values, start=dt.date(2024, 1, 1)):
    days = [start + dt.timedelta(days=i) for i in range(len(values))]
    store.upsert_prices(
        symbol, [{"date": d, "close": c} for d, c in zip(days, values, strict=True)], "csv"
    )


def test_max_starts_every_line_at_the_portfolios_first_trade(store):
    closes(store, "^RUT", [100.0, 110.0, 121.0, 133.1, 121.0])
    closes(store, "COHU", [10.0, 10.0, 10.0, 12.0, 15.0])
    store.add_trade(Trade(dt.date(2024, 1, 3), TradeType.BUY, "COHU", D("10"), D("10")))
    perf = load_performance(store.path, benchmarks=("^RUT",))
    assert perf.as_of == dt.date(2024, 1, 5)
    lines = perf.lines("Max")
    # Bought at the 3 January close of 10: +20% on the 4th, +50% on the 5th.
    assert list(lines[PORTFOLIO].round(10)) == [0.0, 0.0, 0.2, 0.5]
    # The Russell 2000 is rebased on the same close (2 January, the day before the first trade).
    rut = lines[RUT]
    assert rut.index[0] == lines[PORTFOLIO].index[0]
    assert rut.iloc[-1] == pytest.approx(121.0 / 110.0 - 1)
    assert rut.iloc[2] == pytest.approx(133.1 / 110.0 - 1)


def test_benchmarks_alone_when_there_are_no_trades(store):
    closes(store, "^RUT", [100.0, 110.0, 99.0])
    perf = load_performance(store.path, benchmarks=("^RUT",))
    assert not perf.has_trades and PORTFOLIO not in perf.lines("Max")
    assert perf.lines("Max")[RUT].iloc[-1] == pytest.approx(-0.01)


def test_with_a_euro_base_the_chart_and_the_report_give_the_same_return(store):
    from desktop.core.model import Instrument
    from desktop.data.report import build_report

    store.set_setting("base_currency", "EUR")
    store.save_instrument(Instrument("COHU", "Cohu", currency="USD"))
    closes(store, "COHU", [10.0, 10.0, 10.0, 12.0, 15.0])
    closes(store, "USDEUR=X", [0.90, 0.90, 0.90, 0.95, 0.80])  # euros per dollar
    store.add_trade(Trade(dt.date(2024, 1, 3), TradeType.BUY, "COHU", D("10"), D("10")))

    chart = load_performance(store.path, benchmarks=()).lines("Max")[PORTFOLIO]
    report = build_report(store, period="Max", benchmarks=[]).data["portfolio"]

    # In euros: 90 on the 3rd, 10 x 15 x 0.80 = 120 on the 5th: +33.3% (in dollars it is +50%).
    assert chart.iloc[-1] == pytest.approx(120 / 90 - 1)
    assert report["ttwror"] == pytest.approx(120 / 90 - 1)
