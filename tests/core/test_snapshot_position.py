"""One position's own figures (``PortfolioSnapshot.position``): its entries alone, by hand, and
its TTWROR equal to the holding's own line, which is computed another way."""

import datetime as dt
from decimal import Decimal as D

import pytest
import pyxirr

from tests.core.test_snapshot import LEDGER, T, entry, snapshot

#: A second holding, so the position is not the whole portfolio.
WITH_B = [
    *LEDGER,
    entry(dt.date(2023, 12, 29), T.BUY, "IDX", "1", "100"),
]


def test_the_position_s_figures_by_hand():
    whole = snapshot("YTD", ledger=WITH_B)
    a = whole.position("A")
    # Bought 50 at 10 before the range (the base close, 29 Dec, values it at 500); a dividend
    # of 10 on 3 Jan; 20 sold at 12 less 1 on 4 Jan; 30 left at 12 on 5 Jan.
    (holding,) = a.holdings
    assert holding.holding.symbol == "A" and holding.holding.quantity == 30
    assert holding.holding.cost_basis == pytest.approx(300)
    assert float(a.income.dividends) == 10
    assert a.realized_gain == pytest.approx(239 - 200)
    # Days: 2 Jan 10 (0%); 3 Jan 11 with 10 paid out: (550 + 10) / 500; 4 Jan 12 with 239 out:
    # (360 + 239) / 550; 5 Jan 12: 0%.
    growth = (560 / 500) * (599 / 550)
    assert a.ttwror == pytest.approx(growth - 1)
    # XIRR: the base value paid in on the period's first day (1 Jan), the flows, the end value.
    dates = [dt.date(2024, 1, 1), dt.date(2024, 1, 3), dt.date(2024, 1, 4), dt.date(2024, 1, 5)]
    rate = pyxirr.xirr(dates, [-500, 10, 239, 360])
    assert a.summary.irr == pytest.approx(rate)
    assert a.cash is None  # its entries alone keep no cash


def test_the_position_s_ttwror_is_the_holding_s_own_line_in_every_period():
    whole = snapshot("Max", ledger=WITH_B)
    for name in ("Max", "YTD", "1M"):
        period = whole.resolve(name, today=dt.date(2024, 1, 5))
        figures = {h.holding.symbol: h for h in whole.for_period(period).holdings}
        for symbol in ("A", "IDX"):
            position = whole.for_period(period).position(symbol)
            assert position.ttwror == pytest.approx(figures[symbol].ttwror), (name, symbol)


def test_a_symbol_without_entries_is_an_empty_position():
    empty = snapshot("YTD").position("NOPE")
    assert empty.holdings == [] and empty.ttwror is None and float(empty.income.dividends) == 0
    assert D(0) == empty.income.dividends


def test_the_position_figures_the_instrument_screen_shows():
    from desktop.core.instrument import position_figures

    figures = position_figures(snapshot("YTD", ledger=WITH_B), "A")
    assert (figures.quantity, figures.cost_basis) == (30, pytest.approx(300))
    assert figures.market_value == pytest.approx(360) and figures.unrealized_gain == pytest.approx(
        60
    )
    assert figures.ttwror == pytest.approx((560 / 500) * (599 / 550) - 1)
    assert figures.dividends == 10 and figures.realized_gain == pytest.approx(39)
    assert figures.held and figures.period == "YTD"
    assert position_figures(snapshot("YTD"), "NOPE") is None
