"""Holdings valued at the last close: values, gains and weights computed by hand."""

import datetime as dt
from decimal import Decimal as D

import pytest

from desktop.core.holdings import build_positions
from desktop.core.model import Trade, TradeType
from desktop.core.valuation import value_holdings

DAY = dt.date(2024, 3, 8)


def buy(symbol, qty, price, fee="0"):
    return Trade(dt.date(2024, 1, 8), TradeType.BUY, symbol, D(qty), D(price), D(fee))


def test_values_gains_and_weights():
    positions, _ = build_positions(
        [buy("COHU", "300", "33.80", "1"), buy("SUM", "250", "37.77", "1")]
    )
    closes = {"COHU": (DAY, 31.95), "SUM": (DAY, 42.99)}
    holdings, totals = value_holdings(positions, closes, {"SUM": "Summit Materials"})
    cohu, sum_ = holdings
    assert cohu.symbol == "COHU" and sum_.name == "Summit Materials"
    assert cohu.market_value == pytest.approx(300 * 31.95)  # 9585.00
    assert cohu.cost_basis == pytest.approx(10141.0)  # 300 * 33.80 + 1
    assert cohu.unrealized_gain == pytest.approx(9585.0 - 10141.0)
    assert cohu.unrealized_return == pytest.approx(-556.0 / 10141.0)
    assert sum_.market_value == pytest.approx(10747.5)  # 250 * 42.99
    assert sum_.unrealized_gain == pytest.approx(10747.5 - 9443.5)
    total = 9585.0 + 10747.5
    assert cohu.weight == pytest.approx(9585.0 / total)
    assert sum_.weight == pytest.approx(10747.5 / total)
    assert totals.market_value == pytest.approx(total)
    assert totals.cost_basis == pytest.approx(10141.0 + 9443.5)
    assert totals.unrealized_gain == pytest.approx(total - 19584.5)


def test_a_holding_without_a_price_makes_the_total_unknown():
    positions, _ = build_positions([buy("COHU", "10", "30"), buy("WWSIX", "5", "20")])
    holdings, totals = value_holdings(positions, {"COHU": (DAY, 33.0)})
    wwsix = next(h for h in holdings if h.symbol == "WWSIX")
    assert wwsix.market_value is None and wwsix.weight is None
    assert totals.market_value is None and totals.unrealized_gain is None
    assert totals.cost_basis == pytest.approx(400.0)
    assert totals.priced_value == pytest.approx(330.0)
    assert totals.unpriced == ("WWSIX",)


def test_closed_positions_are_not_listed():
    sell = Trade(dt.date(2024, 2, 1), TradeType.SELL, "COHU", D("10"), D("35"))
    positions, _ = build_positions([buy("COHU", "10", "30"), sell])
    holdings, totals = value_holdings(positions, {"COHU": (DAY, 33.0)})
    assert holdings == [] and totals.market_value == 0


def test_a_close_is_divided_by_the_splits_dated_after_it_only():
    import datetime as dt
    from decimal import Decimal as D

    from desktop.core.valuation import in_todays_shares

    day = dt.date(2024, 1, 3)
    splits = {
        "A": [
            (dt.date(2024, 1, 2), D(2)),
            (dt.date(2024, 1, 5), D(3)),
            (dt.date(2024, 2, 1), D(2)),
        ],
        "B": [(day, D(4))],  # on the close's own day: already in it
    }
    closes = {"A": (day, 60.0), "B": (day, 10.0), "C": (day, 5.0)}
    assert in_todays_shares(closes, splits) == {
        "A": (day, 10.0),  # 60 / (3 x 2): the split of the 2nd is in the close already
        "B": (day, 10.0),
        "C": (day, 5.0),
    }
