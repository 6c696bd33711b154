"""An unexpected error: logged with its traceback, said in a dialog, and the app runs on.

``CrashReporter.install()`` takes over ``sys.excepthook`` (an exception no code caught: in a
slot, a timer, an event handler; PySide prints those through it and the event loop goes on) and
``threading.excepthook`` (a Python thread's). Each error is logged with its traceback at once,
on the thread it was raised on; the dialog is shown on the main thread on the event loop's next
turn (a signal, queued from another thread, then a zero timer), through ``show``: a replaceable
hook (``None`` in ``--smoke-test``; tests pass a recorder; the app passes
``crash_dialog.show_crash_dialog``, imported then). This module is imported before the first
paint and is kept to Qt's core for that, without the ``Qt`` namespace (``qt_enums``).

One dialog at a time: an error while it is open is added to it (a count, and its traceback to
the details), and an error already shown once in this run (the same type raised at the same
line) is logged only, so a timer that fails every second cannot bury the window in dialogs.

Background tasks (``tasks.run_task``) catch their own errors and deliver them to their callers,
who say them in words; those never come here.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, QTimer, Signal, Slot

log = logging.getLogger(__name__)


class Crash(NamedTuple):
    """One unexpected exception: ``summary`` its type and message on one line, ``details`` its
    traceback as logged, ``thread`` the name of the thread it was raised on, ``log_path`` the
    log file it is written in (``None``: the log could not be written), ``key`` its type and
    the place it was raised (the same error again has the same key)."""

    summary: str
    details: str
    thread: str
    log_path: Path | None
    key: tuple[str, str, int]


def crash_of(
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    thread: str,
    log_path: Path | None,
) -> Crash:
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    frames = traceback.extract_tb(tb) if tb is not None else []
    where = (frames[-1].filename, frames[-1].lineno or 0) if frames else ("", 0)
    message = str(exc) if exc is not None else ""
    summary = f"{exc_type.__name__}: {message}" if message else exc_type.__name__
    return Crash(summary.splitlines()[0], details, thread, log_path, (exc_type.__name__, *where))


class CrashReporter(QObject):
    """Logs every unexpected exception and has it shown by ``show`` (see the module's
    docstring). ``log_file()`` returns the log file, opening it first if need be (launch's
    ``AppLog.open_files``), so the path said is a file that holds the traceback."""

    _crashed = Signal(object)

    def __init__(
        self,
        log_file: Callable[[], Path | None],
        show: Callable[[Crash], Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.log_file = log_file
        #: Shows a crash (returns the dialog, or None); ``None``: crashes are only logged.
        self.show = show
        self.dialog: Any = None  #: the dialog shown last, if ``show`` returned one
        self.shown: set[tuple[str, str, int]] = set()  #: the keys shown in this run
        self.crashes = 0  #: how many were reported in this run
        self._previous: tuple[Any, Any] | None = None
        # Reaches the main thread (queued from another, at once on it), then waits for the
        # event loop's next turn. Not ``Qt.QueuedConnection``: the reporter is made before the
        # first paint, which goes without the ``Qt`` namespace (``qt_enums``).
        self._crashed.connect(self._next_turn)

    # -- the hooks ------------------------------------------------------------------------
    def install(self) -> CrashReporter:
        """Take over ``sys.excepthook`` and ``threading.excepthook`` (``uninstall`` gives
        them back). Also a context manager, for tests."""
        if self._previous is None:
            self._previous = (sys.excepthook, threading.excepthook)
            sys.excepthook = self.excepthook
            threading.excepthook = self.thread_excepthook
        return self

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def __enter__(self) -> CrashReporter:
        return self.install()

    def __exit__(self, *exc: object) -> None:
        self.uninstall()

    def excepthook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in a terminal: as Python does it
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.report(exc_type, exc, tb, threading.current_thread().name)

    def thread_excepthook(self, args: Any) -> None:
        if args.exc_type is SystemExit:  # a thread that asked to end, as Python ignores it
            return
        name = args.thread.name if args.thread is not None else threading.current_thread().name
        self.report(args.exc_type, args.exc_value, args.exc_traceback, name)

    def report(
        self,
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
        thread: str,
    ) -> None:
        """Log the exception now, on its own thread, and have it shown on the main thread."""
        try:
            path = self.log_file()
        except Exception:  # noqa: BLE001 - a crash while reporting a crash is only logged
            path = None
        self.crashes += 1
        # With its traceback, in the log file and on stderr.
        log.critical("unexpected error (thread %s)", thread, exc_info=(exc_type, exc, tb))
        crash = crash_of(exc_type, exc, tb, thread, path)
        try:
            self._crashed.emit(crash)
        except RuntimeError:  # the reporter's Qt side is gone (the app is ending)
            pass

    # -- the dialog -----------------------------------------------------------------------
    @Slot(object)
    def _next_turn(self, crash: Crash) -> None:
        QTimer.singleShot(0, lambda: self._on_main_thread(crash))

    def _on_main_thread(self, crash: Crash) -> None:
        dialog = self.dialog
        try:
            open_now = dialog is not None and dialog.isVisible()
        except RuntimeError:  # its window was deleted
            open_now = False
        if open_now and hasattr(dialog, "add"):
            dialog.add(crash)
            return
        if crash.key in self.shown:
            log.info("not shown again: %s (it was shown once in this run)", crash.summary)
            return
        self.shown.add(crash.key)
        if self.show is None:
            return
        try:
            self.dialog = self.show(crash)
        except Exception:  # noqa: BLE001 - never a loop of dialogs about the dialog
            log.exception("the dialog about an unexpected error could not be shown")
