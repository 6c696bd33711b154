"""View > Open instrument… (Ctrl+O): type a symbol, or a name and pick a search hit, and its
window opens. The cached symbols are listed at once; Yahoo is searched while typing when the
app has a searcher (none offline or in tests)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.validation import normalize_symbol, symbol_problem


class OpenSymbolDialog(QDialog):
    """Asks for a symbol; ``chosen`` once accepted (a well-formed symbol, upper case)."""

    def __init__(
        self,
        known: Iterable[str],
        searcher: Any = None,
        parent: QWidget | None = None,
        *,
        suggested: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open instrument")
        self.chosen = ""
        self.edit = QLineEdit(suggested, self)
        self.edit.setPlaceholderText("A symbol (COHU, ^RUT) or a name to search for")
        self.edit.selectAll()
        self.problem = QLabel(self, wordWrap=True)
        self.problem.hide()
        self.hint = QLabel(self)
        self.search: Any = None
        if searcher is not None:
            from desktop.ui.symbol_search import SymbolSearchField

            self.search = SymbolSearchField(self.edit, searcher, known, hint=self.hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("&Symbol:", self, buddy=self.edit))
        layout.addWidget(self.edit)
        layout.addWidget(self.hint)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def accept(self) -> None:
        symbol = normalize_symbol(self.edit.text())
        problem = symbol_problem(symbol) if symbol else None
        if not symbol or problem:
            self.problem.setText(str(problem) if problem else "Type a symbol to open.")
            self.problem.show()
            return
        self.chosen = symbol
        super().accept()


def ask_symbol(known: Iterable[str], searcher: Any, parent: QWidget, suggested: str = "") -> str:
    """The symbol the user opened, or "" when cancelled (a modal dialog)."""
    dialog = OpenSymbolDialog(known, searcher, parent, suggested=suggested)
    return dialog.chosen if dialog.exec() else ""


Ask = Callable[[Iterable[str], Any, QWidget, str], str]
