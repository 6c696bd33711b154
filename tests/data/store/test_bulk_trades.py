"""Many trades at once (an import and its undo): one transaction, all or none."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from desktop.core.model import Trade, TradeType


def entry(kind, day, qty="10", symbol="COHU"):
    return Trade(dt.date(2024, 1, day), kind, symbol, D(qty), D("20"), D(0))


def test_deleting_many_is_refused_whole_when_a_kept_sale_depends_on_one(store):
    saved, _ = store.add_trades(
        [entry(TradeType.BUY, 2), entry(TradeType.BUY, 3), entry(TradeType.SELL, 4, "15")]
    )
    first, second, sale = saved
    deleted, problems = store.delete_trades([first.id, second.id])
    assert deleted == [] and "cannot delete them" in problems[0].message
    assert store.trades() == saved  # nothing went
    deleted, problems = store.delete_trades([second.id, sale.id])
    assert problems == [] and deleted == [second, sale]
    assert store.trades() == [first]
    assert "more than the 10 held" in store.add_trade(entry(TradeType.SELL, 5, "11"))[1][0].message


def test_deleting_an_id_that_is_gone_deletes_nothing(store):
    [kept], _ = store.add_trades([entry(TradeType.BUY, 2)])
    assert store.delete_trades([kept.id, 999]) == ([], [store.delete_trades([999])[1][0]])
    assert store.trades() == [kept]


def test_added_again_the_deleted_entries_keep_their_ids(store):
    saved, _ = store.add_trades([entry(TradeType.BUY, 2), entry(TradeType.BUY, 3)])
    store.delete_trades([t.id for t in saved])
    again, problems = store.add_trades(saved)
    assert problems == [] and again == saved and store.trades() == saved
