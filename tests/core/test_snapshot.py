"""The portfolio snapshot, checked by hand: one small ledger over five trading days, in dollars
and with a euro holding, over several periods."""

import datetime as dt
from decimal import Decimal as D

import pandas as pd
import pytest

from desktop.core import chart_data
from desktop.core.model import CostMethod, Trade, TradeType
from desktop.core.periods import Period
from desktop.core.snapshot import MarketData, PortfolioSnapshot

T = TradeType
#: Trading days: Fri 29 Dec 2023, then 2, 3, 4 and 5 January 2024.
DAYS = pd.DatetimeIndex(["2023-12-29", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"])


def entry(day, kind, symbol="A", qty="0", price="0", fee="0", amount="0"):
    return Trade(day, kind, symbol, D(qty), D(price), D(fee), amount=D(amount))


def market(fx=None, currencies=None, **closes):
    frame = pd.DataFrame(closes, index=DAYS, dtype=float)
    fx_frame = pd.DataFrame(fx or {}, index=DAYS, dtype=float)
    return MarketData(frame, currencies or {}, fx_frame, "USD")


LEDGER = [
    entry(dt.date(2023, 12, 28), T.DEPOSIT, "", amount="1000"),
    entry(dt.date(2023, 12, 29), T.BUY, "A", "50", "10"),
    entry(dt.date(2024, 1, 3), T.DIVIDEND, "A", amount="10"),
    entry(dt.date(2024, 1, 4), T.SELL, "A", "20", "12", "1"),
    entry(dt.date(2024, 1, 5), T.FEE, "", amount="2"),
]
PRICES = {"A": [10, 10, 11, 12, 12], "IDX": [100, 100, 105, 110, 110]}


#: The day the named periods count back from: the day of the last close.
TODAY = dt.date(2024, 1, 5)


def snapshot(period="YTD", ledger=LEDGER, **kwargs):
    kwargs.setdefault("today", TODAY)
    return PortfolioSnapshot.create(
        ledger, market(**PRICES), period=period, benchmarks=["IDX"], names={"A": "Alpha"}, **kwargs
    )


def test_the_period_s_figures_by_hand():
    s = snapshot("YTD")

    assert (s.base_day, s.end_day, s.as_of) == (
        dt.date(2023, 12, 29),
        dt.date(2024, 1, 5),
        dt.date(2024, 1, 5),
    )
    # Cash: 1000 - 500 + 10 + (240 - 1) - 2 = 747; securities 30 x 12 = 360.
    assert s.cash == pytest.approx(747)
    assert s.market_value == pytest.approx(1107)
    assert s.totals.cost_basis == pytest.approx(300)
    assert s.realized_gain == pytest.approx(239 - 200)
    assert (s.income.dividends, s.income.fees, s.income.commissions) == (10, 2, 1)
    # From the base close of 1000 (500 in A, 500 cash): 1107 at the end, no flows between.
    assert s.ttwror == pytest.approx(0.107)
    (a,) = s.holdings
    assert (a.holding.symbol, a.holding.name, a.holding.quantity) == ("A", "Alpha", 30)
    assert a.holding.market_value == pytest.approx(360)
    assert (a.realized_gain, a.dividends) == (pytest.approx(39), 10)
    # A alone: 500 at the base, 550 and a dividend of 10 out on the 3rd, 360 and 239 of sale
    # proceeds out on the 4th, 360 on the 5th.
    assert a.ttwror == pytest.approx((560 / 500) * (599 / 550) - 1)
    assert a.ttwror_local == a.ttwror  # a dollar holding


def test_named_periods_count_back_from_today_not_from_the_last_close():
    later = snapshot("1M", today=dt.date(2024, 1, 20))  # two weeks after the last close
    assert (later.period.start, later.period.end) == (dt.date(2023, 12, 21), dt.date(2024, 1, 20))
    assert (later.base_day, later.end_day) == (dt.date(2023, 12, 29), dt.date(2024, 1, 5))
    assert later.ttwror == snapshot("Max").ttwror  # the month holds the whole history

    next_year = snapshot("YTD", today=dt.date(2025, 2, 1))  # YTD is the calendar's year
    assert (next_year.period.start, next_year.period.end) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 2, 1),
    )
    assert next_year.window is None  # no close in 2025: no return, never 0%
    assert (next_year.ttwror, next_year.summary, next_year.contributions) == (None, None, None)
    assert next_year.comparisons == {"IDX": None}
    assert next_year.notes == [
        "no valued days in the period (the prices end 2024-01-05): performance figures are null"
    ]
    (a,) = next_year.holdings  # what is held is still valued, at the last close
    assert a.holding.market_value == pytest.approx(360)


