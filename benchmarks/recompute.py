"""Full recompute: 10,000 trades over 500 instruments and 30 years of daily closes.

Times booking (lots, gains), the daily timeline (positions, cash, flows) and the daily
time-weighted returns, against one numpy pass over the same price matrix (quantity times price,
summed per day). Synthetic data with a fixed seed; the target is 5x the numpy pass or less.

    python benchmarks/recompute.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from decimal import Decimal

import numpy as np
import pandas as pd

from desktop.core.holdings import book
from desktop.core.model import Trade, TradeType
from desktop.core.returns import time_weighted_returns
from desktop.core.timeline import build_timeline

N_INSTRUMENTS, N_TRADES, YEARS = 500, 10_000, 30


def make_data(seed: int = 7) -> tuple[pd.DataFrame, list[Trade]]:
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("1995-01-02", periods=YEARS * 252)
    symbols = [f"S{i:03d}" for i in range(N_INSTRUMENTS)]
    steps = rng.normal(0.0003, 0.02, size=(len(dates), N_INSTRUMENTS))
    prices = 20 * np.exp(np.cumsum(steps, axis=0))
    # Listings start at different times, as real ones do.
    starts = rng.integers(0, len(dates) // 2, N_INSTRUMENTS)
    for j, s in enumerate(starts):
        prices[:s, j] = np.nan
    closes = pd.DataFrame(prices, index=dates, columns=symbols)
    trades: list[Trade] = []
    held = np.zeros(N_INSTRUMENTS, dtype=np.int64)
    trade_days = np.sort(rng.integers(len(dates) // 2, len(dates), N_TRADES))
    for i, day in enumerate(trade_days):
        j = int(rng.integers(N_INSTRUMENTS))
        date = dates[day].date()
        price = Decimal(str(round(float(prices[day, j]), 2)))
        if held[j] > 0 and rng.random() < 0.3:
            qty = int(rng.integers(1, held[j] + 1))
            held[j] -= qty
            trades.append(
                Trade(date, TradeType.SELL, symbols[j], Decimal(qty), price, Decimal("1"), id=i)
            )
        elif held[j] > 0 and rng.random() < 0.05:
            trades.append(Trade(date, TradeType.DIVIDEND, symbols[j], amount=Decimal("12.5"), id=i))
        else:
            qty = int(rng.integers(1, 200))
            held[j] += qty
            trades.append(
                Trade(date, TradeType.BUY, symbols[j], Decimal(qty), price, Decimal("1"), id=i)
            )
    return closes, trades


def recompute(closes: pd.DataFrame, trades: list[Trade]) -> pd.Series:
    book(trades)
    timeline = build_timeline(trades, closes)
    return time_weighted_returns(timeline.valuation)


def numpy_pass(qty: np.ndarray, prices: np.ndarray) -> np.ndarray:
    return np.nansum(qty * prices, axis=1)


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    closes, trades = make_data()
    prices = closes.to_numpy()
    qty = np.random.default_rng(1).integers(0, 100, prices.shape).astype(float)
    base = median_time(lambda: numpy_pass(qty, prices), repeat)
    full = median_time(lambda: recompute(closes, trades), repeat)
    t_book = median_time(lambda: book(trades), repeat)
    t_line = median_time(lambda: build_timeline(trades, closes), repeat)
    print(
        f"{len(trades):,} trades, {closes.shape[1]} instruments, {closes.shape[0]:,} days "
        f"({dt.date.today():%Y-%m-%d})"
    )
    print(f"one numpy pass (qty * price, summed per day): {base * 1000:8.1f} ms")
    print(f"full recompute:                              {full * 1000:8.1f} ms")
    print(f"  booking (lots, gains):                     {t_book * 1000:8.1f} ms")
    print(f"  daily timeline (positions, cash, flows):   {t_line * 1000:8.1f} ms")
    print(f"ratio: {full / base:.1f}x (target 5x or less)")


if __name__ == "__main__":
    main()
