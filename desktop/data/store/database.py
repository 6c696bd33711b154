"""The one place that reads and writes the SQLite file.

Reads go through a plain ``sqlite3`` connection, so the window can paint before pandas (which
sqlite-utils imports) is loaded. Every write goes through sqlite-utils inside ``db.atomic()``, one
transaction per user action, so a failure leaves the file as it was. A connection belongs to the
thread that opened it: background workers open their own ``Store`` on the same path.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sqlite3
import threading
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.core.fundamentals import Fundamentals
from desktop.core.model import (
    CostMethod,
    Instrument,
    Position,
    Problem,
    Trade,
)
from desktop.data.store import migrations, opening, positions, series
from desktop.data.store import rows as convert

if TYPE_CHECKING:
    import pandas as pd
    import sqlite_utils

    from desktop.core.holdings import Book


def _ledger_problems(trades: list[Trade]) -> list[Problem]:
    """``core.holdings.ledger_problems``, imported when a write first asks (booking is not on
    the path of the window's first paint)."""
    from desktop.core.holdings import ledger_problems

    return ledger_problems(trades)


#: Columns of the prices table that a price row may carry besides ``date``.
PRICE_FIELDS = (
    "open",
    "high",
    "low",
    "close",
    "adj_close",
    "volume",
    "dividend",
    "split",
    "capital_gain",
)
#: The corporate actions a price row records, per share; 0 means none that day.
ACTION_FIELDS = ("dividend", "split", "capital_gain")
SIMULATED_SOURCE = "simulated"
#: How long a write waits for another connection's (a worker's, another process's) to end.
BUSY_TIMEOUT_MS = 10_000


def busy_timeout_ms() -> int:
    """``BUSY_TIMEOUT_MS``, read when a connection is made (a test shortens it)."""
    return BUSY_TIMEOUT_MS


class StoreError(RuntimeError):
    """The database cannot be used or refused a change: unreadable, not a Portfolio Desk file,
    too new, locked, read-only, full. Every ``sqlite3.Error`` the store meets leaves it as this
    (the original is its ``__cause__``); a write that raises it changed nothing."""

    def plain(self) -> str:
        """What went wrong, as a user would be told: the file in use by another program,
        read-only, a full disk, or the message itself."""
        return self.known() or f"the change could not be saved: {self}. Nothing was changed."

    def known(self) -> str | None:
        """The plain sentence for a refusal a user can act on (the file in use by another
        program, read-only, damaged, a full disk); ``None`` for any other."""
        cause = str(self.__cause__ or self).lower()
        if "locked" in cause or "busy" in cause:
            return (
                "the portfolio file is in use by another program (another Portfolio Desk "
                "window?) and stayed so: nothing was changed. Close the other one, then try "
                "again."
            )
        if "readonly" in cause or "read-only" in cause:
            return (
                "the portfolio file is read-only (its permissions, or a read-only disk): "
                "nothing was changed. Make it writable, or work on a copy."
            )
        if "is damaged" in cause:
            return f"{self}."  # what SQLite's check found, and the way on
        if "full" in cause:
            return "the disk is full: nothing was changed. Free some space, then try again."
        return None


@contextmanager
def _refusals(path: str) -> Iterator[None]:
    """``sqlite3.Error`` raised inside, as a ``StoreError`` naming the file."""
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: {exc}") from exc


def _sqlite_errors_as_store_errors(cls: type) -> type:
    """Every public method of ``cls`` raises ``StoreError`` where SQLite raised."""
    for name, member in list(vars(cls).items()):
        if name.startswith("_") or not isinstance(member, types.FunctionType) or name == "atomic":
            continue
        setattr(cls, name, _translated(member))
    return cls


def _translated(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(self: Store, *args: Any, **kwargs: Any) -> Any:
        with _refusals(self.path):
            return method(self, *args, **kwargs)

    return call


def _create(file: Path) -> None:
    """A new, empty Portfolio Desk database at ``file``: built and migrated under another
    name in the same folder, then renamed into place (a kill midway leaves no file there)."""
    import sqlite_utils

    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_name(f".{file.name}.{os.getpid()}.new")
    try:
        with _refusals(str(file)):
            conn = sqlite3.connect(partial)
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                migrations.migrate(sqlite_utils.Database(conn, execute_plugins=False))
            finally:
                conn.close()  # the last connection: the WAL is checkpointed and removed
        os.replace(partial, file)
    except OSError as exc:
        raise StoreError(f"cannot create a database at {file}: {exc.strerror or exc}") from exc
    finally:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)


@_sqlite_errors_as_store_errors
class Store:
    """A Portfolio Desk database file (or ``:memory:``)."""

    def __init__(self, path: str | Path, *, create: bool = True, check: bool = True) -> None:
        """Open the database at ``path``; with ``create``, a new one where there is no file
        (a command that only reads passes ``False``: a mistyped path is refused, not made a new
        empty portfolio). A new database is built beside its path and renamed into place once
        its schema is written, so an interrupted first start leaves no half-made file.

        An existing file is looked at over a read-only connection before anything is written
        to it, and refused untouched when it is another program's database (or an empty one
        it made), too new, or damaged (``PRAGMA quick_check``). ``check=False`` defers the
        damage check to the first write or a ``check_integrity()`` call (the window: on a
        worker, after its first paint; the check reads the whole file), unless the open itself
        writes (a migration, a switch to WAL). A file that cannot be written (its permissions,
        a read-only disk) opens read-only: ``read_only`` is set and every write is refused."""
        self.path = str(path)
        self.read_only = False
        self._check_lock = threading.Lock()
        self._checked = True  # a new or in-memory database is whole
        self._damage: str | None = None
        uri = None
        if self.path != ":memory:":
            file = Path(self.path).expanduser()
            new = not file.exists() or file.stat().st_size == 0
            if new and not create:
                state = "is empty" if file.exists() else "does not exist"
                raise StoreError(
                    f"there is no database at {self.path} (the file {state}): check the path "
                    "(a command that writes, such as `trade add`, creates one)"
                )
            if new:
                _create(file)
            else:
                try:
                    uri = opening.read_only_uri(file)
                    opening.refuse_a_foreign_file(file, uri)
                except opening.OpenError as exc:
                    raise StoreError(str(exc)) from exc
                self.read_only = not opening.writable(file)
                self._checked = False
                if check or not opening.in_wal_mode(file):
                    self._refuse_if_damaged()
        try:
            if self.read_only:
                self.conn = sqlite3.connect(uri or self.path, uri=True)
            else:
                self.conn = sqlite3.connect(self.path, timeout=busy_timeout_ms() / 1000)
            # Whether the file is ours and not too new, before anything is written to it
            # (switching to WAL writes its header).
            current = migrations.is_current(self.conn)
            self.conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:" and not self.read_only:
                self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path} is not a readable Portfolio Desk database: {exc}"
            ) from exc
        except migrations.NewerSchemaError as exc:
            raise StoreError(str(exc)) from exc
        self._db: sqlite_utils.Database | None = None
        if not current and self.read_only:
            self.conn.close()
            raise StoreError(
                f"{self.path} was written by an earlier Portfolio Desk and must be brought up "
                "to date, but it cannot be written (its permissions, or a read-only disk); it "
                "was not changed. Open a copy in a writable folder"
            )
        if not current:
            self._refuse_if_damaged()
            self._migrate()

    # -- whether the file is whole ----------------------------------------------------------
    def check_integrity(self) -> str | None:
        """What ``PRAGMA quick_check`` found wrong with the file, in a sentence (``None``: it
        is whole); checked once, over a connection of its own, so any thread may ask (a write
        meanwhile waits for the answer)."""
        with self._check_lock:
            if not self._checked:
                file = Path(self.path).expanduser()
                self._damage = opening.damage_found(file, opening.read_only_uri(file))
                self._checked = True
            return self._damage

    def _refuse_if_damaged(self) -> None:
        """Before a write: ``StoreError`` if the file is damaged (a damaged file is never
        written to; only a restore replaces it)."""
        try:
            damage = self.check_integrity()
        except opening.OpenError as exc:
            raise StoreError(str(exc)) from exc
        if damage:
            raise StoreError(damage)

    def _migrate(self) -> None:
        """Apply the pending migrations, after a backup of the file as it was (a migration
        that fails midway, or a version the user rolls back from, leaves it to go back to)."""
        if self.path != ":memory:":
            self.backup("before-migration")
        try:
            migrations.migrate(self.db)
        except sqlite3.Error as exc:  # its own changes are there, its record is not
            raise StoreError(
                f"{self.path} cannot be brought up to date ({exc}): its record of its schema "
                "does not match its tables. Restore one of its backups (File > Restore from "
                "backup, or `portfolio-desk backup list`)"
            ) from exc

    # -- plumbing -------------------------------------------------------------------------
    @property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils view of the same connection, created on the first write."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    @contextmanager
    def atomic(self) -> Iterator[sqlite_utils.Database]:
        """One transaction (a savepoint when nested): all of it is written, or none. SQLite's
        errors inside leave as ``StoreError``, after the rollback.

        The outermost one starts IMMEDIATE: it takes the write lock at once, waiting for
        another writer up to the busy timeout. (A deferred one, as sqlite-utils begins, reads
        first and then cannot wait for the lock: "database is locked" at once.)"""
        with _refusals(self.path):
            if self.conn.in_transaction:
                with self.db.atomic() as db:
                    yield db
                return
            self._refuse_if_damaged()
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                with self.db.atomic() as db:  # a savepoint inside the transaction
                    yield db
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.rollback()
                raise

    def close(self) -> None:
        self.conn.close()

    # -- the whole database as JSON ----------------------------------------------------------
    def export_json(self, path: str | Path) -> dict[str, int]:
        """Write every record to one JSON file (written aside and renamed into place); the
        rows per table."""
        from desktop.data.formats import database_json
        from desktop.data.formats.atomic_file import write_atomically

        counts: dict[str, int] = {}
        with _refusals(self.path):
            self.conn.execute("BEGIN")  # one consistent read of every table
            try:
                write_atomically(
                    Path(path), lambda p: counts.update(database_json.write(self.conn, p))
                )
            finally:
                self.conn.rollback()
        return counts

    def import_json(self, path: str | Path, *, today: dt.date | None = None) -> dict[str, int]:
        """Load a file ``export_json`` wrote into this database, which must hold no trades:
        all of it in one transaction, or nothing (``StoreError`` says which table and row)."""
        from desktop.data.formats import database_json

        held = self.conn.execute("SELECT count(*) FROM trades").fetchone()[0]
        if held:
            raise StoreError(
                f"{self.path} already holds {held} trades: import a database into a new, empty "
                "one (give another --db path); nothing was imported"
            )
        try:
            data = database_json.read(path)
            with self.atomic():
                return database_json.load(self.conn, data, today=today or dt.date.today())
        except database_json.DatabaseFileError as exc:
            raise StoreError(f"{exc}; nothing was imported") from exc

    # -- backups --------------------------------------------------------------------------
    def backups_kept(self) -> int:
        """How many backups are kept (the ``backups_kept`` setting, at least 1; else 10)."""
        from desktop.data.store import backups

        try:
            return max(1, int(self.setting("backups_kept") or backups.KEEP))
        except (ValueError, sqlite3.Error):
            return backups.KEEP

    def backup(self, reason: str = "manual") -> Any:
        """A consistent copy of this database in its backups folder (``backups.Backup``);
        ``StoreError`` when it cannot be made (nothing is changed then)."""
        from desktop.data.store import backups

        self._refuse_if_damaged()  # a damaged copy would push a whole one out of the backups
        try:
            return backups.create(self.conn, self.path, reason, keep=self.backups_kept())
        except backups.BackupError as exc:
            raise StoreError(str(exc)) from exc

    def backups(self) -> list[Any]:
        """This database's backups, newest first (``backups.Backup``: when, why, trades)."""
        from desktop.data.store import backups

        return [] if self.path == ":memory:" else backups.list_backups(self.path)

    def restore_backup(self, name: str) -> Any:
        """Replace this database's content with the backup called ``name``, after checking it
        is whole and backing up the current content (that backup is returned). The restored
        content is migrated to this version's schema if it is older. ``StoreError`` when the
        backup is missing or damaged: the database is then as it was."""
        from desktop.data.store import backups

        try:
            chosen = backups.find(self.path, name)
            before = backups.restore(self.conn, self.path, chosen, keep=self.backups_kept())
        except backups.BackupError as exc:
            raise StoreError(str(exc)) from exc
        with self._check_lock:  # the backup was checked whole before it replaced the file
            self._checked, self._damage = True, None
        try:
            current = migrations.is_current(self.conn)
        except migrations.NewerSchemaError as exc:
            raise StoreError(str(exc)) from exc
        if not current:
            self._migrate()
        return before

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- settings -------------------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.atomic() as db:
            db["settings"].upsert({"key": key, "value": value}, pk="key")

    def cost_method(self) -> CostMethod:
        """How sales relieve lots in this portfolio: FIFO unless set to average cost."""
        try:
            return CostMethod(self.setting("cost_method", CostMethod.FIFO.value))
        except ValueError:
            return CostMethod.FIFO

    @property
    def is_demo(self) -> bool:
        """A demo database may hold simulated prices; a user's own never does."""
        return self.setting("demo") == "1"

    def simulated_symbols(self) -> set[str]:
        """Symbols whose cache holds simulated rows (only ever in the demo database)."""
        rows = self.conn.execute(
            "SELECT DISTINCT symbol FROM prices WHERE source = ?", [SIMULATED_SOURCE]
        )
        return {r[0] for r in rows}

    def has_simulated_prices(self) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM prices WHERE source = ? LIMIT 1", [SIMULATED_SOURCE]
        ).fetchone()
        return row is not None

    # -- instruments ----------------------------------------------------------------------
    def instrument(self, symbol: str) -> Instrument | None:
        row = self.conn.execute(
            f"SELECT {convert.INSTRUMENT_COLUMNS} FROM instruments WHERE symbol = ?",
            [symbol],
        ).fetchone()
        return convert.instrument(row) if row else None

    def instruments(self) -> dict[str, Instrument]:
        rows = self.conn.execute(f"SELECT {convert.INSTRUMENT_COLUMNS} FROM instruments")
        return {r[0]: convert.instrument(r) for r in rows}

    def ensure_instrument(self, symbol: str) -> None:
        """Make sure a row exists for ``symbol`` (unverified, no name) without changing one."""
        with self.atomic() as db:
            _ensure_instrument(db, symbol)

    def save_instrument(self, instrument: Instrument) -> None:
        """Insert or update what is known about an instrument."""
        with self.atomic() as db:
            db["instruments"].upsert(convert.instrument_row(instrument), pk="symbol")

    # -- trades ---------------------------------------------------------------------------
    def trades(self, symbols: Iterable[str] | None = None) -> list[Trade]:
        """Every entry in ledger order, or only those of ``symbols`` (one indexed read each)."""
        if symbols is None:
            sql = f"SELECT {convert.TRADE_COLUMNS} FROM trades ORDER BY date, id"
            return [convert.trade(r) for r in self.conn.execute(sql)]
        wanted = sorted({s for s in symbols if s})
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        sql = (
            f"SELECT {convert.TRADE_COLUMNS} FROM trades WHERE symbol IN ({marks}) "
            "ORDER BY date, id"
        )
        return [convert.trade(r) for r in self.conn.execute(sql, wanted)]

    def trade(self, trade_id: int) -> Trade | None:
        row = self.conn.execute(
            f"SELECT {convert.TRADE_COLUMNS} FROM trades WHERE id = ?",
            [trade_id],
        ).fetchone()
        return convert.trade(row) if row else None

    def add_trade(self, trade: Trade) -> tuple[Trade | None, list[Problem]]:
        """Save a new trade (or restore a deleted one, keeping its id) if the ledger stays valid.

        Only what the entry can affect is checked: the entries of its security (a sale of more
        than is held, a split of nothing are problems of one security)."""
        with self.atomic() as db:
            problems = _ledger_problems([*self.trades([trade.symbol]), trade])
            if problems:
                return None, problems
            kept = self._positions_kept()
            _ensure_instrument(db, trade.symbol)
            row = convert.trade_row(trade)
            if trade.id is None:
                row.pop("id")
            cursor = db.execute(
                f"INSERT INTO trades ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
            saved = Trade(**{**convert.trade_fields(trade), "id": cursor.lastrowid})
            self._rebook(kept, [trade.symbol])
        return saved, []

    def add_trades(self, trades: list[Trade]) -> tuple[list[Trade], list[Problem]]:
        """Save many trades in one transaction, all or none, if the ledger stays valid (an
        import; or, keeping their ids, the entries its undo took out again)."""
        with self.atomic() as db:
            problems = _ledger_problems([*self.trades({t.symbol for t in trades}), *trades])
            if problems:
                return [], problems
            kept = self._positions_kept()
            saved = []
            for trade in trades:
                _ensure_instrument(db, trade.symbol)
                row = convert.trade_row(trade)
                if trade.id is None:
                    row.pop("id")
                cursor = db.execute(
                    f"INSERT INTO trades ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                    list(row.values()),
                )
                saved.append(Trade(**{**convert.trade_fields(trade), "id": cursor.lastrowid}))
            self._rebook(kept, [t.symbol for t in trades])
        return saved, []

    def update_trade(self, trade: Trade) -> tuple[Trade | None, list[Problem]]:
        """Replace the saved trade with the same id, if the ledger stays valid."""
        if trade.id is None:
            raise ValueError("update_trade needs a saved trade")
        with self.atomic() as db:
            existing = self.trade(trade.id)
            if existing is None:
                return None, [Problem("trade", f"trade {trade.id} no longer exists")]
            affected = self.trades({existing.symbol, trade.symbol})  # both, if it moved
            others = [t for t in affected if t.id != trade.id]
            problems = _ledger_problems([*others, trade])
            if problems:
                return None, problems
            kept = self._positions_kept()
            _ensure_instrument(db, trade.symbol)
            row = convert.trade_row(trade)
            db.execute(
                f"UPDATE trades SET {', '.join(f'{k} = ?' for k in row if k != 'id')} WHERE id = ?",
                [v for k, v in row.items() if k != "id"] + [trade.id],
            )
            self._rebook(kept, [existing.symbol, trade.symbol])
        return trade, []

    def delete_trade(self, trade_id: int) -> tuple[Trade | None, list[Problem]]:
        """Delete a trade unless a later sale depends on it; return what was deleted."""
        with self.atomic() as db:
            existing = self.trade(trade_id)
            if existing is None:
                return None, [Problem("trade", f"trade {trade_id} no longer exists")]
            others = self.trades([existing.symbol])
            problems = _ledger_problems([t for t in others if t.id != trade_id])
            if problems:
                return None, [Problem("trade", f"cannot delete it: {p.message}") for p in problems]
            kept = self._positions_kept()
            db.execute("DELETE FROM trades WHERE id = ?", [trade_id])
            self._rebook(kept, [existing.symbol])
        return existing, []

    def delete_trades(self, ids: list[int]) -> tuple[list[Trade], list[Problem]]:
        """Delete these trades in one transaction, all or none, unless the ledger left would
        be invalid (a later sale depends on one); return what was deleted."""
        with self.atomic() as db:
            existing = [self.trade(i) for i in ids]
            gone = [i for i, t in zip(ids, existing, strict=True) if t is None]
            if gone:
                return [], [Problem("trade", f"trade {gone[0]} no longer exists")]
            deleted = [t for t in existing if t is not None]
            wanted = set(ids)
            others = self.trades({t.symbol for t in deleted})
            problems = _ledger_problems([t for t in others if t.id not in wanted])
            if problems:
                return [], [Problem("trade", f"cannot delete them: {p.message}") for p in problems]
            kept = self._positions_kept()
            db.conn.executemany("DELETE FROM trades WHERE id = ?", [[i] for i in ids])
            self._rebook(kept, [t.symbol for t in deleted])
        return deleted, []

    # -- the positions now ------------------------------------------------------------------
    def positions_now(self) -> tuple[dict[str, Position], Decimal, bool] | None:
        """The positions after every entry (without their lots), the cash balance and whether
        cash is kept, from the rows kept beside the ledger; ``None`` when they are not current
        (then book ``trades()`` and ``save_positions``)."""
        with _refusals(self.path), self._plain_transaction():  # one consistent read
            if not positions.current(self.conn, self.cost_method()):
                return None
            return positions.read(self.conn)

    def groups_in_currencies_other_than(self, currency: str) -> set[str]:
        """The securities (``''``: the entries naming none) with entries whose own currency is
        not ``currency``: entries in their instrument's currency are not counted (an index
        keeps this instant)."""
        rows = self.conn.execute(
            "SELECT DISTINCT COALESCE(symbol, '') FROM trades "
            "WHERE currency <> '' AND currency <> ?",
            [currency],
        )
        return {r[0] for r in rows}

    def ledger_changes(self) -> int:
        """How many times the ledger was written (read it before the entries you book)."""
        return positions.changes(self.conn)

    def save_positions(self, ledger: Book, *, changes: int) -> None:
        """Keep ``ledger``, the book of every entry with the cost method as read after
        ``ledger_changes()`` said ``changes``, as the positions now: current unless the ledger
        was written since. On the start-up path: one plain transaction (sqlite-utils would
        load pandas). Derived data: it waits a tenth of a second at most for another writer
        (then ``StoreError``, and the next start tries again), not the store's ten."""
        self._refuse_if_damaged()
        self.conn.execute("PRAGMA busy_timeout = 100")
        try:
            with _refusals(self.path), self._plain_transaction() as conn:
                groups = ["", *ledger.positions]
                positions.save(
                    conn, ledger, groups, self.cost_method(), booked=changes, replace_all=True
                )
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")

    @contextmanager
    def _plain_transaction(self) -> Iterator[sqlite3.Connection]:
        """A transaction without sqlite-utils (outside any other)."""
        self.conn.execute("BEGIN")
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:  # a failed COMMIT leaves it open: never keep it so
                self.conn.rollback()
            raise

    def _positions_kept(self) -> bool:
        """Before a trade write: whether the positions kept are current (then it keeps them so)."""
        return positions.current(self.conn, self.cost_method())

    def _rebook(self, kept: bool, symbols: Iterable[str]) -> None:
        """After a trade write, in its transaction: book the groups it touched again."""
        if not kept:
            return
        groups = positions.groups_of(symbols)
        entries = self.trades([g for g in groups if g])
        if "" in groups:
            sql = f"SELECT {convert.TRADE_COLUMNS} FROM trades WHERE symbol IS NULL"
            entries += [convert.trade(r) for r in self.conn.execute(sql)]
        from desktop.core.holdings import book  # booking: not on the start's path

        booked, _ = book(entries, self.cost_method())
        count = positions.changes(self.conn)
        positions.save(self.conn, booked, groups, self.cost_method(), booked=count)

    # -- watchlist ------------------------------------------------------------------------
    def watchlist(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT symbol FROM watchlist ORDER BY position")]

    def add_to_watchlist(self, symbol: str) -> bool:
        """Add ``symbol`` at the end of the watchlist; False if it was already there."""
        with self.atomic() as db:
            if self.conn.execute("SELECT 1 FROM watchlist WHERE symbol = ?", [symbol]).fetchone():
                return False
            _ensure_instrument(db, symbol)
            db.execute(
                "INSERT INTO watchlist(symbol, position) "
                "VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM watchlist))",
                [symbol],
            )
        return True

    def remove_from_watchlist(self, symbol: str) -> bool:
        with self.atomic() as db:
            cursor = db.execute("DELETE FROM watchlist WHERE symbol = ?", [symbol])
        return cursor.rowcount > 0

    # -- prices ---------------------------------------------------------------------------
    def upsert_prices(self, symbol: str, rows: Iterable[Mapping[str, Any]], source: str) -> int:
        """Insert or update daily rows for ``symbol`` in one transaction; return rows written.

        Each row has ``date`` (``datetime.date`` or ISO text), ``close`` and any of
        ``PRICE_FIELDS``; a field a row does not carry keeps its stored value. Real prices
        replace simulated ones for the same symbol.
        """
        records = self._price_records(symbol, rows, source)
        with self.atomic() as db:
            _ensure_instrument(db, symbol)
            if source != SIMULATED_SOURCE:
                db.execute(
                    "DELETE FROM prices WHERE symbol = ? AND source = ?", [symbol, SIMULATED_SOURCE]
                )
            # sqlite-utils writes a batch with one column list, filling a key a row lacks with
            # NULL; group rows by the fields they carry so a missing field keeps its stored value.
            groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for record in records:
                groups.setdefault(tuple(sorted(record)), []).append(record)
            for group in groups.values():
                db["prices"].upsert_all(group, pk=("symbol", "date"))
            series.pack(db.conn, symbol)
        return len(records)

    def replace_prices(self, symbol: str, rows: Iterable[Mapping[str, Any]], source: str) -> int:
        """Replace every cached row of ``symbol`` by ``rows`` in one transaction; return rows
        written.

        For a history that changed as a whole (Yahoo re-adjusts every close after a split).
        All or nothing: if any row cannot be written, the old rows stay as they were. A field a
        row does not carry is empty (0 for the actions); a repeated date keeps its last row.
        """
        records = self._price_records(symbol, rows, source)
        blank = {f: 0.0 if f in ACTION_FIELDS else None for f in PRICE_FIELDS}
        by_date = {r["date"]: {**blank, **r} for r in records}
        with self.atomic() as db:
            _ensure_instrument(db, symbol)
            db.execute("DELETE FROM prices WHERE symbol = ?", [symbol])
            # Plain SQL: sqlite-utils' insert_all of a single row into a WITHOUT ROWID table
            # looks the connection's last rowid up in it ("no such column: rowid").
            names = ("symbol", "date", *PRICE_FIELDS, "source")
            db.conn.executemany(
                f"INSERT INTO prices({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                [[r[n] for n in names] for r in by_date.values()],
            )
            series.pack(db.conn, symbol)
        return len(by_date)

    def _price_records(
        self, symbol: str, rows: Iterable[Mapping[str, Any]], source: str
    ) -> list[dict[str, Any]]:
        if source == SIMULATED_SOURCE and not self.is_demo:
            raise ValueError("simulated prices may only be written to the demo database")
        records = []
        for row in rows:
            record = {k: row[k] for k in PRICE_FIELDS if k in row}
            day = row["date"]
            record["date"] = day.isoformat() if isinstance(day, dt.date) else str(day)
            record["symbol"] = symbol
            record["source"] = source
            records.append(record)
        return records

    def price_actions(
        self, symbol: str, start: dt.date, end: dt.date
    ) -> dict[dt.date, dict[str, float]]:
        """``{date: {action: amount}}`` of every real (not simulated) cached row of ``symbol``
        dated ``start`` to ``end``, actions or not: what a refresh compares a new answer with."""
        cursor = self.conn.execute(
            f"SELECT date, {', '.join(ACTION_FIELDS)} FROM prices "
            "WHERE symbol = ? AND date BETWEEN ? AND ? AND source != ?",
            [symbol, start.isoformat(), end.isoformat(), SIMULATED_SOURCE],
        )
        return {
            dt.date.fromisoformat(day): dict(zip(ACTION_FIELDS, amounts, strict=True))
            for day, *amounts in cursor
        }

    def symbols_with_prices(self) -> list[str]:
        """The instruments that have cached closes, by symbol (one index seek each)."""
        rows = self.conn.execute(
            "SELECT symbol FROM instruments i WHERE EXISTS "
            "(SELECT 1 FROM prices p WHERE p.symbol = i.symbol) ORDER BY symbol"
        )
        return [r[0] for r in rows]

    def price_span(self, symbol: str) -> tuple[dt.date, dt.date] | None:
        """First and last dates with a close for ``symbol``, or ``None`` when none is cached."""
        # Two subqueries: SQLite answers a lone MIN or MAX from the primary key in one step,
        # but MIN and MAX together scan every row of the symbol (18x slower on 10 years).
        row = self.conn.execute(
            "SELECT (SELECT MIN(date) FROM prices WHERE symbol = ?), "
            "(SELECT MAX(date) FROM prices WHERE symbol = ?)",
            [symbol, symbol],
        ).fetchone()
        if not row or row[0] is None:
            return None
        return dt.date.fromisoformat(row[0]), dt.date.fromisoformat(row[1])

    def last_closes(self, symbols: Iterable[str] | None = None) -> dict[str, tuple[dt.date, float]]:
        """The newest cached close of each symbol (default: every instrument).

        Returns ``{symbol: (date, close)}``.

        One indexed lookup per symbol, so the cost does not grow with the length of the history.
        """
        wanted = list(self.instruments()) if symbols is None else list(symbols)
        out = {}
        for sym in wanted:
            row = self.conn.execute(
                "SELECT date, close FROM prices WHERE symbol = ? ORDER BY date DESC LIMIT 1", [sym]
            ).fetchone()
            if row:
                out[sym] = (dt.date.fromisoformat(row[0]), row[1])
        return out

    def splits(self, symbols: Iterable[str]) -> dict[str, list[tuple[dt.date, Decimal]]]:
        """The splits the ledger records for ``symbols``: (date, new shares per old), by date
        (one read of the split entries alone, which an index keeps)."""
        wanted = set(symbols)
        out: dict[str, list[tuple[dt.date, Decimal]]] = {}
        rows = self.conn.execute(
            "SELECT symbol, date, quantity, price FROM trades WHERE type = 'split' "
            "ORDER BY symbol, date"
        )
        for symbol, day, new, old in rows:  # new shares for old ones (old 0: per share)
            if symbol in wanted:
                ratio = Decimal(new) / Decimal(old) if Decimal(old or 0) else Decimal(new)
                out.setdefault(symbol, []).append((dt.date.fromisoformat(day), ratio))
        return out

    def recent_closes(
        self, symbols: Iterable[str], count: int = 2
    ) -> dict[str, list[tuple[dt.date, float]]]:
        """The ``count`` newest closes of each symbol, newest first (for day changes)."""
        out: dict[str, list[tuple[dt.date, float]]] = {}
        for sym in symbols:
            rows = self.conn.execute(
                "SELECT date, close FROM prices WHERE symbol = ? ORDER BY date DESC LIMIT ?",
                [sym, count],
            ).fetchall()
            if rows:
                out[sym] = [(dt.date.fromisoformat(d), c) for d, c in rows]
        return out

    def close_before(self, symbol: str, day: dt.date) -> tuple[dt.date, float] | None:
        """The last close of ``symbol`` dated before ``day`` (a period's base), or ``None``."""
        row = self.conn.execute(
            "SELECT date, close FROM prices WHERE symbol = ? AND date < ? AND close IS NOT NULL "
            "ORDER BY date DESC LIMIT 1",
            [symbol, day.isoformat()],
        ).fetchone()
        return (dt.date.fromisoformat(row[0]), row[1]) if row else None

    def newest_close_date(self, symbols: Iterable[str] | None = None) -> dt.date | None:
        """The newest close among ``symbols`` (default: every instrument)."""
        return max((d for d, _ in self.last_closes(symbols).values()), default=None)

    def price_rows(self, symbol: str) -> list[dict[str, Any]]:
        """Every cached row of one symbol, oldest first, as plain dicts (for tests and export)."""
        cursor = self.conn.execute(
            f"SELECT date, {', '.join(PRICE_FIELDS)}, source "
            "FROM prices WHERE symbol = ? ORDER BY date",
            [symbol],
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor]

    def volumes(
        self, symbol: str, start: dt.date | None = None, end: dt.date | None = None
    ) -> pd.Series:
        """One symbol's traded volumes (shares) by date, ``start`` to ``end`` inclusive; the
        days without a volume are left out (unknown, never 0)."""
        import pandas as pd

        rows = self.conn.execute(
            "SELECT date, volume FROM prices WHERE symbol = ? AND volume IS NOT NULL "
            "AND date >= ? AND date <= ? ORDER BY date",
            [symbol, (start or dt.date.min).isoformat(), (end or dt.date.max).isoformat()],
        ).fetchall()
        index = pd.DatetimeIndex([r[0] for r in rows], name="date")
        return pd.Series([float(r[1]) for r in rows], index=index, name=symbol, dtype=float)

    def closes(
        self,
        symbols: Iterable[str],
        start: dt.date | None = None,
        *,
        adjusted: bool = False,
        end: dt.date | None = None,
        adjusted_only: bool = False,
    ) -> pd.DataFrame:
        """Closes as a frame: one column per symbol (in the order asked), a ``DatetimeIndex``
        named ``date`` of every date any of them has, NaN where one has no close.

        ``adjusted`` reads the dividend-adjusted close (a total-return series), falling back to
        the close on rows that have none; ``adjusted_only`` reads the adjusted closes alone (NaN
        where a row has none: a total return is never patched with price closes, which would
        drop the dividends of those days). ``start`` and ``end`` (inclusive) keep only the dates
        needed. Each symbol's closes come packed (``series``), and the frame is assembled from
        those arrays (no Python row per close, no pivot).
        """
        import numpy as np
        import pandas as pd

        symbols = list(dict.fromkeys(symbols))
        first = np.datetime64(start.isoformat(), "D") if start is not None else None
        last = np.datetime64(end.isoformat(), "D") if end is not None else None
        columns = []
        for symbol in symbols:
            days, close, adjusted_close = series.read(self.conn, symbol)
            if adjusted_only:
                keep = ~np.isnan(adjusted_close)
                days, close = days[keep], adjusted_close[keep]
            elif adjusted:
                close = np.where(np.isnan(adjusted_close), close, adjusted_close)
            lo = int(np.searchsorted(days, first, side="left")) if first is not None else 0
            hi = int(np.searchsorted(days, last, side="right")) if last is not None else len(days)
            columns.append((days[lo:hi], close[lo:hi]))
        every_day = (
            np.unique(np.concatenate([d for d, _ in columns]))
            if columns
            else np.array([], dtype="datetime64[D]")
        )
        matrix = np.full((len(every_day), len(symbols)), np.nan)
        for j, (days, values) in enumerate(columns):
            matrix[np.searchsorted(every_day, days), j] = values
        index = pd.DatetimeIndex(every_day.astype("datetime64[ns]"), name="date")
        return pd.DataFrame(matrix, index=index, columns=pd.Index(symbols, name="symbol"))

    # -- fetch status ---------------------------------------------------------------------
    def record_fetch(
        self, symbol: str, *, ok: bool, error_kind: str = "", message: str = ""
    ) -> None:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.atomic() as db:
            _ensure_instrument(db, symbol)
            previous = self.conn.execute(
                "SELECT succeeded_at FROM fetch_status WHERE symbol = ?", [symbol]
            ).fetchone()
            db["fetch_status"].upsert(
                {
                    "symbol": symbol,
                    "attempted_at": now,
                    "succeeded_at": now if ok else (previous[0] if previous else None),
                    "error_kind": None if ok else error_kind,
                    "message": message,
                },
                pk="symbol",
            )

    def fetch_status(self) -> dict[str, dict[str, Any]]:
        cursor = self.conn.execute(
            "SELECT symbol, attempted_at, succeeded_at, error_kind, message FROM fetch_status"
        )
        return {
            r[0]: {"attempted_at": r[1], "succeeded_at": r[2], "error_kind": r[3], "message": r[4]}
            for r in cursor
        }

    # -- fundamentals ---------------------------------------------------------------------
    def save_fundamentals(self, fundamentals: Fundamentals) -> None:
        """Insert or replace the symbol's snapshot, in one transaction."""
        with self.atomic() as db:
            _ensure_instrument(db, fundamentals.symbol)
            db["fundamentals"].upsert(convert.fundamentals_row(fundamentals), pk="symbol")

    def fundamentals(self) -> dict[str, Fundamentals]:
        """Every stored snapshot, by symbol."""
        rows = self.conn.execute(f"SELECT {convert.FUNDAMENTALS_COLUMNS} FROM fundamentals")
        return {r[0]: convert.fundamentals(r) for r in rows}


def _ensure_instrument(db: Any, symbol: str) -> None:
    """Inside a transaction: an ``instruments`` row for ``symbol`` (which trades, prices,
    the watchlist and fundamentals refer to), unverified and unnamed if it is new. A cash entry
    names no symbol: nothing to do."""
    if symbol:
        db.execute("INSERT OR IGNORE INTO instruments(symbol) VALUES (?)", [symbol])
