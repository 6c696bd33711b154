"""The Markets screen's data from a store: the portfolio's rolling beta to each index and the
rate sensitivities, checked against least-squares slopes computed here; each missing part said."""

from __future__ import annotations

from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest

from desktop.core.model import Trade, TradeType
from desktop.data.markets_data import load_markets
from desktop.data.report import load_snapshot

DAYS = pd.bdate_range("2023-01-02", periods=320)


def _slope(y, x) -> float:
    a = np.column_stack([np.ones(len(x)), x])
    return float(np.linalg.lstsq(a, y, rcond=None)[0][1])


@pytest.fixture
def market(store):
    rng = np.random.default_rng(11)
    rut_r = rng.normal(0.0004, 0.012, len(DAYS))
    gspc_r = 0.6 * rut_r + rng.normal(0.0003, 0.006, len(DAYS))
    dy = rng.normal(0, 0.04, len(DAYS))
    x_r = 1.3 * rut_r - 0.01 * dy + rng.normal(0, 0.004, len(DAYS))
    series = {
        "^RUT": 2000 * np.cumprod(1 + rut_r),
        "^GSPC": 4000 * np.cumprod(1 + gspc_r),
        "X": 50 * np.cumprod(1 + x_r),
        "^TNX": 4.0 + np.cumsum(dy),
        "^IRX": np.full(len(DAYS), 5.0),
    }
    for symbol, values in series.items():
        rows = [{"date": d.date(), "close": float(v)} for d, v in zip(DAYS, values, strict=True)]
        store.upsert_prices(symbol, rows, "csv")
    buy = Trade(DAYS[0].date(), TradeType.BUY, "X", D(10), D(str(round(series["X"][0], 4))), D(0))
    assert store.add_trade(buy)[1] == []
    return store, {k: pd.Series(v, index=DAYS) for k, v in series.items()}


def test_the_portfolio_s_rolling_beta_and_rate_sensitivity(market):
    store, series = market
    snapshot = load_snapshot(store, today=DAYS[-1].date())
    data = load_markets(store, snapshot)
    returns = snapshot.daily_returns.dropna()
    rut = series["^RUT"].pct_change().reindex(returns.index)
    # The last day's beta: the slope over the last 252 days both have a return.
    both = pd.concat([returns, rut], axis=1).dropna().iloc[-252:]
    expected = _slope(both.iloc[:, 0].to_numpy(), both.iloc[:, 1].to_numpy())
    assert data.betas["^RUT"].iloc[-1] == pytest.approx(expected)
    assert data.betas["^RUT"].iloc[-1] == pytest.approx(1.3, abs=0.1)  # as the market was made
    assert data.betas.iloc[:200].isna().all().all()  # a year of days first
    # Rates: the portfolio's returns on the day's change of ^TNX, over its days.
    change = series["^TNX"].diff().reindex(returns.index)
    pairs = pd.concat([returns, change], axis=1).dropna()
    assert data.rates["portfolio"].beta == pytest.approx(
        _slope(pairs.iloc[:, 0].to_numpy(), pairs.iloc[:, 1].to_numpy())
    )
    assert set(data.rates) == {"portfolio", "^RUT", "^GSPC"}
    assert data.slope.tolist() == pytest.approx((series["^TNX"] - 5.0).tolist())
    assert data.rates_days == (returns.index[0].date(), returns.index[-1].date())


def test_each_missing_part_says_why(store):
    data = load_markets(store, None)
    assert data.size is None and "no cached closes for ^RUT" in data.notes["size"]
    assert data.betas is None and "needs more than 252 days" in data.notes["betas"]
    assert data.rates == {} and "no cached closes for ^TNX" in data.notes["rates"]
    assert data.premium is None and "size_premium is null" in data.notes["premium"]
    assert "no factor file covers" in data.notes["style"]


def test_the_rates_in_words_name_the_portfolio_and_each_index(market):
    from desktop.ui.markets_view import rates_text

    store, _ = market
    data = load_markets(store, load_snapshot(store, today=DAYS[-1].date()))
    said = rates_text(data)
    assert said.startswith("Daily return per one-point rise in the 10-year yield (2023-01-02 to ")
    assert f"Your portfolio {data.rates['portfolio'].beta:+.2%}" in said
    assert f"Russell 2000 (^RUT) {data.rates['^RUT'].beta:+.2%}" in said
