"""A write the store refuses (the file locked by another program, read-only, a full disk) is
told to the user in plain words, and changes nothing; never a traceback."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.data.store import StoreError
from tests.ui.conftest import buy


@pytest.mark.parametrize(
    ("sqlite_says", "user_reads"),
    [
        ("database is locked", "in use by another program"),
        ("attempt to write a readonly database", "read-only"),
        ("database or disk is full", "the disk is full"),
        ("disk I/O error", "the change could not be saved"),
    ],
)
def test_each_refusal_says_what_to_do(sqlite_says, user_reads):
    try:
        try:
            raise sqlite3.OperationalError(sqlite_says)
        except sqlite3.Error as cause:
            raise StoreError(f"p.sqlite: {cause}") from cause
    except StoreError as exc:
        assert user_reads in exc.plain() and "nothing was changed" in exc.plain().lower()


def test_an_edit_while_another_program_holds_the_file_is_refused_and_told(
    make_window, monkeypatch, tmp_path
):
    from desktop.data.store import database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 50)  # waits a twentieth of a second
    window = make_window(tmp_path / "p.sqlite")
    window.editor.add_trade(buy())
    other = sqlite3.connect(tmp_path / "p.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program writing, and staying
    told = []
    window.editor.on_refused = told.append
    try:
        problems = window.editor.add_trade(buy(qty="5"))
        assert [p.field for p in problems] == ["database"]
        assert "in use by another program" in problems[0].message
        window.undo_stack.undo()  # undoing the first buy: refused too, and told
        assert told and "in use by another program" in told[0]
        assert not window.editor.watch("IWM") and "in use by another program" in told[-1]
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [t.quantity for t in window.store.trades()] == [100]  # nothing changed
