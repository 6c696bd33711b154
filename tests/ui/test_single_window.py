"""One window writes a portfolio at a time; a second is offered read-only."""

from __future__ import annotations

import subprocess
import sys

from desktop.core.model import TradeType
from desktop.ui.actions import Act
from desktop.ui.single_window import claim, claim_or_ask, lock_path
from tests.ui.conftest import buy


def test_a_second_claim_is_told_who_holds_the_file_and_asked(tmp_path):
    db = tmp_path / "p.sqlite"
    first, _ = claim(db)
    assert first is not None and lock_path(db).exists()
    second, who = claim(db)
    assert second is None and who.startswith("process ")
    asked = []
    assert claim_or_ask(db, lambda q: asked.append(q) or "quit") == (None, False, False)
    assert "is open in another Portfolio Desk window" in asked[0]
    lock, read_only, go_on = claim_or_ask(db, lambda q: "read-only")
    assert (lock, read_only, go_on) == (None, True, True)
    first.unlock()
    lock, read_only, go_on = claim_or_ask(db, lambda q: "quit")
    assert lock is not None and (read_only, go_on) == (False, True)


def test_a_lock_left_by_a_process_that_died_is_taken_over(tmp_path):
    db = tmp_path / "p.sqlite"
    code = (
        "import os, sys; from PySide6.QtCore import QLockFile; "
        f"lock = QLockFile({str(lock_path(db))!r}); assert lock.tryLock(0); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert lock_path(db).exists()  # left behind, as a crash leaves it
    lock, who = claim(db)
    assert lock is not None and who == ""


def test_a_read_only_window_writes_nothing_and_says_why(make_window, tmp_path):
    from desktop.ui.main_window import MainWindow
    from desktop.ui.tasks import TaskRunner

    writer = make_window(tmp_path / "p.sqlite")
    writer.editor.add_trade(buy())
    reader = MainWindow(writer.store, TaskRunner(synchronous=True), read_only=True)
    try:
        reader.start_background(refresh=True)  # no refresh: the other window fetches
        assert reader.windowTitle().endswith("(read-only)")
        for key in MainWindow.WRITES:
            assert not reader.actions[key].isEnabled(), key
        assert reader.actions[Act.SHOW_TRADES].isEnabled()
        problems = reader.editor.add_trade(buy(qty="5"))
        assert problems and "read-only" in problems[0].message
        told = []
        reader.editor.on_refused = told.append
        assert not reader.editor.watch("IWM") and "read-only" in told[0]
        assert [t.type for t in writer.store.trades()] == [TradeType.BUY]
        assert reader.holdings_model.rowCount() == 1  # it shows what there is
    finally:
        reader.close()
        reader.deleteLater()
