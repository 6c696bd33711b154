"""The holdings now (``PortfolioSnapshot.latest``), as the window's table shows them: every
entry booked, each holding at its own last close, in the base currency. Checked by hand."""

import datetime as dt
from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest

from desktop.core.model import Trade, TradeType
from desktop.core.snapshot import MarketData, PortfolioSnapshot

T = TradeType
DAYS = pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"])


def entry(day, kind, symbol, qty="0", price="0", amount="0"):
    return Trade(day, kind, symbol, D(qty), D(price), D(0), amount=D(amount))


def snapshot(ledger, closes, fx=None, currencies=None):
    market = MarketData(
        pd.DataFrame(closes, index=DAYS, dtype=float),
        currencies or {},
        pd.DataFrame(fx or {}, index=DAYS, dtype=float),
        "USD",
    )
    return PortfolioSnapshot.create(ledger, market, names={"A": "Alpha"})


def test_entries_after_the_last_close_count_and_each_holding_has_its_own_last_close():
    ledger = [
        entry(dt.date(2024, 1, 2), T.BUY, "A", "10", "10"),
        entry(dt.date(2024, 1, 3), T.BUY, "B", "4", "20"),
        entry(dt.date(2024, 1, 9), T.BUY, "A", "5", "13"),  # after every close
    ]
    nan = np.nan
    s = snapshot(ledger, {"A": [10, 11, 12, nan], "B": [20, 21, 22, 23]})
    holdings, totals = s.latest
    a, b = holdings
    assert (a.symbol, a.name, a.quantity, a.close_date) == ("A", "Alpha", 15.0, dt.date(2024, 1, 4))
    assert a.market_value == pytest.approx(15 * 12)  # A's own last close, on the 4th
    assert a.cost_basis == pytest.approx(100 + 65)
    assert (b.close_date, b.market_value) == (dt.date(2024, 1, 5), pytest.approx(4 * 23))
    assert totals.market_value == pytest.approx(180 + 92)
    assert a.weight == pytest.approx(180 / 272)
    assert s.latest_cash is None
    # The period's end (the last valued day, the 5th) leaves the buy of the 9th out.
    assert [f.holding.quantity for f in s.holdings] == [10.0, 4.0]


def test_a_foreign_holding_at_the_rate_of_its_last_close_and_a_split_not_yet_in_the_closes():
    ledger = [
        entry(dt.date(2024, 1, 2), T.DEPOSIT, "", amount="5000"),
        entry(dt.date(2024, 1, 2), T.BUY, "SAP", "10", "100"),
        entry(dt.date(2024, 1, 2), T.BUY, "A", "10", "10"),
        entry(dt.date(2024, 1, 8), T.SPLIT, "A", "2"),  # 2 for 1, after the last close
    ]
    s = snapshot(
        ledger,
        {"SAP": [100, 100, 110, np.nan], "A": [10, 10, 12, 12]},
        fx={"EUR": [1.0, 1.1, 1.2, 1.3]},
        currencies={"SAP": "EUR"},
    )
    (a, sap), totals = s.latest
    # SAP: 10 x 110 EUR on the 4th, at that day's 1.2 (not the 5th's 1.3); bought at 1.0.
    assert sap.market_value == pytest.approx(10 * 110 * 1.2)
    assert sap.cost_basis == pytest.approx(1000)
    # A: 20 shares after the split; the cached 12 is a price before it: 6 per share now.
    assert (a.quantity, a.last_close) == (20.0, pytest.approx(6.0))
    assert a.market_value == pytest.approx(120)
    # Cash: 5000 - 1000 (SAP, 1000 EUR at 1.0) - 100 = 3900.
    assert s.latest_cash == pytest.approx(3900)
    assert totals.market_value == pytest.approx(1320 + 120)


