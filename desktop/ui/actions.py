"""Every user action of the main window, declared once: text, shortcut, and tooltip."""

from __future__ import annotations

import enum
from typing import NamedTuple

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


class Act(enum.Enum):
    ADD_TRADE = enum.auto()
    EDIT_TRADE = enum.auto()
    DELETE_TRADE = enum.auto()
    REFRESH = enum.auto()
    CANCEL_REFRESH = enum.auto()
    IMPORT_TRADES = enum.auto()
    IMPORT_PRICES = enum.auto()
    BACK_UP = enum.auto()
    RESTORE_BACKUP = enum.auto()
    UNDO = enum.auto()
    REDO = enum.auto()
    SHOW_HOLDINGS = enum.auto()
    SHOW_TRADES = enum.auto()
    SHOW_WATCHLIST = enum.auto()
    FILTER = enum.auto()
    SHOW_MARKETS = enum.auto()
    OPEN_INSTRUMENT = enum.auto()
    SETTINGS = enum.auto()
    QUIT = enum.auto()
    SHOW_SHORTCUTS = enum.auto()
    EXPLAIN_NUMBERS = enum.auto()
    DATA_SOURCES = enum.auto()
    OPEN_LOGS = enum.auto()
    ABOUT = enum.auto()


class ActionSpec(NamedTuple):
    """A static table's row (a NamedTuple: a frozen dataclass costs ~1 ms of the start)."""

    text: str
    shortcuts: tuple[QKeySequence | QKeySequence.StandardKey | str, ...]
    tip: str


SPECS: dict[Act, ActionSpec] = {
    Act.ADD_TRADE: ActionSpec("&Add trade…", (QKeySequence.New,), "Enter a buy or a sale"),
    Act.EDIT_TRADE: ActionSpec("&Edit trade…", ("F2",), "Edit the selected trade"),
    Act.DELETE_TRADE: ActionSpec(
        "&Delete trade", (QKeySequence.Delete,), "Delete the selected trade (undo with Ctrl+Z)"
    ),
    Act.REFRESH: ActionSpec(
        "&Refresh prices", (QKeySequence.Refresh, "F5"), "Fetch missing prices from Yahoo Finance"
    ),
    Act.CANCEL_REFRESH: ActionSpec("&Cancel refresh", ("Esc",), "Stop the price refresh"),
    Act.IMPORT_TRADES: ActionSpec(
        "Import &trades…",
        ("Ctrl+Shift+I",),
        "Import trades from a CSV file: ours, a broker's statement, or any other (mapped)",
    ),
    Act.IMPORT_PRICES: ActionSpec(
        "&Import prices…", ("Ctrl+I",), "Import a symbol's daily prices from a CSV file"
    ),
    Act.BACK_UP: ActionSpec(
        "&Back up now", (), "Copy the portfolio into its backups folder (kept beside the file)"
    ),
    Act.RESTORE_BACKUP: ActionSpec(
        "&Restore from backup…", (), "Replace the portfolio with one of its backups"
    ),
    Act.UNDO: ActionSpec("&Undo", (QKeySequence.Undo,), "Undo the last edit"),
    Act.REDO: ActionSpec("&Redo", (QKeySequence.Redo, "Ctrl+Shift+Z"), "Redo the last undone edit"),
    Act.SHOW_HOLDINGS: ActionSpec("&Holdings", ("Ctrl+1",), "Show the holdings"),
    Act.SHOW_TRADES: ActionSpec("&Trades", ("Ctrl+2",), "Show the trades"),
    Act.SHOW_WATCHLIST: ActionSpec("&Watchlist", ("Ctrl+3",), "Show the watchlist"),
    Act.FILTER: ActionSpec(
        "&Filter rows…", ("Ctrl+F",), "Show only the rows of the table shown that match words"
    ),
    Act.SHOW_MARKETS: ActionSpec(
        "&Markets…",
        ("Ctrl+4",),
        "Small caps against large caps: the Russell 2000 against the S&P 500, the size "
        "premium, your portfolio's beta and the rates",
    ),
    Act.OPEN_INSTRUMENT: ActionSpec(
        "&Open instrument…",
        ("Ctrl+O",),
        "Any symbol's price, volume, your trades in it and its quality (a name searches)",
    ),
    Act.SETTINGS: ActionSpec(
        "&Settings…",
        ("Ctrl+,",),
        "Base currency, cost method, benchmarks, backups, refresh on start, light or dark",
    ),
    Act.QUIT: ActionSpec("&Quit", (QKeySequence.Quit, "Ctrl+Q"), "Quit Portfolio Desk"),
    Act.SHOW_SHORTCUTS: ActionSpec(
        "&Keyboard shortcuts", ("Ctrl+/",), "Every action's keys, and the keys no menu shows"
    ),
    Act.EXPLAIN_NUMBERS: ActionSpec(
        "&What do these numbers mean?",
        (QKeySequence.HelpContents, "F1"),
        "TTWROR, IRR, excess in points, relative strength, drawdown, beta, the factors",
    ),
    Act.DATA_SOURCES: ActionSpec(
        "&Data sources and their limits",
        (),
        "Yahoo Finance and Ken French's data library: what they cannot promise, and what is "
        "kept where",
    ),
    Act.OPEN_LOGS: ActionSpec(
        "Open the &log folder", (), "The app's log, to send with a report of a problem"
    ),
    Act.ABOUT: ActionSpec(
        "&About Portfolio Desk", (), "The version, and the libraries it uses with their licenses"
    ),
}


def key_sequences(spec: ActionSpec) -> list[QKeySequence]:
    """The spec's shortcuts as its action gets them: standard keys as this platform binds them,
    blanks and repeats left out (F5 is Refresh's standard key on most desktops, not all)."""
    keys: list[QKeySequence] = []
    for s in spec.shortcuts:
        if isinstance(s, QKeySequence.StandardKey):  # every binding (Redo: Ctrl+Y and
            bound = QKeySequence.keyBindings(s)  # Ctrl+Shift+Z), not only the first; but not
            # a keyboard's own named key ("New", "Refresh") past the first: noise to read.
            keys += bound[:1] + [k for k in bound[1:] if "+" in k.toString()]
        else:
            keys.append(QKeySequence(s))
    return list(dict.fromkeys(k for k in keys if not k.isEmpty()))


def create_actions(parent: QWidget) -> dict[Act, QAction]:
    actions = {}
    for key, spec in SPECS.items():
        action = QAction(parent)  # QAction(text, parent) would set up QIcon's ~150 enum values
        action.setText(spec.text)
        keys = key_sequences(spec)
        action.setShortcuts(keys)
        action.setStatusTip(spec.tip)
        shown = f" ({keys[0].toString(QKeySequence.NativeText)})" if keys else ""
        action.setToolTip(f"{spec.tip}{shown}")
        actions[key] = action
    return actions
