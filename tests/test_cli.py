"""The headless command line: trade add, report --json, --db anywhere, refusals, no Qt."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.app import main
from desktop.data.store import Store


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "p.sqlite")


def test_trade_add_then_report_json(capsys, db):
    assert (
        run(
            capsys,
            "--db",
            db,
            "trade",
            "add",
            "--date",
            "2024-01-05",
            "--symbol",
            "COHU",
            "--type",
            "buy",
            "--quantity",
            "100",
            "--price",
            "32.10",
            "--fee",
            "1.00",
        )[0]
        == 0
    )
    assert (
        run(
            capsys,
            "trade",
            "add",
            "--date",
            "2024-01-08",
            "--symbol",
            "sum",
            "--type",
            "buy",
            "--quantity",
            "50",
            "--price",
            "37.77",
            "--db",
            db,
        )[0]
        == 0
    )
    with Store(db) as store:
        store.upsert_prices("COHU", [{"date": "2024-03-08", "close": 31.95}], "csv")
        store.upsert_prices("SUM", [{"date": "2024-03-08", "close": 42.99}], "csv")
    code, out, _ = run(capsys, "report", "--json", "--db", db)
    assert code == 0
    data = json.loads(out)
    cohu, sum_ = data["holdings"]
    assert cohu["symbol"] == "COHU" and cohu["quantity"] == 100
    assert cohu["cost_basis"] == pytest.approx(3211.00)
    assert cohu["market_value"] == pytest.approx(3195.00)
    assert cohu["unrealized_gain"] == pytest.approx(-16.00)
    assert sum_["market_value"] == pytest.approx(2149.50)  # 50 * 42.99
    assert cohu["weight"] == pytest.approx(3195.00 / 5344.50)
    portfolio = {
        k: data["portfolio"][k]
        for k in ("market_value", "cost_basis", "unrealized_gain", "unrealized_return", "unpriced")
    }
    assert portfolio == {
        "market_value": pytest.approx(5344.50),
        "cost_basis": pytest.approx(3211.00 + 1888.50),
        "unrealized_gain": pytest.approx(5344.50 - 5099.50),
        "unrealized_return": pytest.approx(245.0 / 5099.5),
        "unpriced": [],
    }


def test_unknown_values_are_null(capsys, db):
    run(
        capsys,
        "trade",
        "add",
        "--db",
        db,
        "--date",
        "2024-01-05",
        "--symbol",
        "COHU",
        "--type",
        "buy",
        "--quantity",
        "1",
        "--price",
        "30",
    )
    code, out, err = run(capsys, "report", "--json", "--db", db)
    data = json.loads(out)
    assert code == 0 and data["holdings"][0]["market_value"] is None
    assert data["portfolio"]["market_value"] is None and "COHU" in err


@pytest.mark.parametrize(
    "args, field",
    [
        (["--symbol", ""], "symbol"),
        (["--symbol", "NOT A SYMBOL"], "symbol"),
        (["--quantity", "0"], "quantity"),
        (["--quantity", "-3"], "quantity"),
        (["--quantity", "nan"], "quantity"),
        (["--price", "inf"], "price"),
        (["--price", "abc"], "price"),
        (["--date", "2024-02-30"], "date"),
        (["--date", "2999-01-01"], "date"),
        (["--type", "short"], "type"),
        (["--type", "sell", "--quantity", "5"], "quantity"),  # nothing held
    ],
)
def test_bad_trades_are_refused_naming_the_field(capsys, db, args, field):
    base = {
        "--date": "2024-01-05",
        "--symbol": "COHU",
        "--type": "buy",
        "--quantity": "1",
        "--price": "30",
    }
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    argv = ["trade", "add", "--db", db] + [x for kv in base.items() for x in kv]
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert f"invalid {field}" in err
    with Store(db) as store:
        assert store.trades() == []


def test_cli_never_imports_qt(db, subprocess_env):
    Store(db).close()  # an empty portfolio: a report never creates one
    code = (
        "import sys; from desktop.app import main; "
        f"main(['report', '--json', '--db', {db!r}]); "
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'yfinance'))]"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=subprocess_env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["holdings"] == []


def test_python_dash_m_works_and_the_environment_variable_picks_the_file(tmp_path, subprocess_env):
    path = tmp_path / "from-env.sqlite"
    env = {**subprocess_env, "PORTFOLIO_DESK_DB": str(path)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "trade",
            "add",
            "--date",
            "2024-01-05",
            "--symbol",
            "COHU",
            "--type",
            "buy",
            "--quantity",
            "2",
            "--price",
            "30",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    with Store(path) as store:
        assert len(store.trades()) == 1


def test_import_prices_twice_changes_nothing(capsys, db, fixtures):
    path = str(fixtures / "COHU_yahoo_2020-2024.csv")  # 1,053 rows, 2020-01-02..2024-03-08
    code, out, _ = run(capsys, "import", "prices", path, "--symbol", "COHU", "--db", db)
    assert code == 0 and "1053 rows" in out
    with Store(db) as store:
        first = store.price_rows("COHU")
    assert run(capsys, "--db", db, "import", "prices", path, "--symbol", "cohu")[0] == 0
    with Store(db) as store:
        assert store.price_rows("COHU") == first
        assert store.last_closes() == {"COHU": (dt.date(2024, 3, 8), 31.950001)}


def test_import_of_a_bad_file_is_refused(capsys, db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Date,Open\n2024-01-02,1\n")
    code, _, err = run(capsys, "import", "prices", str(bad), "--symbol", "COHU", "--db", db)
    assert code == 2 and "Close" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "{db}", "trade", "list"],
        ["trade", "--db", "{db}", "list"],
        ["trade", "list", "--db", "{db}"],
        ["report", "--db", "{db}"],
    ],
)
def test_db_is_accepted_anywhere(capsys, db, argv):
    from tests.ui.conftest import buy

    with Store(db) as store:
        store.add_trade(buy(symbol="WWSIX"))
    code, out, _ = run(capsys, *[a.format(db=db) for a in argv])
    assert code == 0
    assert "WWSIX" in out  # the trade in that file, not in the default database


def test_every_entry_type_from_the_command_line(capsys, db):
    entries = [
        ["--type", "deposit", "--amount", "10000", "--date", "2024-01-02"],
        [
            "--type",
            "buy",
            "--symbol",
            "COHU",
            "--quantity",
            "100",
            "--price",
            "32.10",
            "--date",
            "2024-01-05",
        ],
        ["--type", "split", "--symbol", "COHU", "--ratio", "2:1", "--date", "2024-02-01"],
        ["--type", "dividend", "--symbol", "COHU", "--amount", "12.50", "--date", "2024-03-01"],
        ["--type", "fee", "--amount", "5", "--date", "2024-03-02"],
    ]
    for args in entries:
        assert run(capsys, "trade", "add", "--db", db, *args)[0] == 0
    with Store(db) as store:
        kinds = [(t.type.value, str(t.quantity), str(t.amount)) for t in store.trades()]
    assert kinds == [
        ("deposit", "0", "10000"),
        ("buy", "100", "0"),
        ("split", "2", "0"),
        ("dividend", "0", "12.50"),
        ("fee", "0", "5"),
    ]


def test_import_and_export_trades(capsys, db, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "date,type,symbol,quantity,price,fee,amount,currency,note\n2024-01-05,buy,COHU,100,32.10,1,,,hi\n"
    )
    code, out, _ = run(capsys, "import", "trades", str(path), "--db", db)
    assert code == 0 and "Imported 1 trades" in out
    out_path = tmp_path / "out.csv"
    assert run(capsys, "export", "trades", str(out_path), "--db", db)[0] == 0
    assert out_path.read_text().splitlines()[1] == "2024-01-05,buy,COHU,100,32.10,1,,,hi"
    bad = tmp_path / "bad.csv"
    bad.write_text("date,type,symbol,quantity,price\n2024-01-05,buy,COHU,abc,1\n")
    code, _, err = run(capsys, "import", "trades", str(bad), "--db", db)
    assert code == 2 and "line 2:" in err and "nothing imported" in err


def test_cost_method_setting(capsys, db):
    Store(db).close()
    assert run(capsys, "config", "--db", db)[1].strip() == "cost method: fifo"
    assert run(capsys, "config", "--cost-method", "average", "--db", db)[0] == 0
    with Store(db) as store:
        assert store.cost_method().value == "average"


def test_report_period_and_benchmark_options(capsys, db, time_machine):
    from tests.ui.conftest import buy

    time_machine.move_to(dt.datetime(2024, 1, 3, 12, tzinfo=dt.UTC))  # YTD: 2024 from 1 January

    with Store(db) as store:
        store.add_trade(buy(day=dt.date(2024, 1, 2), qty="10", price="10", fee="0"))
        for day, close, index in (
            ("2023-12-29", 9.0, 100.0),
            ("2024-01-02", 10.0, 100.0),
            ("2024-01-03", 11.0, 102.0),
        ):
            store.upsert_prices("COHU", [{"date": day, "close": close}], "csv")
            store.upsert_prices("^RUT", [{"date": day, "close": index}], "csv")
    code, out, err = run(
        capsys,
        "report",
        "--json",
        "--period",
        "ytd",
        "--benchmark",
        "^RUT",
        "--benchmark",
        "SPY",
        "--db",
        db,
    )
    assert code == 0
    data = json.loads(out)
    assert data["period"]["label"] == "YTD"
    assert data["portfolio"]["ttwror"] == pytest.approx(0.10)  # bought at the 10 close, now 11
    assert data["benchmarks"]["^RUT"]["return"] == pytest.approx(0.02)
    assert data["benchmarks"]["^RUT"]["excess_return"] == pytest.approx(0.08)
    assert data["benchmarks"]["SPY"]["return"] is None and "SPY" in err
    code, out, _ = run(
        capsys, "report", "--json", "--period", "ytd", "--benchmark", "iwm:tr", "--db", db
    )
    assert code == 0 and list(json.loads(out)["benchmarks"]) == ["IWM:TR"]
    code, out, _ = run(
        capsys, "report", "--json", "--from", "2024-01-03", "--to", "2024-01-03", "--db", db
    )
    assert code == 0 and json.loads(out)["period"]["base_date"] == "2024-01-02"


@pytest.mark.parametrize(
    "args, field",
    [
        (["--period", "2W"], "period"),
        (["--from", "2024-13-01"], "from"),
        (["--from", "2024-02-01", "--to", "2024-01-01"], "from"),
        (["--benchmark", "IWM$:TR"], "symbol"),
        (["--benchmark", ":TR"], "symbol"),
    ],
)
def test_report_refuses_bad_periods(capsys, db, args, field):
    Store(db).close()
    code, _, err = run(capsys, "report", "--json", "--db", db, *args)
    assert code == 2 and f"invalid {field}" in err


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        ([], False),
        (["--demo", "--no-refresh"], False),
        (["--db", "report"], False),  # a database file called "report", and no command
        (["--db=report", "--smoke-test"], False),
        (["--db", "p.sqlite", "report"], True),
        (["--demo", "report", "--json"], True),
        (["--help"], True),
        (["-h"], True),
        (["nonsense"], True),  # so the full parser refuses it, listing the commands
    ],
)
def test_only_a_command_line_that_may_name_a_command_builds_the_sub_parsers(argv, named):
    from desktop.app import names_a_command

    assert names_a_command(argv) is named


def test_an_unknown_command_is_refused_with_the_list_of_commands(capsys, db):
    with pytest.raises(SystemExit) as exit_:
        main(["--db", db, "nonsense"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'nonsense'" in err and "report" in err


def test_the_window_s_parser_reads_the_window_s_options_only():
    from desktop.app import build_parser

    args = build_parser(with_commands=False).parse_args(["--db", "x.sqlite", "--no-refresh"])
    assert (args.db, args.no_refresh, args.smoke_test, args.command) == (
        "x.sqlite",
        True,
        False,
        None,
    )
    with pytest.raises(SystemExit):
        build_parser(with_commands=False).parse_args(["report"])


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--json"],
        ["chart", "performance", "--out", "x.csv"],
        ["export", "trades", "x.csv"],
        ["trade", "list"],
        ["config"],
    ],
)
def test_a_read_command_on_a_mistyped_path_creates_nothing(capsys, tmp_path, argv):
    typo = tmp_path / "portfolo.sqlite"
    argv = [str(tmp_path / a) if a == "x.csv" else a for a in argv]
    code, _, err = run(capsys, *argv, "--db", str(typo))
    assert code == 1 and f"there is no database at {typo}" in err
    assert list(tmp_path.iterdir()) == []  # no database, no export


def test_another_program_s_database_is_refused_and_left_byte_identical(capsys, tmp_path):
    import sqlite3

    other = tmp_path / "photos.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE albums (id INTEGER PRIMARY KEY, title TEXT)")
        conn.execute("INSERT INTO albums (title) VALUES ('Holidays')")
    conn.close()
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).execute("VACUUM").connection.close()  # a valid file, no tables
    assert empty.stat().st_size > 0
    for path in (other, empty):
        before = path.read_bytes()
        for argv in (
            ["report", "--json"],
            ["trade", "add", "--date", "2024-01-05", "--type", "deposit", "--amount", "100"],
        ):
            code, _, err = run(capsys, *argv, "--db", str(path))
            assert code == 1 and "is not a Portfolio Desk database" in err, err
        assert path.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db", "photos.db"]  # no WAL


def test_the_cli_refuses_a_decimal_comma_and_writes_nothing(tmp_path, capsys):
    db = tmp_path / "p.sqlite"
    argv = ["trade", "add", "--date", "2024-01-05", "--type", "buy", "--symbol", "COHU"]
    code = main([*argv, "--quantity", "100", "--price", "32,10", "--db", str(db)])
    assert code == 2 and "invalid price" in capsys.readouterr().err
    with Store(db) as store:
        assert store.trades() == []


def test_a_zero_byte_file_is_refused_by_a_read_command_and_left_as_it_is(capsys, tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    code, _, err = run(capsys, "report", "--json", "--db", str(empty))
    assert code == 1 and "the file is empty" in err
    assert empty.stat().st_size == 0 and list(tmp_path.iterdir()) == [empty]


def test_another_program_s_wal_file_is_refused_without_a_checkpoint(capsys, tmp_path):
    import sqlite3

    other = tmp_path / "app.db"
    writer = sqlite3.connect(other)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")  # its changes stay in the -wal file
    writer.execute("CREATE TABLE notes (body TEXT)")
    writer.execute("INSERT INTO notes VALUES ('mine')")
    writer.commit()

    def data():  # the database and its log (the -shm file is a reader's scratch index)
        return {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.suffix != ".db-shm"}

    files = data()
    assert "app.db-wal" in files
    code, _, err = run(capsys, "report", "--json", "--db", str(other))
    assert code == 1 and "is not a Portfolio Desk database (it holds the tables notes)" in err
    assert data() == files  # not even the WAL checkpointed into the file
    writer.close()


def test_a_first_start_killed_midway_leaves_no_file_that_locks_the_user_out(
    tmp_path, subprocess_env
):
    """The new database is built under another name: killed before it is renamed into place,
    the path holds nothing, and the next start creates it whole."""
    import signal

    path = tmp_path / "portfolio.sqlite"
    code = (
        "import os, signal, desktop.data.store.migrations as m\n"
        "real = m.migrate\n"
        "def migrate(db):\n"
        "    real(db)\n"
        "    if not os.path.exists(os.environ['TARGET']):\n"  # the aside file is migrated
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "m.migrate = migrate\n"
        "from desktop.data.store import Store\n"
        "Store(os.environ['TARGET'])\n"
    )
    env = {**subprocess_env, "TARGET": str(path)}
    child = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
    assert child.returncode == -signal.SIGKILL
    assert not path.exists()
    with Store(path) as store:  # the next start: a whole new database
        assert store.trades() == [] and store.cost_method().value == "fifo"


def test_a_dividend_on_a_symbol_never_held_is_refused(capsys, db):
    argv = ["trade", "add", "--date", "2024-01-05", "--type", "dividend", "--symbol", "SPY"]
    code, _, err = run(capsys, *argv, "--amount", "5", "--db", db)
    assert code == 2 and "invalid symbol: the dividend of SPY on 2024-01-05" in err
    with Store(db) as store:
        assert store.trades() == []


def test_importing_the_same_file_twice_skips_what_is_stored(capsys, db, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "date,type,symbol,quantity,price,fee,amount,currency,note\n"
        "2024-01-05,buy,COHU,100,32.10,1,,,\n"
        '2024-01-05,buy,COHU,100,32.10,1,,,"a second, identical buy"\n'
        "2024-01-08,dividend,COHU,,,,12.50,,\n"
    )
    code, out, _ = run(capsys, "import", "trades", str(path), "--db", db)
    assert code == 0 and "Imported 3 trades" in out  # identical rows of one file are two buys
    code, out, _ = run(capsys, "import", "trades", str(path), "--db", db)
    assert code == 0 and "Imported 0 trades" in out and "Skipped 3 already in the ledger" in out
    with Store(db) as store:
        assert len(store.trades()) == 3  # not doubled
    code, out, _ = run(capsys, "import", "trades", str(path), "--allow-duplicates", "--db", db)
    assert code == 0 and "Imported 3 trades" in out and "Skipped" not in out
    with Store(db) as store:
        assert len(store.trades()) == 6


def test_cash_below_zero_is_said_not_silently_kept(capsys, db):
    add = ["trade", "add", "--date", "2024-01-05"]
    assert run(capsys, *add, "--type", "deposit", "--amount", "1000", "--db", db)[0] == 0
    code, _, err = run(
        capsys,
        *add,
        "--type",
        "buy",
        "--symbol",
        "COHU",
        "--quantity",
        "100",
        "--price",
        "32.10",
        "--fee",
        "1",
        "--db",
        db,
    )
    assert code == 0 and "the cash balance is now -2,211.00: below zero" in err
    code, _, err = run(capsys, *add, "--type", "deposit", "--amount", "5000", "--db", db)
    assert code == 0 and "below zero" not in err


def test_a_price_file_that_names_another_symbol_is_refused(capsys, db, fixtures):
    spy = fixtures / "SPY_yf_download_multiindex_2006.csv"  # its header names SPY
    code, _, err = run(capsys, "import", "prices", str(spy), "--symbol", "COHU", "--db", db)
    assert code == 2 and "invalid symbol: the file holds the prices of SPY, not COHU" in err
    with Store(db) as store:
        assert store.price_span("COHU") is None and store.price_span("SPY") is None
    code, out, _ = run(capsys, "import", "prices", str(spy), "--symbol", "spy", "--db", db)
    assert code == 0 and "for SPY" in out


def _locked(path):
    """Another program's connection holding the write lock of ``path``."""
    import sqlite3

    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    return other


