"""File → Import prices…: a symbol's daily prices from a CSV file (Yahoo's download, or what
yfinance writes), for symbols Yahoo no longer serves or a computer that is offline.

The import runs on the main thread through the window's store: even the 24,777 rows of ^GSPC
take well under a second. The two questions it asks (which file, which symbol) are attributes a
test replaces; ``import_file(path, symbol)`` asks nothing and says what happened in the status
bar, or in a message box when the file is refused.
"""

from __future__ import annotations

import csv
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QSettings

from desktop.core.model import BENCHMARK_NAMES
from desktop.core.validation import normalize_symbol, symbol_problem
from desktop.data.formats.prices_csv import import_price_file
from desktop.data.store import StoreError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar, QWidget

    from desktop.data.store import Store

FOLDER_KEY = "import/folder"
_SYMBOL_START = re.compile(r"\^?[A-Za-z0-9][A-Za-z0-9.\-]*(=[A-Za-z])?")


def ticker_in_file(path: str | Path) -> str | None:
    """The symbol a yfinance ``Ticker`` header row names (``Ticker,SPY,SPY,...``), else ``None``.

    Reads only the first lines: this runs before the user has even confirmed the import."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            for _, cells in zip(range(4), csv.reader(file), strict=False):
                if cells and cells[0].strip().lower() == "ticker":
                    found = {c.strip() for c in cells[1:]} - {""}
                    return found.pop() if len(found) == 1 else None
    except (OSError, UnicodeDecodeError, csv.Error):
        pass  # the import itself says what is wrong with the file
    return None


#: Yahoo's index symbols a price file is likely to hold: the benchmarks and the rates.
KNOWN_INDICES = frozenset(
    {*(s for s in BENCHMARK_NAMES if s.startswith("^")), "^TNX", "^IRX", "^VIX", "^DJI", "^IXIC"}
)


def suggested_symbol(path: str | Path) -> str:
    """The symbol to offer: the file's ``Ticker`` row, else the start of its name, upper case
    (``COHU_yahoo_2000-2024.csv`` -> ``COHU``, ``BRK-B.csv`` -> ``BRK-B``; ``GSPC_yahoo.csv`` and
    ``_GSPC.csv`` -> ``^GSPC``)."""
    ticker = ticker_in_file(path)
    if ticker:
        return normalize_symbol(ticker)
    stem = Path(path).stem
    found = _SYMBOL_START.match(stem.lstrip("_"))
    symbol = normalize_symbol(found.group(0) if found else "")
    # A file name cannot hold "^" everywhere ("_GSPC.csv", as the CSV folder source writes),
    # and people drop it ("GSPC_yahoo.csv"): a known index's name is offered as the index.
    if f"^{symbol}" in KNOWN_INDICES:
        return f"^{symbol}"
    return symbol if not stem.startswith("_") else ""


class ImportWindow(Protocol):
    """What the import uses of the main window. Not ``MainWindow`` itself: the window imports
    this module, and importing it back, even for type hints only, would make a cycle."""

    store: Store

    def reload(self, *, symbols: list[str] | None = None) -> None: ...
    def show_refusal(self, message: str) -> None: ...
    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name
    def window(self) -> QWidget: ...  # the parent of the dialogs (the main window is its own)


class PriceImport:
    """Imports price files into the window's store; ``run`` is the menu action's handler."""

    def __init__(self, window: ImportWindow) -> None:
        self.window = window
        self.choose_file: Callable[[], str | None] = self._choose_file
        self.ask_symbol: Callable[[Path, str], str | None] = self._ask_symbol
        self.on_refused: Callable[[str], None] = window.show_refusal

    def run(self) -> None:
        path = self.choose_file()
        if not path:
            return
        symbol = self.ask_symbol(Path(path), suggested_symbol(path))
        if symbol is not None:
            self.import_file(path, symbol)

    def import_file(self, path: str | Path, symbol: str) -> bool:
        """Import ``path`` as the prices of ``symbol``; whether anything was written."""
        path = Path(path)
        symbol = normalize_symbol(symbol)
        problem = symbol_problem(symbol)
        if problem is not None:
            self.on_refused(f"Cannot import {path.name}: the symbol {problem.message}.")
            return False
        try:
            written, parsed = import_price_file(self.window.store, path, symbol)
        except (sqlite3.Error, StoreError, OSError) as error:
            self.on_refused(f"Could not save the prices of {symbol}: {error}")
            return False
        if parsed.problems:
            reasons = "\n".join(f"• {p.message}" for p in parsed.problems)
            self.on_refused(f"{path.name} was not imported; nothing was changed.\n\n{reasons}")
            return False
        first, last = (parsed.rows[i]["date"].isoformat() for i in (0, -1))
        parts = [f"Imported {written:,} rows for {symbol} ({first}..{last})"]
        if parsed.skipped:
            rows = "row" if parsed.skipped == 1 else "rows"
            parts.append(f"{parsed.skipped} {rows} without a close left out")
        parts += [note.message for note in parsed.notes]
        self.window.reload(symbols=[symbol])
        self.window.statusBar().showMessage("; ".join(parts))
        return True

    def _choose_file(self) -> str | None:
        from PySide6.QtWidgets import QFileDialog

        settings = QSettings()
        folder = str(settings.value(FOLDER_KEY, str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(
            self.window.window(), "Import prices", folder, "CSV files (*.csv *.CSV);;All files (*)"
        )
        if path:
            settings.setValue(FOLDER_KEY, str(Path(path).parent))
        return path or None

    def _ask_symbol(self, path: Path, suggested: str) -> str | None:
        """Ask which symbol the prices are of, until the answer is a valid symbol or Cancel."""
        from PySide6.QtWidgets import QInputDialog

        question = f"The daily prices in {path.name} are of the symbol:"
        label, text = question, suggested
        while True:
            text, ok = QInputDialog.getText(self.window.window(), "Import prices", label, text=text)
            if not ok:
                return None
            symbol = normalize_symbol(text)
            problem = symbol_problem(symbol)
            if problem is None:
                return symbol
            label = f"The symbol {problem.message}.\n\n{question}"
