"""The positions kept beside the ledger always say what booking every entry says, or say
that they cannot be trusted."""

import datetime as dt
import random
import sqlite3
from decimal import Decimal as D

import pytest

from desktop.core.holdings import book
from desktop.core.model import CostMethod, Trade, TradeType

T = TradeType
FIGURES = ("quantity", "cost_basis", "realized_gain", "dividends", "fees", "taxes", "invested")


def figures(positions):
    return {s: tuple(getattr(p, f) for f in FIGURES) for s, p in positions.items()}


def assert_kept_is_booked(store):
    """The kept rows against an independent booking of every entry read back."""
    kept = store.positions_now()
    assert kept is not None
    positions, cash, tracks_cash = kept
    ledger, _ = book(store.trades(), store.cost_method())
    assert figures(positions) == figures(ledger.positions)
    assert (cash, tracks_cash) == (ledger.cash, ledger.tracks_cash)


def start_keeping(store):
    store.save_positions(book(store.trades(), store.cost_method())[0], changes=0)


def test_a_new_database_keeps_nothing_until_booked_then_every_write_keeps_it_current(store):
    assert store.positions_now() is None
    start_keeping(store)
    assert store.positions_now() == ({}, D(0), False)
    buy, _ = store.add_trade(Trade(dt.date(2024, 1, 2), T.BUY, "A", D(10), D(5), D(1)))
    assert_kept_is_booked(store)
    positions, cash, _ = store.positions_now()
    assert (positions["A"].quantity, positions["A"].cost_basis, cash) == (10, D(51), D(-51))


def test_random_edits_keep_the_positions_and_the_cash_exact(store):
    rng = random.Random(11)
    start_keeping(store)
    saved = []
    for _step in range(120):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(60))
        symbol = rng.choice(["A", "B", "C"])
        roll = rng.random()
        if roll < 0.35 or not saved:
            kind = rng.choice([T.BUY, T.BUY, T.SELL, T.DIVIDEND, T.DEPOSIT, T.FEE, T.SPLIT])
            if kind in (T.DEPOSIT,):
                entry = Trade(day, kind, "", amount=D(rng.randrange(100, 999)))
            elif kind in (T.DIVIDEND, T.FEE):
                entry = Trade(
                    day,
                    kind,
                    rng.choice([symbol, ""]) if kind is T.FEE else symbol,
                    amount=D(rng.randrange(1, 50)),
                )
            elif kind is T.SPLIT:
                entry = Trade(day, kind, symbol, D(2))
            else:
                entry = Trade(
                    day, kind, symbol, D(rng.randrange(1, 20)), D(rng.randrange(5, 60)), D("0.5")
                )
            added, problems = store.add_trade(entry)
            if added is not None:
                saved.append(added)
        elif roll < 0.7:
            old = rng.choice(saved)
            moved = Trade(
                day,
                old.type,
                old.symbol and symbol,
                old.quantity,
                old.price,
                old.fee,
                amount=old.amount,
                id=old.id,
            )
            new, problems = store.update_trade(moved)
            if new is not None:
                saved[saved.index(old)] = new
        else:
            old = rng.choice(saved)
            gone, problems = store.delete_trade(old.id)
            if gone is not None:
                saved.remove(old)
        assert_kept_is_booked(store)
    many = [Trade(dt.date(2024, 3, 1), T.BUY, s, D(3), D(7), D(0)) for s in ("A", "D", "")]
    many[-1] = Trade(dt.date(2024, 3, 1), T.WITHDRAWAL, "", amount=D(5))
    assert store.add_trades(many)[1] == []
    assert_kept_is_booked(store)


def test_a_refused_write_leaves_the_kept_positions_as_they_were(store):
    start_keeping(store)
    store.add_trade(Trade(dt.date(2024, 1, 2), T.BUY, "A", D(10), D(5), D(0)))
    before = store.positions_now()
    _, problems = store.add_trade(Trade(dt.date(2024, 1, 3), T.SELL, "A", D(11), D(5), D(0)))
    assert problems
    assert store.positions_now() == before


def test_any_other_write_or_another_cost_method_makes_them_untrusted(store, tmp_path):
    start_keeping(store)
    store.add_trade(Trade(dt.date(2024, 1, 2), T.BUY, "A", D(10), D(5), D(0)))
    assert store.positions_now() is not None
    store.set_setting("cost_method", CostMethod.AVERAGE.value)
    assert store.positions_now() is None
    store.set_setting("cost_method", CostMethod.FIFO.value)
    assert store.positions_now() is not None
    with sqlite3.connect(store.path) as other:  # another program adds an entry
        other.execute(
            "INSERT INTO trades(date, type, symbol, quantity, price, fee, note, amount, currency)"
            " VALUES ('2024-01-03', 'buy', 'A', '1', '5', '0', '', '0', '')"
        )
    assert store.positions_now() is None
    # Booked from what was read before that write: still not trusted.
    changes = store.ledger_changes() - 1
    store.save_positions(book(store.trades()[:1])[0], changes=changes)
    assert store.positions_now() is None


def test_the_window_paints_from_the_kept_positions_without_reading_the_ledger(
    make_window_for_store, monkeypatch
):
    window, store = make_window_for_store()
    assert window.holdings_model.rows[0].quantity == pytest.approx(10)


@pytest.fixture
def make_window_for_store(qtbot, tmp_path, monkeypatch):
    from desktop.data.store import Store
    from desktop.ui.main_window import MainWindow
    from desktop.ui.tasks import TaskRunner

    made = []

    def make():
        path = tmp_path / "kept.sqlite"
        with Store(path) as first:
            start_keeping(first)
            first.add_trade(Trade(dt.date(2024, 1, 2), T.BUY, "A", D(10), D(5), D(0)))
            first.upsert_prices("A", [{"date": "2024-01-03", "close": 6.0}], "csv")
        store = Store(path)
        made.append(store)

        def no_reading(*_a, **_k):
            raise AssertionError("the ledger was read for the first paint")

        monkeypatch.setattr(Store, "trades", no_reading)
        window = MainWindow(store, TaskRunner(synchronous=True))
        qtbot.addWidget(window)
        monkeypatch.undo()
        return window, store

    yield make
    for store in made:
        store.close()


def test_the_groups_with_entries_in_a_currency_of_their_own_are_found(store):
    from dataclasses import replace

    day = dt.date(2024, 1, 5)
    store.add_trade(Trade(day, TradeType.BUY, "COHU", D(10), D(30), D(0)))  # the instrument's
    store.add_trade(replace(Trade(day, TradeType.BUY, "IWM", D(1), D(180), D(0)), currency="EUR"))
    store.add_trade(Trade(day, TradeType.DEPOSIT, "", D(0), D(0), amount=D(500), currency="GBP"))
    store.add_trade(Trade(day, TradeType.DEPOSIT, "", D(0), D(0), amount=D(90), currency="USD"))
    assert store.groups_in_currencies_other_than("USD") == {"IWM", ""}
    assert store.groups_in_currencies_other_than("EUR") == {
        "",
    }  # GBP and USD deposits
    assert store.groups_in_currencies_other_than("GBP") == {"IWM", ""}
    plan = store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT DISTINCT COALESCE(symbol, '') FROM trades "
        "WHERE currency <> '' AND currency <> 'USD'"
    ).fetchall()
    assert "trades_own_currency" in str(plan)  # the index, not a scan of every entry
