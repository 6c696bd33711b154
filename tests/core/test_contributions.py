"""Each holding's contribution to the period's TTWROR: by hand, and adding up to it exactly on
random ledgers (cash or not, foreign currencies, splits, gaps)."""

import datetime as dt
import math
from decimal import Decimal as D

import pandas as pd
import pytest

from desktop.core.model import Trade, TradeType
from desktop.core.snapshot import MarketData, PortfolioSnapshot
from tests.core.test_holding_lines import generated, periods

T = TradeType
DAYS = pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-04"])


def entry(day, kind, symbol, qty="0", price="0", amount="0"):
    return Trade(day, kind, symbol, D(qty), D(price), D(0), amount=D(amount))


def test_two_holdings_by_hand_linked_with_carino():
    # 10 A and 10 B at 10 on the 2nd. A: 10, 11, 11; B: 10, 10, 12.
    # Day returns: the 3rd 210/200 - 1 = 5% (all A's), the 4th 230/210 - 1 (all B's).
    ledger = [
        entry(dt.date(2024, 1, 2), T.BUY, "A", "10", "10"),
        entry(dt.date(2024, 1, 2), T.BUY, "B", "10", "10"),
    ]
    closes = pd.DataFrame({"A": [10, 11, 11], "B": [10, 10, 12]}, index=DAYS, dtype=float)
    s = PortfolioSnapshot.create(ledger, MarketData(closes, {}, pd.DataFrame(index=DAYS), "USD"))
    r1, r2 = 0.05, 230 / 210 - 1
    total = (1 + r1) * (1 + r2) - 1
    assert s.ttwror == pytest.approx(total) == pytest.approx(0.15)

    def carino(r):
        return math.log1p(r) / r

    expected_a = r1 * carino(r1) / carino(total)
    expected_b = r2 * carino(r2) / carino(total)
    assert s.contributions == pytest.approx({"B": expected_b, "A": expected_a}, rel=1e-12)
    assert list(s.contributions) == ["B", "A"]  # largest first
    assert sum(s.contributions.values()) == pytest.approx(s.ttwror, abs=1e-12)


def test_cash_interest_and_fees_are_cash_s_contribution():
    ledger = [
        entry(dt.date(2024, 1, 2), T.DEPOSIT, "", amount="1000"),
        entry(dt.date(2024, 1, 2), T.BUY, "A", "10", "10"),
        entry(dt.date(2024, 1, 3), T.INTEREST, "", amount="9"),
        entry(dt.date(2024, 1, 4), T.FEE, "", amount="2"),
    ]
    closes = pd.DataFrame({"A": [10, 10, 10]}, index=DAYS, dtype=float)
    s = PortfolioSnapshot.create(ledger, MarketData(closes, {}, pd.DataFrame(index=DAYS), "USD"))
    # A never moves: the period's return is all cash's: +9 on 1000, then -2 on 1009.
    assert set(s.contributions) == {"cash"}
    assert s.contributions["cash"] == pytest.approx(s.ttwror, abs=1e-12)
    assert s.ttwror == pytest.approx(1009 / 1000 * 1007 / 1009 - 1)


@pytest.mark.parametrize("seed", range(16))
def test_the_contributions_add_up_to_the_ttwror_of_every_period(seed):
    trades, market = generated(seed)
    snapshot = PortfolioSnapshot.create(trades, market)
    for period in periods(trades):
        s = snapshot.for_period(period)
        if s.ttwror is None:
            assert s.contributions is None
            continue
        parts = s.contributions
        if parts is None:  # a loss of everything on some day: undefined, said so
            assert (s.period_returns <= -1).any() or s.ttwror <= -1
            continue
        assert sum(parts.values()) == pytest.approx(s.ttwror, abs=1e-9), period.label
        assert set(parts) <= {*s._basis.symbols, "cash"}


def test_a_period_without_a_valued_day_has_no_contributions():
    ledger = [entry(dt.date(2024, 1, 2), T.BUY, "A", "10", "10")]
    closes = pd.DataFrame({"A": [10, 11, 12]}, index=DAYS, dtype=float)
    market = MarketData(closes, {}, pd.DataFrame(index=DAYS), "USD")
    s = PortfolioSnapshot.create(ledger, market, start=dt.date(2023, 1, 1), end=dt.date(2023, 2, 1))
    assert s.window is None and s.contributions is None