def test_an_edit_books_again_only_the_group_it_changed_and_gives_what_booking_all_does():
    import random

    from desktop.core.holdings import book, combine

    rng = random.Random(5)
    ledger = [entry(dt.date(2024, 1, 2), T.DEPOSIT, "", amount="10000")]
    for k in range(60):
        symbol = rng.choice("ABC")
        day = dt.date(2024, 1, 2) + dt.timedelta(days=k // 10)
        ledger.append(
            entry(day, T.BUY, symbol, str(rng.randrange(1, 9)), str(rng.randrange(5, 30)))
        )
        if k % 7 == 3:
            ledger.append(entry(day, T.SELL, symbol, "1", "40"))
        if k % 11 == 5:
            ledger.append(entry(day, T.DIVIDEND, symbol, amount="3"))
    ledger = [
        Trade(**{**{f: getattr(t, f) for f in t.__slots__}, "id": i}) for i, t in enumerate(ledger)
    ]
    closes = {"A": [10, 11, 12, 13], "B": [20, 21, 22, 23], "C": [30, 31, 32, 33]}
    first = snapshot(ledger, closes)
    whole = book(ledger)[0]
    assert combine(first._basis.group_book(g) for g in first._basis.groups) == whole
    _ = first.latest

    added = Trade(dt.date(2024, 1, 5), T.BUY, "B", D(5), D(21), D(0), id=999)
    market = first.market
    second = PortfolioSnapshot.create([*ledger, added], market, previous=first)
    assert second.latest_book == book([*ledger, added])[0]
    kept, fresh = first._basis._group_books, second._basis._group_books
    assert kept["A"] is fresh["A"] and kept[""] is fresh[""]  # not booked again
    assert fresh["B"] is not kept["B"]  # the group the edit changed
    assert second.latest == PortfolioSnapshot.create([*ledger, added], market).latest
    # The timeline: the unchanged groups' entry tables kept, the same days and values as a
    # timeline built afresh.
    _ = first.valuation
    again = PortfolioSnapshot.create([*ledger, added], market, previous=first)
    pd.testing.assert_frame_equal(
        again.valuation, PortfolioSnapshot.create([*ledger, added], market).valuation
    )
    assert again._basis._tables["A"] is first._basis._tables["A"]
    assert again._basis.filled_closes is first._basis.filled_closes  # same market, securities
    assert again._basis._tables["B"] is not first._basis._tables["B"]
    fresh_flows = PortfolioSnapshot.create([*ledger, added], market).timeline.flows
    pd.testing.assert_series_equal(again.timeline.flows, fresh_flows)


def test_a_split_not_yet_in_the_closes_is_valued_right_over_time_at_the_end_and_now():
    """The cached closes end before a split the ledger records (they were fetched before it
    and are not adjusted for it): every figure divides them by it, so no view shows the
    holding at twice its value. 10 shares at 10; closes 10, 10, 12, 12; split 2:1 on the 8th."""
    ledger = [
        entry(dt.date(2024, 1, 2), T.BUY, "A", "10", "10"),
        entry(dt.date(2024, 1, 8), T.SPLIT, "A", "2"),
    ]
    s = snapshot(ledger, {"A": [10, 10, 12, 12]})
    # Over time: 10 shares then = 20 shares now at half the cached price.
    values = s.timeline.valuation["value"].tolist()
    assert values == pytest.approx([100, 100, 120, 120])
    # At the period's end (the 5th, before the split): 10 shares at 12.
    ((a_end,), totals) = ([f.holding for f in s.holdings], s.totals)
    assert (a_end.quantity, a_end.last_close, a_end.market_value) == (
        10.0,
        pytest.approx(12),
        pytest.approx(120),
    )
    assert totals.market_value == pytest.approx(120)
    # Now: 20 shares at 6.
    ((a_now,), _) = s.latest
    assert (a_now.quantity, a_now.market_value) == (20.0, pytest.approx(120))
    assert s.ttwror == pytest.approx(0.20)


def test_an_edit_that_records_a_split_after_the_last_close_revalues_the_closes_kept():
    before = [entry(dt.date(2024, 1, 2), T.BUY, "A", "10", "10")]
    first = snapshot(before, {"A": [10, 10, 12, 12]})
    assert first.timeline.valuation["value"].iloc[-1] == pytest.approx(120)
    after = [*before, entry(dt.date(2024, 1, 8), T.SPLIT, "A", "2")]
    again = PortfolioSnapshot.create(after, first.market, previous=first)
    assert again.timeline.valuation["value"].iloc[-1] == pytest.approx(120)  # not 240
    assert again.latest[0][0].market_value == pytest.approx(120)
