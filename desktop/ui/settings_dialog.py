"""File > Settings… (Ctrl+,): the portfolio's own settings, kept in its file (base currency,
cost method, the benchmarks compared with, backups kept), and the user's, kept in
``QSettings`` (refresh on start, light or dark); the data folder shown, with a way to open it.

A value that is not valid is refused with its field named; the portfolio's settings are
written in one transaction, or none of them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.model import DEFAULT_BENCHMARKS, CostMethod, parse_benchmarks
from desktop.data.store import Store, StoreError
from desktop.ui import window_state

#: The benchmark choices: price indices, or the total-return proxies (dividends reinvested).
BENCHMARK_SETS: dict[str, tuple[str, ...]] = {
    "Price indices: Russell 2000 and S&P 500 (^RUT, ^GSPC)": DEFAULT_BENCHMARKS,
    "Total return: the ETFs with dividends (IWM:TR, SPY:TR)": ("IWM:TR", "SPY:TR"),
}
THEMES = {"Follow the system": "system", "Light": "light", "Dark": "dark"}
_CURRENCY = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class Changed:
    """What an accepted dialog changed: the portfolio's figures (currency, cost method,
    benchmarks) need a recompute; ``benchmarks`` the new ones."""

    figures: bool
    benchmarks: tuple[str, ...]


def apply_theme(settings: QSettings) -> None:
    """Light or dark as chosen, or the system's (Qt's colour scheme)."""
    scheme = {
        "light": Qt.ColorScheme.Light,
        "dark": Qt.ColorScheme.Dark,
    }.get(str(settings.value(window_state.THEME, "system")), Qt.ColorScheme.Unknown)
    QGuiApplication.styleHints().setColorScheme(scheme)


def refresh_on_start(settings: QSettings) -> bool:
    return str(settings.value(window_state.REFRESH_ON_START, "true")).lower() != "false"


class SettingsDialog(QDialog):
    """The settings (see the module docstring); ``changed`` once accepted."""

    def __init__(
        self, store: Store, settings: QSettings, parent: QWidget | None = None, *, read_only=False
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.store, self.settings = store, settings
        self.changed: Changed | None = None
        self.currency = QLineEdit(store.setting("base_currency", "USD") or "USD", self)
        self.currency.setMaxLength(3)
        self.currency.setToolTip(
            "The currency the portfolio is measured in (ISO code: USD, EUR, GBP…); entries in "
            "another are converted at each day's rate"
        )
        self.cost_method = QComboBox(self)
        self.cost_method.addItem("FIFO: the oldest shares are sold first", CostMethod.FIFO.value)
        self.cost_method.addItem("Average cost", CostMethod.AVERAGE.value)
        self.cost_method.setCurrentIndex(self.cost_method.findData(store.cost_method().value))
        self.benchmarks = QComboBox(self)
        chosen = parse_benchmarks(store.setting("benchmarks"))
        for label, symbols in BENCHMARK_SETS.items():
            self.benchmarks.addItem(label, symbols)
        if chosen not in BENCHMARK_SETS.values():
            self.benchmarks.addItem(f"As chosen on the chart ({', '.join(chosen)})", chosen)
        self.benchmarks.setCurrentIndex(self.benchmarks.findData(chosen))
        self.backups = QSpinBox(self, minimum=1, maximum=100)
        self.backups.setValue(store.backups_kept())
        self.refresh = QCheckBox("Fetch new prices when the window opens", self)
        self.refresh.setChecked(refresh_on_start(settings))
        self.theme = QComboBox(self)
        for label, value in THEMES.items():
            self.theme.addItem(label, value)
        theme = str(settings.value(window_state.THEME, "system"))
        self.theme.setCurrentIndex(max(self.theme.findData(theme), 0))
        folder = Path(store.path).expanduser().resolve().parent
        self.folder = QLabel(str(folder), self)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder = QPushButton("&Open folder", self, autoDefault=False)
        self.open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        )
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(self.open_folder)
        self.problem = QLabel(self, wordWrap=True)
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.hide()

        form = QFormLayout()
        form.addRow("Base &currency:", self.currency)
        form.addRow("Cost &method:", self.cost_method)
        form.addRow("&Benchmarks:", self.benchmarks)
        form.addRow("Backups &kept:", self.backups)
        form.addRow("", self.refresh)
        form.addRow("&Appearance:", self.theme)
        form.addRow("Data folder:", where)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if read_only:
            for widget in (self.currency, self.cost_method, self.benchmarks, self.backups):
                widget.setEnabled(False)
            layout.addWidget(QLabel("The portfolio is read-only here: its settings too.", self))
        self.read_only = read_only
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _refuse(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()

    def accept(self) -> None:
        currency = self.currency.text().strip().upper()
        if not _CURRENCY.fullmatch(currency):
            self._refuse("Base currency: a three-letter ISO code, such as USD or EUR.")
            self.currency.setFocus()
            return
        store = self.store
        before = (
            store.setting("base_currency", "USD") or "USD",
            store.cost_method().value,
            parse_benchmarks(store.setting("benchmarks")),
        )
        benchmarks = tuple(self.benchmarks.currentData())
        after = (currency, self.cost_method.currentData(), benchmarks)
        if not self.read_only:
            try:
                with store.atomic():  # all of them, or none
                    store.set_setting("base_currency", currency)
                    store.set_setting("cost_method", after[1])
                    store.set_setting("benchmarks", ",".join(benchmarks))
                    store.set_setting("backups_kept", str(self.backups.value()))
            except StoreError as exc:
                self._refuse(f"Could not save the settings: {exc.plain()}")
                return
        self.settings.setValue(window_state.REFRESH_ON_START, self.refresh.isChecked())
        self.settings.setValue(window_state.THEME, self.theme.currentData())
        apply_theme(self.settings)
        self.changed = Changed(figures=after != before, benchmarks=benchmarks)
        super().accept()
