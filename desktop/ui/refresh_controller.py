"""Refreshing prices from the window: one run at a time in the background, its progress and a
Cancel button in the status bar, and its report when it ends.

Cancelling is a ``threading.Event``: only the main thread sets it (the Cancel button, Esc), and
the worker only reads it, through the ``cancelled`` callable ``run_refresh`` hands to the price
source, which polls it between symbols. The worker opens its own ``Store`` and returns the
``RefreshReport``; widgets are touched on the main thread only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtWidgets import QProgressBar, QPushButton

from desktop.data.store import Store
from desktop.ui.actions import Act

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QStatusBar

    from desktop.data.sources.protocol import MarketSources
    from desktop.ui.tasks import TaskRunner


class RefreshWindow(Protocol):
    """What the refresh uses of the main window. Not ``MainWindow`` itself: the window imports
    this module, and importing it back, even for type hints only, would make a cycle."""

    store: Store
    tasks: TaskRunner
    actions: dict[Act, QAction]
    sources: MarketSources | None  #: where prices and fundamentals come from
    refresh_factors: bool  #: also update Ken French's factor file
    last_refresh: Any  #: set to the ``RefreshReport`` when a refresh ends

    def reload(self, *, symbols: list[str] | None = None) -> None: ...
    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name


class RefreshController:
    """Starts, follows and cancels the price refresh of one window."""

    def __init__(self, window: RefreshWindow) -> None:
        self.window = window
        self.running = False
        self.cancel_requested = threading.Event()
        self.cancel_action = window.actions[Act.CANCEL_REFRESH]
        self.cancel_action.setEnabled(False)
        self.cancel_action.triggered.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the refresh after the current symbol (Esc)")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()

    def start(self) -> None:
        window = self.window
        if self.running or window.sources is None:
            return
        from desktop.data.refresh import refresh_fundamentals, run_refresh

        self.running = True
        # A new event per run: a late press meant for the previous run cannot stop this one.
        cancel = self.cancel_requested = threading.Event()
        window.actions[Act.REFRESH].setEnabled(False)
        self.cancel_action.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Refreshing…")
        self.progress.show()
        self.cancel_button.show()
        window.statusBar().showMessage("Refreshing prices… (Esc to cancel)")
        path, sources, factors = window.store.path, window.sources, window.refresh_factors

        def work(progress: Callable[[int, int, str], None]) -> Any:
            with Store(path, check=False) as store:  # checked before its first write
                report = run_refresh(
                    store, sources.prices, progress=progress, cancelled=cancel.is_set
                )
                if not (report.offline or report.cancelled or cancel.is_set()):
                    # Held equities' snapshots older than a week; a failure keeps the old one.
                    refresh_fundamentals(store, sources.fundamentals, cancelled=cancel.is_set)
            if factors and not (report.offline or report.cancelled or cancel.is_set()):
                from desktop.data.factor_data import refresh_french

                refresh_french()  # the factor lens's data; a failure leaves the cached copy
            return report

        window.tasks.run_task(work, self._finished, self._failed, self._progress)

    def cancel(self) -> None:
        """Ask the running refresh to stop after the symbol it is fetching (main thread)."""
        if not self.running or self.cancel_requested.is_set():
            return
        self.cancel_requested.set()
        self.cancel_action.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.progress.setFormat("Cancelling…")
        self.window.statusBar().showMessage("Cancelling the refresh after the current symbol…")

    def _progress(self, done: int, total: int, symbol: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if not self.cancel_requested.is_set():
            self.progress.setFormat(f"{symbol} %v/%m")

    def _finished(self, report: Any) -> None:
        self._end()
        self.window.last_refresh = report
        message = report.summary()
        if report.cancelled:
            updated = ", ".join(report.updated)
            message += f". Updated: {updated}" if updated else ""
            message += ". Press F5 to fetch the rest."
        self.window.statusBar().showMessage(message)
        # Only the prices it wrote are read again (a fundamentals change of currency makes the
        # window read them all: the held prices no longer match).
        self.window.reload(symbols=list(report.updated))

    def _failed(self, message: str) -> None:
        self._end()
        self.window.statusBar().showMessage(f"Refresh failed: {message}")
        self.window.reload()  # what it wrote before it failed is in the store: show it

    def _end(self) -> None:
        self.running = False
        self.window.actions[Act.REFRESH].setEnabled(True)
        self.cancel_action.setEnabled(False)
        self.progress.hide()
        self.cancel_button.hide()