ADD = ["trade", "add", "--date", "2024-01-05", "--type", "deposit", "--amount", "100"]


def test_a_database_locked_by_another_program_is_said_not_a_traceback(capsys, db, monkeypatch):
    from desktop.data.store import database

    Store(db).close()
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)  # the wait, shortened
    other = _locked(db)
    try:
        code, _, err = run(capsys, *ADD, "--db", db)
    finally:
        other.rollback()
        other.close()
    assert code == 1 and f"{db}: the portfolio file is in use by another program" in err
    assert "nothing was changed" in err
    with Store(db) as store:
        assert store.trades() == []


def test_a_writer_waits_for_another_program_s_lock_to_end(capsys, db):
    import threading
    import time

    Store(db).close()
    other = _locked(db)
    released = threading.Event()

    def release_soon():
        time.sleep(0.3)  # holds the lock a while, well inside the busy timeout
        other.commit()
        released.set()

    threading.Thread(target=release_soon).start()
    code, out, err = run(capsys, *ADD, "--db", db)
    other.close()
    assert released.is_set() and code == 0, err  # it waited, then wrote
    with Store(db) as store:
        assert len(store.trades()) == 1


def test_backup_create_list_and_restore_from_the_command_line(capsys, db, tmp_path):
    add = ["trade", "add", "--db", db, "--date", "2024-01-02", "--type", "buy", "--symbol"]
    assert run(capsys, *add, "COHU", "--quantity", "10", "--price", "30")[0] == 0
    code, out, _ = run(capsys, "backup", "create", "--db", db)
    assert code == 0 and "backed up to" in out and "(1 trade)" in out
    (made,) = (tmp_path / "backups").glob("p-*-manual.sqlite")
    assert run(capsys, *add, "SUM", "--quantity", "5", "--price", "40")[0] == 0
    code, out, _ = run(capsys, "backup", "list", "--db", db)
    assert code == 0 and out.split() == [made.stem, *out.split()[1:3], "manual", "1", "trade"]
    code, out, _ = run(capsys, "backup", "restore", made.stem, "--db", db)
    assert code == 0 and f"restored {made.stem}" in out and "before-restore" in out
    _, listed, _ = run(capsys, "trade", "list", "--db", db)
    assert "COHU" in listed and "SUM" not in listed
    _, out, _ = run(capsys, "backup", "list", "--db", db)
    lines = out.splitlines()
    assert len(lines) == 2 and "before-restore" in lines[0] and "2 trades" in lines[0]


