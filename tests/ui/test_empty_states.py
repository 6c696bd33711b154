"""What each part of the performance screen says when there is nothing to show: an empty
portfolio, prices not cached yet, a holding without prices; never a blank or a zero."""

from __future__ import annotations

import datetime as dt

from desktop.ui.performance import PORTFOLIO, benchmark_label
from tests.ui.conftest import buy, show_range, weekdays

DAYS = weekdays(dt.date(2024, 1, 1), 300)


def _benchmarks(window):
    for symbol in ("^RUT", "^GSPC"):
        rows = [{"date": d, "close": 100.0 + i % 7} for i, d in enumerate(DAYS)]
        window.store.upsert_prices(symbol, rows, "csv")


def _every_tab(window):
    for index in range(window.more.count()):
        window.more.setCurrentIndex(index)


def test_a_new_portfolio_with_nothing_cached_says_to_fetch_prices(make_window, today_is):
    today_is(DAYS[-1])
    window = make_window()
    window.start_background(refresh=False)
    assert window.chart._message.text() == "No prices cached yet: press F5 to fetch them."
    assert window.figure_strip.shown == []
    assert "Press <b>Ctrl+N</b> to add your first trade" in window.summary.text()


def test_benchmarks_without_trades_say_to_add_one_and_the_tabs_say_why_they_are_empty(
    make_window, today_is
):
    today_is(DAYS[-1])
    window = make_window()
    _benchmarks(window)
    window.start_background(refresh=False)
    show_range(window, "1Y")
    assert window.chart._message.text() == "Add a trade (Ctrl+N) to compare your portfolio."
    assert set(window.chart._readout) == {benchmark_label("^RUT"), benchmark_label("^GSPC")}
    _every_tab(window)
    assert not window.heatmap.note.isHidden() and window.heatmap.table.isHidden()
    assert "No monthly returns in this range" in window.heatmap.note.text()
    assert "No values in this range" in window.value_plot.note.text()
    assert not window.value_plot.note.isHidden()
    assert "no contributions" in window.why.title.text()


def test_a_holding_without_prices_names_it_and_shows_the_benchmarks_meanwhile(
    make_window, today_is
):
    today_is(DAYS[-1])
    window = make_window()
    _benchmarks(window)
    window.editor.add_trade(buy(symbol="NOPX", day=DAYS[10]))
    window.start_background(refresh=False)
    show_range(window, "1Y")
    message = window.chart._message.text()
    assert message.startswith("No prices yet for NOPX: press F5 to fetch them")
    assert PORTFOLIO not in window.chart._readout
    assert benchmark_label("^RUT") in window.chart._readout
    assert "No price yet for NOPX" in window.summary.text()
    # With its prices, the message goes and the tabs fill.
    rows = [{"date": d, "close": 20.0 + i % 3} for i, d in enumerate(DAYS)]
    window.store.upsert_prices("NOPX", rows, "csv")
    window.reload(symbols=["NOPX"])
    show_range(window, "1Y")
    assert window.chart._message.text() == ""
    _every_tab(window)
    assert window.heatmap.note.isHidden() and window.value_plot.note.isHidden()


def test_an_entry_in_a_currency_without_rates_is_named_in_the_summary(make_window, today_is):
    from decimal import Decimal as D

    from desktop.core.model import Trade, TradeType

    today_is(DAYS[-1])
    window = make_window()
    _benchmarks(window)
    rows = [{"date": d, "close": 150.0} for d in DAYS]
    window.store.upsert_prices("SAP.DE", rows, "csv")
    sap = Trade(DAYS[10], TradeType.BUY, "SAP.DE", D(10), D(150), D(0), currency="EUR")
    window.editor.add_trade(sap)
    window.start_background(refresh=False)
    show_range(window, "1Y")
    assert (
        f"The buy of 10 SAP.DE on {DAYS[10].isoformat()} is left out of every figure: no "
        "EURUSD=X rate is cached" in window.summary.text()
    )


def test_holdings_whose_prices_end_before_the_range_say_so_not_no_prices_yet(make_window, today_is):
    today_is(DAYS[-1])
    window = make_window()
    _benchmarks(window)
    early = [{"date": d, "close": 10.0 + i % 3} for i, d in enumerate(DAYS[:40])]
    window.store.upsert_prices("COHU", early, "csv")
    assert window.editor.add_trade(buy(day=DAYS[0])) == []
    window.start_background(refresh=False)
    show_range(window, "1M")
    end = DAYS[39]
    assert window.chart._message.text() == (
        f"Your holdings' prices end {end:%a} {end.day} {end:%b %Y}, before this range: the "
        "benchmarks are shown alone. Press F5 to refresh them, or choose a longer range."
    )
    show_range(window, "Max")
    assert window.chart._message.text() == ""
