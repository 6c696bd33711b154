"""Entry point: parse the command line, then run a headless command or open the main window.

Nothing heavy is imported here: the command line never loads Qt, and the window path loads
pandas, pyqtgraph and yfinance only after the first paint.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from desktop import APP_NAME, __version__

#: When the process reached our code; the smoke test measures paint times from here.
STARTED = time.perf_counter()


def _db_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Sub-commands accept the same options, with SUPPRESS so they do not overwrite a value given
    # before the sub-command: `--db p report` and `report --db p` both work.
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="database file (default: $PORTFOLIO_DESK_DB, else the user data folder)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="use the separate demo database (small-cap portfolio vs ^RUT and ^GSPC)",
    )


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    """The command line's parser; with ``with_commands=False`` only the window's options (building
    every sub-command's parser costs about 8 ms of the window's start)."""
    parser = argparse.ArgumentParser(
        prog="portfolio-desk",
        description=f"{APP_NAME}: track a portfolio against the Russell 2000 and the S&P 500. "
        "Without a command, opens the main window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _db_options(parser, top=True)
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window offscreen, print the milliseconds to first paint and to holdings "
        "shown, and exit (no network, no refresh)",
    )
    parser.add_argument(
        "--no-refresh", action="store_true", help="do not fetch prices when the window opens"
    )
    parser.add_argument(
        "--instrument",
        metavar="SYMBOL",
        help="open the window with this instrument's own window on top (its price, volume, "
        "trades and quality)",
    )
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    trade = commands.add_parser("trade", help="add or list trades")
    _db_options(trade, top=False)
    trade_commands = trade.add_subparsers(dest="trade_command", metavar="ACTION", required=True)
    add = trade_commands.add_parser(
        "add",
        help="add an entry: buy, sell, dividend, split, fee, tax, deposit, withdrawal, interest",
    )
    _db_options(add, top=False)
    add.add_argument("--date", required=True, help="trade date, YYYY-MM-DD")
    add.add_argument("--type", required=True, help="buy, sell, dividend, split, fee, tax, ...")
    add.add_argument("--symbol", default="", help="Yahoo symbol, e.g. COHU (not for cash entries)")
    add.add_argument("--quantity", default="", help="units bought or sold")
    add.add_argument("--price", default="", help="price per unit")
    add.add_argument("--fee", default="", help="commission (default 0)")
    add.add_argument("--amount", default="", help="cash of a dividend, fee, tax, deposit, ...")
    add.add_argument("--ratio", default="", help="a split's new:old shares, e.g. 2:1 or 1:10")
    add.add_argument("--currency", default="", help="currency code (default: the instrument's)")
    add.add_argument("--note", default="", help="free text")
    listing = trade_commands.add_parser("list", help="list the ledger")
    _db_options(listing, top=False)

    imp = commands.add_parser("import", help="import data from files")
    _db_options(imp, top=False)
    imp_commands = imp.add_subparsers(dest="import_command", metavar="WHAT", required=True)
    prices = imp_commands.add_parser(
        "prices", help="daily prices from a CSV as Yahoo Finance or yfinance writes it"
    )
    _db_options(prices, top=False)
    prices.add_argument("file", type=Path, help="the CSV file")
    prices.add_argument("--symbol", required=True, help="the symbol the prices belong to")
    trades_in = imp_commands.add_parser(
        "trades",
        help="trades from a CSV (date,type,symbol,quantity,price,fee,amount,currency,note)",
    )
    _db_options(trades_in, top=False)
    trades_in.add_argument("file", type=Path, help="the CSV file")
    trades_in.add_argument(
        "--allow-duplicates",
        action="store_true",
        help="also import rows that match trades already in the ledger (skipped by default)",
    )
    trades_in.add_argument(
        "--preset",
        default="",
        metavar="NAME",
        help="how to read the file: portfolio-desk (the default), interactive-brokers (an "
        "activity statement), us-broker (a Schwab-style transaction history), or a preset "
        "saved in the import dialog",
    )

    database_in = imp_commands.add_parser(
        "database", help="a whole database from the JSON file `export database` wrote"
    )
    _db_options(database_in, top=False)
    database_in.add_argument("file", type=Path, help="the JSON file")
    factors_in = imp_commands.add_parser(
        "factors",
        help="a Ken French factor file (daily or monthly, CSV or zip) for `report --factors`",
    )
    _db_options(factors_in, top=False)
    factors_in.add_argument("file", type=Path, help="the CSV or zip, as the data library serves it")

    exp = commands.add_parser("export", help="export data to files")
    _db_options(exp, top=False)
    exp_commands = exp.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    trades_out = exp_commands.add_parser("trades", help="the ledger as CSV")
    _db_options(trades_out, top=False)
    trades_out.add_argument("file", type=Path, help="the CSV file to write")
    database_out = exp_commands.add_parser(
        "database", help="every record (ledger, prices, settings...) as one JSON file"
    )
    _db_options(database_out, top=False)
    database_out.add_argument("file", type=Path, help="the JSON file to write")
    holdings_out = exp_commands.add_parser(
        "holdings", help="the open positions, valued at their last close, as CSV"
    )
    _db_options(holdings_out, top=False)
    holdings_out.add_argument("file", type=Path, help="the CSV file to write")

    backup = commands.add_parser(
        "backup", help="list, make or restore backups of the database (kept beside it)"
    )
    _db_options(backup, top=False)
    backup_commands = backup.add_subparsers(dest="backup_command", metavar="ACTION", required=True)
    _db_options(backup_commands.add_parser("list", help="the backups, newest first"), top=False)
    _db_options(backup_commands.add_parser("create", help="back up the database now"), top=False)
    restore = backup_commands.add_parser(
        "restore", help="replace the database with a backup (backing up the current one first)"
    )
    _db_options(restore, top=False)
    restore.add_argument("name", help="the backup's name, as `backup list` shows it")

    refresh = commands.add_parser("refresh", help="fetch missing prices from Yahoo Finance")
    _db_options(refresh, top=False)
    refresh.add_argument("symbols", nargs="*", metavar="SYMBOL", help="default: all in use")

    config = commands.add_parser("config", help="show or change the portfolio's settings")
    _db_options(config, top=False)
    config.add_argument(
        "--cost-method", choices=["fifo", "average"], help="how sales relieve lots (default fifo)"
    )

    chart = commands.add_parser(
        "chart",
        help="a chart of the performance screen: its data as CSV, or the chart as PNG",
        description="NAME: performance, relative-strength, drawdown, value, heatmap, rolling, "
        "rolling-3y or contribution; size (the Russell 2000 over the S&P 500, and its 12-month "
        "return less the S&P 500's, from their cached closes); instrument (with --symbol: one "
        "instrument's price, volume and return against the benchmarks, YTD unless a period is "
        "given). FILE ends in .csv (the data the chart holds) or .png (the chart).",
    )
    _db_options(chart, top=False)
    chart.add_argument("name", metavar="NAME", help="which chart (see above)")
    chart.add_argument("--symbol", help="the instrument, for `chart instrument`")
    chart.add_argument("--out", required=True, type=Path, metavar="FILE", help=".csv or .png")
    _period_options(chart)

    report = commands.add_parser("report", help="holdings and portfolio totals (never fetches)")
    _db_options(report, top=False)
    report.add_argument("--json", action="store_true", help="one JSON object on stdout")
    _period_options(report)
    report.add_argument(
        "--factors",
        nargs="?",
        const="daily",
        choices=["daily", "monthly"],
        help="add the Fama-French exposures (market, size, value) of the period's returns",
    )
    return parser


def _period_options(parser: argparse.ArgumentParser) -> None:
    """The period and the benchmarks, as ``report`` and ``chart`` take them."""
    parser.add_argument("--from", dest="start", metavar="DATE", help="first day of the period")
    span = parser.add_mutually_exclusive_group()
    span.add_argument("--to", dest="end", metavar="DATE", help="last day of the period")
    span.add_argument("--period", help="1M, 3M, 6M, YTD, 1Y, 3Y, 5Y, 10Y or Max (default Max)")
    parser.add_argument(
        "--benchmark",
        action="append",
        metavar="SYMBOL",
        help="compare with this cached symbol (repeatable; default ^RUT and ^GSPC)",
    )
    parser.add_argument(
        "--total-return",
        action="store_true",
        help="compare with the benchmarks' adjusted closes (dividends reinvested)",
    )


def resolve_db_path(args: argparse.Namespace) -> Path:
    from desktop.data import paths

    if getattr(args, "db", None):
        return Path(args.db).expanduser()
    if getattr(args, "demo", False):
        return paths.demo_db_path()
    return paths.default_db_path()


def names_a_command(argv: list[str]) -> bool:
    """Whether the arguments may name a sub-command (or ask for help): any word that is not an
    option or the value of ``--db``. The window's own options alone need no sub-parsers."""
    words = iter(argv)
    for word in words:
        if word == "--db":
            next(words, None)
        elif word in ("-h", "--help") or not word.startswith("-"):
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(with_commands=names_a_command(argv)).parse_args(argv)
    db_path = resolve_db_path(args)
    if args.command:
        from desktop import cli

        return cli.run(args, db_path)
    import gc

    # Start-up creates tens of thousands of objects that all stay alive (modules, classes, Qt's
    # wrappers): the collector would walk them some 60 times before the first paint, for
    # nothing. The window turns it back on, with them frozen, once the holdings are painted.
    gc.disable()
    try:
        from desktop.ui.launch import run_gui

        return run_gui(args, db_path, started=STARTED)
    finally:
        gc.enable()


if __name__ == "__main__":
    sys.exit(main())
