"""10 MB files: a valid trades CSV or price CSV imports completely; one bad line near the end
refuses the whole file, naming that line, and nothing is imported.

The files are written here row by row, with their line numbers counted as they are written
(a quoted note over two lines takes two), so every expected count, sum and line is known
without the code under test.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from pathlib import Path

from desktop.data.formats.prices_csv import import_price_file
from desktop.data.formats.trades_csv import import_trades

TEN_MB = 10 * 1024 * 1024
TODAY = dt.date(2026, 11, 24)
TRADES_HEADER = "date,type,symbol,quantity,price,fee,amount,currency,note\n"
PRICES_HEADER = "Date,Open,High,Low,Close,Adj Close,Volume,Dividends,Stock Splits,Note\n"
SYMBOLS = ("COHU", "IWM", "SUM", "BRK-B", "GS2C.DE")
#: Each test's budget, well above what it takes (about 3 s on one core).
BUDGET_S = 10.0


def trade_rows(size: int) -> tuple[list[str], list[int], list[tuple[str, Decimal]]]:
    """Buys and dividends filling ``size`` bytes: the rows (with their line ends), the line
    each starts on, and (symbol, quantity) of each buy."""
    rows, lines, bought = [], [], []
    line, total, i = 2, len(TRADES_HEADER), 0
    first = dt.date(1990, 1, 1)
    while total < size:
        day = first + dt.timedelta(days=i % 12_000)
        symbol = SYMBOLS[i % len(SYMBOLS)]
        note = f"order {i}, filled in parts; " + "broker's text " * 22
        if i % 7 == 3:
            row = f'{day},dividend,{symbol},,,,{i % 50 + 1}.25,USD,"{note}"\n'
        else:
            quantity = Decimal(f"{i % 97 + 1}.{i % 1000:03d}")
            bought.append((symbol, quantity))
            if i % 11 == 5:  # a note over two lines, as a spreadsheet writes one
                note = f"{note}\nsecond line"
            row = f'{day},buy,{symbol},{quantity},{i % 500 + 1}.25,1.00,,USD,"{note}"\n'
        rows.append(row)
        lines.append(line)
        line += row.count("\n")
        total += len(row.encode())
        i += 1
    return rows, lines, bought


def test_a_10_mb_trades_file_imports_every_row(store, tmp_path: Path):
    rows, _, bought = trade_rows(TEN_MB)
    path = tmp_path / "trades.csv"
    path.write_text(TRADES_HEADER + "".join(rows), encoding="utf-8")
    assert path.stat().st_size >= TEN_MB

    started = time.perf_counter()
    added, skipped, problems = import_trades(store, path, TODAY)
    elapsed = time.perf_counter() - started

    assert problems == [] and skipped == 0
    assert added == len(rows)
    stored = store.trades()
    assert len(stored) == len(rows)
    for symbol in SYMBOLS:  # every quantity as written, to the last decimal
        assert sum(t.quantity for t in stored if t.symbol == symbol and t.type == "buy") == sum(
            q for s, q in bought if s == symbol
        )
    assert sum("\nsecond line" in t.note for t in stored) == sum("\nsecond" in r for r in rows)
    assert elapsed < BUDGET_S, f"importing {len(rows)} trades took {elapsed:.1f} s"


def test_a_10_mb_trades_file_with_one_bad_row_near_the_end_imports_nothing(store, tmp_path):
    rows, lines, _ = trade_rows(TEN_MB)
    bad = len(rows) - 3
    while "\nsecond" in rows[bad] or ",buy," not in rows[bad]:  # a one-line buy
        bad -= 1
    cells = rows[bad].split(",")
    cells[4] = '"32,10"'  # a decimal comma, quoted as a spreadsheet writes it
    rows[bad] = ",".join(cells)
    path = tmp_path / "trades.csv"
    path.write_text(TRADES_HEADER + "".join(rows), encoding="utf-8")

    started = time.perf_counter()
    added, _, problems = import_trades(store, path, TODAY)
    elapsed = time.perf_counter() - started

    assert added == 0 and store.trades() == []
    assert [(p.field, p.message.split(":")[0]) for p in problems] == [
        ("price", f"line {lines[bad]}")
    ]
    assert "comma" in problems[0].message
    assert elapsed < BUDGET_S, f"refusing {len(rows)} trades took {elapsed:.1f} s"


def price_rows(size: int) -> tuple[list[str], list[int], list[tuple[dt.date, float, float]]]:
    """Daily rows from 1900 filling ``size`` bytes: the rows, the line each starts on, and
    (date, close, volume) of each. Every 13th note is quoted, every 26th over two lines."""
    rows, lines, values = [], [], []
    line, total, i = 2, len(PRICES_HEADER), 0
    first = dt.date(1900, 1, 1)
    padding = "a padding note of the kind a spreadsheet export keeps " * 3
    while total < size:
        day = first + dt.timedelta(days=i)
        close = f"{(1000 + i) / 100:.2f}"
        volume = 1000 * (i % 500)
        note = f"{padding}row {i}"
        if i % 13 == 0:
            note = f'"{note}\nsecond line"' if i % 26 == 0 else f'"{note}"'
        low, high = float(close) - 0.5, float(close) + 0.5
        rows.append(f"{day},{close},{high:.2f},{low:.2f},{close},{close},{volume},0,0,{note}\n")
        values.append((day, float(close), float(volume)))
        lines.append(line)
        line += rows[-1].count("\n")
        total += len(rows[-1])
        i += 1
    return rows, lines, values


def test_a_10_mb_price_file_imports_every_row(store, tmp_path: Path):
    rows, _, values = price_rows(TEN_MB)
    path = tmp_path / "prices.csv"
    path.write_text(PRICES_HEADER + "".join(rows))
    assert path.stat().st_size >= TEN_MB

    started = time.perf_counter()
    written, parsed = import_price_file(store, path, "^GSPC")
    elapsed = time.perf_counter() - started

    assert parsed.problems == () and parsed.notes == ()
    assert written == len(rows)
    stored = store.price_rows("^GSPC")
    assert len(stored) == len(rows)
    assert [(r["date"], r["close"], r["volume"]) for r in stored] == [
        (str(d), c, v) for d, c, v in values
    ]
    assert elapsed < BUDGET_S, f"importing {len(rows)} price rows took {elapsed:.1f} s"


def test_a_10_mb_price_file_with_a_quote_left_open_near_the_end_imports_nothing(store, tmp_path):
    rows, lines, _ = price_rows(TEN_MB)
    bad = len(rows) - 5
    rows[bad + 1 :] = [r.replace('"', "") for r in rows[bad + 1 :]]  # nothing closes it
    rows[bad] = rows[bad].replace('"', "").replace(",0,0,", ',0,"0,', 1)
    path = tmp_path / "prices.csv"
    path.write_text(PRICES_HEADER + "".join(rows))
    assert any("\nsecond line" in r for r in rows[:bad])  # lines counted past quoted values

    started = time.perf_counter()
    written, parsed = import_price_file(store, path, "^GSPC")
    elapsed = time.perf_counter() - started

    assert written == 0 and store.price_rows("^GSPC") == []
    assert [str(p) for p in parsed.problems] == [
        f"file: prices.csv line {lines[bad]} opens a quote that is never closed"
    ]
    assert elapsed < BUDGET_S, f"refusing {len(rows)} price rows took {elapsed:.1f} s"
