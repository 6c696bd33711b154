"""Each holding's own daily returns: two small ledgers by hand, then many generated ones against
the reference path the holdings used to take (``build_timeline`` on the symbol's entries and
closes, then ``performance.ttwror``), line by line and period by period."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest

from desktop.core.holding_lines import HoldingLines
from desktop.core.model import Trade, TradeType
from desktop.core.performance import ttwror
from desktop.core.periods import Period
from desktop.core.returns import time_weighted_returns
from desktop.core.snapshot import MarketData, PortfolioSnapshot
from desktop.core.timeline import build_timeline, splits_after

T = TradeType
#: Fri 5 January 2024, then Monday 8 to Thursday 11.
DAYS = pd.DatetimeIndex(["2024-01-05", "2024-01-08", "2024-01-09", "2024-01-10", "2024-01-11"])
FRI, MON, TUE, WED, THU = (d.date() for d in DAYS)


def entry(day, kind, symbol="A", qty="0", price="0", fee="0", amount="0", currency=""):
    return Trade(day, kind, symbol, D(qty), D(price), D(fee), amount=D(amount), currency=currency)


def lines(trades, closes, *, currencies=None, fx=None, base="USD"):
    by_symbol: dict[str, list[Trade]] = {}
    for t in trades:
        by_symbol.setdefault(t.symbol, []).append(t)
    maker = HoldingLines(by_symbol, closes, currencies=currencies or {}, fx=fx, base=base)
    return maker.of(by_symbol)


def test_a_dollar_holding_by_hand():
    closes = pd.DataFrame({"A": [10, 10, 11, 12, 12]}, index=DAYS, dtype=float)
    ledger = [
        entry(dt.date(2024, 1, 6), T.BUY, qty="10", price="10", fee="1"),  # a Saturday: Monday
        entry(WED, T.DIVIDEND, amount="6"),
        entry(WED, T.FEE, amount="50"),  # the portfolio's cost, not the holding's
        entry(dt.date(2024, 1, 12), T.SELL, qty="10", price="99"),  # after the last close
    ]
    line, local = lines(ledger, closes)["A"]

    # From Friday's close (nothing held), Mon: 100 / (0 + 101), Tue: 110 / 100,
    # Wed: (120 + 6) / 110, Thu: 120 / 120; linked: 126 / 101.
    assert list(line.stamps) == list(DAYS.as_unit("ns").asi8)
    assert line.returns == pytest.approx([0, 100 / 101 - 1, 0.1, 126 / 110 - 1, 0], abs=1e-15)
    assert line.ttwror(Period(None, THU, "Max")) == pytest.approx(126 / 101 - 1)
    assert line.ttwror(Period(TUE, THU, "")) == pytest.approx(1.1 * 126 / 110 - 1)  # 0.26
    assert line.ttwror(Period(None, dt.date(2024, 1, 4), "")) == 0.0  # before the line
    assert local is line  # a dollar holding: the same line


def test_a_split_euro_holding_by_hand():
    # Closes split-adjusted back in time: 2-for-1 on Tuesday, so Monday's 10 EUR is quoted 5.
    closes = pd.DataFrame({"S": [np.nan, 5, 5.5, 6, 6]}, index=DAYS, dtype=float)
    fx = pd.DataFrame({"EUR": [1.1, 1.1, np.nan, 1.2, np.nan]}, index=DAYS)
    ledger = [entry(MON, T.BUY, "S", qty="10", price="10"), entry(TUE, T.SPLIT, "S", qty="2")]
    line, local = lines(ledger, closes, currencies={"S": "EUR"}, fx=fx)["S"]

    # 20 of today's shares. In dollars, Mon: 20 x 5 x 1.1 = 110 over 100 x 1.1 = 110 in;
    # Tue 20 x 5.5 x 1.1 (Monday's rate) = 121; Wed 20 x 6 x 1.2 = 144; Thu 144.
    assert line.returns == pytest.approx([0, 0.1, 144 / 121 - 1, 0], abs=1e-15)
    assert line.ttwror(Period(None, THU, "Max")) == pytest.approx(144 / 110 - 1)
    # In euros: 100 became 120.
    assert local.returns == pytest.approx([0, 0.1, 120 / 110 - 1, 0], abs=1e-15)
    assert local.ttwror(Period(TUE, THU, "")) == pytest.approx(0.2)


def test_without_closes_or_entries_in_them_a_line_is_empty():
    closes = pd.DataFrame({"A": [10.0] * 5, "B": [np.nan] * 5}, index=DAYS)
    ledger = [
        entry(THU + dt.timedelta(days=1), T.BUY, "A", "1", "10"),
        entry(MON, T.BUY, "B", "1", "10"),
        entry(MON, T.BUY, "C", "1", "10"),  # no column
    ]
    for line, local in lines(ledger, closes).values():
        assert len(line) == len(local) == 0


# -- generated ledgers against the reference path -----------------------------------------------
CALENDAR = pd.bdate_range("2023-01-02", periods=45)  # weekdays: weekends are not trading days
#: With, rarely, cash entries naming a security (validation refuses them; the timeline keeps
#: a cash balance for them).
KINDS = [T.BUY, T.SELL, T.DIVIDEND, T.SPLIT, T.FEE, T.TAX, T.DEPOSIT, T.WITHDRAWAL, T.INTEREST]
ODDS = [0.33, 0.2, 0.14, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01]


def generated(seed: int):
    """A random ledger of a few symbols with its market: gaps in the closes, a symbol that
    starts late and ends early, a foreign one with FX gaps, one without closes, entries on
    weekends, before the first close and after the last, explicit currencies, splits; in
    dollars or in euros."""
    rng = np.random.default_rng(seed)
    n = len(CALENDAR)
    closes = {}
    for symbol in ("A", "B", "E"):
        walk = 10 * np.exp(np.cumsum(rng.normal(0, 0.03, n)))
        walk[rng.random(n) < 0.15] = np.nan
        if symbol == "B":
            lo, hi = sorted(rng.integers(0, n, 2))
            walk[:lo], walk[hi + 1 :] = np.nan, np.nan
        closes[symbol] = walk
    closes["IDX"] = 100.0  # a benchmark: not a holding
    frame = pd.DataFrame(closes, index=CALENDAR)
    base = "USD" if rng.random() < 0.7 else "EUR"
    foreign = "EUR" if base == "USD" else "USD"
    currencies = {"E": "EUR"} if base == "USD" else {"A": "USD", "B": "USD"}
    if rng.random() < 0.2:
        currencies["B"] = "GBP"  # no rate for it at all
    fx_days = CALENDAR[int(rng.integers(0, 10)) :]
    fx_days = fx_days[rng.random(len(fx_days)) < 0.8]
    rates = 1.1 + rng.normal(0, 0.05, len(fx_days))
    rates[rng.random(len(fx_days)) < 0.1] = np.nan
    fx = pd.DataFrame({foreign: rates}, index=fx_days)

    trades = []
    for _ in range(int(rng.integers(3, 30))):
        kind = KINDS[int(rng.choice(len(KINDS), p=ODDS))]
        day = CALENDAR[0].date() + dt.timedelta(days=int(rng.integers(-8, 75)))
        symbol = str(rng.choice(["A", "B", "E", "Z"], p=[0.35, 0.3, 0.3, 0.05]))
        qty = {T.SPLIT: str(rng.choice(["2", "3", "0.5"]))}.get(kind, str(rng.integers(1, 20)))
        trades.append(
            Trade(
                day,
                kind,
                symbol,
                D(qty) if kind in (T.BUY, T.SELL, T.SPLIT) else D(0),
                D(f"{rng.uniform(5, 15):.2f}") if kind in (T.BUY, T.SELL) else D(0),
                D(f"{rng.uniform(0, 2):.2f}") if kind in (T.BUY, T.SELL) else D(0),
                id=int(rng.integers(1, 1000)) if rng.random() < 0.5 else None,
                amount=D(f"{rng.uniform(0, 5):.2f}") if kind not in (T.BUY, T.SELL) else D(0),
                currency=str(rng.choice(["", "USD", "EUR"], p=[0.8, 0.1, 0.1])),
            )
        )
    return trades, MarketData(frame, currencies, fx, base)


def periods(trades) -> list[Period]:
    first, last = CALENDAR[0].date(), CALENDAR[-1].date()
    earliest = min(t.date for t in trades)
    day = [first + dt.timedelta(days=k) for k in (3, 10, 17, 26, 40, 53)]  # some on weekends
    return [
        Period(None, last + dt.timedelta(days=4), "Max"),
        Period(first - dt.timedelta(days=10), last, "before the first close"),
        Period(day[2], last, "from the middle"),
        Period(day[0], day[3], "inside"),
        Period(day[1], day[4], "inside"),
        Period(day[5], day[5], "one day"),
        Period(None, day[2], "Max, ending early"),
        Period(None, earliest - dt.timedelta(days=1), "ending before the first entry"),
        Period(None, first - dt.timedelta(days=1), "ending before the first close"),
    ]


def in_todays_shares(trades, market: MarketData) -> MarketData:
    """The closes divided by the splits the ledger records after each one's last close (they
    are not in them yet), computed here apart from the snapshot's code."""
    closes = market.closes.copy()
    for symbol in closes.columns:
        last = closes[symbol].last_valid_index()
        if last is None:
            continue
        factor = 1.0
        for t in trades:
            if t.type is T.SPLIT and t.symbol == symbol and t.date > last.date():
                factor *= float(t.quantity)
        closes[symbol] = closes[symbol] / factor
    return replace(market, closes=closes)


