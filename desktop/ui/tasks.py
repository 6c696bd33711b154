"""Background work, the one way: ``run_task(fn, on_done)`` runs ``fn`` on a worker thread and
delivers its result (or its error) to callbacks on the main thread.

Workers return data and never touch widgets; a worker that needs the database opens its own
``Store``. Tests can make the runner synchronous so a task's callbacks run before ``run_task``
returns.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, str], None]


class _Signals(QObject):
    """Lives on the main thread; its slots are where results land (queued from the worker)."""

    done = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int, str)

    def __init__(self, on_done, on_error, on_progress, release) -> None:
        super().__init__()
        self._on_done, self._on_error, self._on_progress = on_done, on_error, on_progress
        self._release = release
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_error)
        self.progress.connect(self._deliver_progress)

    @Slot(object)
    def _deliver_done(self, value: object) -> None:
        self._release(self)
        self._on_done(value)

    @Slot(str)
    def _deliver_error(self, message: str) -> None:
        self._release(self)
        self._on_error(message)

    @Slot(int, int, str)
    def _deliver_progress(self, done: int, total: int, label: str) -> None:
        if self._on_progress is not None:
            self._on_progress(done, total, label)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[ProgressFn], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals

    def run(self) -> None:  # worker thread
        try:
            result = self.fn(self.signals.progress.emit)
        except Exception as exc:  # noqa: BLE001 - delivered to the UI, never lost
            log.error("background task failed:\n%s", traceback.format_exc())
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.signals.done.emit(result)


class TaskRunner:
    """Runs tasks on a thread pool, or inline when ``synchronous`` (for tests)."""

    def __init__(self, synchronous: bool = False) -> None:
        self.synchronous = synchronous
        self.pool = QThreadPool.globalInstance()
        self._alive: set[_Signals] = set()

    def run_task(
        self,
        fn: Callable[[ProgressFn], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
        on_progress: ProgressFn | None = None,
    ) -> None:
        """Run ``fn(progress)`` in the background; ``on_*`` are called on the main thread."""
        signals = _Signals(on_done, on_error or _log_error, on_progress, self._alive.discard)
        self._alive.add(signals)
        task = _Task(fn, signals)
        if self.synchronous:
            task.run()
        else:
            self.pool.start(task)

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for running tasks (used on quit and in tests)."""
        return self.pool.waitForDone(msecs)


def _log_error(message: str) -> None:
    log.error("background task failed: %s", message)