def test_the_line_ends_on_the_ttwror_to_the_last_digit_and_starts_at_zero():
    for period in ("YTD", "Max", "1M"):
        s = snapshot(period)
        assert s.line.iloc[0] == 0.0
        assert s.line.index[0].date() == s.base_day
        assert s.line.iloc[-1] == s.ttwror  # exactly: the chart's last point is the figure


def test_a_benchmark_line_ends_on_its_return_over_the_same_days():
    s = snapshot("YTD")
    line = s.benchmark_line("IDX")
    comparison = s.comparisons["IDX"]

    assert list(line.index) == list(s.line.index)
    assert line.iloc[-1] == pytest.approx(0.10) == comparison.benchmark_return
    assert comparison.excess_return == pytest.approx(0.007)
    assert comparison.benchmark_equivalent_value == pytest.approx(1100)


def test_periods_share_the_timeline_and_keep_their_own_figures():
    max_ = snapshot("Max")
    one_day = max_.for_period(max_.resolve(None, start=dt.date(2024, 1, 5)))

    assert one_day.timeline is max_.timeline  # computed once for every period
    assert one_day.base_day == dt.date(2024, 1, 4)
    # 4 January: 360 + 749 = 1109 after the sale; 5 January: 1107 after the fee of 2.
    assert one_day.ttwror == pytest.approx(1107 / 1109 - 1)
    assert one_day.income.fees == 2 and one_day.realized_gain == 0


def test_a_period_before_the_first_close_has_no_figures_and_says_so():
    s = snapshot(None, start=dt.date(2023, 12, 1), end=dt.date(2023, 12, 15))
    assert s.window is None and s.summary is None and s.ttwror is None
    assert s.line.empty
    assert "no valued days in the period" in s.notes[-1]
    assert s.comparisons == {"IDX": None}


def test_without_trades_the_benchmark_runs_over_its_own_closes():
    s = PortfolioSnapshot.create(
        [], market(**PRICES), period="Max", benchmarks=["IDX"], today=dt.date(2024, 1, 5)
    )
    assert s.as_of is None and s.window is None
    assert s.benchmark_line("IDX").iloc[-1] == pytest.approx(0.10)


def test_shares_before_a_split_are_valued_at_the_price_quoted_then():
    ledger = [
        entry(dt.date(2024, 1, 2), T.BUY, "A", "10", "100"),
        entry(dt.date(2024, 1, 4), T.SPLIT, "A", "2"),
    ]
    closes = {"A": [50, 50, 55, 60, 62], "IDX": PRICES["IDX"]}  # split-adjusted back in time
    s = PortfolioSnapshot.create(ledger, market(**closes), end=dt.date(2024, 1, 3))

    (a,) = s.holdings
    assert (a.holding.quantity, a.holding.last_close) == (10, pytest.approx(110))
    assert a.holding.market_value == pytest.approx(1100)
    assert s.ttwror == pytest.approx(0.10)


def test_a_euro_holding_in_dollars_and_in_euros():
    ledger = [entry(dt.date(2023, 12, 29), T.BUY, "SAP", "10", "100")]
    prices = market(
        fx={"EUR": [1.10, 1.10, 1.10, 1.20, 1.20]},
        currencies={"SAP": "EUR"},
        SAP=[100, 100, 110, 120, 120],
    )
    s = PortfolioSnapshot.create(ledger, prices, period="Max")

    (sap,) = s.holdings
    assert sap.currency == "EUR"
    assert sap.ttwror_local == pytest.approx(0.20)  # 1,000 EUR became 1,200 EUR
    assert sap.ttwror == pytest.approx(1440 / 1100 - 1)  # 1,100 USD became 1,440 USD
    assert s.ttwror == pytest.approx(1440 / 1100 - 1)
    assert sap.holding.market_value == pytest.approx(1440)


def test_an_entry_older_than_every_rate_is_converted_at_the_first_and_said():
    ledger = [entry(dt.date(2023, 12, 29), T.BUY, "SAP", "10", "100")]
    prices = market(
        fx={"EUR": [None, None, 1.10, 1.20, 1.20]},  # rates from 3 January only
        currencies={"SAP": "EUR"},
        SAP=[100, 100, 110, 120, 120],
    )
    s = PortfolioSnapshot.create(ledger, prices, period="Max")
    (sap,) = s.holdings
    assert sap.holding.quantity == 10  # the entry is kept, never dropped
    assert sap.holding.cost_basis == pytest.approx(1000 * 1.10)  # at the 3 January rate
    assert sap.holding.market_value == pytest.approx(1200 * 1.20)
    assert s.notes == [
        "the buy of 10 SAP on 2023-12-29 is converted at the first cached EURUSD=X rate, of "
        "2024-01-03 (none is cached on or before 2023-12-29)"
    ]