def test_backup_commands_refuse_a_missing_database_and_an_unknown_backup(capsys, tmp_path):
    typo = tmp_path / "portfolo.sqlite"
    code, _, err = run(capsys, "backup", "create", "--db", str(typo))
    assert code == 1 and "there is no database" in err and list(tmp_path.iterdir()) == []
    db = str(tmp_path / "p.sqlite")
    deposit = "trade add --date 2024-01-02 --type deposit --amount 100".split()
    assert run(capsys, *deposit, "--db", db)[0] == 0
    before = (tmp_path / "p.sqlite").read_bytes()
    code, _, err = run(capsys, "backup", "restore", "p-20200101-000000-000000-manual", "--db", db)
    assert code == 1 and "no backup called" in err and "nothing was changed" in err
    assert (tmp_path / "p.sqlite").read_bytes() == before
    code, out, _ = run(capsys, "backup", "list", "--db", db)
    assert code == 0 and out.startswith("no backups yet")


def _imported(capsys, db, tmp_path, *rows: str) -> None:
    """Import these trades CSV rows (under the app's header) into ``db``."""
    path = tmp_path / "t.csv"
    path.write_text(
        "date,type,symbol,quantity,price,fee,amount,currency,note\n" + "\n".join(rows) + "\n"
    )
    assert run(capsys, "import", "trades", str(path), "--db", db)[0] == 0


