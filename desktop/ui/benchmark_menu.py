"""The benchmarks the chart compares with: a menu button over the chart.

The Russell 2000 and the S&P 500 by default; the Russell 2000 Value (^RUJ) and Growth (^RUO)
and the S&P 500 total return (^SP500TR) one click away; any other cached symbol can be added
(an ETF's closes, say). Each is labelled with what its closes measure: a price index, a total
return, or a security's price. The choice is kept in the portfolio's settings (``benchmarks``),
which a refresh reads to fetch them too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QToolButton, QWidget

from desktop.core.model import BENCHMARK_CHOICES, benchmark_kind
from desktop.ui.performance import benchmark_label


def choice_text(symbol: str) -> str:
    """A benchmark as the menu names it: "Russell 2000 Value (^RUJ) · price index"."""
    return f"{benchmark_label(symbol)} · {benchmark_kind(symbol)}"


class BenchmarkMenu(QToolButton):
    """A "Benchmarks" button whose menu toggles each benchmark; ``on_change`` gets the new
    choice (in the order chosen); ``cached`` lists the other symbols that may be added."""

    def __init__(
        self,
        chosen: Sequence[str],
        on_change: Callable[[tuple[str, ...]], None],
        cached: Callable[[], list[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setText("Benchmarks")
        self.setToolTip("Which indices the chart, the strip and the panels compare with")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.chosen = tuple(chosen)
        self._on_change = on_change
        self._cached = cached
        self.setMenu(QMenu(self))
        self.menu().aboutToShow.connect(self._fill)
        self._fill()

    def _fill(self) -> None:
        menu = self.menu()
        menu.clear()
        for symbol in dict.fromkeys([*BENCHMARK_CHOICES, *self.chosen]):
            action = QAction(choice_text(symbol), menu, checkable=True)
            action.setChecked(symbol in self.chosen)
            action.toggled.connect(lambda on, s=symbol: self.set_chosen(self._with(s, on)))
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction("Add a cached symbol…", self._add_cached)

    def _with(self, symbol: str, on: bool) -> tuple[str, ...]:
        if on:
            return tuple(dict.fromkeys([*self.chosen, symbol]))
        return tuple(s for s in self.chosen if s != symbol)

    def set_chosen(self, chosen: Sequence[str]) -> None:
        """Compare with ``chosen`` from now on (and say so to ``on_change``)."""
        chosen = tuple(chosen)
        if chosen == self.chosen:
            return
        self.chosen = chosen
        self._on_change(chosen)

    def _add_cached(self) -> None:
        others = [s for s in self._cached() if s not in self.chosen]
        if not others:
            QMessageBox.information(
                self,
                "Add a benchmark",
                "No other symbol has cached closes. Add it to the watchlist and refresh (F5).",
            )
            return
        symbol, ok = QInputDialog.getItem(
            self, "Add a benchmark", "Compare with the cached closes of:", others, 0, False
        )
        if ok and symbol:
            self.set_chosen([*self.chosen, symbol])