def test_a_split_of_a_euro_holding_is_no_money_and_keeps_its_ratio():
    ledger = [
        entry(dt.date(2023, 12, 29), T.BUY, "SAP", "30", "100"),
        entry(dt.date(2024, 1, 3), T.SPLIT, "SAP", "1", "3"),  # 1 for 3
    ]
    prices = market(
        fx={"EUR": [1.10, 1.10, 1.10, 1.20, 1.20]}, currencies={"SAP": "EUR"}, SAP=[300] * 5
    )
    (sap,) = PortfolioSnapshot.create(ledger, prices, period="Max").holdings
    assert sap.holding.quantity == 10  # not 30 / 3.3
    assert sap.holding.cost_basis == pytest.approx(3000 * 1.10)


def test_an_entry_with_no_rate_at_all_is_named_as_left_out():
    ledger = [
        entry(dt.date(2023, 12, 29), T.BUY, "A", "5", "10"),
        entry(dt.date(2023, 12, 29), T.BUY, "SAP", "10", "100"),
    ]
    prices = market(currencies={"SAP": "EUR"}, A=[10] * 5, SAP=[100] * 5)
    s = PortfolioSnapshot.create(ledger, prices, period="Max")
    assert [h.holding.symbol for h in s.holdings] == ["A"]
    assert (
        "the buy of 10 SAP on 2023-12-29 is left out of every figure: no EURUSD=X rate is "
        "cached to convert it (refresh prices, or import EURUSD=X)"
    ) in s.notes


def test_the_cost_method_is_the_snapshot_s():
    ledger = [
        entry(dt.date(2023, 12, 29), T.BUY, "A", "10", "10"),
        entry(dt.date(2024, 1, 2), T.BUY, "A", "10", "12"),
        entry(dt.date(2024, 1, 4), T.SELL, "A", "10", "12"),
    ]
    fifo = PortfolioSnapshot.create(ledger, market(**PRICES), method=CostMethod.FIFO)
    average = PortfolioSnapshot.create(ledger, market(**PRICES), method=CostMethod.AVERAGE)

    assert fifo.realized_gain == pytest.approx(120 - 100)
    assert average.realized_gain == pytest.approx(120 - 110)
    assert fifo.ttwror == average.ttwror  # how lots are relieved changes no market value


def test_a_benchmark_whose_history_starts_late_is_not_compared_nor_drawn():
    late = {"A": PRICES["A"], "IDX": [float("nan"), float("nan"), 105, 110, 110]}
    s = PortfolioSnapshot.create(
        LEDGER, market(**late), period="YTD", benchmarks=["IDX"], today=TODAY
    )
    # Every series over the same days: IDX has no level at the base close (29 December).
    assert s.comparisons["IDX"].benchmark_return is None
    assert s.benchmark_line("IDX").empty
    assert chart_data.performance(s, ["IDX"])["IDX"].isna().all()  # the CSV agrees
    # From a base it has a close on, it is compared and drawn, and the two agree.
    later = s.for_period(Period(dt.date(2024, 1, 4), TODAY, "from the 4th"))
    line = later.benchmark_line("IDX")
    assert line.index[0] == pd.Timestamp("2024-01-03") and line.iloc[0] == 0.0
    assert (
        line.iloc[-1] == pytest.approx(110 / 105 - 1) == later.comparisons["IDX"].benchmark_return
    )


def test_without_a_valued_day_a_benchmark_with_no_close_in_the_period_is_empty():
    s = PortfolioSnapshot.create(
        [],
        market(**PRICES),
        start=dt.date(2023, 1, 1),
        end=dt.date(2023, 6, 30),
        benchmarks=["IDX"],
        today=dt.date(2024, 1, 5),
    )
    assert s.benchmark_line("IDX").empty


@pytest.mark.parametrize("currency", ["", "EUR"])
def test_a_euro_holding_entered_in_euros_is_measured_in_euros(currency):
    # The same buys with the currency left blank or named: the same returns. Named, the line
    # in euros once had no rate for them (it was measured in dollars) and dropped their days.
    ledger = [
        Trade(dt.date(2023, 12, 29), T.BUY, "SAP", D(10), D(100), D(0), currency=currency),
        Trade(dt.date(2024, 1, 3), T.BUY, "SAP", D(10), D(110), D(0), currency=currency),
    ]
    prices = market(
        fx={"EUR": [1.10, 1.10, 1.10, 1.20, 1.20]},
        currencies={"SAP": "EUR"},
        SAP=[100, 100, 110, 120, 120],
    )
    (sap,) = PortfolioSnapshot.create(ledger, prices, period="Max").holdings
    # In euros: on the 3rd, 1,000 held and 1,100 put in at the start of the day became 2,200;
    # on the 4th 2,400.
    assert sap.ttwror_local == pytest.approx((2200 / 2100) * (2400 / 2200) - 1)
    # In dollars at 1.10, then 1.20 on the 4th: (1,100 + 1,210) -> 2,420 -> 2,880.
    assert sap.ttwror == pytest.approx((2420 / 2310) * (2880 / 2420) - 1)