def test_export_holdings_writes_each_position_valued_at_its_last_close(capsys, db, tmp_path):
    import csv

    from desktop.core.model import Instrument

    _imported(
        capsys,
        db,
        tmp_path,
        "2024-01-05,buy,COHU,100,32.10,1,,,",
        "2024-01-08,buy,SUM,10,40,0,,,",
        "2024-02-01,sell,COHU,40,35.00,2,,,",
    )
    with Store(db) as store:
        store.upsert_prices("COHU", [{"date": dt.date(2024, 3, 1), "close": 36.0}], "csv")
        store.save_instrument(Instrument("COHU", name="=HYPERLINK(evil)"))
    out = tmp_path / "holdings.csv"
    code, printed, _ = run(capsys, "export", "holdings", str(out), "--db", db)
    assert code == 0 and "Exported 2 holdings" in printed
    assert "valued" not in printed  # SUM has no close: the portfolio has no valued day yet
    rows = {r["symbol"]: r for r in csv.DictReader(out.open(newline=""))}
    cohu = rows["COHU"]
    # By hand: 100 bought for 3,211 (fee 1); 40 sold (FIFO) relieve 1,284.40 of it, for
    # 40 x 35 - 2 = 1,398: a realized gain of 113.60; 60 left cost 1,926.60, worth 60 x 36.
    assert float(cohu["quantity"]) == 60
    assert float(cohu["cost_basis"]) == pytest.approx(1926.60)
    assert float(cohu["market_value"]) == pytest.approx(2160.0)
    assert float(cohu["unrealized_gain"]) == pytest.approx(2160.0 - 1926.60)
    assert float(cohu["realized_gain"]) == pytest.approx(113.60)
    assert cohu["close_date"] == "2024-03-01"
    assert cohu["name"] == "'=HYPERLINK(evil)"  # a spreadsheet shows it as text
    sum_ = rows["SUM"]  # no close cached: unknown, blank, never 0
    assert float(sum_["quantity"]) == 10 and sum_["market_value"] == sum_["last_close"] == ""
    code, _, err = run(capsys, "export", "holdings", db, "--db", db)
    assert code == 2 and "is the database itself" in err