def reference(trades, market: MarketData, symbol: str):
    """What the holdings table computed before: each holding's own timelines."""
    market = in_todays_shares(trades, market)
    entered = [t for t in trades if t.symbol == symbol and t.type not in (T.FEE, T.TAX)]
    held = sorted({t.symbol for t in trades if t.symbol})
    own = market.closes.reindex(columns=held).dropna(how="all")[[symbol]].dropna(how="all")
    m = market
    in_base = build_timeline(entered, own, currencies=m.currencies, fx=m.fx, base=m.base)
    # In its own currency: the same timeline measured in that currency, its rates the base's
    # (carried forward) divided by the currency's own.
    code = m.currencies.get(symbol, m.base)
    carried = m.fx.sort_index().ffill()
    if code == m.base:
        per_own = pd.Series(1.0, index=carried.index)
    else:  # a currency without rates: nothing converts into it
        per_own = carried[code] if code in carried else pd.Series(np.nan, index=carried.index)
    in_own = pd.DataFrame({c: carried[c] / per_own for c in carried.columns if c != code})
    if code != m.base:
        in_own[m.base] = 1.0 / per_own
    local = build_timeline(entered, own, fx=in_own, base=code)
    return in_base.valuation, local.valuation


@pytest.mark.parametrize("seed", range(24))
def test_the_lines_are_the_timelines_returns(seed):
    trades, m = generated(seed)
    by_symbol: dict[str, list[Trade]] = {}
    for t in trades:
        by_symbol.setdefault(t.symbol, []).append(t)
    closes = in_todays_shares(trades, m).closes  # as the snapshot gives them
    maker = HoldingLines(by_symbol, closes, currencies=m.currencies, fx=m.fx, base=m.base)
    for symbol, pair in maker.of(by_symbol).items():
        for line, valuation in zip(pair, reference(trades, m, symbol), strict=True):
            expected = time_weighted_returns(valuation).to_numpy()
            assert list(line.stamps) == list(pd.DatetimeIndex(valuation.index).as_unit("ns").asi8)
            np.testing.assert_allclose(line.returns, expected, rtol=1e-12, atol=1e-12)
            for period in periods(trades):
                assert line.ttwror(period) == pytest.approx(
                    ttwror(valuation, period), rel=1e-12, abs=1e-12
                ), period.label


