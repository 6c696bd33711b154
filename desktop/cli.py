"""The headless command line: add trades, import prices, refresh, report. Never imports Qt.

Each command opens the store, does one thing, and returns an exit code: 0 on success, 2 when the
input was refused (the message names the field), 1 when the database or a file cannot be used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from desktop.core.holdings import build_positions
from desktop.core.model import Problem, Trade, TradeType
from desktop.core.validation import normalize_symbol, parse_ratio, parse_trade, symbol_problem
from desktop.core.valuation import value_holdings
from desktop.data.store import Store, StoreError

EXIT_OK, EXIT_FAILED, EXIT_REFUSED = 0, 1, 2


def run(args: argparse.Namespace, db_path: Path) -> int:
    try:
        store = open_store(db_path, demo=bool(getattr(args, "demo", False)) and not args.db)
    except StoreError as exc:
        return _fail(str(exc))
    with store:
        if args.command == "trade":
            return trade_add(store, args) if args.trade_command == "add" else trade_list(store)
        if args.command == "import" and args.import_command == "trades":
            return import_trades(store, args.file)
        if args.command == "import":
            return import_prices(store, args.file, args.symbol)
        if args.command == "export":
            return export_trades(store, args.file)
        if args.command == "refresh":
            return refresh(store, args.symbols)
        if args.command == "config":
            return config(store, args)
        if args.command == "report":
            return report(store, as_json=args.json)
    return _fail(f"unknown command {args.command}")


def open_store(db_path: Path, *, demo: bool = False) -> Store:
    """Open (creating if needed) the database; the demo database is seeded on first use."""
    store = Store(db_path)
    if demo:
        from desktop.data.demo import ensure_demo

        ensure_demo(store)
    return store


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"portfolio-desk: {message}", file=sys.stderr)
    return code


def _refuse(problems: Iterable[Problem]) -> int:
    for p in problems:
        print(f"portfolio-desk: invalid {p.field}: {p.message}", file=sys.stderr)
    return EXIT_REFUSED


def trade_add(store: Store, args: argparse.Namespace) -> int:
    quantity = args.quantity
    if args.ratio:
        if args.quantity:
            return _refuse([Problem("ratio", "give either --ratio or --quantity for a split")])
        ratio, problem = parse_ratio(args.ratio)
        if problem:
            return _refuse([problem])
        quantity = ratio
    trade, problems = parse_trade(
        date=args.date,
        type=args.type,
        symbol=args.symbol,
        quantity=quantity,
        price=args.price,
        fee=args.fee,
        amount=args.amount,
        currency=args.currency,
        note=args.note,
        today=dt.date.today(),
    )
    if trade is None:
        return _refuse(problems)
    saved, problems = store.add_trade(trade)
    if saved is None:
        return _refuse(problems)
    print(f"Added trade {saved.id}: {describe(saved)}")
    return EXIT_OK


def describe(t: Trade) -> str:
    """One line for an entry, as a user would say it."""
    day = t.date.isoformat()
    if t.type in (TradeType.BUY, TradeType.SELL):
        return f"{day} {t.type} {t.quantity:f} {t.symbol} @ {t.price:f} (fee {t.fee:f})"
    if t.type is TradeType.SPLIT:
        return f"{day} split {t.symbol} {t.quantity:f} for 1"
    what = f" {t.symbol}" if t.symbol else ""
    return f"{day} {t.type}{what} {t.amount:f}{(' ' + t.currency) if t.currency else ''}"


def trade_list(store: Store) -> int:
    for t in store.trades():
        print(f"{t.id}\t{describe(t)}\t{t.note}")
    return EXIT_OK


def import_trades(store: Store, path: Path) -> int:
    from desktop.data.trades_csv import import_trades as load

    count, problems = load(store, path, dt.date.today())
    if problems:
        print(f"portfolio-desk: nothing imported from {path}:", file=sys.stderr)
        return _refuse(problems)
    print(f"Imported {count} trades from {path}")
    return EXIT_OK


def export_trades(store: Store, path: Path) -> int:
    from desktop.data.trades_csv import write_trades

    trades = store.trades()
    try:
        write_trades(trades, path)
    except OSError as exc:
        return _fail(f"cannot write {path}: {exc}")
    print(f"Exported {len(trades)} trades to {path}")
    return EXIT_OK


def import_prices(store: Store, path: Path, symbol: str) -> int:
    from desktop.data.prices_csv import import_price_file

    sym = normalize_symbol(symbol)
    problem = symbol_problem(sym)
    if problem:
        return _refuse([problem])
    written, parsed = import_price_file(store, path, sym)
    if parsed.problems:
        return _refuse(parsed.problems)
    for note in parsed.notes:
        print(f"portfolio-desk: note: {note}", file=sys.stderr)
    if parsed.symbol_in_file and normalize_symbol(parsed.symbol_in_file) != sym:
        print(
            f"portfolio-desk: note: the file names {parsed.symbol_in_file}; imported as {sym}",
            file=sys.stderr,
        )
    span = store.price_span(sym)
    skipped = f", {parsed.skipped} empty rows skipped" if parsed.skipped else ""
    where = f" ({span[0]} to {span[1]} cached)" if span else ""
    print(f"Imported {written} rows for {sym}{skipped}{where}")
    return EXIT_OK


def refresh(store: Store, symbols: list[str]) -> int:
    from desktop.data.refresh import run_refresh
    from desktop.data.yahoo import YahooSource

    wanted = [normalize_symbol(s) for s in symbols] or None
    problems = [p for p in (symbol_problem(s) for s in wanted or []) if p]
    if problems:
        return _refuse(problems)

    def progress(done: int, total: int, symbol: str) -> None:
        print(f"[{done}/{total}] {symbol}", file=sys.stderr)

    result = run_refresh(store, YahooSource(), symbols=wanted, progress=progress)
    print(result.summary())
    return EXIT_FAILED if result.offline or result.failed else EXIT_OK


def config(store: Store, args: argparse.Namespace) -> int:
    if args.cost_method:
        store.set_setting("cost_method", args.cost_method)
    print(f"cost method: {store.cost_method().value}")
    return EXIT_OK


def report_data(store: Store) -> dict:
    """The report as plain data: holdings and portfolio totals, returns as fractions."""
    positions, _ = build_positions(store.trades())
    names = {s: i.name for s, i in store.instruments().items()}
    holdings, totals = value_holdings(positions, store.last_closes(positions), names)
    return {
        "as_of": max((h.close_date for h in holdings if h.close_date), default=None),
        "holdings": [
            {
                "symbol": h.symbol,
                "name": h.name,
                "quantity": h.quantity,
                "cost_basis": h.cost_basis,
                "average_cost": h.average_cost,
                "last_close": h.last_close,
                "close_date": h.close_date,
                "market_value": h.market_value,
                "unrealized_gain": h.unrealized_gain,
                "unrealized_return": h.unrealized_return,
                "weight": h.weight,
            }
            for h in holdings
        ],
        "portfolio": {
            "market_value": totals.market_value,
            "cost_basis": totals.cost_basis,
            "unrealized_gain": totals.unrealized_gain,
            "unrealized_return": totals.unrealized_return,
            "unpriced": list(totals.unpriced),
        },
        "simulated_prices": store.has_simulated_prices(),
    }


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def report(store: Store, *, as_json: bool) -> int:
    data = report_data(store)
    if data["portfolio"]["unpriced"]:
        print(
            "portfolio-desk: no cached close for "
            + ", ".join(data["portfolio"]["unpriced"])
            + ": the portfolio market value is unknown until they are refreshed or imported",
            file=sys.stderr,
        )
    if data["simulated_prices"]:
        print("portfolio-desk: SIMULATED PRICES (demo database, offline)", file=sys.stderr)
    if as_json:
        json.dump(data, sys.stdout, default=_json_default, allow_nan=False)
        sys.stdout.write("\n")
        return EXIT_OK
    print(f"{'Symbol':<8}{'Quantity':>12}{'Cost':>14}{'Value':>14}{'Gain':>14}{'Weight':>9}")
    for h in data["holdings"]:
        print(
            f"{h['symbol']:<8}{h['quantity']:>12,.4g}{h['cost_basis']:>14,.2f}"
            + (
                f"{h['market_value']:>14,.2f}{h['unrealized_gain']:>+14,.2f}{h['weight']:>9.1%}"
                if h["market_value"] is not None
                else f"{'no price':>14}"
            )
        )
    p = data["portfolio"]
    value = (
        f"{p['market_value']:>14,.2f}{p['unrealized_gain']:>+14,.2f}"
        if p["market_value"] is not None
        else f"{'incomplete':>14}"
    )
    print(f"{'Total':<8}{'':>12}{p['cost_basis']:>14,.2f}{value}")
    if data["as_of"]:
        print(f"Prices as of {data['as_of'].isoformat()}")
    return EXIT_OK