def test_export_database_then_import_database_gives_the_same_report(capsys, db, tmp_path):
    _imported(
        capsys,
        db,
        tmp_path,
        "2024-01-02,deposit,,,,,5000,,",
        "2024-01-05,buy,COHU,100,32.10,1,,,first",
        "2024-02-01,sell,COHU,40,35.00,2,,,",
    )
    with Store(db) as store:
        days = [dt.date(2024, 1, 2) + dt.timedelta(days=i) for i in range(60)]
        for symbol, base in (("COHU", 32.0), ("^RUT", 2000.0), ("^GSPC", 4700.0)):
            rows = [{"date": d, "close": base + i * 0.25} for i, d in enumerate(days)]
            store.upsert_prices(symbol, rows, "csv")
    out = tmp_path / "everything.json"
    code, printed, _ = run(capsys, "export", "database", str(out), "--db", db)
    assert code == 0 and "Exported 3 trades and 180 prices" in printed
    copy = str(tmp_path / "copy.sqlite")
    code, printed, _ = run(capsys, "import", "database", str(out), "--db", copy)
    assert code == 0 and "Imported 3 trades, 180 prices" in printed
    _, before, _ = run(capsys, "report", "--json", "--db", db)
    _, after, _ = run(capsys, "report", "--json", "--db", copy)
    assert json.loads(after) == json.loads(before) and json.loads(before)["holdings"]
    code, _, err = run(capsys, "import", "database", str(out), "--db", copy)
    assert code == 2 and "already holds 3 trades" in err and "nothing was imported" in err
    code, _, err = run(capsys, "export", "database", db, "--db", db)
    assert code == 2 and "is the database itself" in err


