"""Backups of a database file: consistent copies made with SQLite's online backup API (never a
file copy, which can catch a write halfway), kept in a ``backups`` folder beside the file.

A copy is made before every migration, once a day when the window starts, before a restore,
and on request (``portfolio-desk backup create``); the newest ``keep`` are kept. Each is
written under a temporary name and renamed into place, so a kill midway leaves no half copy
among them; each is a plain (rollback-journal) database that opens anywhere, read-only too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop.data.store import migrations

FOLDER = "backups"
#: How many backups are kept when the portfolio's setting says nothing.
KEEP = 10
#: Why a backup was made, as its file name says.
REASONS = ("manual", "daily", "before-migration", "before-restore")

_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z-]+)\.sqlite$")


class BackupError(Exception):
    """A backup could not be made, read or restored; nothing was changed."""


@dataclass(frozen=True)
class Backup:
    """One backup file: when it was made (local time), why, and how many trades it holds
    (``None`` when it cannot be read)."""

    path: Path
    made: dt.datetime
    reason: str
    trades: int | None

    @property
    def name(self) -> str:
        return self.path.name


def folder_for(db_path: str | Path) -> Path:
    return Path(db_path).expanduser().resolve().parent / FOLDER


def _file_name(db_path: Path, made: dt.datetime, reason: str) -> str:
    return f"{db_path.stem}-{made:%Y%m%d-%H%M%S-%f}-{reason}.sqlite"


def create(
    conn: sqlite3.Connection,
    db_path: str | Path,
    reason: str,
    *,
    keep: int = KEEP,
    now: dt.datetime | None = None,
    keep_too: Path | None = None,
) -> Backup:
    """Copy the database open on ``conn`` (whose file is ``db_path``) into its backups folder,
    then remove the oldest beyond ``keep`` (never the new one, nor ``keep_too``). Raises
    ``BackupError``."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    db_path = Path(db_path).expanduser()
    made = now or dt.datetime.now()
    folder = folder_for(db_path)
    target = folder / _file_name(db_path, made, reason)
    partial = target.with_name(f".{target.name}.partial")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        copy = sqlite3.connect(partial)
        try:
            conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one file, readable read-only
            trades = _count_trades(copy)
        finally:
            copy.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"could not back up {db_path} into {folder}: {exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    _prune(db_path, keep, spare={target, keep_too})
    return Backup(target, made, reason, trades)


def create_from_file(db_path: str | Path, reason: str, *, keep: int = KEEP) -> Backup:
    """``create`` over a connection of its own (for a worker thread: a connection belongs to
    the thread that made it)."""
    try:
        conn = sqlite3.connect(Path(db_path).expanduser(), timeout=30)
    except sqlite3.Error as exc:
        raise BackupError(f"could not open {db_path} to back it up: {exc}") from exc
    try:
        return create(conn, db_path, reason, keep=keep)
    finally:
        conn.close()


def due_today(db_path: str | Path, *, today: dt.date | None = None) -> bool:
    """Whether no backup of ``db_path`` was made today (the window makes one a day)."""
    day = today or dt.date.today()
    return not any(b.made.date() == day for b in list_backups(db_path, count_trades=False))


def list_backups(db_path: str | Path, *, count_trades: bool = True) -> list[Backup]:
    """The backups of ``db_path``, newest first."""
    db_path = Path(db_path).expanduser()
    folder = folder_for(db_path)
    found = []
    for path in folder.glob(f"{glob_escape(db_path.stem)}-*.sqlite") if folder.is_dir() else []:
        match = _NAME.match(path.name)
        if not match or match["stem"] != db_path.stem:
            continue
        made = dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S-%f")
        trades = _trades_in(path) if count_trades else None
        found.append(Backup(path, made, match["reason"], trades))
    return sorted(found, key=lambda b: b.made, reverse=True)


def find(db_path: str | Path, name: str) -> Backup:
    """The backup called ``name`` (its file name, or the file name without ``.sqlite``)."""
    for backup in list_backups(db_path):
        if name in (backup.name, backup.path.stem):
            return backup
    raise BackupError(
        f"there is no backup called {name!r} in {folder_for(db_path)}: "
        "`portfolio-desk backup list` shows them"
    )


def check(path: Path) -> None:
    """Raise ``BackupError`` unless ``path`` is a whole Portfolio Desk database (read-only)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            (result,) = conn.execute("PRAGMA quick_check").fetchone()
            ours = migrations.applied_any(conn)
            if ours:
                migrations.is_current(conn)  # raises when a newer version wrote it
        except migrations.NewerSchemaError as exc:
            raise BackupError(f"the backup {path.name} cannot be restored: {exc}") from exc
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(f"the backup {path.name} cannot be read: {exc}") from exc
    if result != "ok":
        raise BackupError(f"the backup {path.name} is damaged ({result})")
    if not ours:
        raise BackupError(f"{path.name} is not a Portfolio Desk database")


def restore(
    conn: sqlite3.Connection, db_path: str | Path, backup: Backup, *, keep: int = KEEP
) -> Backup:
    """Replace the database open on ``conn`` with ``backup``'s content, after checking the
    backup is whole and backing up the current content (returned). One transaction: on any
    failure the database is as it was."""
    check(backup.path)
    before = create(conn, db_path, "before-restore", keep=keep, keep_too=backup.path)
    try:
        source = sqlite3.connect(f"{backup.path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            source.backup(conn)
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise BackupError(f"could not restore {backup.name}: {exc}; nothing was changed") from exc
    return before


def restore_file(db_path: str | Path, backup: Backup) -> Path | None:
    """Put ``backup`` in place of a file that cannot be opened (damaged, or not ours): the
    file is moved aside first, never deleted, with its ``-wal`` and ``-shm``; returns where it
    went (``None`` when there was no file). Raises ``BackupError``, the file then untouched."""
    db_path = Path(db_path).expanduser()
    check(backup.path)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.unusable-{stamp}")
    partial = db_path.with_name(f".{db_path.name}.restoring")
    try:
        source = sqlite3.connect(f"{backup.path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
        moved = None
        if db_path.exists():
            os.replace(db_path, aside)
            moved = aside
            for extra in ("-wal", "-shm"):
                side = Path(f"{db_path}{extra}")
                if side.exists():
                    os.replace(side, Path(f"{aside}{extra}"))
        os.replace(partial, db_path)
        return moved
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"could not restore {backup.name} to {db_path}: {exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def _count_trades(conn: sqlite3.Connection) -> int | None:
    try:
        return conn.execute("SELECT count(*) FROM trades").fetchone()[0]
    except sqlite3.Error:
        return None


def _trades_in(path: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return _count_trades(conn)
    finally:
        conn.close()


def _prune(db_path: Path, keep: int, *, spare: set[Path | None]) -> None:
    """Remove the oldest backups beyond the newest ``keep`` (never those in ``spare``)."""
    for old in list_backups(db_path, count_trades=False)[max(keep, 1) :]:
        if old.path not in spare:
            old.path.unlink(missing_ok=True)


def glob_escape(text: str) -> str:
    """``text`` with glob's special characters taken literally."""
    return re.sub(r"([\[\]*?])", r"[\1]", text)
