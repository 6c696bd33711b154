"""The main window as a user drives it: enter, edit and delete trades, undo, watch symbols."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal as D

import pytest
from PySide6.QtCore import QDate, QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialogButtonBox, QHeaderView

from desktop.core.model import Instrument, Trade, TradeType
from desktop.ui.trade_dialog import TradeDialog
from tests.ui.conftest import buy, weekdays


def cell(model, row, col):
    return model.data(model.index(row, col), Qt.DisplayRole)


def fill_dialog(qtbot, dialog: TradeDialog, *, date, kind, symbol, qty, price, fee=""):
    dialog.date_edit.edit.clear()
    qtbot.keyClicks(dialog.date_edit.edit, date)  # typed, as a user would
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData(kind))
    for edit, text in (
        (dialog.symbol_edit, symbol),
        (dialog.quantity_edit, qty),
        (dialog.price_edit, price),
        (dialog.fee_edit, fee),
    ):
        edit.clear()
        qtbot.keyClicks(edit, text)


def click_ok(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)


def test_a_trade_entered_in_the_dialog_appears_in_the_holdings(qtbot, make_window):
    window = make_window()
    window.store.upsert_prices("COHU", [{"date": "2024-03-08", "close": 31.95}], "csv")
    window.reload()
    assert window.holdings_model.rowCount() == 0
    dialog = window.trade_dialog()
    fill_dialog(
        qtbot,
        dialog,
        date="2024-01-05",
        kind="buy",
        symbol="cohu",
        qty="100",
        price="32.10",
        fee="1",
    )
    assert dialog.symbol_edit.text() == "COHU"  # typed in lower case, shown in upper case
    assert "3,211.00" in dialog.total_label.text()
    click_ok(qtbot, dialog)
    assert dialog.result() == TradeDialog.Accepted
    model = window.holdings_model
    assert model.rowCount() == 1
    assert [cell(model, 0, c) for c in range(10)] == [
        "COHU",
        "",
        "100",
        "32.11",
        "31.95",
        "2024-03-08",
        "3,195.00",
        "-16.00",
        "-0.50%",
        "100.0%",
    ]
    assert "3,195.00" in window.summary.text()
    assert window.trades_model.rowCount() == 0  # the Trades tab is filled when first shown
    window.tabs.setCurrentIndex(1)
    assert window.trades_model.rowCount() == 1


def test_bad_input_is_refused_in_the_dialog_and_nothing_is_saved(qtbot, make_window):
    window = make_window()
    dialog = window.trade_dialog()
    fill_dialog(qtbot, dialog, date="2024-01-05", kind="buy", symbol="CO HU", qty="-3", price="abc")
    click_ok(qtbot, dialog)
    assert dialog.result() != TradeDialog.Accepted
    text = dialog.error_label.text()
    assert (
        "Symbol:" in text
        and "Quantity: must not be negative" in text
        and "Price: 'abc' is not a number" in text
    )
    assert dialog.symbol_edit.styleSheet() and dialog.quantity_edit.styleSheet()
    assert window.store.trades() == []


def test_selling_more_than_held_is_refused_by_the_dialog(qtbot, make_window):
    window = make_window()
    window.editor.add_trade(buy(qty="10"))
    dialog = window.trade_dialog()
    fill_dialog(qtbot, dialog, date="2024-02-01", kind="sell", symbol="COHU", qty="11", price="35")
    click_ok(qtbot, dialog)
    assert "more than the 10 held" in dialog.error_label.text()
    assert len(window.store.trades()) == 1


def select_trade(window, row=0):
    window.tabs.setCurrentIndex(1)
    index = window.trades_model.index(row, 0)
    window.trades_view.selectionModel().select(
        index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows
    )


def test_edit_then_undo_and_redo(qtbot, make_window):
    window = make_window()
    window.editor.add_trade(buy(qty="100"))
    select_trade(window)
    trade = window.selected_trade()
    dialog = window.trade_dialog(trade)
    assert dialog.quantity_edit.text() == "100" and dialog.price_edit.text() == "32.10"
    dialog.quantity_edit.setText("150")
    click_ok(qtbot, dialog)
    assert window.store.trade(trade.id).quantity == D("150")
    assert cell(window.holdings_model, 0, 2) == "150"
    window.undo_stack.undo()
    assert window.store.trade(trade.id).quantity == D("100")
    assert cell(window.holdings_model, 0, 2) == "100"
    window.undo_stack.redo()
    assert window.store.trade(trade.id).quantity == D("150")


def test_delete_with_the_keyboard_and_undo(qtbot, make_window):
    window = make_window()
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.editor.add_trade(buy())
    select_trade(window)
    window.trades_view.setFocus()
    qtbot.keyClick(window.trades_view, Qt.Key_Delete)
    assert window.store.trades() == []
    assert window.holdings_model.rowCount() == 0
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    (restored,) = window.store.trades()
    assert restored.quantity == D("100")
    assert window.holdings_model.rowCount() == 1


def test_undo_that_would_break_the_ledger_is_refused_with_a_message(qtbot, make_window):
    window = make_window()
    messages = []
    window.editor.on_refused = messages.append
    window.editor.add_trade(buy(qty="10"))
    (bought,) = window.store.trades()
    # A sale is then entered outside the undo stack's knowledge (say, by the command line).
    window.store.add_trade(replace(bought, id=None, type=TradeType.SELL, date=dt.date(2024, 2, 1)))
    window.undo_stack.undo()  # undoing the buy would leave the sale without shares
    assert (
        len(messages) == 1
        and "Undo of “Add buy 10 COHU on 2024-01-05” is not possible" in messages[0]
    )
    assert len(window.store.trades()) == 2  # nothing changed
    assert window.undo_stack.count() == 0  # the refused command was dropped


def test_watchlist_add_remove_and_benchmarks_stay(qtbot, make_window):
    window = make_window()
    panel = window.watchlist
    rows = lambda: [r.symbol for r in panel.model.rows]  # noqa: E731
    assert rows() == ["^RUT", "^GSPC"]
    qtbot.keyClicks(panel.symbol_edit, "iwm")
    qtbot.keyClick(panel.symbol_edit, Qt.Key_Return)
    assert rows() == ["^RUT", "^GSPC", "IWM"]
    assert window.store.watchlist() == ["IWM"]
    panel.table.selectRow(0)
    panel._remove()
    assert rows() == ["^RUT", "^GSPC", "IWM"]  # a benchmark cannot be removed
    panel.table.selectRow(2)
    panel._remove()
    assert window.store.watchlist() == []
    window.undo_stack.undo()
    assert window.store.watchlist() == ["IWM"]


def test_day_change_in_the_watchlist(qtbot, make_window):
    window = make_window()
    window.store.upsert_prices(
        "^RUT",
        [{"date": "2024-12-30", "close": 2000.0}, {"date": "2024-12-31", "close": 2230.16}],
        "csv",
    )
    window.reload()
    row = window.watchlist.model.rows[0]
    assert row.symbol == "^RUT" and row.close_date == dt.date(2024, 12, 31)
    assert row.day_change == 2230.16 / 2000.0 - 1


def test_restart_on_the_same_file_finds_everything(qtbot, make_window, tmp_path):
    path = tmp_path / "restart.sqlite"
    first = make_window(path)
    first.editor.add_trade(buy())
    first.editor.watch("IWM")
    first.store.upsert_prices("COHU", [{"date": "2024-03-08", "close": 31.95}], "csv")
    first.close()
    first.store.close()
    second = make_window(path)
    assert cell(second.holdings_model, 0, 0) == "COHU"
    assert cell(second.holdings_model, 0, 6) == "3,195.00"
    assert [r.symbol for r in second.watchlist.model.rows] == ["^RUT", "^GSPC", "IWM"]
    assert "Prices as of 2024-03-08" in second.freshness.text()


def test_enter_on_a_trade_opens_it_for_editing(qtbot, make_window, monkeypatch):
    window = make_window()
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.editor.add_trade(buy())
    select_trade(window)
    window.trades_view.setFocus()
    opened = []
    monkeypatch.setattr(window, "trade_dialog", lambda trade=None: opened.append(trade) or _Shut())
    qtbot.keyClick(window.trades_view, Qt.Key_Return)
    assert [t.symbol for t in opened] == ["COHU"]


class _Shut:
    def exec(self):
        return 0


def test_freshness_is_the_date_the_holdings_are_priced_at(qtbot, make_window):
    window = make_window()
    window.editor.add_trade(buy())
    window.store.upsert_prices("COHU", [{"date": "2024-03-08", "close": 31.95}], "csv")
    window.store.upsert_prices("^GSPC", [{"date": "2026-08-21", "close": 7674.37}], "csv")
    window.reload()
    # Both dates: the refresh's "newest close 2026-08-21" on the left never reads against it.
    assert window.freshness.text() == "Holdings priced as of 2024-03-08; newest close 2026-08-21"


def test_a_whole_date_typed_over_the_date_field_is_the_date_saved(qtbot, make_window):
    window = make_window()
    dialog = window.trade_dialog()
    field = dialog.date_edit.edit
    assert field.text() == dt.date.today().isoformat()  # today's, to start with
    field.selectAll()
    qtbot.keyClicks(field, "2024-01-08")  # over it: QDateEdit kept the old year here
    qtbot.keyClicks(dialog.symbol_edit, "COHU")
    qtbot.keyClicks(dialog.quantity_edit, "10")
    qtbot.keyClicks(dialog.price_edit, "20")
    click_ok(qtbot, dialog)
    (saved,) = window.store.trades()
    assert saved.date == dt.date(2024, 1, 8)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("2024-13-01", "not a real date"),
        ("08/01/2024", "not a real date"),
        ("2999-01-01", "future"),
    ],
)
def test_a_bad_typed_date_is_refused_with_the_field_named(qtbot, make_window, typed, says):
    window = make_window()
    dialog = window.trade_dialog()
    dialog.date_edit.edit.setText(typed)
    qtbot.keyClicks(dialog.symbol_edit, "COHU")
    qtbot.keyClicks(dialog.quantity_edit, "10")
    qtbot.keyClicks(dialog.price_edit, "20")
    click_ok(qtbot, dialog)
    assert dialog.result() != TradeDialog.Accepted
    assert "Date:" in dialog.error_label.text() and says in dialog.error_label.text()
    assert window.store.trades() == []
    # Framed in red over the palette's own background: readable in a dark palette too.
    style = dialog.date_edit.edit.styleSheet()
    assert "#c62828" in style and "background" not in style


def test_the_calendar_picks_a_day_into_the_field(qtbot, make_window):

    dialog = make_window().trade_dialog()
    dialog.date_edit.calendar.clicked.emit(QDate(2023, 6, 30))
    assert dialog.date_edit.text() == "2023-06-30"
    assert dialog.date_edit.calendar.maximumDate() == QDate.currentDate()


def test_dialog_shows_only_the_fields_a_type_uses_and_saves_a_dividend(qtbot, make_window):
    window = make_window()
    window.editor.add_trade(buy())
    dialog = window.trade_dialog()
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("dividend"))
    visible = {name for name, w in dialog.fields.items() if dialog.form.isRowVisible(w)}
    assert visible == {"date", "type", "symbol", "amount", "note"}
    dialog.date_edit.set_date(dt.date(2024, 3, 1))
    qtbot.keyClicks(dialog.symbol_edit, "COHU")
    qtbot.keyClicks(dialog.amount_edit, "12.50")
    click_ok(qtbot, dialog)
    assert dialog.result() == TradeDialog.Accepted
    dividend = next(t for t in window.store.trades() if t.type is TradeType.DIVIDEND)
    assert dividend.amount == D("12.50") and dividend.symbol == "COHU"
    assert cell(window.trades_model, 0, 6) is None  # the Trades tab is not filled yet
    window.tabs.setCurrentIndex(1)
    assert cell(window.trades_model, 0, 6) == "12.50"
    deposit_dialog = window.trade_dialog()
    deposit_dialog.type_combo.setCurrentIndex(deposit_dialog.type_combo.findData("deposit"))
    assert not deposit_dialog.form.isRowVisible(deposit_dialog.symbol_edit)
    split_dialog = window.trade_dialog()
    split_dialog.type_combo.setCurrentIndex(split_dialog.type_combo.findData("split"))
    assert "New shares" in split_dialog.form.labelForField(split_dialog.quantity_edit).text()
    assert "old shares" in split_dialog.form.labelForField(split_dialog.price_edit).text()
    assert split_dialog.form.isRowVisible(split_dialog.price_edit)
    assert not split_dialog.form.isRowVisible(split_dialog.fee_edit)
    split_dialog.symbol_edit.setText("COHU")
    split_dialog.quantity_edit.setText("1")
    split_dialog.price_edit.setText("3")
    split_dialog.try_accept()  # a 1-for-3 reverse split of the 100 held: 33.333333333333
    split = next(t for t in window.store.trades() if t.type is TradeType.SPLIT)
    assert (split.quantity, split.price) == (1, 3)


def test_summary_shows_cash_when_the_portfolio_tracks_it(qtbot, make_window):
    from desktop.core.model import Trade

    window = make_window()
    window.editor.add_trade(Trade(dt.date(2024, 1, 2), TradeType.DEPOSIT, "", amount=D("10000")))
    window.editor.add_trade(buy(qty="100", price="32.10", fee="1"))
    window.store.upsert_prices("COHU", [{"date": "2024-03-08", "close": 31.95}], "csv")
    window.reload()
    text = window.summary.text()
    # cash 10000 - 3211 = 6789; securities 3195; total 9984
    assert "Cash <b>6,789.00</b>" in text and "Total <b>9,984.00</b>" in text
    assert "below zero" not in text
    window.editor.add_trade(buy(qty="300", price="32.10", fee="1", day=dt.date(2024, 1, 8)))
    window.reload()
    # 6789 - 9631 = -2842: kept, and said
    assert "Cash <b>-2,842.00</b>" in window.summary.text()
    assert "Cash is below zero: a deposit missing?" in window.summary.text()


# -- sizes ---------------------------------------------------------------------------------------
def test_the_window_keeps_room_for_its_tables_and_its_chart(make_window):
    from desktop.ui.main_window import MINIMUM_CHART_HEIGHT, MINIMUM_PANE_HEIGHT, MINIMUM_SIZE

    window = make_window()

    assert window.minimumSize() == MINIMUM_SIZE
    assert not window.splitter.childrenCollapsible()
    assert window.tabs.minimumHeight() == MINIMUM_PANE_HEIGHT
    assert window.chart_slot.minimumHeight() == MINIMUM_CHART_HEIGHT
    window.resize(100, 100)  # a window manager may ask for anything
    assert (window.width(), window.height()) == (MINIMUM_SIZE.width(), MINIMUM_SIZE.height())


@pytest.mark.parametrize(
    ("available", "expected"),
    [
        ((1920, 1080), (1180, 780)),  # room: the default size
        ((1280, 800), (1152, 720)),  # nine tenths of a small screen
        ((700, 450), (640, 440)),  # 1400x900 at 200%: never below the minimum
    ],
)
def test_the_first_size_fits_the_screen(available, expected):
    from PySide6.QtCore import QSize

    from desktop.ui.main_window import DEFAULT_SIZE, _fitting

    size = _fitting(DEFAULT_SIZE, QSize(*available))
    assert (size.width(), size.height()) == expected


def test_a_short_window_with_a_chart_paints_without_raising(qtbot, make_window):
    from desktop.ui.main_window import MINIMUM_CHART_HEIGHT

    # The shape that crashed the demo: 1180x420, the chart squeezed by the tables above it.
    window = make_window()
    window.editor.add_trade(buy())
    window.store.upsert_prices(
        "COHU", [{"date": f"2024-01-{d:02d}", "close": 30.0 + d} for d in range(8, 20)], "csv"
    )
    window.show()
    qtbot.waitExposed(window)
    window.start_background(refresh=False)  # synchronous tasks: the chart is drawn on return
    assert window.chart is not None and window.performance is not None
    window.resize(1180, 420)
    window.splitter.setSizes([400, 0])  # dragged as far as it goes

    window.grab()

    assert window.chart_slot.height() >= MINIMUM_CHART_HEIGHT
    # Too short for the strip, the chart and the why panel: they scroll, and never overlap.
    body = window.chart_body
    assert body.height() >= body.minimumSizeHint().height()
    why, chart = window.why, window.chart
    assert why.factors.geometry().top() >= why.plot.geometry().bottom()
    assert chart._plot.height() >= 100  # chart.PLOT_MINIMUM_HEIGHT


# -- one snapshot for every screen ---------------------------------------------------------------
@pytest.mark.parametrize("chart_range", ["1Y", "Max", "YTD"])
def test_the_chart_the_strip_and_report_json_give_the_same_ttwror(
    qtbot, make_window, capsys, chart_range, today_is
):
    import json

    from desktop.app import main
    from desktop.ui.performance import PORTFOLIO

    window = make_window()
    days = weekdays(dt.date(2023, 11, 1), 120)
    today_is(days[-1])  # the ranges count back from today (YTD: 2024 from 1 January)
    for symbol, drift in (("COHU", 0.004), ("^RUT", 0.001), ("^GSPC", 0.002)):
        closes = [{"date": d, "close": 30.0 * (1 + drift) ** i} for i, d in enumerate(days)]
        window.store.upsert_prices(symbol, closes, "csv")
    window.editor.add_trade(buy(day=dt.date(2023, 11, 6)))
    window.editor.add_trade(buy(qty="50", price="33.00", day=dt.date(2024, 1, 10)))
    window.start_background(refresh=False)  # the snapshot, on the synchronous runner
    window.set_chart_range(chart_range)

    chart_last = window.performance.lines(chart_range)[PORTFOLIO].iloc[-1]
    plotted = window.chart._lines[PORTFOLIO].y[-1]
    assert main(["report", "--json", "--period", chart_range, "--db", window.store.path]) == 0
    reported = json.loads(capsys.readouterr().out)["portfolio"]["ttwror"]

    assert window.shown_ttwror == chart_last == reported  # to the last digit
    assert plotted == chart_last * 100.0  # what the chart draws is that line, in percent
    assert f"{reported:+.2%}" in window.figure_strip.text_of("ttwror")


def test_a_trade_edit_recomputes_the_chart_without_reading_the_prices_again(
    qtbot, make_window, monkeypatch
):
    from desktop.data.store import Store
    from desktop.ui.performance import PORTFOLIO

    window = make_window()
    closes = [{"date": dt.date(2024, 1, d), "close": 30.0 + d} for d in (2, 3, 4, 5, 8, 9)]
    window.store.upsert_prices("COHU", closes, "csv")
    window.store.upsert_prices("CSCO", closes, "csv")
    window.editor.add_trade(buy(day=dt.date(2024, 1, 3)))
    window.start_background(refresh=False)
    reads = []
    real_closes = Store.closes
    monkeypatch.setattr(
        Store,
        "closes",
        lambda self, symbols, *a, **k: (
            reads.append(list(symbols)) or real_closes(self, symbols, *a, **k)
        ),
    )
    before = window.performance

    window.editor.add_trade(buy(qty="50", price="34", day=dt.date(2024, 1, 5)))

    assert reads == []  # the ledger changed, the prices did not
    assert window.performance is not before
    # r = (V + out) / (V before + in) - 1 each day: 100 bought for 3,211 on the 3rd (close 33),
    # 3,400 on the 4th, 50 more for 1,701 on the 5th (close 35), then 38 and 39.
    line = window.performance.lines("Max")[PORTFOLIO]
    assert line.iloc[-1] == pytest.approx((3400 / 3211) * (5250 / (3400 + 1701)) * (39 / 35) - 1)

    window.editor.add_trade(buy(symbol="CSCO", day=dt.date(2024, 1, 8)))
    assert any("CSCO" in symbols for symbols in reads)  # a new security: its prices are read


class _HeldRunner:
    """Runs each task when the test says, in the order it says (a slow worker pool)."""

    def __init__(self) -> None:
        self.queue: list = []

    def run_task(self, fn, on_done, on_error=None, on_progress=None) -> None:
        self.queue.append((fn, on_done, on_error))

    def run(self, index: int) -> None:
        fn, on_done, _on_error = self.queue.pop(index)
        on_done(fn(lambda *a: None))

    def wait(self, msecs: int = 0) -> bool:
        return True


@pytest.mark.parametrize("first", [0, 1], ids=["older-first", "newer-first"])
def test_a_late_answer_never_replaces_a_newer_one_and_edits_reuse_only_fresh_prices(
    qtbot, tmp_path, first
):
    from desktop.data.store import Store
    from desktop.ui.main_window import MainWindow
    from desktop.ui.performance import PORTFOLIO

    store = Store(tmp_path / "p.sqlite")
    days = [dt.date(2024, 1, d) for d in (2, 3, 4, 5, 8)]
    store.upsert_prices("COHU", [{"date": d, "close": 40.0} for d in days], "csv")
    runner = _HeldRunner()
    window = MainWindow(store, runner)
    qtbot.addWidget(window)
    window.editor.add_trade(buy(price="40", fee="0", day=dt.date(2024, 1, 3)))
    window.start_background(refresh=False)
    runner.run(0)  # the chart modules
    while runner.queue:
        runner.run(0)  # the first snapshot
    assert window.performance.ttwror("Max") == pytest.approx(0.0)

    store.upsert_prices("COHU", [{"date": dt.date(2024, 1, 9), "close": 50.0}], "csv")
    window.reload()  # a refresh wrote a new close: A reads the prices
    window.editor.add_trade(buy(qty="1", price="40", fee="0", day=dt.date(2024, 1, 4)))  # B
    assert len(runner.queue) == 2
    # B reads the prices too (A's are on their way); whichever comes back first, the chart
    # ends on B's answer and A's is dropped.
    runner.run(first)
    runner.run(0)

    # 101 shares: 40 until the 8th, then 50 on the 9th: +25%.
    assert window.performance.lines("Max")[PORTFOLIO].iloc[-1] == pytest.approx(0.25)
    reads = []
    real = Store.closes
    Store.closes = lambda self, s, *a, **k: reads.append(list(s)) or real(self, s, *a, **k)
    try:
        window.editor.add_trade(buy(qty="1", price="40", fee="0", day=dt.date(2024, 1, 5)))
        runner.run(0)
    finally:
        Store.closes = real
    assert reads == []  # now the prices in memory are the fresh ones: reused
    assert window.performance.ttwror("Max") == pytest.approx(0.25)
    store.close()


def test_columns_fit_their_header_and_their_first_rows_text(make_window):
    window = make_window()
    long_name = "TETON Westwood SmallCap Equity Fund Class I"
    window.store.save_instrument(Instrument("WWSIX", long_name))
    window.store.upsert_prices("WWSIX", [{"date": "2024-03-08", "close": 26.15}], "csv")
    window.editor.add_trade(buy("WWSIX", qty="12345", price="22.45", fee="0"))
    window.tabs.setCurrentIndex(1)  # the Trades tab: filled, so fitted, now
    view, model = window.trades_view, window.trades_model
    metrics, header = view.fontMetrics(), view.horizontalHeader()
    for column in range(model.columnCount()):
        if header.sectionResizeMode(column) == QHeaderView.Stretch:
            continue
        text = model.data(model.index(0, column), Qt.DisplayRole)
        needed = max(metrics.horizontalAdvance(text or ""), header.sectionSizeHint(column))
        # Room for the text and the header, and not much more (Qt's default is 100 px).
        assert needed <= header.sectionSize(column) <= needed + 24, column
    assert header.sectionResizeMode(0) == QHeaderView.Interactive  # the user can drag it


def test_a_price_a_hundredfold_off_the_cached_close_is_asked_about_before_it_is_saved(
    qtbot, make_window
):
    window = make_window()
    closes = [{"date": f"2024-01-0{d}", "close": 32.0} for d in (2, 3, 4, 5)]
    window.store.upsert_prices("COHU", closes, "csv")
    asked = []

    def buy_in_dialog(qty: str, price: str, answer: bool):
        dialog = window.trade_dialog()
        dialog.confirm = lambda question: asked.append(question) or answer
        fill_dialog(
            qtbot,
            dialog,
            date="2024-01-05",
            kind="buy",
            symbol="COHU",
            qty=qty,
            price=price,
            fee="1",
        )
        click_ok(qtbot, dialog)
        return dialog

    dialog = buy_in_dialog("100", "3210", answer=False)  # Cancel
    assert window.store.trades() == [] and dialog.result() != TradeDialog.Accepted
    assert asked == [
        "The price 3210 is 100 times the cached close of COHU on or before 2024-01-05 "
        "(32.00). Typed in cents, in another currency, or with the decimal point in the "
        "wrong place?\n\nSave the buy anyway?"
    ]
    dialog.confirm = lambda question: asked.append(question) or True  # Save anyway
    click_ok(qtbot, dialog)
    assert [t.price for t in window.store.trades()] == [3210]
    # Near the close, nothing is asked; a 2:1 split after the day doubles the close then.
    asked.clear()
    window.editor.add_trade(Trade(dt.date(2024, 1, 8), TradeType.SPLIT, "COHU", D(2), D(0), D(0)))
    assert window.close_on("COHU", dt.date(2024, 1, 5)) == 64.0
    buy_in_dialog("10", "63.50", answer=False)
    assert asked == [] and len(window.store.trades()) == 3