@pytest.mark.parametrize("seed", range(8))
def test_the_snapshot_s_holdings_are_as_before(seed):
    trades, m = generated(seed)
    snapshot = PortfolioSnapshot.create(trades, m)
    valuations = {symbol: reference(trades, m, symbol) for symbol in snapshot._basis.symbols}
    for period in periods(trades):
        s = snapshot.for_period(period)
        for figures in s.holdings:
            symbol = figures.holding.symbol
            for got, valuation in zip(
                (figures.ttwror, figures.ttwror_local), valuations[symbol], strict=True
            ):
                if len(valuation) and s.window:
                    expected = ttwror(valuation, period)
                    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12), period.label
                else:
                    assert got is None, period.label
            # The last close on or before the end, at the end's rate, in the shares held then
            # (a symbol without a column of closes has none; the old code raised a KeyError),
            # the splits not yet in the closes taken out first.
            closes = in_todays_shares(trades, m).closes.reindex(columns=[symbol])[symbol]
            known = closes.loc[: pd.Timestamp(s.end_day)].dropna()
            code = m.currencies.get(symbol, m.base)
            rate = s._basis.rate_of(code, s.end_day)
            if len(known) and rate is not None:
                since = float(splits_after(trades, symbol, s.end_day))
                assert figures.holding.close_date == known.index[-1].date()
                assert figures.holding.last_close == float(known.iloc[-1]) * rate * since
            else:
                assert figures.holding.last_close is None
