"""The summary strip: the range's figures, the report's to the last digit, each explained."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from PySide6.QtGui import QColor, QPalette

from desktop.ui.formatting import DASH
from desktop.ui.performance import PORTFOLIO
from tests.ui.conftest import buy, contrast, weekdays

#: The last close of ``_window_with_history`` (500 days from 1 November 2023): the tests' today.
LAST_CLOSE = dt.date(2025, 3, 14)


@pytest.fixture(autouse=True)
def _on_the_last_close(today_is):
    today_is(LAST_CLOSE)


def _window_with_history(make_window, *, gspc=True):
    window = make_window()
    days = weekdays(dt.date(2023, 11, 1), 500)
    series = [("COHU", 0.004, 0.03), ("^RUT", 0.001, 0.02)] + ([("^GSPC", 0.002, 0.01)] * gspc)
    for symbol, drift, swing in series:
        closes = [
            {"date": d, "close": 30.0 * (1 + drift) ** i * (1 + swing * ((i % 7) - 3) / 3)}
            for i, d in enumerate(days)
        ]
        window.store.upsert_prices(symbol, closes, "csv")
    window.editor.add_trade(buy(day=dt.date(2023, 11, 6)))
    window.editor.add_trade(buy(qty="50", price="33.00", day=dt.date(2024, 1, 10)))
    window.start_background(refresh=False)
    return window


@pytest.mark.parametrize("chart_range", ["1Y", "Max"])
def test_the_strip_shows_the_report_s_figures(make_window, capsys, chart_range):
    from desktop.app import main

    window = _window_with_history(make_window)
    window.set_chart_range(chart_range)
    shown = {f.key: f for f in window.figure_strip.shown}
    assert main(["report", "--json", "--period", chart_range, "--db", window.store.path]) == 0
    data = json.loads(capsys.readouterr().out)
    p, b = data["portfolio"], data["benchmarks"]
    assert list(shown) == [
        "ttwror",
        "irr",
        "excess:^RUT",
        "excess:^GSPC",
        "max_drawdown",
        "beta:^RUT",
        "beta:^GSPC",
        "capture:^RUT",
        "capture:^GSPC",
    ]
    assert shown["ttwror"].value == p["ttwror"]
    assert shown["irr"].value == p["irr"]
    assert shown["max_drawdown"].value == p["max_drawdown"]
    for symbol in ("^RUT", "^GSPC"):
        assert shown[f"excess:{symbol}"].value == b[symbol]["excess_return"]
        assert shown[f"beta:{symbol}"].value == b[symbol]["beta"]
        up, down = b[symbol]["up_capture"], b[symbol]["down_capture"]
        shows = [DASH if v is None else f"{v:.0%}" for v in (up, down)]
        assert shown[f"capture:{symbol}"].text == f"up {shows[0]} · down {shows[1]}"
        assert "monthly returns" in shown[f"capture:{symbol}"].tip
    excess = b["^RUT"]["excess_return"]
    assert shown["excess:^RUT"].text == f"{excess * 100:+.1f} pts"
    assert shown["excess:^RUT"].caption == "vs Russell 2000"
    assert shown["excess:^RUT"].tone == ("gain" if excess > 0 else "loss")
    years = "a year" in shown["ttwror"].text
    assert years == (chart_range == "Max")  # over a year: its yearly rate too
    for f in shown.values():  # every figure says what it measures
        assert len(f.tip) > 40
        assert window.figure_strip.labels[f.key].toolTip()


def test_a_benchmark_without_closes_says_no_data_never_zero(make_window):
    window = _window_with_history(make_window, gspc=False)
    window.set_chart_range("1Y")
    strip = window.figure_strip
    assert strip.text_of("excess:^GSPC") == "no data"
    assert strip.text_of("beta:^GSPC") == "—"
    assert "No closes of ^GSPC" in next(f.tip for f in strip.shown if f.key == "excess:^GSPC")


def test_a_benchmark_whose_closes_begin_late_says_so_and_has_no_line(make_window):
    window = _window_with_history(make_window, gspc=False)
    rows = [{"date": dt.date(2024, 9, 2), "close": 5000.0}, {"date": LAST_CLOSE, "close": 5600.0}]
    window.store.upsert_prices("^GSPC", rows, "csv")  # after the 1Y range's base close
    window.reload()
    window.set_chart_range("1Y")
    strip = window.figure_strip
    assert strip.text_of("excess:^GSPC") == "no data"
    tip = next(f.tip for f in strip.shown if f.key == "excess:^GSPC")
    assert "begin 02 Sep 2024, after this range's base close" in tip
    assert "S&P 500 (^GSPC)" not in window.chart._lines or not len(
        window.chart._lines["S&P 500 (^GSPC)"].x
    )
    assert set(window.performance.lines("1Y")) == {PORTFOLIO, "Russell 2000 (^RUT)"}
    window.set_chart_range("3M")  # a range that starts after them compares and draws it
    assert strip.text_of("excess:^GSPC").endswith("pts")
    assert "S&P 500 (^GSPC)" in window.performance.lines("3M")


def test_no_trades_no_figures(make_window):
    window = make_window()
    window.start_background(refresh=False)
    assert window.figure_strip.shown == [] and window.figure_strip.labels == {}


@pytest.mark.parametrize(
    ("window_colour", "text_colour"), [("#ffffff", "#000000"), ("#1e1e1e", "#e6e6e6")]
)
def test_gains_and_losses_stay_readable_in_light_and_dark(window_colour, text_colour):
    from desktop.ui.palette import tones

    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(window_colour))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(text_colour))
    colours = tones(palette)
    for tone in ("gain", "loss", "warning", "text"):
        assert contrast(QColor(colours[tone]), QColor(window_colour)) >= 4.5, tone


def test_the_figures_wrap_into_rows_when_the_strip_is_narrow(make_window, qtbot):
    from desktop.ui.figure_strip import FigureStrip

    window = _window_with_history(make_window)
    window.set_chart_range("1Y")
    strip = FigureStrip()
    qtbot.addWidget(strip)
    strip.show()
    strip.set_figures(window.figure_strip.shown)

    def rows() -> list[int]:
        layout = strip._layout
        return [layout.getItemPosition(layout.indexOf(w))[0] for w in strip.labels.values()]

    strip.resize(2000, 80)
    qtbot.waitUntil(lambda: set(rows()) == {0})  # all on one row
    strip.resize(300, 80)
    qtbot.waitUntil(lambda: max(rows()) >= 2)  # seven figures, two or so to a row
    widest = max(label.sizeHint().width() for label in strip.labels.values())
    per_row = max(rows().count(r) for r in set(rows()))
    assert per_row * widest <= 300  # none clipped


def test_prices_that_end_days_ago_are_said_with_a_refresh_link(make_window, monkeypatch, today_is):
    today_is(dt.date(2025, 4, 13))  # a month after the last close (Friday 14 March 2025)
    window = _window_with_history(make_window)
    window.set_chart_range("1Y")
    assert window.performance.as_of == LAST_CLOSE
    note = window.prices_note
    assert not note.isHidden()
    assert "Prices end Fri 14 Mar 2025 (30 days ago)" in note.text()
    # The range is the year to today; its figures stop at the last close.
    shown = window.performance.for_range("1Y")
    assert (shown.period.start, shown.period.end) == (dt.date(2024, 4, 14), dt.date(2025, 4, 13))
    assert shown.end_day == LAST_CLOSE
    last_drawn = dt.datetime.fromtimestamp(window.chart._lines[PORTFOLIO].x[-1], dt.UTC).date()
    assert last_drawn == LAST_CLOSE
    asked = []
    monkeypatch.setattr(window, "refresh_prices", lambda: asked.append(1))
    note.linkActivated.emit("refresh")
    assert asked == [1]


def test_ytd_is_today_s_calendar_year_and_says_no_data_when_prices_end_before_it(
    make_window, today_is
):
    today_is(dt.date(2026, 1, 10))  # the closes end on 14 March 2025
    window = _window_with_history(make_window)
    window.set_chart_range("YTD")

    shown = window.performance.for_range("YTD")
    assert (shown.period.start, shown.period.end) == (dt.date(2026, 1, 1), dt.date(2026, 1, 10))
    assert window.performance.lines("YTD") == {}
    assert window.figure_strip.text_of("ttwror") == "no data"  # never +0.00%
    assert [f.key for f in window.figure_strip.shown] == ["ttwror"]
    assert "prices end Fri 14 Mar 2025" in window.figure_strip.shown[0].tip
    assert window.shown_ttwror is None
    assert "No prices in this range: they end Fri 14 Mar 2025" in window.chart._message.text()
    assert "Prices end Fri 14 Mar 2025 (302 days ago)" in window.prices_note.text()

    window.set_chart_range("Max")  # the whole history is still there
    assert window.figure_strip.text_of("ttwror").startswith("+")
    assert window.chart._message.text() == ""


def test_prices_up_to_yesterday_need_no_note(make_window):
    window = make_window()
    days = [dt.date.today() - dt.timedelta(days=i) for i in range(40, 0, -1)]
    for symbol in ("COHU", "^RUT", "^GSPC"):
        rows = [{"date": d, "close": 30.0 + i * 0.1} for i, d in enumerate(days)]
        window.store.upsert_prices(symbol, rows, "csv")
    window.editor.add_trade(buy(day=days[2]))
    window.start_background(refresh=False)
    assert window.performance.as_of == days[-1]
    assert window.prices_note.isHidden()


def test_the_tables_gain_and_loss_colours_follow_a_dark_palette(qapp):
    from PySide6.QtWidgets import QApplication

    from desktop.ui.holdings_model import gain_color

    light = QApplication.palette()
    assert contrast(gain_color(1.0), light.color(QPalette.ColorRole.Base)) >= 4.5
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Window, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#252526"))
    QApplication.setPalette(dark)
    try:
        for value in (1.0, -1.0):
            assert contrast(gain_color(value), QColor("#252526")) >= 4.5
        assert gain_color(0.0) is None
    finally:
        QApplication.setPalette(light)


def test_the_strip_paints_its_values_in_the_palette_s_tones_and_follows_a_change(qtbot):
    from desktop.ui.figure_strip import Figure, FigureStrip
    from desktop.ui.palette import tones

    strip = FigureStrip()
    qtbot.addWidget(strip)
    gain = Figure("ttwror", "1Y return", "+5.00%", "gain", "tip", 0.05)
    loss = Figure("irr", "IRR", "-1.0%", "loss", "tip", -0.01)
    strip.set_figures([gain, loss])
    light = strip.palette()
    for key, tone in (("ttwror", "gain"), ("irr", "loss")):
        muted, colour = strip.labels[key].colours()
        assert colour == QColor(tones(light)[tone]) and muted == QColor(tones(light)["muted"])
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Window, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
    strip.setPalette(dark)
    for key, tone in (("ttwror", "gain"), ("irr", "loss")):
        _, colour = strip.labels[key].colours()
        assert colour == QColor(tones(dark)[tone]) != QColor(tones(light)[tone])
        assert contrast(colour, QColor("#1e1e1e")) >= 4.5
    assert strip.labels["ttwror"].accessibleName() == "1Y return: +5.00%"
    assert strip.labels["ttwror"].text() == "1Y return\n+5.00%"


def test_a_figure_is_as_wide_as_its_widest_line_in_its_fonts(qtbot):
    from PySide6.QtGui import QFont, QFontMetrics

    from desktop.ui.figure_strip import Figure, FigureStrip

    strip = FigureStrip()
    qtbot.addWidget(strip)
    strip.set_figures([Figure("irr", "IRR", "+12.3%", "gain", "tip", 0.123)])
    label = strip.labels["irr"]
    before = label.sizeHint()
    value = QFont(label.font())
    value.setPixelSize(14)
    value.setBold(True)
    assert before.width() == QFontMetrics(value).horizontalAdvance("+12.3%") + 4  # value wider
    strip.set_figures([Figure("irr", "IRR", "+123,456.7%", "gain", "tip", 1234.567)])
    assert label.sizeHint().width() == QFontMetrics(value).horizontalAdvance("+123,456.7%") + 4


def test_a_benchmark_whose_closes_end_early_is_said_in_the_window_and_the_report(
    make_window, capsys
):
    from desktop.app import main

    window = make_window()
    days = weekdays(dt.date(2023, 11, 1), 500)
    for symbol, last in (("COHU", len(days)), ("^RUT", len(days) - 40), ("^GSPC", len(days))):
        closes = [{"date": d, "close": 30.0 + i % 5} for i, d in enumerate(days[:last])]
        window.store.upsert_prices(symbol, closes, "csv")
    rut_ends = days[len(days) - 41]
    window.editor.add_trade(buy(day=dt.date(2023, 11, 6)))
    window.start_background(refresh=False)
    window.set_chart_range("1Y")
    note = window.prices_note
    assert not note.isHidden()
    assert (
        f"The Russell 2000's (^RUT) prices end {rut_ends:%a} {rut_ends.day} {rut_ends:%b %Y}, "
        "before the portfolio's: its line is flat after that." in note.text()
    )
    assert "S&P 500" not in note.text() and "Prices end" not in note.text()
    assert main(["report", "--json", "--period", "1Y", "--db", window.store.path]) == 0
    out, err = capsys.readouterr()
    assert f"the closes of benchmark ^RUT end {rut_ends.isoformat()}" in err + out
    assert "benchmark ^GSPC end" not in err + out


def test_the_summary_line_takes_the_palette_s_tones_and_follows_a_change(make_window):
    import re

    from desktop.ui.palette import tones

    window = make_window()
    window.editor.add_trade(buy(symbol="NOPX"))  # unpriced: a warning in the summary
    window.start_background(refresh=False)
    for background, text in (("#ffffff", "#000000"), ("#1e1e1e", "#e6e6e6")):
        palette = QPalette()
        palette.setColor(QPalette.ColorRole.Window, QColor(background))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
        window.setPalette(palette)
        used = set(re.findall(r"color:\s*(#[0-9a-fA-F]{6})", window.summary.text()))
        assert tones(palette)["warning"] in used
        for colour in used:
            assert contrast(QColor(colour), QColor(background)) >= 4.5, colour
