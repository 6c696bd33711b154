"""The window's log: a rotating file in the platform's log folder, and a file for fatal errors.

Two steps, so that the first paint waits for no file and no import:

- ``start()``, as the window's process starts: the ``desktop`` loggers' records (INFO and up,
  and every library's warnings) are kept in memory, warnings and errors also go to stderr as
  before, and ``faulthandler`` writes a fatal error's traceback (a segfault, an abort inside
  Qt) to stderr. Nothing new is imported: ``logging.handlers`` and ``platformdirs`` cost about
  15 ms, a twentieth of the start.
- ``AppLog.open_files()``, after the first paint (or at once when an unexpected error needs the
  file): ``portfolio-desk.log`` in the log folder, rotated at 1 MB with five old files kept,
  gets the records kept so far and every later one, and ``faulthandler`` writes to
  ``fatal-errors.log`` beside it instead, a file held open for the process's life (it writes to
  the file's descriptor when Python itself can no longer run).

The log folder is platformdirs' ``user_log_dir``: ``~/.local/state/PortfolioDesk/log`` on Linux
(``$XDG_STATE_HOME``), ``~/Library/Logs/PortfolioDesk`` on macOS and
``%LOCALAPPDATA%\\PortfolioDesk\\Logs`` on Windows. A folder that cannot be written leaves the
records on stderr: the log never stops the app.
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import logging
import os
import sys
import threading
from pathlib import Path
from typing import IO

from desktop.data.paths import APP_DIR_NAME

LOG_FILE_NAME = "portfolio-desk.log"
FATAL_FILE_NAME = "fatal-errors.log"
#: The log file is rotated at this size, and this many old files are kept beside it.
MAX_BYTES, BACKUP_COUNT = 1_000_000, 5
#: Records kept in memory before the file opens, at most (the rest are counted, then dropped).
EARLY_RECORDS = 2000
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

#: The app's own logger: its records down to INFO are kept (a library's, from WARNING up).
log = logging.getLogger("desktop")
_installed: AppLog | None = None


def log_dir() -> Path:
    """The platform's folder for the app's logs (it may not exist yet)."""
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_DIR_NAME, appauthor=False))


def current() -> AppLog | None:
    """The log ``start()`` installed in this process, if any."""
    return _installed


class _EarlyRecords(logging.Handler):
    """Keeps records until the file opens (a plain handler: no import, no I/O)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.dropped = 0

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < EARLY_RECORDS:
            record.exc_text = self.format_exc(record)  # the traceback now, while it exists
            self.records.append(record)
        else:
            self.dropped += 1

    @staticmethod
    def format_exc(record: logging.LogRecord) -> str | None:
        if record.exc_info and not record.exc_text:
            return logging.Formatter().formatException(record.exc_info)
        return record.exc_text


