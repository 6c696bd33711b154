"""Every edit is an undoable command on one ``QUndoStack``.

A command is pushed after its first application succeeded (so a refused edit never enters the
stack); undo and redo replay it through the store. If a replay is refused (say, undoing a buy that
a later sale now depends on), the user is told why and the command is dropped from the stack.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.core.model import Problem, Trade
from desktop.data.store import Store, StoreError

Apply = Callable[[], list[Problem]]


@dataclass(frozen=True)
class Change:
    """What an applied command changed: the entry it took out of the ledger and the one it put
    in (an edit does both, with the same id), or, with neither, the watchlist."""

    removed: Trade | None = None
    added: Trade | None = None
    #: Many entries at once (an import, or its undo): the window reads the ledger again.
    many_removed: tuple[Trade, ...] = ()
    many_added: tuple[Trade, ...] = ()

    @property
    def ledger(self) -> bool:
        return self.removed is not None or self.added is not None or self.many

    @property
    def many(self) -> bool:
        return bool(self.many_removed or self.many_added)

    def inverse(self) -> Change:
        return Change(
            removed=self.added,
            added=self.removed,
            many_removed=self.many_added,
            many_added=self.many_removed,
        )


WATCHLIST = Change()
OnChange = Callable[[Change], None]


class StoreCommand(QUndoCommand):
    """``redo_fn`` makes ``change``; ``undo_fn`` takes it back. The window hears of each
    application through ``on_change``, with what changed."""

    def __init__(
        self,
        text: str,
        redo_fn: Apply,
        undo_fn: Apply,
        change: Change,
        on_change: OnChange,
        on_refused: Callable[[str], None],
    ) -> None:
        super().__init__(text)
        self._redo_fn, self._undo_fn, self._change = redo_fn, undo_fn, change
        self._on_change, self._on_refused = on_change, on_refused
        self._applied = True  # pushed after the first application

    def redo(self) -> None:
        if self._applied:
            self._on_change(self._change)
            return
        self._run(self._redo_fn, "Redo", self._change)
        self._applied = True

    def undo(self) -> None:
        self._run(self._undo_fn, "Undo", self._change.inverse())
        self._applied = False

    def _run(self, fn: Apply, verb: str, change: Change) -> None:
        problems = _safely(fn)
        if problems:  # nothing was written
            self.setObsolete(True)
            self._on_refused(
                f"{verb} of “{self.text()}” is not possible: "
                + "; ".join(p.message for p in problems)
            )
            return
        self._on_change(change)


READ_ONLY = (
    "This window shows the portfolio read-only: another Portfolio Desk window has it open. "
    "Make the change there, or close it and open the portfolio again."
)
FILE_READ_ONLY = (
    "This portfolio file cannot be written (its permissions, or a read-only disk), so it is "
    "shown read-only. To make changes, make it writable or open a copy in a writable folder."
)


def _safely(fn: Apply) -> list[Problem]:
    """``fn``'s problems, or the store's refusal (a file locked, read-only, a full disk) as
    one: a write that raised changed nothing."""
    try:
        return fn()
    except StoreError as exc:
        return [Problem("database", exc.plain())]


def _told(method: Callable[..., list[Problem]]) -> Callable[..., list[Problem]]:
    """An edit whose write the store refused returns that refusal as its problem."""

    @functools.wraps(method)
    def edit(self: Editor, *args: object) -> list[Problem]:
        if self.read_only:
            return [Problem("database", self.read_only)]
        return _safely(lambda: method(self, *args))

    return edit


def _told_bool(method: Callable[..., bool]) -> Callable[..., bool]:
    """A watchlist change the store refused is told (``on_refused``), and did nothing."""

    @functools.wraps(method)
    def change(self: Editor, *args: object) -> bool:
        if self.read_only:
            self.on_refused(self.read_only)
            return False
        try:
            return method(self, *args)
        except StoreError as exc:
            self.on_refused(exc.plain()[0].upper() + exc.plain()[1:])
            return False

    return change


class Editor:
    """Applies edits to the store and records them on the undo stack. A write the store
    refuses (the file locked by another program, read-only, a full disk) is a problem told to
    the user, never a traceback; nothing was changed."""

    def __init__(
        self,
        store: Store,
        stack: QUndoStack,
        on_change: OnChange,
        on_refused: Callable[[str], None],
    ) -> None:
        self.store, self.stack = store, stack
        self.on_change, self.on_refused = on_change, on_refused
        #: Why every edit is refused, in words ("": edits are written): another window holds
        #: the file, it cannot be written, or it is damaged.
        self.read_only = ""

    def _push(self, text: str, redo_fn: Apply, undo_fn: Apply, change: Change) -> None:
        command = StoreCommand(
            text,
            redo_fn,
            undo_fn,
            change,
            lambda c: self.on_change(c),
            lambda m: self.on_refused(m),
        )
        self.stack.push(command)

    @_told
    def add_trade(self, trade: Trade) -> list[Problem]:
        saved, problems = self.store.add_trade(trade)
        if saved is None:
            return problems
        self._push(
            f"Add {_describe(saved)}",
            lambda: self.store.add_trade(saved)[1],
            lambda: self.store.delete_trade(saved.id)[1],
            Change(added=saved),
        )
        return []

    @_told
    def update_trade(self, old: Trade, new: Trade) -> list[Problem]:
        saved, problems = self.store.update_trade(new)
        if saved is None:
            return problems
        self._push(
            f"Edit {_describe(old)}",
            lambda: self.store.update_trade(saved)[1],
            lambda: self.store.update_trade(old)[1],
            Change(removed=old, added=saved),
        )
        return []

    @_told
    def delete_trade(self, trade: Trade) -> list[Problem]:
        deleted, problems = self.store.delete_trade(trade.id)
        if deleted is None:
            return problems
        self._push(
            f"Delete {_describe(deleted)}",
            lambda: self.store.delete_trade(deleted.id)[1],
            lambda: self.store.add_trade(deleted)[1],
            Change(removed=deleted),
        )
        return []

    @_told
    def import_trades(self, trades: list[Trade], source: str) -> list[Problem]:
        """Add ``trades`` (read from ``source``, a file's name) as one undoable step."""
        saved, problems = self.store.add_trades(trades)
        if problems or not saved:
            return problems
        ids = [t.id for t in saved if t.id is not None]
        self._push(
            f"Import {len(saved)} trades from {source}",
            lambda: self.store.add_trades(saved)[1],
            lambda: self.store.delete_trades(ids)[1],
            Change(many_added=tuple(saved)),
        )
        return []

    @_told_bool
    def watch(self, symbol: str) -> bool:
        if not self.store.add_to_watchlist(symbol):
            return False
        self._push(
            f"Watch {symbol}",
            lambda: _ok(self.store.add_to_watchlist(symbol)),
            lambda: _ok(self.store.remove_from_watchlist(symbol)),
            WATCHLIST,
        )
        return True

    @_told_bool
    def unwatch(self, symbol: str) -> bool:
        if not self.store.remove_from_watchlist(symbol):
            return False
        self._push(
            f"Stop watching {symbol}",
            lambda: _ok(self.store.remove_from_watchlist(symbol)),
            lambda: _ok(self.store.add_to_watchlist(symbol)),
            WATCHLIST,
        )
        return True


def _ok(_: bool) -> list[Problem]:
    return []


def _describe(t: Trade) -> str:
    if t.type.value in ("buy", "sell"):
        return f"{t.type.value} {t.quantity:f} {t.symbol} on {t.date.isoformat()}"
    what = f" {t.symbol}" if t.symbol else ""
    return f"{t.type.value}{what} on {t.date.isoformat()}"