def test_import_trades_reads_a_broker_statement_with_its_preset_once(capsys, db):
    statement = Path(__file__).parent / "fixtures" / "imports" / "ib_activity_statement.csv"
    code, out, err = run(
        capsys, "import", "trades", str(statement), "--preset", "interactive-brokers", "--db", db
    )
    assert (code, err) == (0, "") and "Imported 9 trades" in out
    with Store(db) as store:
        cohu = [t for t in store.trades() if t.symbol == "COHU"]
        assert [(t.type.value, t.quantity) for t in cohu] == [("buy", 100), ("sell", 40)]
    code, out, _ = run(
        capsys, "import", "trades", str(statement), "--preset", "interactive-brokers", "--db", db
    )
    assert code == 0 and "Imported 0 trades" in out and "Skipped 9 already" in out
    # Read as the app's own format, the statement has no header it knows: nothing changes.
    code, _, err = run(capsys, "import", "trades", str(statement), "--db", db)
    assert code == 2 and "the header has no date, type column" in err


def test_an_unknown_preset_is_refused_naming_the_known_ones(capsys, db, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("date,type,amount\n2024-01-02,deposit,100\n")
    code, _, err = run(capsys, "import", "trades", str(path), "--preset", "schwab", "--db", db)
    assert code == 2
    assert "'schwab' is not one of: interactive-brokers, portfolio-desk, us-broker" in err
    with Store(db) as store:
        assert store.trades() == []


def test_a_reverse_split_is_entered_as_1_for_3_and_undone_by_3_for_1_exactly(capsys, db, tmp_path):
    add = ["trade", "add", "--symbol", "COHU", "--db", db]
    assert (
        run(
            capsys,
            *add,
            "--date",
            "2024-01-05",
            "--type",
            "buy",
            "--quantity",
            "300",
            "--price",
            "10",
        )[0]
        == 0
    )
    code, _, err = run(capsys, *add, "--date", "2024-02-01", "--type", "split", "--ratio", "1:3")
    assert code == 0, err
    assert run(capsys, *add, "--date", "2024-03-01", "--type", "split", "--ratio", "3:1")[0] == 0
    code, out, _ = run(capsys, "trade", "list", "--db", db)
    said = [line.split("\t")[1] for line in out.splitlines()]  # id, entry, note
    assert "2024-02-01 split COHU 1 for 3" in said and "2024-03-01 split COHU 3 for 1" in said
    code, out, _ = run(capsys, "report", "--json", "--db", db)
    (cohu,) = json.loads(out)["holdings"]
    assert cohu["quantity"] == 300.0 and cohu["cost_basis"] == 3000.0
    # The ledger's CSV keeps the old shares (in the price column) and reads back the same.
    path = tmp_path / "ledger.csv"
    assert run(capsys, "export", "trades", str(path), "--db", db)[0] == 0
    assert "2024-02-01,split,COHU,1,3,,,," in path.read_text()
    other = str(tmp_path / "other.sqlite")
    assert run(capsys, "import", "trades", str(path), "--db", other)[0] == 0
    with Store(db) as a, Store(other) as b:
        assert [t.split_ratio for t in a.trades()] == [t.split_ratio for t in b.trades()]