class AppLog:
    """The process's log (``start()`` makes it and installs it): records kept in memory until
    ``open_files()``. Tests make their own, ``install(faults=False)`` and ``close()``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._early: _EarlyRecords | None = _EarlyRecords()
        self.stderr: logging.Handler | None = None
        self.file_handler: logging.Handler | None = None
        self.folder: Path | None = None  #: where the files are, once open
        #: Why the files could not be opened ("" while they are open or not yet tried).
        self.problem = ""
        self._fatal: IO[str] | None = None  #: held open for faulthandler, never closed early
        self._level = log.level
        self._fatal_enabled = False

    @property
    def path(self) -> Path | None:
        """The log file, once open (``None``: not yet, or it could not be written)."""
        return None if self.folder is None else self.folder / LOG_FILE_NAME

    @property
    def fatal_path(self) -> Path | None:
        return None if self._fatal is None or self.folder is None else self.folder / FATAL_FILE_NAME

    def install(self, *, faults: bool = True) -> None:
        """Start keeping the records (and printing warnings on stderr); with ``faults``, point
        ``faulthandler`` at stderr until the fatal-errors file opens."""
        root = logging.getLogger()
        root.addHandler(self._early)
        if sys.stderr is not None:  # None under pythonw (portfolio-desk-gui on Windows)
            self.stderr = logging.StreamHandler(sys.stderr)
            self.stderr.setLevel(logging.WARNING)  # what Python's last resort printed before
            self.stderr.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
            root.addHandler(self.stderr)
        if log.getEffectiveLevel() > logging.INFO:
            log.setLevel(logging.INFO)
        if faults:
            try:
                faulthandler.enable(all_threads=True)
                self._fatal_enabled = True
            except (AttributeError, ValueError, OSError, RuntimeError):
                pass  # no stderr to write to (pythonw): the file, once open, has them

    def open_files(
        self,
        folder: Path | None = None,
        *,
        max_bytes: int = MAX_BYTES,
        backups: int = BACKUP_COUNT,
        fatal: bool = True,
    ) -> Path | None:
        """Open the log file in ``folder`` (default: the platform's log folder) and hand it the
        records kept so far; with ``fatal``, point ``faulthandler`` at the fatal-errors file
        beside it. Once: later calls return the same path. ``None`` when the folder cannot be
        written (``problem`` says why; the records stay on stderr)."""
        with self._lock:
            if self.file_handler is not None or self.problem:
                return self.path
            early, self._early = self._early, None
            root = logging.getLogger()
            if early is not None:
                root.removeHandler(early)
            try:
                from logging.handlers import RotatingFileHandler

                where = Path(folder) if folder is not None else log_dir()
                where.mkdir(parents=True, exist_ok=True)
                handler = RotatingFileHandler(
                    where / LOG_FILE_NAME, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
                )
            except OSError as exc:
                # The warnings and errors kept were printed on stderr as they came.
                self.problem = f"The log could not be written: {exc}"
                return None
            handler.setFormatter(logging.Formatter(FORMAT))
            self.folder, self.file_handler = where, handler
            if early is not None:
                for record in early.records:
                    handler.handle(record)
                if early.dropped:
                    log.warning("%d records before the log opened were dropped", early.dropped)
            root.addHandler(handler)
            if fatal:
                self._open_fatal(where, max_bytes)
            return self.path

    def _open_fatal(self, folder: Path, max_bytes: int) -> None:
        path = folder / FATAL_FILE_NAME
        try:
            if path.exists() and path.stat().st_size > max_bytes:
                os.replace(path, path.with_name(path.name + ".1"))  # one old file is kept
            self._fatal = open(path, "a", encoding="utf-8")  # noqa: SIM115 - kept open on purpose
            started = dt.datetime.now().isoformat(timespec="seconds")
            self._fatal.write(f"--- process {os.getpid()} started {started}\n")
            self._fatal.flush()
            faulthandler.enable(file=self._fatal, all_threads=True)
            self._fatal_enabled = True
        except (OSError, ValueError, RuntimeError) as exc:
            log.warning("fatal errors cannot be written to %s: %s", path, exc)

    def close(self) -> None:
        """Take the handlers off again (tests; the app's log lasts as long as its process)."""
        global _installed
        with self._lock:
            root = logging.getLogger()
            for handler in (self._early, self.stderr, self.file_handler):
                if handler is not None:
                    root.removeHandler(handler)
                    handler.close()
            self._early = self.stderr = self.file_handler = None
            if self._fatal_enabled:
                faulthandler.disable()
                self._fatal_enabled = False
            if self._fatal is not None:
                self._fatal.close()
                self._fatal = None
            log.setLevel(self._level)
            if _installed is self:
                _installed = None


def start() -> AppLog:
    """Keep the records from now on and point ``faulthandler`` at stderr (see the module's
    docstring); ``AppLog.open_files()`` opens the files."""
    global _installed
    if _installed is not None:
        return _installed
    app_log = AppLog()
    app_log.install()
    _installed = app_log
    return app_log
