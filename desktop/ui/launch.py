"""Starting the window: the QApplication, the store, the first paint, then background work.

``--smoke-test`` opens the window offscreen, waits for the first paint of the holdings table,
prints the milliseconds from process start to first paint and to holdings shown, and exits.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from desktop import APP_NAME
from desktop.resource_files import resource_path
from desktop.ui.collector import resume_collector

#: Heavy libraries the window must paint without (each costs tens to hundreds of milliseconds to
#: import), the sources' protocols (``typing.Protocol`` classes, about 5 ms) and the periods
#: (with ``calendar``, about 2 ms: only the watchlist's changes need them at start);
#: ``--smoke-test`` prints which of them were loaded when the holdings first painted.
DEFERRED_MODULES = (
    "pandas",
    "numpy",
    "pyqtgraph",
    "yfinance",
    "sqlite_utils",
    "desktop.data.sources.protocol",
    "desktop.core.periods",
)
#: Said with them: PySide's ``Qt`` namespace, whose 93 enums are made on first use (~14 ms;
#: ``qt_enums``).
QT_NAMESPACE = "PySide6.QtCore.Qt"


def run_gui(args: argparse.Namespace, db_path: Path, *, started: float) -> int:
    smoke = bool(getattr(args, "smoke_test", False))
    if smoke:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.ui.pyside_scan import note_standard_library

    note_standard_library()  # before the imports below: PySide would read their sources
    from desktop.data.store import Store, StoreError
    from desktop.ui.main_window import MainWindow
    from desktop.ui.qt_enums import namespace_made
    from desktop.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setDesktopFileName("portfolio-desk")  # the .desktop file: docks match the window
    app.setOrganizationName("PortfolioDesk")
    app_log, crashes = _start_log(smoke)  # noqa: F841 - the hooks live as long as the app
    if not smoke:  # light or dark as chosen in the settings (else the system's)
        from desktop.ui.settings_dialog import apply_theme

        apply_theme(QSettings())
    done = ""  # what was done to open a file that would not open, said in the status bar
    try:
        # SQLite's check of the whole file (``PRAGMA quick_check``: it reads all of it, about
        # 2 ms a megabyte) runs on a worker after the first paint, for a file of any size;
        # damage the window meets before then is found by it at once (below).
        store = Store(db_path, check=False)
    except (StoreError, OSError) as exc:
        if smoke:
            print(f"portfolio-desk: {exc}", file=sys.stderr)
            return 1
        store, done = _recover(db_path)
        if store is None:
            return 1
    if getattr(args, "demo", False) and not getattr(args, "db", None):
        from desktop.data.demo import ensure_demo

        try:
            ensure_demo(store)
        except (StoreError, OSError) as exc:
            if smoke:
                print(f"portfolio-desk: {exc}", file=sys.stderr)
            else:
                _critical(f"Cannot set up the demo.\n\n{exc}")
            return 1

    from desktop.ui import single_window

    for attempt in range(2):
        # One window writes a portfolio: a second one on it is offered read-only (or quits).
        # A file that cannot be written is shown read-only, with no lock to take.
        lock, read_only, go_on = (
            (None, False, True)
            if store.read_only
            else single_window.claim_or_ask(
                store.path,
                (lambda question: "read-only")
                if smoke
                else _with_icon(single_window.ask_with_dialog),
            )
        )
        if not go_on:
            store.close()
            return 0
        try:
            window = MainWindow(
                store,
                TaskRunner(),
                fetch_factors=not smoke,  # a refresh also updates Ken French's factor file
                daily_backup=not smoke,
                read_only=read_only,
                staged=True,  # the rest of the window is built right after the first paint
            )
            break
        except StoreError as exc:
            # A large file's check comes after the first paint: damage the window met
            # before it is said now, with the ways on.
            if lock is not None:
                lock.unlock()
            try:
                message = store.check_integrity() or str(exc)
            except StoreError:
                message = str(exc)
            store.close()
            if smoke or attempt:  # the file reopened, yet the window still cannot read it
                if smoke:
                    print(f"portfolio-desk: {message}", file=sys.stderr)
                else:
                    _critical(f"Cannot show the portfolio.\n\n{message}")
                return 1
            store, done = _recover(Path(store.path))
            if store is None:
                return 1
    window.lock = lock  # held as long as the window is open
    if read_only:
        window.statusBar().showMessage(
            "Read-only: another Portfolio Desk window has this portfolio open.", 0
        )
    elif store.read_only:
        window.statusBar().showMessage("Read-only: the portfolio file cannot be written.", 0)
    settings = QSettings()
    window.restore_state(settings)
    if window.tabs.currentIndex() != 0:  # the Trades or Watchlist tab shown first: all of it
        window.finish_build()
    if done:
        window.statusBar().showMessage(done, 30000)
    times: dict[str, float] = {}
    loaded_at_paint: list[str] = []
    painted_at: list[float] = []

    class FirstPaint(QObject):
        """Notes the window's first paint (the holdings table's own tells ``holdings_painted``)."""

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
            if event.type() == QEvent.Paint and "window" not in times:
                times["window"] = (time.perf_counter() - started) * 1000
            return False

    def holdings_painted() -> None:
        """The holdings table painted for the first time: the rest starts on the next turn of
        the event loop. (The table's own paint, not an event filter on its viewport: asking
        Python for the viewport, a plain ``QWidget``, makes PySide set up some 70 widget
        classes' enums to find its type, ~8 ms of the start.)"""
        times["holdings"] = (time.perf_counter() - started) * 1000
        painted_at.append(time.time())
        loaded_at_paint.extend(m for m in DEFERRED_MODULES if m in sys.modules)
        if namespace_made():
            loaded_at_paint.append(QT_NAMESPACE)
        QTimer.singleShot(0, after_first_paint)

    def after_first_paint() -> None:
        window.finish_build()
        set_app_icon()
        resume_collector()
        _open_log(app_log)
        window.removeEventFilter(watcher)
        if smoke:
            shown = times.get("holdings")
            first = times.get("window", shown or 0.0)
            rows = window.holdings_model.rowCount()
            shown_text = f"{shown:.0f} ms" if shown is not None else "not on the tab shown"
            print(f"first paint: {first:.0f} ms; holdings shown: {shown_text} ({rows} holdings)")
            loaded = ", ".join(loaded_at_paint) or "none"
            deferred = ", ".join((*DEFERRED_MODULES, QT_NAMESPACE))
            print(f"loaded at first paint: {loaded} (of {deferred})")
            # The wall clock when the holdings were painted, for a launcher that noted when it
            # started the process (benchmarks: launch to paint, the process's exit aside).
            if painted_at:
                print(f"holdings painted at: {painted_at[0]:.6f}")
            app.quit()
        else:
            # After the first paint, off the start-up path: the Yahoo modules (about 30 ms of
            # imports), then search and the background work that use them.
            window.sources = _yahoo_sources()
            _attach_symbol_search(window)
            from desktop.ui.settings_dialog import refresh_on_start

            refresh = not args.no_refresh and refresh_on_start(settings)
            window.start_background(refresh=refresh)
            asked = getattr(args, "instrument", None)
            if asked:
                _open_asked(window, asked)

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    if window.tabs.currentIndex() == 0:
        window.holdings_view.on_first_paint = holdings_painted
    else:  # another tab shown first: the holdings are not painted, the rest starts at once
        QTimer.singleShot(0, after_first_paint)
    window.show()
    code = app.exec()
    store.close()
    return code


def _start_log(smoke: bool):
    """The log, kept in memory until the first paint, and the hooks that log an unexpected
    exception and say it in a dialog (in --smoke-test no dialog). Cheap: no file is opened
    and nothing is imported that the window does not import anyway."""
    from desktop.data import logs
    from desktop.ui.crash_reporter import CrashReporter

    def show_crash_dialog(crash):  # its module is imported on the first unexpected error
        from desktop.ui.crash_dialog import show_crash_dialog

        return show_crash_dialog(crash)

    app_log = logs.start()
    reporter = CrashReporter(app_log.open_files, show=None if smoke else show_crash_dialog)
    return app_log, reporter.install()


def _open_log(app_log) -> None:
    """After the first paint: the log file in the log folder, and what this run is on."""
    import PySide6
    from PySide6.QtCore import qVersion

    from desktop import __version__
    from desktop.data.logs import log

    log.info(
        "%s %s on %s: Python %s, PySide6 %s, Qt %s",
        APP_NAME,
        __version__,
        sys.platform,
        sys.version.split()[0],
        PySide6.__version__,
        qVersion(),
    )
    app_log.open_files()


def _open_asked(window, text: str) -> None:
    """``--instrument SYMBOL``: its window, or why not in the status bar."""
    from desktop.core.validation import normalize_symbol, symbol_problem

    symbol = normalize_symbol(text)
    problem = symbol_problem(symbol)
    if problem:
        window.statusBar().showMessage(f"--instrument: {problem}", 15000)
        return
    window.open_instrument(symbol)


def set_app_icon() -> None:
    """The app's icon on its windows, set after the first paint (QIcon's ~150 theme names cost
    ~1.5 ms to set up), or before a dialog that comes first."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None and app.windowIcon().isNull():  # once
        app.setWindowIcon(QIcon(str(resource_path("portfolio-desk.svg"))))


def _critical(message: str) -> None:
    """Why the window cannot open, in a dialog (QMessageBox is imported only then: ~1.3 ms)."""
    from PySide6.QtWidgets import QMessageBox

    set_app_icon()
    QMessageBox.critical(None, APP_NAME, message)


def _with_icon(ask):
    """``ask``, its dialog under the app's icon."""

    def asking(*args):
        set_app_icon()
        return ask(*args)

    return asking


def _recover(db_path: Path):
    """The file would not open, or was found damaged: why, and a way on (one of its backups,
    another file, a new portfolio, or quit). The store opened (``None``: quit) and what was
    done."""
    from desktop.ui import open_problem

    set_app_icon()
    return open_problem.open_or_recover(
        db_path, open_problem.ask_with_dialog, open_problem.pick_file, open_problem.pick_new
    )


def _attach_symbol_search(window) -> None:
    """Search Yahoo while typing a symbol (watchlist now, trade dialogs through the window's
    ``symbol_searcher``); picked hits are saved in the window's store. None without a source."""
    from desktop.ui.symbol_search import SymbolSearcher

    search = window.sources.search if window.sources is not None else None
    searcher = SymbolSearcher.for_app(window.store, window.tasks, search)
    window.symbol_searcher = searcher
    if searcher is not None:
        window.watchlist.set_searcher(searcher)


def _yahoo_sources():
    """Prices, fundamentals and search from Yahoo, through the process's one ``YahooClient``
    (cheap: yfinance is imported on the first request, on a worker)."""
    from desktop.data.sources.yahoo.client import YahooClient
    from desktop.data.sources.yahoo.source import yahoo_sources

    return yahoo_sources(YahooClient())
