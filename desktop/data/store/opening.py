"""Looking at a database file before anything is written to it.

Every look is over a read-only connection, which writes nothing (not even another program's
pending WAL): whether the file is ours, whether it can be written at all (its permissions, a
read-only disk), and whether SQLite's ``PRAGMA quick_check`` finds it whole. A file that fails
is refused untouched; one that cannot be written is opened read-only.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from desktop.data.store import migrations

#: How many of ``quick_check``'s findings a refusal quotes.
FINDINGS_QUOTED = 3


class OpenError(RuntimeError):
    """The file cannot be opened, or must not be written to; the message says why, in words."""


def writable(file: Path) -> bool:
    """Whether SQLite could write ``file``: the file and its folder (which holds the ``-wal``
    and ``-shm`` files beside it) both writable, by this user on this disk."""
    return os.access(file, os.W_OK) and os.access(file.parent, os.W_OK)


def read_only_uri(file: Path) -> str:
    """The URI that opens ``file`` read-only. On a disk it cannot write, with no ``-shm``
    beside it, a WAL file opens only as immutable (SQLite cannot make the shared-memory file);
    that would leave out what a ``-wal`` beside it holds, so such a file is refused."""
    uri = f"{file.resolve().as_uri()}?mode=ro"
    if writable(file) or Path(f"{file}-shm").exists():
        return uri
    wal = Path(f"{file}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise OpenError(
            f"{file} cannot be read where it is: it cannot be written (a read-only disk or "
            f"folder), and its last changes are still in {wal.name} beside it, which SQLite "
            "cannot read from there. Copy both files to a writable folder and open the copy"
        )
    return f"{uri}&immutable=1"


def refuse_a_foreign_file(file: Path, uri: str) -> None:
    """Raise ``OpenError`` unless ``file`` records our migrations: another program's database,
    or an empty one, is never adopted."""
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise OpenError(f"{file} cannot be opened: {exc}") from exc
    tables: list[str] = []
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        if "_sqlite_migrations" in tables and migrations.applied_any(conn):
            return
    except sqlite3.DatabaseError as exc:
        raise OpenError(f"{file} is not a readable Portfolio Desk database: {exc}") from exc
    finally:
        conn.close()
    held = f"it holds the tables {', '.join(tables[:5])}" if tables else "it holds no tables"
    raise OpenError(
        f"{file} is not a Portfolio Desk database ({held}); it was not changed. Open a "
        "Portfolio Desk file, or give a new path to start one"
    )


def damage_found(file: Path, uri: str) -> str | None:
    """What ``PRAGMA quick_check`` finds wrong with ``file``, in a sentence; ``None`` when it
    is whole. Over a connection of its own (any thread may ask)."""
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            findings = [row[0] for row in conn.execute("PRAGMA quick_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        findings = [str(exc)]
    if findings == ["ok"]:
        return None
    quoted = "; ".join(findings[:FINDINGS_QUOTED])
    more = f" and {len(findings) - FINDINGS_QUOTED} more" if len(findings) > FINDINGS_QUOTED else ""
    return (
        f"{file} is damaged (SQLite's check of the file found: {quoted}{more}); nothing was "
        "written to it. Restore one of its backups (File > Restore from backup, or "
        "`portfolio-desk backup list`)"
    )


def in_wal_mode(file: Path) -> bool:
    """Whether the file's header says WAL (bytes 18 and 19 are 2): switching to WAL, as every
    open does, then writes nothing."""
    try:
        with open(file, "rb") as f:
            header = f.read(20)
    except OSError:
        return False
    return len(header) == 20 and header[18] == 2 and header[19] == 2
