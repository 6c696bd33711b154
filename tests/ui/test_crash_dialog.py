"""An unexpected exception (``crash_reporter``, ``crash_dialog``): logged with its traceback,
shown once, and the window goes on."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop.data import logs
from desktop.ui.crash_dialog import CrashDialog, show_crash_dialog
from desktop.ui.crash_reporter import CrashReporter, crash_of


@pytest.fixture
def app_log(tmp_path):
    made = logs.AppLog()
    made.install(faults=False)
    made.open_files(tmp_path / "log", fatal=False)
    yield made
    made.close()


def shown_into(found: list):
    def show(crash):
        found.append(crash)

    return show


def explode_in_a_slot() -> None:
    raise ZeroDivisionError("the slot's own error")


def test_an_exception_in_a_timer_is_logged_the_hook_told_and_the_window_goes_on(
    qtbot, make_window, app_log
):
    window = make_window()
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    found = []
    with CrashReporter(app_log.open_files, show=shown_into(found)):
        QTimer.singleShot(0, explode_in_a_slot)
        qtbot.waitUntil(lambda: len(found) == 1)
    crash = found[0]
    assert crash.log_path == app_log.path and crash.log_path.parent.name == "log"
    assert crash.summary == "ZeroDivisionError: the slot's own error"
    assert crash.thread == "MainThread"
    assert "in explode_in_a_slot" in crash.details
    text = app_log.path.read_text(encoding="utf-8")
    assert "CRITICAL desktop.ui.crash_reporter [MainThread] unexpected error" in text
    assert "Traceback (most recent call last):" in text
    assert 'raise ZeroDivisionError("the slot\'s own error")' in text
    # The event loop went on: the window still answers its keys.
    qtbot.keyClick(window, Qt.Key_3, Qt.ControlModifier)
    assert window.tabs.currentIndex() == 2


def test_an_exception_in_a_worker_thread_is_shown_on_the_main_thread(qtbot, app_log):
    found, on = [], []

    def show(crash):
        on.append(threading.current_thread() is threading.main_thread())
        found.append(crash)

    def work():
        raise ValueError("from the worker")

    with CrashReporter(app_log.open_files, show=show):
        thread = threading.Thread(target=work, name="price-worker")
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: len(found) == 1)
    assert on == [True]
    assert found[0].thread == "price-worker" and found[0].summary == "ValueError: from the worker"
    text = app_log.path.read_text(encoding="utf-8")
    assert "unexpected error (thread price-worker)" in text and "in work" in text


def test_the_hooks_are_given_back(app_log):
    import sys

    before = (sys.excepthook, threading.excepthook)
    reporter = CrashReporter(app_log.open_files)
    with reporter:
        assert sys.excepthook == reporter.excepthook
        assert threading.excepthook == reporter.thread_excepthook
    assert (sys.excepthook, threading.excepthook) == before


def error_at(line: int):
    """The crash of an error raised in one of two places: a ZeroDivisionError or a KeyError."""
    try:
        if line == 1:
            1 / 0  # noqa: B018
        else:
            {}["missing"]  # noqa: B018
    except Exception as exc:  # noqa: BLE001
        return crash_of(type(exc), exc, exc.__traceback__, "MainThread", None)


def test_errors_while_the_dialog_is_open_join_it_and_one_shown_already_is_not_shown_again(
    qtbot, app_log
):
    opened = []

    def show(crash):
        opened.append(show_crash_dialog(crash))
        qtbot.addWidget(opened[-1])
        return opened[-1]

    reporter = CrashReporter(app_log.open_files, show=show)
    with reporter:
        QTimer.singleShot(0, explode_in_a_slot)
        qtbot.waitUntil(lambda: len(opened) == 1)
        for _ in range(3):  # a timer failing again and again while the dialog is open
            QTimer.singleShot(0, explode_in_a_slot)
        qtbot.waitUntil(lambda: reporter.crashes == 4)
        QApplication.processEvents()
        dialog = opened[0]
        assert len(opened) == 1 and dialog.isVisible()
        assert "3 more error(s) followed; all 4 are in the log." in dialog.count.text()
        assert dialog.details_text().count("Traceback (most recent call last):") == 4
        qtbot.keyClick(dialog, Qt.Key_Escape)  # Close
        assert not dialog.isVisible()
        QTimer.singleShot(0, explode_in_a_slot)  # the same error again: logged, not shown
        qtbot.waitUntil(lambda: reporter.crashes == 5)
        QApplication.processEvents()
        assert len(opened) == 1
        QTimer.singleShot(0, lambda: {}["another"])  # another error: a dialog again
        qtbot.waitUntil(lambda: len(opened) == 2)
    assert "KeyError: 'another'" in opened[1].sentence.text()
    assert app_log.path.read_text().count("Traceback (most recent call last):") == 6


def test_the_dialog_says_what_happened_and_where_the_log_is_and_copies_the_details(qtbot, tmp_path):
    crash = error_at(1)._replace(log_path=tmp_path / "portfolio-desk.log")
    dialog = CrashDialog(crash)
    qtbot.addWidget(dialog)
    assert dialog.sentence.text().startswith(
        "Something went wrong that Portfolio Desk did not expect (ZeroDivisionError: division by "
        "zero). It keeps running"
    )
    assert f"The details are in the log: {tmp_path / 'portfolio-desk.log'}." in dialog.where.text()
    assert dialog.where.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    QApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.LeftButton)
    copied = QApplication.clipboard().text()
    assert copied.startswith("Traceback (most recent call last):\n")
    assert "in error_at\n    1 / 0" in copied and "ZeroDivisionError: division by zero" in copied
    assert copied.rstrip().endswith(f"Portfolio Desk log: {tmp_path / 'portfolio-desk.log'}")
    assert copied == dialog.details.toPlainText()
    close = dialog.buttons.button(QDialogButtonBox.StandardButton.Close)
    assert close is not None and close.text().replace("&", "") == "Close"


def test_with_no_show_hook_a_crash_is_only_logged(qtbot, app_log):
    reporter = CrashReporter(app_log.open_files, show=None)  # --smoke-test's
    with reporter:
        QTimer.singleShot(0, explode_in_a_slot)
        qtbot.waitUntil(lambda: reporter.crashes == 1)
        QApplication.processEvents()
    assert reporter.dialog is None
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog)]
    assert "the slot's own error" in app_log.path.read_text()


def test_a_log_that_could_not_be_written_is_said(qtbot):
    crash = error_at(2)
    dialog = CrashDialog(crash)
    qtbot.addWidget(dialog)
    assert dialog.where.text().startswith("The log could not be written")
    assert "(the log could not be written)" in dialog.details_text()


@pytest.mark.parametrize("smoke", [False, True])
def test_the_windows_start_installs_the_reporter_with_the_dialog_except_in_the_smoke_test(
    qtbot, app_log, monkeypatch, smoke
):
    from desktop.ui.launch import _start_log

    monkeypatch.setattr(logs, "start", lambda: app_log)  # not the process's own, here
    _, reporter = _start_log(smoke)
    try:
        QTimer.singleShot(0, explode_in_a_slot)
        qtbot.waitUntil(lambda: reporter.crashes == 1)
        QApplication.processEvents()
    finally:
        reporter.uninstall()
    if smoke:
        assert reporter.dialog is None
    else:
        dialog = reporter.dialog
        qtbot.addWidget(dialog)
        assert isinstance(dialog, CrashDialog) and dialog.isVisible()
        assert f"The details are in the log: {app_log.path}." in dialog.where.text()
    assert "the slot's own error" in app_log.path.read_text()
