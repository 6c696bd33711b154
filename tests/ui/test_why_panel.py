"""The "why" beside the chart: each holding's contribution and the factor attribution, as the
snapshot and the regression give them."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from tests.ui.conftest import buy, show_range, weekdays

#: The last close of ``_two_holdings``' history (220 days from 1 January 2024): the tests' today.
LAST_CLOSE = dt.date(2024, 8, 7)


@pytest.fixture(autouse=True)
def _on_the_last_close(today_is):
    today_is(LAST_CLOSE)


def _two_holdings(make_window):
    window = make_window()
    days = weekdays(dt.date(2024, 1, 1), 220)
    for symbol, drift in (("COHU", 0.003), ("WWSIX", -0.001), ("^RUT", 0.001), ("^GSPC", 0.002)):
        rows = [{"date": d, "close": 20.0 * (1 + drift) ** i} for i, d in enumerate(days)]
        window.store.upsert_prices(symbol, rows, "csv")
    window.editor.add_trade(buy("COHU", qty="100", price="20", fee="0", day=days[0]))
    window.editor.add_trade(buy("WWSIX", qty="300", price="20", fee="0", day=days[0]))
    window.start_background(refresh=False)
    return window


def test_the_bars_are_the_snapshot_s_contributions_largest_first(make_window):
    window = _two_holdings(make_window)
    show_range(window, "Max")
    parts = window.performance.for_range("Max").contributions
    why = window.why
    assert why.shown == parts and list(parts) == ["COHU", "WWSIX"]
    assert parts["COHU"] > 0 > parts["WWSIX"]
    opts = why._bars.opts
    assert list(opts["width"]) == pytest.approx([v * 100 for v in parts.values()])
    assert list(opts["y"]) == [0.0, 1.0]  # COHU on top
    ttwror = window.performance.ttwror("Max")
    assert sum(parts.values()) == pytest.approx(ttwror, abs=1e-12)
    assert f"adding up to {ttwror:+.2%}" in why.title.text()
    ticks = [label for _, label in why.plot.getAxis("left")._tickLevels[0]]
    assert ticks[0].startswith("COHU  +") and ticks[1].startswith("WWSIX  -")


def test_a_range_change_redraws_the_bars_for_that_range(make_window):
    window = _two_holdings(make_window)
    show_range(window, "1M")
    month = dict(window.why.shown)
    assert month and month != window.performance.for_range("Max").contributions
    show_range(window, "Max")
    assert window.why.shown == window.performance.for_range("Max").contributions
    assert month == window.performance.for_range("1M").contributions


def test_without_factors_the_panel_says_why(make_window, qtbot):
    window = _two_holdings(make_window)
    # After a snapshot the why is drawn on the next turn of the event loop, after the chart.
    assert window.why.factors.text() == ""
    qtbot.waitUntil(lambda: window.why.factors.text() != "")
    assert window.why.factors.text().startswith("Factor lens: no factors cover this range yet")
    details = window.why.factors.toolTip()
    assert "factor lens unavailable" in details
    assert "IWM" in details  # the proxies it would use are not cached either


def test_with_the_french_file_cached_the_attribution_is_in_words(make_window, fixtures):
    from desktop.core.factors import factor_lens
    from desktop.data.factor_data import french_cache
    from desktop.data.sources.french import FrenchFactors, parse_french_csv

    raw = (fixtures / "F-F_Research_Data_Factors_daily.CSV").read_bytes()  # to 2024-08
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as z:
        z.writestr("F-F_Research_Data_Factors_daily.CSV", raw)
    FrenchFactors(french_cache(), opener=lambda url, timeout: packed.getvalue()).daily()
    window = _two_holdings(make_window)
    show_range(window, "Max")
    text = window.why.factors.text()
    assert "Fama-French 202408" in text and text.startswith("Most of the")
    frame, _ = parse_french_csv(raw)
    frame.attrs["source"] = "Fama-French 202408"
    exposure, _ = factor_lens(window.performance.for_range("Max").period_returns, [(frame, "")])
    assert f"Market {exposure.attribution['market']:+.1%}" in text  # the same regression


def test_a_deferred_drawing_for_an_older_range_is_dropped(make_window, qtbot):
    window = _two_holdings(make_window)
    from PySide6.QtWidgets import QApplication

    calls = []
    real = window._draw_details
    window._draw_details = lambda drawn: calls.append(drawn) or real(drawn)
    window.recompute()  # its answer's details are drawn on the next turn of the event loop
    window.set_chart_range("1M")  # its details too, after that one
    for _ in range(200):
        if window.details_for == (window.performance, "1M"):
            break
        QApplication.processEvents()
    asked = [range_name for _, range_name in calls]
    assert asked[0] == "1Y" and asked[-1] == "1M"  # both ran, in turn...
    assert window.why.shown == window.performance.for_range("1M").contributions
    assert window.why.shown != window.performance.for_range("1Y").contributions  # ...1Y dropped
