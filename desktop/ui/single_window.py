"""One window writes a portfolio at a time: a lock file beside the database says which.

A second window on the same file is told so, and offers to show it read-only (or to quit):
two windows writing the same ledger would each keep an undo history and a ledger in memory
that the other's edits make stale. The lock is Qt's ``QLockFile`` (``<database>.lock``): a
lock left by a process that is no longer running (a crash) is taken over, never left to block
the portfolio.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLockFile

#: Asks what to do with a portfolio another window holds: "read-only" or "quit".
Ask = Callable[[str], str]


def lock_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.lock")


def claim(db_path: str | Path) -> tuple[QLockFile | None, str]:
    """The lock of ``db_path``, held (keep it while the window is open), or ``None`` and who
    holds it, in words."""
    lock = QLockFile(str(lock_path(db_path)))
    lock.setStaleLockTime(0)  # stale only when its process is gone, never by its age
    if lock.tryLock(0):
        return lock, ""
    info = lock.getLockInfo()  # (ok, pid, host, app); PySide6 returns some of them
    pid = next((v for v in info if isinstance(v, int) and not isinstance(v, bool)), None)
    host = next((v for v in info if isinstance(v, str) and v), "")
    who = f"process {pid}" + (f" on {host}" if host else "") if pid else "another program"
    return None, who


def ask_with_dialog(question: str) -> str:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Information, "Portfolio Desk", question)
    read_only = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(read_only)
    box.exec()
    return "read-only" if box.clickedButton() is read_only else "quit"


def claim_or_ask(db_path: str | Path, ask: Ask) -> tuple[QLockFile | None, bool, bool]:
    """``(lock, read_only, go_on)``: the lock when this window may write; else the user's
    choice between showing the portfolio read-only and quitting."""
    if str(db_path) == ":memory:":
        return None, False, True
    lock, who = claim(db_path)
    if lock is not None:
        return lock, False, True
    question = (
        f"{db_path} is open in another Portfolio Desk window ({who}). One window at a time "
        "changes a portfolio.\n\nOpen it read-only here (nothing can be changed in this "
        "window), or quit?"
    )
    answer = ask(question)
    return None, answer == "read-only", answer == "read-only"
