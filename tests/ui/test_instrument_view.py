"""The instrument window: opened from a holding or a watchlist row (Enter), it draws the closes
from the store as a mountain, the volumes, the indices rebased, the user's trades where they
were made, and the position's own figures; its CSV is the command line's; ranges reload."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal as D

import pytest
from PySide6.QtCore import Qt

from desktop.core.model import Trade, TradeType
from desktop.data.formats.prices_csv import import_price_file
from tests.conftest import FIXTURES

BUY = Trade(dt.date(2024, 1, 16), TradeType.BUY, "SUM", D(10), D(36), D(1))
SELL = Trade(dt.date(2024, 2, 20), TradeType.SELL, "SUM", D(4), D(39), D(1))


def _closes(name: str) -> dict[dt.date, float]:
    with open(FIXTURES / name, newline="") as f:
        rows = list(csv.DictReader(f))
    date = next(k for k in rows[0] if k.lower() == "date")
    close = next(k for k in rows[0] if k.lower() == "close")
    return {dt.date.fromisoformat(r[date]): float(r[close]) for r in rows}


@pytest.fixture
def window(make_window, today_is):
    today_is(dt.date(2024, 3, 8))  # the excerpts' last day: YTD is 2024's
    w = make_window()
    for name, symbol in (
        ("SUM_yahoo_2023-2024.csv", "SUM"),
        ("RUT_daily_2023-2024.csv", "^RUT"),
        ("GSPC_daily_2023-2024.csv", "^GSPC"),
    ):
        import_price_file(w.store, FIXTURES / name, symbol)
    assert w.editor.add_trade(BUY) == [] and w.editor.add_trade(SELL) == []
    w.start_background(refresh=False)
    return w


def _shown(window, qtbot):
    with qtbot.waitActive(window):  # a shortcut fires in the active window
        window.show()
        window.activateWindow()


def _open_from_holdings(window, qtbot):
    _shown(window, qtbot)
    view = window.holdings_view
    window.tabs.setCurrentIndex(0)
    view.setFocus()
    view.selectRow(0)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    return window.instrument_views["SUM"]


def test_enter_on_a_holding_opens_its_window_drawn_from_the_store(window, qtbot):
    shown = _open_from_holdings(window, qtbot)
    closes = _closes("SUM_yahoo_2023-2024.csv")
    days = [d for d in closes if d >= dt.date(2023, 12, 29)]  # YTD: from 2023's last close
    x, y = shown.plots.mountain.getData()
    assert len(x) == len(days) and y.tolist() == pytest.approx([closes[d] for d in days])
    rut = _closes("RUT_daily_2023-2024.csv")
    _, ry = shown.plots.lines["^RUT"].getData()
    assert ry.tolist() == pytest.approx([(rut[d] / rut[days[0]] - 1) * 100 for d in days])
    # The trades, at their days and prices (no split: today's shares are the same).
    spots = shown.plots.marks.points()
    assert [(p.pos().y(), p.data()) for p in spots] == [
        (36.0, "Buy 10 at 36 on 2024-01-16"),
        (39.0, "Sell 4 at 39 on 2024-02-20"),
    ]
    stamps = [dt.datetime.fromtimestamp(p.pos().x(), dt.UTC).date() for p in spots]
    assert stamps == [BUY.date, SELL.date]
    assert shown.plots.volume.isVisible()
    _, heights = shown.plots.bars.opts["x"], shown.plots.bars.opts["height"]
    assert len(heights) == len(days)
    # The position: 6 left, cost 6/10 of 361; sold 4 for 155 against 144.40 of cost.
    values = {k: v.text() for k, v in shown.position_values.items()}
    assert values["quantity"] == "6" and values["cost_basis"] == "216.60"
    assert values["realized_gain"] == "10.60"
    last = closes[dt.date(2024, 3, 8)]
    assert values["market_value"] == f"{6 * last:,.2f}"
    assert shown.status.text() == f"Last close {last:,.2f} on 2024-03-08"
    shown.close()


def test_a_range_reloads_and_the_csv_is_the_command_line_s(window, qtbot, tmp_path, capsys):
    from desktop.app import main

    shown = _open_from_holdings(window, qtbot)
    qtbot.mouseClick(shown.plots.range_button("1M"), Qt.MouseButton.LeftButton)
    assert shown.chart.period.label == "1M" and shown.plots.range_name() == "1M"
    target = tmp_path / "from-window.csv"
    shown.choose_export_path = lambda caption, pattern: target
    assert shown.export(".csv") == target
    cli = tmp_path / "from-cli.csv"
    code = main(
        ["--db", window.store.path, "chart", "instrument", "--symbol", "SUM", "--period", "1M",
         "--out", str(cli)]
    )  # fmt: skip
    capsys.readouterr()
    assert code == 0 and target.read_text() == cli.read_text()
    png = tmp_path / "window"
    shown.choose_export_path = lambda caption, pattern: png
    assert shown.export(".png") == tmp_path / "window.png"
    assert (tmp_path / "window.png").read_bytes()[:4] == b"\x89PNG"
    shown.close()


def test_enter_on_a_watchlist_row_opens_it_and_a_second_open_raises_the_same(window, qtbot):
    _shown(window, qtbot)
    window.tabs.setCurrentIndex(2)
    table = window.watchlist.table
    symbols = [r.symbol for r in window.watchlist.model.rows]
    table.setFocus()
    table.selectRow(symbols.index("^RUT"))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    view = window.instrument_views["^RUT"]
    assert view.figures is None and view.position_note.text() == "Not in your ledger."
    assert set(view.plots.lines) == {"return", "^GSPC"}  # not compared with itself
    assert view.chart.frame["volume"].notna().all()  # the index file has volumes
    assert window.open_instrument("^RUT") is view  # raised, not a second window
    view.close()


def test_the_quality_card_says_each_figure_and_n_a_where_unknown(window, qtbot):
    from desktop.core.fundamentals import Fundamentals

    fetched = dt.date(2024, 3, 1)
    window.store.save_fundamentals(
        Fundamentals(
            "SUM",
            fetched,
            "USD",
            market_cap=6.8e9,
            total_debt=2.3e9,
            total_cash=0.4e9,
            return_on_equity=0.071,
            consensus="buy",
            consensus_mean=2.1,
            analysts=12,
            trailing_pe=None,
            forward_pe=25.3,
        )
    )
    shown = _open_from_holdings(window, qtbot)
    texts = {k: v.text() for k, v in shown.quality_values.items()}
    assert texts["market_cap"] == "6.80 B USD (mid)"
    assert texts["net_cash"] == "-1.90 B USD"  # 0.4 B of cash less 2.3 B of debt
    assert texts["trailing_pe"] == "n/a" and texts["forward_pe"] == "25.3"
    assert texts["return_on_equity"] == "7.1%" and texts["analysts"] == "12"
    assert texts["consensus"] == "2.1 of 5 (buy)"
    assert shown.quality_values["forward_pe"].toolTip() == "As of 2024-03-01"
    assert shown.quality_values["trailing_pe"].toolTip() == "Not known (fetched 2024-03-01)"
    # The liquidity: the mean of close x volume over the three months to the last close.
    closes = _closes("SUM_yahoo_2023-2024.csv")
    with open(FIXTURES / "SUM_yahoo_2023-2024.csv", newline="") as f:
        volumes = {dt.date.fromisoformat(r["Date"]): float(r["Volume"]) for r in csv.DictReader(f)}
    days = [d for d in closes if dt.date(2023, 12, 8) < d <= dt.date(2024, 3, 8)]
    mean = sum(closes[d] * volumes[d] for d in days) / len(days)
    assert texts["liquidity"] == f"{mean / 1e6:,.2f} M USD"
    assert "Fetched 2024-03-01." in shown.quality_note.text()
    shown.close()
