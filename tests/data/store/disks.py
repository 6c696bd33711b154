"""Real hostile files for the store's tests: a damaged page, a read-only disk, a full disk.

A read-only disk and a full one are real: a small tmpfs mounted for the test (read-only by a
remount), which needs root; without root, a read-only file is a file and folder without write
permission (which root would ignore), and a full disk is skipped."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def damage(path: Path, table: str = "prices") -> None:
    """Overwrite the root page of ``table`` with zeros (the file's own schema page, and every
    other table, stay readable): the damage a bad sector or a torn copy leaves."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", [table]
        ).fetchone()
    finally:
        conn.close()
    assert root > 1
    with open(path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(bytes(page_size))


def _can_mount() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@contextlib.contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder`` for the block; skips where it cannot be."""
    if not _can_mount():
        pytest.skip("mounting a small disk needs root")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` (a tmpfs from ``tmpfs``, or any folder without root) made read-only."""
    if _can_mount():
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield
        return
    modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
    for p in modes:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        yield
    finally:
        for p, mode in modes.items():
            p.chmod(mode)


@contextlib.contextmanager
def ro_disk(folder: Path) -> Iterator[Path]:
    """A folder on a disk of its own (with root) to fill, then make read-only with ``read_only``."""
    if _can_mount():
        with tmpfs(folder, "8m"):
            yield folder
    else:
        folder.mkdir(parents=True, exist_ok=True)
        yield folder


def fill(folder: Path) -> Path:
    """Fill the disk ``folder`` is on to the last byte; the filler file, to remove after."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as f:
        for size in (64 * 1024, 4096, 512, 1):  # the last few blocks too
            try:
                while f.write(bytes(size)) == size:
                    pass
            except OSError:
                pass
    return filler
