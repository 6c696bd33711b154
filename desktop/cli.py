"""The headless command line: add trades, import prices, refresh, report. Never imports Qt.

Each command opens the store, does one thing, and returns an exit code: 0 on success, 2 when the
input was refused (the message names the field), 1 when the database or a file cannot be used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.model import Problem, Trade, TradeType, benchmark_symbol, parse_benchmarks
from desktop.core.validation import (
    normalize_symbol,
    parse_date,
    parse_ratio,
    parse_trade,
    symbol_problem,
)
from desktop.data.store import Store, StoreError

if TYPE_CHECKING:
    from desktop.data.sources.protocol import FundamentalsSource

EXIT_OK, EXIT_FAILED, EXIT_REFUSED = 0, 1, 2


def _only_reads(args: argparse.Namespace) -> bool:
    """Whether the command only reads the database (it must exist: none is created)."""
    if args.command in ("report", "chart", "export", "backup"):
        return True
    if args.command == "trade":
        return args.trade_command == "list"
    return args.command == "config" and not args.cost_method


def run(args: argparse.Namespace, db_path: Path) -> int:
    if args.command == "import" and args.import_command == "factors":
        return import_factors(args.file)  # the user's factor cache: no database is opened
    demo = bool(getattr(args, "demo", False)) and not args.db
    try:
        store = open_store(db_path, demo=demo, create=demo or not _only_reads(args))
    except StoreError as exc:
        return _fail(str(exc))
    with store:
        try:
            return _dispatch(args, store)
        except StoreError as exc:  # locked by another program, read-only, a full disk
            known = exc.known()
            if known and "is damaged" not in known:  # that one names the file itself
                return _fail(f"{store.path}: {known}")
            return _fail(known or f"{exc}; nothing was changed")


def _dispatch(args: argparse.Namespace, store: Store) -> int:
    """Run the command on the open store."""
    if args.command == "trade":
        return trade_add(store, args) if args.trade_command == "add" else trade_list(store)
    if args.command == "import" and args.import_command == "database":
        return import_database(store, args.file)
    if args.command == "export" and args.export_command == "database":
        return export_database(store, args.file)
    if args.command == "import" and args.import_command == "trades":
        return import_trades(
            store, args.file, allow_duplicates=args.allow_duplicates, preset=args.preset
        )
    if args.command == "import":
        return import_prices(store, args.file, args.symbol)
    if args.command == "export" and args.export_command == "holdings":
        return export_holdings(store, args.file)
    if args.command == "export":
        return export_trades(store, args.file)
    if args.command == "refresh":
        return refresh(store, args.symbols)
    if args.command == "config":
        return config(store, args)
    if args.command == "report":
        return report(store, args)
    if args.command == "chart":
        return chart(store, args)
    if args.command == "backup":
        return backup(store, args)
    return _fail(f"unknown command {args.command}")


def open_store(db_path: Path, *, demo: bool = False, create: bool = True) -> Store:
    """Open the database (with ``create``, a new one where there is none); the demo database
    is seeded on first use."""
    store = Store(db_path, create=create)
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
    quantity, price = args.quantity, args.price
    if args.ratio:
        if args.quantity or args.price:
            return _refuse(
                [Problem("ratio", "give either --ratio or --quantity (and --price) for a split")]
            )
        ratio, problem = parse_ratio(args.ratio)
        if problem or ratio is None:
            return _refuse([problem] if problem else [])
        quantity, price = ratio
        price = price if price != 1 else ""  # per old share: stored as it always was
    trade, problems = parse_trade(
        date=args.date,
        type=args.type,
        symbol=args.symbol,
        quantity=quantity,
        price=price,
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
    _say_if_cash_is_negative(store)
    return EXIT_OK


def _say_if_cash_is_negative(store: Store) -> None:
    """A note when the ledger tracks cash and it is now below zero: kept (as a margin loan
    would be), but said, since a missing deposit is the likelier cause."""
    kept = store.positions_now()
    if kept is None:
        from desktop.core.holdings import book

        ledger, _ = book(store.trades(), store.cost_method())
        kept = ledger.positions, ledger.cash, ledger.tracks_cash
    _, cash, tracks_cash = kept
    if tracks_cash and cash < 0:
        print(
            f"portfolio-desk: note: the cash balance is now {cash:,.2f}: below zero (a deposit "
            "missing?); it is kept, as a loan would be",
            file=sys.stderr,
        )


def describe(t: Trade) -> str:
    """One line for an entry, as a user would say it."""
    day = t.date.isoformat()
    if t.type in (TradeType.BUY, TradeType.SELL):
        return f"{day} {t.type} {t.quantity:f} {t.symbol} @ {t.price:f} (fee {t.fee:f})"
    if t.type is TradeType.SPLIT:
        return f"{day} split {t.symbol} {t.quantity:f} for {t.price or Decimal(1):f}"
    what = f" {t.symbol}" if t.symbol else ""
    return f"{day} {t.type}{what} {t.amount:f}{(' ' + t.currency) if t.currency else ''}"


def trade_list(store: Store) -> int:
    for t in store.trades():
        print(f"{t.id}\t{describe(t)}\t{t.note}")
    return EXIT_OK


def import_trades(
    store: Store, path: Path, *, allow_duplicates: bool = False, preset: str = ""
) -> int:
    from desktop.data.formats.trade_presets import presets
    from desktop.data.formats.trades_csv import import_trades as load

    known = presets(store)
    if preset and preset not in known:
        return _refuse([Problem("preset", f"'{preset}' is not one of: {', '.join(sorted(known))}")])
    count, skipped, problems = load(
        store,
        path,
        dt.date.today(),
        allow_duplicates=allow_duplicates,
        mapping=known.get(preset),
    )
    if problems:
        print(f"portfolio-desk: nothing imported from {path}:", file=sys.stderr)
        return _refuse(problems)
    print(f"Imported {count} trades from {path}")
    if count:
        _say_if_cash_is_negative(store)
    if skipped:
        print(
            f"Skipped {skipped} already in the ledger (same day, type, symbol, quantity, price "
            "and amount); --allow-duplicates imports them anyway"
        )
    return EXIT_OK


def export_trades(store: Store, path: Path) -> int:
    """The ledger as CSV, written aside and renamed into place; the database's own files are
    refused as the target."""
    from desktop.data.formats.atomic_file import write_atomically
    from desktop.data.formats.trades_csv import write_trades

    if _is_database_file(store, path):
        return _refuse([Problem("file", f"{path} is the database itself")])
    trades = store.trades()
    try:
        write_atomically(path, lambda partial: write_trades(trades, partial))
    except OSError as exc:
        return _fail(f"cannot write {path}: {exc.strerror or exc}")
    print(f"Exported {len(trades)} trades to {path}")
    return EXIT_OK


def export_database(store: Store, path: Path) -> int:
    """Every record of the database as one JSON file (``import database`` reads it back)."""
    if _is_database_file(store, path):
        return _refuse([Problem("file", f"{path} is the database itself")])
    try:
        counts = store.export_json(path)
    except OSError as exc:
        return _fail(f"cannot write {path}: {exc.strerror or exc}")
    print(f"Exported {counts['trades']} trades and {counts['prices']} prices to {path}")
    return EXIT_OK


def import_database(store: Store, path: Path) -> int:
    """A file ``export database`` wrote, into this (empty) database, all or nothing."""
    try:
        counts = store.import_json(path)
    except StoreError as exc:
        return _fail(str(exc), EXIT_REFUSED)
    print(
        f"Imported {counts['trades']} trades, {counts['prices']} prices and "
        f"{counts['instruments']} instruments from {path}"
    )
    return EXIT_OK


def export_holdings(store: Store, path: Path) -> int:
    """The open positions as the report values them (today's snapshot), as CSV; written
    aside and renamed into place, never onto the database's own files."""
    from desktop.data.formats.atomic_file import write_atomically
    from desktop.data.formats.holdings_csv import write_holdings
    from desktop.data.report import build_report

    if _is_database_file(store, path):
        return _refuse([Problem("file", f"{path} is the database itself")])
    result = build_report(store)
    for note in result.notes:
        print(f"portfolio-desk: {note}", file=sys.stderr)
    holdings = result.data["holdings"]
    try:
        write_atomically(path, lambda partial: write_holdings(holdings, partial))
    except OSError as exc:
        return _fail(f"cannot write {path}: {exc.strerror or exc}")
    as_of = result.data["as_of"]
    print(f"Exported {len(holdings)} holdings to {path}" + (f", valued {as_of}" if as_of else ""))
    return EXIT_OK


def import_prices(store: Store, path: Path, symbol: str) -> int:
    from desktop.data.formats.prices_csv import import_price_file

    sym = normalize_symbol(symbol)
    problem = symbol_problem(sym)
    if problem:
        return _refuse([problem])
    written, parsed = import_price_file(store, path, sym)
    if parsed.problems:
        return _refuse(parsed.problems)
    for note in parsed.notes:
        print(f"portfolio-desk: note: {note}", file=sys.stderr)
    span = store.price_span(sym)
    skipped = f", {parsed.skipped} empty rows skipped" if parsed.skipped else ""
    where = f" ({span[0]} to {span[1]} cached)" if span else ""
    print(f"Imported {written} rows for {sym}{skipped}{where}")
    return EXIT_OK


def import_factors(path: Path) -> int:
    """A Ken French factor file (daily or monthly, CSV or zip) into the factor cache, where
    ``refresh`` keeps a download; refused, and nothing changed, if it does not parse."""
    from desktop.data.factor_data import import_french

    frame, message = import_french(path.expanduser())
    if frame is None:
        return _fail(f"nothing imported: {message}", EXIT_REFUSED)
    print(f"{message}; `report --factors` reads it offline")
    return EXIT_OK


def refresh(store: Store, symbols: list[str]) -> int:
    from desktop.data.refresh import run_refresh
    from desktop.data.sources.yahoo.client import YahooClient
    from desktop.data.sources.yahoo.source import yahoo_sources

    wanted = [normalize_symbol(s) for s in symbols] or None
    problems = [p for p in (symbol_problem(s) for s in wanted or []) if p]
    if problems:
        return _refuse(problems)

    def progress(done: int, total: int, symbol: str) -> None:
        print(f"[{done}/{total}] {symbol}", file=sys.stderr)

    sources = yahoo_sources(YahooClient())  # the process's one way into yfinance
    result = run_refresh(store, sources.prices, symbols=wanted, progress=progress)
    print(result.summary())
    if not result.offline:
        _refresh_fundamentals(store, sources.fundamentals, wanted)
    if not result.offline and wanted is None:
        from desktop.data.factor_data import refresh_french

        message = refresh_french()
        if message:
            print(f"portfolio-desk: Fama-French factors not updated: {message}", file=sys.stderr)
    return EXIT_FAILED if result.offline or result.failed else EXIT_OK


def _refresh_fundamentals(
    store: Store, source: FundamentalsSource | None, wanted: list[str] | None
) -> None:
    """Held equities' fundamentals snapshots older than a week; quiet when offline."""
    from desktop.data.refresh import refresh_fundamentals

    report = refresh_fundamentals(store, source, symbols=wanted)
    if report.updated:
        print(f"fundamentals updated: {', '.join(report.updated)}", file=sys.stderr)
    if report.failed:
        failed = ", ".join(f"{s} ({m})" for s, (_k, m) in report.failed.items())
        print(f"portfolio-desk: fundamentals not updated: {failed}", file=sys.stderr)


def config(store: Store, args: argparse.Namespace) -> int:
    if args.cost_method:
        store.set_setting("cost_method", args.cost_method)
    print(f"cost method: {store.cost_method().value}")
    return EXIT_OK


def _report_args(args: argparse.Namespace) -> tuple[dict, list[Problem]]:
    from desktop.core.periods import PERIODS

    problems: list[Problem] = []
    options: dict = {}
    today = dt.date.today()
    for name, value in (("start", args.start), ("end", args.end)):
        if value:
            day, problem = parse_date(value, today)
            if problem:
                problems.append(Problem("from" if name == "start" else "to", problem.message))
            options[name] = day
    if args.period:
        names = {p.lower(): p for p in PERIODS}
        if args.period.lower() not in names:
            problems.append(
                Problem("period", f"'{args.period}' is not one of {', '.join(PERIODS)}")
            )
        elif args.start:
            problems.append(Problem("period", "give either --period or --from, not both"))
        options["period"] = names.get(args.period.lower())
    if options.get("start") and options.get("end") and options["start"] > options["end"]:
        problems.append(Problem("from", "the period starts after it ends"))
    if args.benchmark:
        symbols = [normalize_symbol(s) for s in args.benchmark]
        # SYM:TR compares with SYM's adjusted closes: SYM must be a well-formed symbol.
        problems += [p for p in (symbol_problem(benchmark_symbol(s)) for s in symbols) if p]
        options["benchmarks"] = list(dict.fromkeys(symbols))
    options["factors"] = getattr(args, "factors", None) or False
    options["total_return"] = bool(getattr(args, "total_return", False))
    return options, problems


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def report(store: Store, args: argparse.Namespace) -> int:
    from desktop.data.report import build_report

    options, problems = _report_args(args)
    if problems:
        return _refuse(problems)
    result = build_report(store, **options)
    data = result.data
    for note in result.notes:
        print(f"portfolio-desk: {note}", file=sys.stderr)
    if data["portfolio"]["unpriced"]:
        print(
            "portfolio-desk: no cached close for "
            + ", ".join(data["portfolio"]["unpriced"])
            + ": the portfolio market value is unknown until they are refreshed or imported",
            file=sys.stderr,
        )
    if data["simulated_prices"]:
        print("portfolio-desk: SIMULATED PRICES (demo database, offline)", file=sys.stderr)
    if args.json:
        json.dump(data, sys.stdout, default=_json_default, allow_nan=False)
        sys.stdout.write("\n")
    else:
        _print_report(data)
    return EXIT_OK


def chart(store: Store, args: argparse.Namespace) -> int:
    """``chart NAME --out FILE``: the data a chart of the performance screen holds (``.csv``),
    or the chart (``.png``), over the period; written to a temporary file renamed into place."""
    import pandas as pd

    from desktop.core.chart_data import CHARTS, chart_frame
    from desktop.data.report import load_snapshot

    if args.name == "instrument":
        return chart_instrument(store, args)
    if args.name == "size":
        return chart_size(store, args)
    options, problems = _report_args(args)
    if getattr(args, "symbol", None):
        problems.append(Problem("symbol", "--symbol is for `chart instrument` only"))
    if args.name not in CHARTS:
        problems.append(Problem("chart", f"'{args.name}' is not one of {', '.join(CHARTS)}"))
    out: Path = args.out
    kind = out.suffix.lower()
    problems += _chart_target_problems(store, out)
    if problems:
        return _refuse(problems)
    options.pop("factors", None)
    if "benchmarks" not in options:  # those the window compares with, as the user sees them
        options["benchmarks"] = parse_benchmarks(store.setting("benchmarks"))
    snapshot = load_snapshot(store, **options)
    frame = chart_frame(args.name, snapshot, snapshot.benchmarks)
    for note in snapshot.notes:
        print(f"portfolio-desk: {note}", file=sys.stderr)
    w = snapshot.window
    if w is not None and w.end.date() < snapshot.period.end:
        print(
            f"portfolio-desk: prices end {w.end:%Y-%m-%d}, before the period does "
            f"({snapshot.period.end:%Y-%m-%d}): refresh to bring them up to date",
            file=sys.stderr,
        )
    for symbol in snapshot.benchmarks:
        if args.name != "contribution" and snapshot.index_closes(symbol).empty:
            print(f"portfolio-desk: no cached closes for {symbol}: no data", file=sys.stderr)

    target = out.expanduser()

    def write(partial: Path) -> None:  # the partial file's suffix says the format
        if kind == ".csv":
            dated = isinstance(frame.index, pd.DatetimeIndex)
            frame.to_csv(partial, index=dated, date_format="%Y-%m-%d", na_rep="")
        else:
            from desktop.ui.chart_export import export_png

            export_png(
                args.name,
                frame,
                partial,
                title=_chart_title(args.name, snapshot)
                + (" · SIMULATED PRICES, not market data" if store.has_simulated_prices() else ""),
                caption=snapshot.period.label,
            )

    return _write_chart(target, write)


def chart_instrument(store: Store, args: argparse.Namespace) -> int:
    """``chart instrument --symbol SYM --out FILE``: the instrument's closes, volumes and price
    return since the period's base close, and the benchmarks' over the same days (``.csv``:
    ``date,close,volume,return,<SYM>...``), or its charts as the window draws them (``.png``)."""
    from desktop.data.instrument_data import load_instrument

    options, problems = _report_args(args)
    symbol = normalize_symbol(args.symbol or "")
    if not symbol:
        problems.append(Problem("symbol", "give the instrument: --symbol SYM"))
    elif problem := symbol_problem(symbol):
        problems.append(problem)
    out: Path = args.out
    kind = out.suffix.lower()
    problems += _chart_target_problems(store, out)
    if problems:
        return _refuse(problems)
    if store.price_span(symbol) is None:
        return _fail(
            f"no closes are cached for {symbol}: refresh prices, or import a price file "
            f"(`portfolio-desk import prices FILE --symbol {symbol}`)"
        )
    benchmarks = options.get("benchmarks") or parse_benchmarks(store.setting("benchmarks"))
    chart = load_instrument(
        store,
        symbol,
        period=options.get("period"),  # none: YTD, or Max for a stock that stopped trading
        start=options.get("start"),
        end=options.get("end"),
        benchmarks=benchmarks,
    )
    for note in chart.notes:
        print(f"portfolio-desk: {note}", file=sys.stderr)
    if chart.no_price_since is not None:
        print(
            f"portfolio-desk: {symbol} has no price since {chart.no_price_since:%Y-%m-%d}",
            file=sys.stderr,
        )
    target = out.expanduser()

    def write(partial: Path) -> None:
        if kind == ".csv":
            from desktop.data.formats.chart_csv import write_chart_csv

            write_chart_csv(chart.frame, partial)
            return
        from desktop.ui.chart_export import render_png
        from desktop.ui.instrument_chart import InstrumentPlots

        def build(page):  # noqa: ANN001, ANN202
            plots = InstrumentPlots(page)
            plots.range_button("Max").parent()  # the range bar stays: it says the range
            return plots, lambda: plots.set_chart(chart)

        simulated = " · SIMULATED PRICES, not market data" if store.has_simulated_prices() else ""
        name = store.instrument(symbol)
        title = f"{symbol} {name.name if name else ''} · {chart.period.label}{simulated}"
        render_png(build, partial, title=title)

    return _write_chart(target, write)


def chart_size(store: Store, args: argparse.Namespace) -> int:
    """``chart size --out FILE``: ^RUT / ^GSPC and ^RUT's 12-month return less ^GSPC's, from
    the cached closes, as ``date,ratio,excess_12m`` or drawn; the period picks the rows (the
    12-month figures look back before it)."""
    from desktop.core.periods import resolve_period
    from desktop.data.size_data import size_frame

    options, problems = _report_args(args)
    out: Path = args.out
    kind = out.suffix.lower()
    problems += _chart_target_problems(store, out)
    given = {
        "benchmark": options.get("benchmarks"),
        "total-return": options.get("total_return"),
        "symbol": getattr(args, "symbol", None),
    }
    for option in (name for name, value in given.items() if value):
        problems.append(Problem(option, f"the size chart is ^RUT against ^GSPC: no --{option}"))
    if problems:
        return _refuse(problems)
    frame, problem = size_frame(store)
    if frame is None:
        return _fail(problem)
    period = resolve_period(
        options.get("period") or (None if options.get("start") else "Max"),
        start=options.get("start"),
        end=options.get("end"),
        as_of=dt.date.today(),
    )
    days = frame.index.date
    frame = frame[(days >= (period.start or days[0])) & (days <= period.end)]
    if frame.empty:
        print(f"portfolio-desk: no ^RUT and ^GSPC session in {period.label}", file=sys.stderr)
    target = out.expanduser()

    def write(partial: Path) -> None:
        if kind == ".csv":
            frame.to_csv(partial, date_format="%Y-%m-%d", na_rep="")
            return
        from desktop.ui.chart_export import export_png

        span = f"{frame.index[0]:%Y-%m-%d} to {frame.index[-1]:%Y-%m-%d}" if len(frame) else ""
        title = f"Small against large: Russell 2000 / S&P 500 · {period.label} · {span}"
        title = title.rstrip(" ·") + (
            " · SIMULATED PRICES, not market data" if store.has_simulated_prices() else ""
        )
        export_png("size", frame, partial, title=title, caption=period.label)

    return _write_chart(target, write)


def _chart_target_problems(store: Store, out: Path) -> list[Problem]:
    """Why ``out`` cannot take a chart: not .csv or .png, or the database's own file."""
    if out.suffix.lower() not in (".csv", ".png"):
        return [Problem("out", f"{out.name} must end in .csv or .png")]
    if _is_database_file(store, out):
        return [Problem("out", f"{out} is the database itself")]
    return []


def _write_chart(target: Path, write: Callable[[Path], None]) -> int:
    """``write`` a chart aside, renamed onto ``target`` once whole; said either way."""
    from desktop.data.formats.atomic_file import write_atomically

    try:
        write_atomically(target, write)
    except OSError as exc:
        return _fail(f"cannot write {target}: {exc.strerror or exc}")
    print(f"wrote {target}")
    return EXIT_OK


def backup(store: Store, args: argparse.Namespace) -> int:
    """``backup list``, ``backup create`` and ``backup restore NAME``."""
    if store.path == ":memory:":
        return _fail("an in-memory database has no backups")
    if args.backup_command == "create":
        made = store.backup("manual")
        print(f"backed up to {made.path} ({_trades(made.trades)})")
        return EXIT_OK
    if args.backup_command == "restore":
        before = store.restore_backup(args.name)
        print(f"restored {args.name}; the database as it was is in {before.path}")
        return EXIT_OK
    found = store.backups()
    if not found:
        print(f"no backups yet (they are kept in {Path(store.path).resolve().parent / 'backups'})")
        return EXIT_OK
    for b in found:
        print(f"{b.path.stem}  {b.made:%Y-%m-%d %H:%M:%S}  {b.reason:<16}  {_trades(b.trades)}")
    return EXIT_OK


def _trades(count: int | None) -> str:
    if count is None:
        return "unreadable"
    return f"{count} trade{'' if count == 1 else 's'}"


def _is_database_file(store: Store, target: Path) -> bool:
    """Whether ``target`` is the database or its WAL files: the same file, by the file
    system's own identity when it exists (a case-insensitive disk, a link), else by path."""
    import os

    path = Path(store.path).resolve()
    target = target.expanduser()
    for own in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if target.exists() and own.exists():
            if os.path.samefile(target, own):
                return True
        elif os.path.normcase(target.resolve()) == os.path.normcase(own):
            return True
    return False


def _chart_title(name: str, snapshot) -> str:
    w = snapshot.window
    span = f"{w.base:%Y-%m-%d} to {w.end:%Y-%m-%d}" if w else "no valued days"
    return f"{name.replace('-', ' ').capitalize()} · {snapshot.period.label} · {span}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2%}"


def _amount(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _print_report(data: dict) -> None:
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
    print(f"{'Total':<8}{'':>12}{_amount(p['cost_basis']):>14}{_amount(p['market_value']):>14}")
    if p["cash"] is not None:
        print(f"Cash {_amount(p['cash'])} (included in the total)")
    period = data["period"]
    if period["base_date"]:
        print(
            f"\nPeriod {period['label']}: from the {period['base_date']} close "
            f"to the {period['end_date']} close"
        )
    print(
        f"  time-weighted {_pct(p['ttwror'])} ({_pct(p['ttwror_annualized'])} a year), "
        f"money-weighted (IRR) {_pct(p['irr'])} a year"
    )
    print(
        f"  gain {_amount(p['absolute_gain'])}, simple return {_pct(p['simple_return'])}, "
        f"max drawdown {_pct(p['max_drawdown'])}, volatility {_pct(p['volatility'])}"
    )
    for symbol, b in data["benchmarks"].items():
        print(f"  vs {symbol}: {_pct(b['return'])}, excess {_pct(b['excess_return'])}")
    lens = data.get("factors")
    if lens:
        print(
            f"  factor lens ({lens['source']}, {lens['observations']} days): "
            f"market {lens['market']['value']:.2f} (t {lens['market']['t']:.1f}), "
            f"size {lens['size_smb']['value']:+.2f} (t {lens['size_smb']['t']:.1f}), "
            f"value {lens['value_hml']['value']:+.2f} (t {lens['value_hml']['t']:.1f}), "
            f"R² {lens['r2']:.2f}"
        )
    premium = data.get("size_premium")
    if premium and premium["annualized_geometric"] is not None:
        recent = (
            f", {_pct(premium['last_10y_geometric'])} since {premium['last_10y_from']}"
            if premium["last_10y_from"]
            else ""
        )
        print(
            f"  size premium (SMB, {premium['source']}): {_pct(premium['annualized_geometric'])} "
            f"a year compounded since {premium['first_month']}{recent}"
        )
    print("What they mean:")
    for key in ("ttwror", "irr", "simple_return"):
        print(f"  {key}: {data['explain'][key]}")
    print(f"Prices as of {data['as_of']}")
