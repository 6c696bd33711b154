"""An edit changes the rows it touches, in place: no table is reset, the selection stays."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal as D

import pytest
from PySide6.QtCore import QItemSelectionModel

from desktop.core.model import Trade, TradeType
from tests.ui.conftest import buy

DAYS = [dt.date(2024, 1, d) for d in (2, 3, 4, 5, 8)]


class Signals:
    """Every structural signal a model sends, in order."""

    def __init__(self, model) -> None:
        self.seen: list[tuple] = []
        model.modelReset.connect(lambda: self.seen.append(("reset",)))
        model.rowsInserted.connect(lambda _p, a, b: self.seen.append(("inserted", a, b)))
        model.rowsRemoved.connect(lambda _p, a, b: self.seen.append(("removed", a, b)))
        model.dataChanged.connect(
            lambda a, b, _r=(): self.seen.append(("changed", a.row(), b.row()))
        )


@pytest.fixture
def window(make_window):
    w = make_window()
    for symbol, close in (("AAA", 10.0), ("CCC", 30.0), ("EEE", 50.0)):
        w.store.upsert_prices(symbol, [{"date": d, "close": close} for d in DAYS], "csv")
        w.editor.add_trade(buy(symbol, qty="10", price=str(close), fee="0", day=DAYS[1]))
    w.tabs.setCurrentIndex(1)  # the Trades tab, filled now
    return w


def symbols(model):
    return [h.symbol for h in model.rows]


def test_a_new_trade_is_one_inserted_row_where_it_belongs_and_the_selection_stays(window):
    trades = window.trades_model
    assert [t.symbol for t in trades.rows] == ["EEE", "CCC", "AAA"]  # newest id first
    view = window.trades_view
    view.selectionModel().select(
        trades.index(1, 0), QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows
    )
    signals = Signals(trades)
    window.editor.add_trade(buy("CCC", qty="5", price="30", fee="0", day=DAYS[0]))
    assert signals.seen == [("inserted", 3, 3)]  # the oldest date: the last row
    assert window.selected_trade().symbol == "CCC"  # the same entry is still selected
    assert [t.date for t in trades.rows] == sorted((t.date for t in trades.rows), reverse=True)


def test_an_edit_that_moves_a_trade_in_time_moves_its_row(window):
    trades = window.trades_model
    aaa = next(t for t in trades.rows if t.symbol == "AAA")
    signals = Signals(trades)
    window.editor.update_trade(aaa, replace(aaa, date=DAYS[3]))
    assert signals.seen == [("removed", 2, 2), ("inserted", 0, 0)]
    assert trades.rows[0].symbol == "AAA" and trades.rows[0].date == DAYS[3]
    window.undo_stack.undo()
    assert trades.rows[2] == aaa
    assert [t.id for t in trades.rows] == [t.id for t in sorted(trades.rows, key=lambda t: -t.id)]


def test_holdings_change_by_the_rows_an_edit_touches(window):
    holdings = window.holdings_model
    signals = Signals(holdings)
    window.editor.add_trade(buy("CCC", qty="10", price="30", fee="0", day=DAYS[2]))
    # Every weight moved, so every row is redrawn in place; nothing inserted, nothing reset.
    assert signals.seen == [("changed", 0, 2)]
    assert holdings.rows[1].quantity == 20.0
    # 100 + 600 + 500 = 1,200: CCC weighs a half.
    assert holdings.rows[1].weight == pytest.approx(0.5)

    signals.seen.clear()
    window.editor.add_trade(buy("BBB", qty="1", price="20", fee="0", day=DAYS[2]))
    assert ("inserted", 1, 1) in signals.seen and ("reset",) not in signals.seen
    assert symbols(holdings) == ["AAA", "BBB", "CCC", "EEE"]

    signals.seen.clear()
    sale = Trade(DAYS[3], TradeType.SELL, "AAA", D("10"), D("11"), D("0"))
    window.editor.add_trade(sale)
    assert signals.seen[0] == ("removed", 0, 0) and ("reset",) not in signals.seen
    assert symbols(holdings) == ["BBB", "CCC", "EEE"]


def test_the_trades_tab_is_filled_when_first_shown_with_the_edits_made_before(make_window):
    w = make_window()
    w.editor.add_trade(buy("AAA", day=DAYS[0]))
    w.editor.add_trade(buy("BBB", day=DAYS[1]))
    (first, _) = w.store.trades()
    w.editor.delete_trade(first)
    assert w.trades_model.rowCount() == 0  # not shown yet: not filled
    w.tabs.setCurrentIndex(1)
    assert [t.symbol for t in w.trades_model.rows] == ["BBB"]


def test_an_entry_written_by_another_program_appears_after_a_reload(window):
    window.store.add_trade(buy("EEE", qty="1", price="50", fee="0", day=DAYS[4]))  # not the editor
    window.reload()
    assert len(window.trades_model.rows) == 4 and window.trades_model.rows[0].date == DAYS[4]
    assert window.holdings_model.rows[2].quantity == 11.0


def test_a_foreign_holding_is_shown_in_the_base_currency_as_in_the_report(make_window):
    from desktop.core.model import Instrument
    from desktop.data.report import build_report

    w = make_window()
    w.store.save_instrument(Instrument("SAP.DE", "SAP", currency="EUR"))
    w.store.upsert_prices("SAP.DE", [{"date": d, "close": 200.0} for d in DAYS], "csv")
    rates = [{"date": d, "close": 1.10} for d in DAYS]
    w.store.upsert_prices("EURUSD=X", rates, "csv")
    w.editor.add_trade(buy("SAP.DE", qty="10", price="180", fee="0", day=DAYS[1]))
    (holding,) = w.holdings_model.rows
    # 10 shares at 200 EUR, at 1.10 USD per euro; bought for 1,800 EUR at 1.10.
    assert holding.market_value == pytest.approx(2200.0)
    assert holding.cost_basis == pytest.approx(1980.0)
    (row,) = build_report(w.store).data["holdings"]
    assert row["market_value"] == holding.market_value
    assert "2,200.00" in w.summary.text()


def test_an_edit_recomputes_from_the_ledger_in_memory_and_a_reload_reads_it_again(
    window, monkeypatch
):
    from desktop.data.store import Store

    whole_reads = []
    real = Store.trades

    def counting(self, symbols=None):
        if symbols is None:
            whole_reads.append(1)
        return real(self, symbols)

    monkeypatch.setattr(Store, "trades", counting)
    window.editor.add_trade(buy("AAA", qty="5", price="10", fee="0", day=DAYS[2]))
    assert whole_reads == []  # only AAA's entries, to check the new one
    assert window.holdings_model.rows[0].quantity == 15.0
    window.undo_stack.undo()
    assert whole_reads == [] and window.holdings_model.rows[0].quantity == 10.0
    window.reload()
    assert whole_reads == [1]


def test_an_edit_after_another_program_wrote_to_the_file_reads_the_ledger_again(window):
    from desktop.data.store import Store

    with Store(window.store.path) as other:  # a second window, or the command line
        other.add_trade(buy("EEE", qty="5", price="50", fee="0", day=DAYS[2]))
        (aaa,) = other.trades(["AAA"])
        other.update_trade(replace(aaa, quantity=D("12")))  # the same id, a new quantity
    window.editor.add_trade(buy("CCC", qty="1", price="30", fee="0", day=DAYS[2]))
    quantities = {h.symbol: h.quantity for h in window.holdings_model.rows}
    assert quantities == {"AAA": 12.0, "CCC": 11.0, "EEE": 15.0}
    shown = {(t.symbol, t.quantity) for t in window.trades_model.rows}
    assert ("AAA", D("12")) in shown and ("AAA", D("10")) not in shown
    assert len(window.trades_model.rows) == 5


def _window_without_its_snapshot(make_window, path, monkeypatch):
    """A window opened on ``path`` whose first paint is all there is: its snapshot is never
    computed (the recompute does nothing), as in the moment before a worker answers."""
    from desktop.ui.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "recompute", lambda self, **kw: None)
    return make_window(path)


def test_the_first_paint_of_a_portfolio_in_one_currency_adds_up_the_kept_positions(
    make_window, tmp_path, monkeypatch
):
    from desktop.data.store import Store

    path = tmp_path / "usd.sqlite"
    with Store(path) as store:
        store.upsert_prices("COHU", [{"date": DAYS[1], "close": 40.0}], "csv")
        store.add_trade(buy("COHU", qty="10", price="30", fee="0", day=DAYS[1]))
    w = _window_without_its_snapshot(make_window, path, monkeypatch)
    (holding,) = w.holdings_model.rows
    assert (holding.market_value, holding.cost_basis) == (400.0, 300.0)
    assert "400.00" in w.summary.text()


@pytest.mark.parametrize("how", ["instrument", "entry", "deposit"])
def test_the_first_paint_does_not_add_up_positions_in_another_currency(
    make_window, tmp_path, monkeypatch, how
):
    """Adding a EUR cost to USD ones would show a wrong total until the snapshot came: the
    strip says the holdings are being converted instead, and the snapshot fills them."""
    from desktop.core.model import Instrument
    from desktop.data.store import Store

    path = tmp_path / "mixed.sqlite"
    with Store(path) as store:
        store.upsert_prices("COHU", [{"date": DAYS[1], "close": 40.0}], "csv")
        store.add_trade(buy("COHU", qty="10", price="30", fee="0", day=DAYS[1]))
        if how == "instrument":
            store.save_instrument(Instrument("SAP.DE", "SAP", currency="EUR"))
            store.add_trade(buy("SAP.DE", qty="10", price="180", fee="0", day=DAYS[1]))
        elif how == "entry":  # a USD-listed security bought in euros
            store.add_trade(
                replace(buy("IWM", qty="1", price="180", fee="0", day=DAYS[1]), currency="EUR")
            )
        else:
            store.add_trade(
                Trade(DAYS[1], TradeType.DEPOSIT, "", D(0), D(0), amount=D(500), currency="EUR")
            )
    w = _window_without_its_snapshot(make_window, path, monkeypatch)
    assert w.holdings_model.rowCount() == 0
    assert "Converting the holdings to USD" in w.summary.text()


def test_the_first_paint_divides_a_close_cached_before_a_split_by_it(
    make_window, tmp_path, monkeypatch
):
    """10 shares bought at 30; closes cached up to the 3rd at 40; a 2:1 split on the 5th:
    20 shares now, worth 20 x 20 = 400 (not 20 x 40), as the snapshot will say."""
    from desktop.data.store import Store

    path = tmp_path / "split.sqlite"
    with Store(path) as store:
        store.upsert_prices("COHU", [{"date": DAYS[1], "close": 40.0}], "csv")
        store.add_trade(buy("COHU", qty="10", price="30", fee="0", day=DAYS[0]))
        store.add_trade(Trade(DAYS[3], TradeType.SPLIT, "COHU", D(2), D(0), D(0)))
    first = _window_without_its_snapshot(make_window, path, monkeypatch)
    (holding,) = first.holdings_model.rows
    assert (holding.quantity, holding.last_close, holding.market_value) == (20.0, 20.0, 400.0)
    monkeypatch.undo()
    computed = make_window(path)  # its snapshot computed (synchronously): the same figures
    (again,) = computed.holdings_model.rows
    assert (again.quantity, again.last_close, again.market_value) == (20.0, 20.0, 400.0)
