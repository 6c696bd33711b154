"""Prices that may be out of date, as the tables show them: a failed last fetch marked with its
reason in plain words, and a holding with no price for weeks ("SUM, taken private in Feb 2025")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Qt

from desktop.core.model import Trade, TradeType
from desktop.core.price_changes import is_silent
from desktop.ui.holdings_model import stale_color
from desktop.ui.price_notes import cash_out_hint, fetch_problem
from tests.ui.conftest import buy

D = dt.date


def status(kind, message="", attempted="2025-03-10T21:05:00+00:00"):
    return {"attempted_at": attempted, "succeeded_at": None, "error_kind": kind, "message": message}


def test_each_kind_of_failure_in_plain_words():
    not_found = fetch_problem("SUM", status("not_found", "Yahoo: delisted"), behind=True)
    assert not_found == (
        "The last price fetch (2025-03-10) failed: "
        "Yahoo has no data for SUM (unknown or delisted symbol)."
    )
    limited = fetch_problem("SUM", status("rate_limited", "429"), behind=False)
    assert "Yahoo asked us to slow down; try again later" in limited
    failed = status("error", "could not save its prices: disk full")
    error = fetch_problem("X", failed, behind=False)
    assert error.endswith("failed: Could not save its prices: disk full.")
    no_data = status("no_data", "no prices for the dates asked (holiday or weekend?)")
    assert "holiday or weekend" in fetch_problem("X", no_data, behind=True)


def test_no_failure_no_marker_and_a_holiday_is_not_a_failure():
    assert fetch_problem("X", None, behind=True) is None
    assert fetch_problem("X", status(None), behind=True) is None
    assert fetch_problem("X", status("offline", "no connection"), behind=True) is None
    # Every symbol gets an empty answer on a holiday; only one falling behind is worth a marker.
    assert fetch_problem("X", status("no_data", "nothing"), behind=False) is None


def test_silent_after_ten_days_and_the_hint_names_each_holding():
    assert not is_silent(D(2025, 2, 25), D(2025, 3, 7))
    assert is_silent(D(2025, 2, 7), D(2025, 3, 7))
    assert not is_silent(None, D(2025, 3, 7)) and not is_silent(D(2025, 2, 7), None)
    assert cash_out_hint({}) == ""
    assert cash_out_hint({"SUM": D(2025, 2, 7)}) == (
        "SUM has no price since 2025-02-07: if it was acquired, record the sale (Ctrl+N)"
    )
    two = cash_out_hint({"SUM": D(2025, 2, 7), "X": D(2024, 1, 2)})
    assert two == (
        "SUM has no price since 2025-02-07, X has no price since 2024-01-02: "
        "if one was acquired, record the sale (Ctrl+N)"
    )


def rows_by_symbol(model):
    return {model.holding(r).symbol: r for r in range(model.rowCount())}


def test_a_holding_without_prices_for_weeks_suggests_recording_the_sale(qtbot, make_window):
    window = make_window()
    window.editor.add_trade(buy())
    window.editor.add_trade(buy("SUM", qty="50", price="38.00", day=D(2024, 6, 3)))
    window.editor.add_trade(buy("IWM", qty="5", price="200.00", day=D(2024, 6, 3)))
    store = window.store
    store.upsert_prices("COHU", [{"date": "2025-03-07", "close": 14.10}], "csv")
    store.upsert_prices("SUM", [{"date": "2025-02-07", "close": 52.48}], "csv")
    store.upsert_prices("IWM", [{"date": "2025-03-04", "close": 205.0}], "csv")  # a few days behind
    store.upsert_prices("^GSPC", [{"date": "2025-03-07", "close": 5770.20}], "csv")
    window.reload()
    model = window.holdings_model
    rows = rows_by_symbol(model)
    close = {s: model.index(r, 5) for s, r in rows.items()}
    assert model.data(close["SUM"]) == "no price since 2025-02-07"
    assert model.data(close["SUM"], Qt.ForegroundRole) == stale_color()
    tip = model.data(close["SUM"], Qt.ToolTipRole)
    assert "while other prices reach 2025-03-07" in tip and "record the sale" in tip
    # A few days behind stays a date, in amber as before; an up-to-date one is plain.
    assert model.data(close["IWM"]) == "2025-03-04"
    assert model.data(close["IWM"], Qt.ForegroundRole) == stale_color()
    assert "No price for IWM since 2025-03-04" in model.data(close["IWM"], Qt.ToolTipRole)
    assert model.data(close["COHU"]) == "2025-03-07"
    assert model.data(close["COHU"], Qt.ForegroundRole) is None
    assert model.data(close["SUM"], Qt.UserRole) == D(2025, 2, 7)  # sorts as a date
    summary = window.summary.text()
    hint = "SUM has no price since 2025-02-07: if it was acquired, record the sale (Ctrl+N)"
    assert hint in summary
    assert "IWM" not in summary

    # Recording the cash-out closes the position and the suggestion goes away.
    window.editor.add_trade(
        Trade(D(2025, 2, 10), TradeType.SELL, "SUM", Decimal("50"), Decimal("52.50"), Decimal(0))
    )
    assert "SUM" not in rows_by_symbol(window.holdings_model)
    assert "no price since" not in window.summary.text()


def test_the_benchmarks_count_even_with_one_holding_but_an_old_cache_does_not(qtbot, make_window):
    window = make_window()
    window.editor.add_trade(buy("SUM", qty="50", price="38.00", day=D(2024, 6, 3)))
    window.store.upsert_prices("SUM", [{"date": "2025-02-07", "close": 52.48}], "csv")
    window.reload()
    assert window.holdings_model.data(window.holdings_model.index(0, 5)) == "2025-02-07"
    assert "no price since" not in window.summary.text()  # nothing newer is known
    window.store.upsert_prices("^RUT", [{"date": "2025-03-07", "close": 2070.0}], "csv")
    window.reload()
    assert window.holdings_model.data(window.holdings_model.index(0, 5)) == (
        "no price since 2025-02-07"
    )
    assert "SUM has no price since 2025-02-07" in window.summary.text()


def test_a_failed_fetch_is_marked_until_a_fetch_succeeds(qtbot, make_window):
    window = make_window()
    window.editor.add_trade(buy())
    window.editor.watch("IWM")
    store = window.store
    store.upsert_prices("COHU", [{"date": "2024-03-08", "close": 31.95}], "csv")
    store.upsert_prices("IWM", [{"date": "2024-03-08", "close": 200.0}], "csv")
    store.record_fetch("COHU", ok=False, error_kind="error", message="could not save its prices")
    store.record_fetch("IWM", ok=False, error_kind="rate_limited", message="429")
    window.reload()
    model = window.holdings_model
    assert model.data(model.index(0, 5)) == "⚠ 2024-03-08"
    assert model.data(model.index(0, 5), Qt.ForegroundRole) == stale_color()
    assert "Could not save its prices" in model.data(model.index(0, 5), Qt.ToolTipRole)
    watch = window.watchlist.model
    assert watch.data(watch.index(2, 3)) == "⚠ 2024-03-08"
    assert "slow down" in watch.data(watch.index(2, 3), Qt.ToolTipRole)
    store.record_fetch("COHU", ok=True)
    store.record_fetch("IWM", ok=True)
    window.reload()
    assert model.data(model.index(0, 5)) == "2024-03-08"
    assert model.data(model.index(0, 5), Qt.ToolTipRole) is None
    assert watch.data(watch.index(2, 3)) == "2024-03-08"
