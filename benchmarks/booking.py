"""Booking time against ledger size: 1,000, 10,000 and 100,000 entries over 300 stocks.

Buys and sales alternate at random (a sale takes a part of what is held), so the open lots of a
stock grow with the ledger: booking that rescanned every open lot at every sale grew with the
square of the entries (16x for 10x more); it should now grow about linearly (10x for 10x).

    python benchmarks/booking.py [--repeat 3] [--method fifo|average]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.core.holdings import book  # noqa: E402
from desktop.core.model import CostMethod, Trade, TradeType  # noqa: E402


def ledger(entries: int, symbols: int = 300, seed: int = 7) -> list[Trade]:
    rng = random.Random(seed)
    held = dict.fromkeys(range(symbols), 0)
    start = dt.date(1996, 1, 2)
    trades = []
    for i in range(entries):
        s = rng.randrange(symbols)
        day = start + dt.timedelta(days=i * 30 * 365 // entries)
        price = Decimal(rng.randrange(500, 50_000)) / 100
        if held[s] > 10 and rng.random() < 0.4:
            quantity = rng.randrange(1, held[s] // 20 + 2)  # a little: open lots pile up
            held[s] -= quantity
            kind = TradeType.SELL
        else:
            quantity = rng.randrange(1, 200)
            held[s] += quantity
            kind = TradeType.BUY
        trades.append(Trade(day, kind, f"S{s:03d}", Decimal(quantity), price, Decimal("1"), "", i))
    return trades


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--method", choices=[m.value for m in CostMethod], default="fifo")
    args = parser.parse_args()
    method = CostMethod(args.method)
    previous = None
    for entries in (1_000, 10_000, 100_000):
        trades = ledger(entries)
        seconds = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            _book, problems = book(trades, method)
            seconds.append(time.perf_counter() - started)
            assert problems == []
        median = statistics.median(seconds)
        growth = f"  {median / previous:5.1f}x the previous size" if previous else ""
        print(f"{entries:>7,} entries ({method.value}): {median * 1000:8.1f} ms{growth}")
        previous = median


if __name__ == "__main__":
    main()
