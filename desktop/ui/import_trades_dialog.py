"""File → Import trades…: a CSV of trades from anywhere, mapped, previewed and checked row by
row before anything is written.

The dialog guesses the preset from the file's first rows (our own export, an Interactive
Brokers statement, a US broker's history, or a mapping the user saved), and shows:
- the file's first rows as they are;
- a column picker per field, the date and number formats, the separator, and whether numbers
  are signed (a broker's sales and withdrawals below zero);
- the file's own words for each kind of entry, each mapped to a type (or skipped);
- every row as it would be imported: a trade, already in the ledger, skipped (and why), or
  refused (and why);
- one button, "Import N trades", enabled only when no row is refused.
It reads and checks; the window writes (``trades()``), as one undoable step.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.model import Trade, TradeType
from desktop.data.formats.csv_table import read_text
from desktop.data.formats.trade_mapping import (
    BUY_OR_SELL,
    DATE_FORMATS,
    DEPOSIT_OR_WITHDRAWAL,
    FIELDS,
    NUMBER_FORMATS,
    SEPARATORS,
    SKIP,
    Mapping,
    Reading,
    Status,
    mark_duplicates,
    read_mapped_text,
)
from desktop.data.formats.trade_presets import PORTFOLIO_DESK, guess, presets, save

if TYPE_CHECKING:
    from desktop.data.store import Store

NONE = "(none)"
PREVIEW_ROWS = 12
_LABELS = {
    "date": "Date",
    "type": "Type",
    "symbol": "Symbol",
    "quantity": "Quantity",
    "price": "Price",
    "fee": "Fee",
    "amount": "Amount",
    "currency": "Currency",
    "note": "Note",
}
#: What a file's word for a kind of entry may become, as the picker names it.
KINDS = {
    "": "(choose)",
    **{t.value: t.value for t in TradeType},
    BUY_OR_SELL: "buy or sell, by the quantity's sign",
    DEPOSIT_OR_WITHDRAWAL: "deposit or withdrawal, by the amount's sign",
    SKIP: "skip (no trade)",
}
_STATUS_TEXT = {
    Status.TRADE: "import",
    Status.DUPLICATE: "in the ledger",
    Status.SKIPPED: "skipped",
    Status.PROBLEM: "refused",
}


class RowsModel(QAbstractTableModel):
    """Every row of the file as it would be imported."""

    HEADERS = ("Line", "Status", "Why", *(_LABELS[f] for f in FIELDS))

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []

    def set_reading(self, reading: Reading) -> None:
        self.beginResetModel()
        self.rows = list(reading.rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return str(row.line)
            if column == 1:
                return _STATUS_TEXT[row.status]
            if column == 2:
                return row.reason
            return _cell(row.trade, row.cells, FIELDS[column - 3])
        if role == Qt.ItemDataRole.ForegroundRole and row.status is Status.PROBLEM:
            return QColor("#C62828")
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return row.reason or None
        return None


def _cell(trade: Trade | None, cells: dict[str, str], name: str) -> str:
    """A field as it will be saved (for a trade), else as the file holds it."""
    if trade is None:
        return cells.get(name, "")
    value = getattr(trade, name)
    if name == "type":
        return value.value
    if name == "date":
        return value.isoformat()
    if hasattr(value, "is_zero"):
        return "" if value == 0 else format(value, "f")
    return str(value)


class ImportTradesDialog(QDialog):
    """Map, preview and check a CSV of trades; ``trades()`` is what to import."""

    def __init__(
        self,
        path: str | Path,
        store: Store,
        *,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.store = store
        self.today = today or dt.date.today()
        text, problem = read_text(path)
        self.text = text or ""
        self.file_problem = problem
        self.stored = store.trades()
        self.reading = Reading()
        self.setWindowTitle(f"Import trades from {self.path.name}")
        room = self.screen().availableGeometry().size()
        self.resize(min(1000, room.width() * 9 // 10), min(780, room.height() * 9 // 10))
        self.mapping = guess(self.text, store) or _matched_by_name(self.text)
        self._build()
        self.set_mapping(self.mapping)

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.preset = QComboBox(self)
        self.preset.setAccessibleName("Preset")
        self._fill_presets()
        self.preset.activated.connect(self._preset_chosen)
        top.addWidget(QLabel("&Preset:", buddy=self.preset))
        top.addWidget(self.preset, 1)
        self.save_button = QPushButton("&Save as preset…", self, autoDefault=False)
        self.save_button.clicked.connect(self.save_preset)
        top.addWidget(self.save_button)
        layout.addLayout(top)
        self.also = QLabel(self, wordWrap=True)
        layout.addWidget(self.also)

        self.preview = QTableWidget(self)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setAccessibleName("The file's first rows")
        self.preview.setMaximumHeight(120)
        layout.addWidget(QLabel("The file's first rows:"))
        layout.addWidget(self.preview)

        middle = QHBoxLayout()
        columns = QGroupBox("Columns", self)
        grid = QGridLayout(columns)
        self.pickers: dict[str, QComboBox] = {}
        for i, name in enumerate(FIELDS):
            picker = QComboBox(columns)
            picker.setAccessibleName(f"Column for {_LABELS[name]}")
            picker.activated.connect(self._edited)
            label = QLabel(f"{_LABELS[name]}:", buddy=picker)
            grid.addWidget(label, i % 5, 2 * (i // 5))
            grid.addWidget(picker, i % 5, 2 * (i // 5) + 1)
            self.pickers[name] = picker
        middle.addWidget(columns, 2)
        formats = QGroupBox("Formats", self)
        form = QFormLayout(formats)
        self.dates = _combo(formats, DATE_FORMATS, "Dates")
        self.numbers = _combo(formats, NUMBER_FORMATS, "Numbers")
        self.separator = _combo(formats, SEPARATORS, "Separator")
        self.signed = QCheckBox("Signed numbers (sales, fees, withdrawals below zero)", formats)
        for widget in (self.dates, self.numbers, self.separator):
            widget.activated.connect(self._edited)
        self.signed.toggled.connect(self._edited)
        form.addRow("&Dates:", self.dates)
        form.addRow("&Numbers:", self.numbers)
        form.addRow("Se&parator:", self.separator)
        form.addRow(self.signed)
        middle.addWidget(formats, 1)
        layout.addLayout(middle)

        self.words_box = QGroupBox("The file's kinds of entry", self)
        words_layout = QVBoxLayout(self.words_box)
        self.words = QTableWidget(0, 2, self.words_box)
        self.words.setHorizontalHeaderLabels(["In the file", "Imported as"])
        self.words.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.words.verticalHeader().hide()
        self.words.setMaximumHeight(120)
        words_layout.addWidget(self.words)
        layout.addWidget(self.words_box)

        self.rows_model = RowsModel()
        self.rows_view = QTableView(self)
        self.rows_view.setModel(self.rows_model)
        self.rows_view.setAccessibleName("Every row as it would be imported")
        self.rows_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows_view.horizontalHeader().setStretchLastSection(True)
        self.rows_view.verticalHeader().hide()
        self.rows_view.setMinimumHeight(200)
        layout.addWidget(self.rows_view, 1)

        self.summary = QLabel(self, wordWrap=True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.duplicates = QCheckBox("Also import the rows already in the &ledger", self)
        self.duplicates.toggled.connect(self._update_button)
        layout.addWidget(self.duplicates)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _fill_presets(self) -> None:
        self.preset.clear()
        for name, mapping in presets(self.store).items():
            self.preset.addItem(mapping.description.split(":")[0] or name, name)
            self.preset.setItemData(
                self.preset.count() - 1, mapping.description or name, Qt.ItemDataRole.ToolTipRole
            )
        self.preset.addItem("(your own mapping)", "")

    # -- the mapping ----------------------------------------------------------------------
    def set_mapping(self, mapping: Mapping) -> None:
        """Show ``mapping`` in the pickers and read the file with it."""
        self.mapping = mapping
        at = self.preset.findData(mapping.name)
        self.preset.setCurrentIndex(at if at >= 0 else self.preset.count() - 1)
        self.preset.setToolTip(mapping.description)
        found = read_mapped_text(self.text, mapping, self.today)  # read once: header and rows
        names = found.header or next(iter(_first_rows(self.text, mapping.delimiter, 1)), [])
        for name, picker in self.pickers.items():
            picker.blockSignals(True)
            picker.clear()
            picker.addItem(NONE, "")
            for column in names:
                if column.strip():
                    picker.addItem(column, column)
            chosen = mapping.columns.get(name, "")
            at = next(
                (
                    i
                    for i in range(picker.count())
                    if str(picker.itemData(i)).strip().lower() == chosen.strip().lower()
                ),
                0,
            )
            picker.setCurrentIndex(at if chosen else 0)
            picker.blockSignals(False)
        for combo, value in (
            (self.dates, mapping.date_format),
            (self.numbers, mapping.decimal),
            (self.separator, mapping.delimiter),
        ):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.blockSignals(False)
        self.signed.blockSignals(True)
        self.signed.setChecked(mapping.signed)
        self.signed.blockSignals(False)
        sections = [m.section for m in mapping.also if m.section]
        self.also.setText(
            f"Reads the statement's {mapping.section} section, and its "
            + ", ".join(sections)
            + " sections."
            if sections
            else ""
        )
        self.also.setVisible(bool(sections))
        self._show_preview(mapping)
        self._reread(found)

    def _mapping_from_widgets(self) -> Mapping:
        columns = {
            name: str(picker.currentData() or "")
            for name, picker in self.pickers.items()
            if picker.currentData()
        }
        kept = set(self.mapping.required) & set(columns)
        edited = dataclasses.replace(
            self.mapping,
            columns=columns,
            required=tuple(sorted(kept | ({"date"} & set(columns)))),
            date_format=str(self.dates.currentData()),
            decimal=str(self.numbers.currentData()),
            delimiter=str(self.separator.currentData()),
            signed=self.signed.isChecked(),
            types=self._types(),
        )
        if dataclasses.replace(edited, required=self.mapping.required) == self.mapping:
            return self.mapping
        return dataclasses.replace(edited, name="", description="")  # the user's own now

    def _types(self) -> dict[str, str]:
        types = dict(self.mapping.types)
        for row in range(self.words.rowCount()):
            word = self.words.item(row, 0).text().strip().lower()
            combo = self.words.cellWidget(row, 1)
            if isinstance(combo, QComboBox) and combo.currentData():
                types[word] = str(combo.currentData())
        if not self.mapping.types and all(k == v for k, v in types.items()):
            return {}  # the file writes our own types
        return types

    def _edited(self, *_: object) -> None:
        mapping = self._mapping_from_widgets()
        if mapping.delimiter != self.mapping.delimiter:  # other columns: pick again
            self.set_mapping(mapping)
            return
        self.mapping = mapping
        if not mapping.name:
            self.preset.setCurrentIndex(self.preset.count() - 1)
        self._reread()

    def _preset_chosen(self, index: int) -> None:
        name = self.preset.itemData(index)
        if name:
            self.set_mapping(presets(self.store)[name])

    def save_preset(self, name: str | None = None) -> str:
        """Keep the mapping as a preset (asking its name); "" or why not."""
        if name is None:
            name, ok = QInputDialog.getText(self, "Save as preset", "Name of the preset:")
            if not ok:
                return ""
        mapping = dataclasses.replace(self._mapping_from_widgets(), name=name.strip())
        why = save(self.store, mapping)
        if why:
            self.summary.setText(f"The preset is not saved: {why}.")
            return why
        self.mapping = mapping
        self._fill_presets()
        self.preset.setCurrentIndex(max(self.preset.findData(mapping.name), 0))
        return ""

    # -- reading ----------------------------------------------------------------------------
    def _show_preview(self, mapping: Mapping) -> None:
        rows = _first_rows(self.text, mapping.delimiter, PREVIEW_ROWS)
        width = max((len(r) for r in rows), default=0)
        self.preview.clear()
        self.preview.setRowCount(len(rows))
        self.preview.setColumnCount(width)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.preview.setItem(r, c, QTableWidgetItem(value))
        self.preview.resizeColumnsToContents()

    def _reread(self, found: Reading | None = None) -> None:
        """Show every row as ``self.mapping`` reads it (``found``: already read with it)."""
        if self.file_problem is not None:
            self.reading = Reading(problem=self.file_problem)
        else:
            found = found or read_mapped_text(self.text, self.mapping, self.today)
            self.reading = mark_duplicates(found, self.stored)
        self.rows_model.set_reading(self.reading)
        self.rows_view.resizeColumnsToContents()
        self._show_words()
        self._update_button()

    def _show_words(self) -> None:
        """The type column's distinct words, each with what it becomes."""
        mapped = bool(self.mapping.columns.get("type"))
        words = (
            list(
                dict.fromkeys(
                    r.cells.get("type", "").strip()
                    for r in self.reading.rows
                    if r.cells.get("type", "").strip()
                )
            )
            if mapped
            else []
        )
        self.words.setRowCount(len(words))
        for row, word in enumerate(words):
            self.words.setItem(row, 0, QTableWidgetItem(word))
            combo = QComboBox(self.words)
            combo.setAccessibleName(f"Import “{word}” as")
            for key, text in KINDS.items():
                combo.addItem(text, key)
            known = self.mapping.types.get(word.lower()) if self.mapping.types else word.lower()
            combo.setCurrentIndex(max(combo.findData(known or ""), 0))
            combo.activated.connect(self._edited)
            self.words.setCellWidget(row, 1, combo)
        self.words_box.setVisible(bool(words))

    def trades(self) -> list[Trade]:
        """What the import adds: every trade, and those already in the ledger if asked."""
        if self.reading.problems():
            return []
        return self.reading.trades(duplicates=self.duplicates.isChecked())

    def _update_button(self) -> None:
        problems = self.reading.problems()
        count = len(self.reading.trades(duplicates=self.duplicates.isChecked())) * (not problems)
        self.import_button.setText(f"Import {count} trade{'s' if count != 1 else ''}")
        self.import_button.setEnabled(count > 0)
        r = self.reading
        known, skipped = r.count(Status.DUPLICATE), r.count(Status.SKIPPED)
        refused = r.count(Status.PROBLEM)
        self.duplicates.setVisible(known > 0)
        new = r.count(Status.TRADE)
        parts = [f"{new} new trade{'s' if new != 1 else ''}"]
        if known:
            parts.append(f"{known} already in the ledger (left out unless asked)")
        if skipped:
            parts.append(f"{skipped} row{'s' if skipped != 1 else ''} skipped")
        if refused:
            parts.append(f"{refused} row{'s' if refused != 1 else ''} refused")
        text = ", ".join(parts) + "."
        if problems:
            first = problems[0].message
            text = f"{text} Nothing is imported until every row reads: {first}" + (
                f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            )
        self.summary.setText(text)


def _combo(parent: QWidget, choices: dict[str, str], name: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setAccessibleName(name)
    for key, text in choices.items():
        combo.addItem(text, key)
    return combo


def _first_rows(text: str, delimiter: str, count: int) -> list[list[str]]:
    """The file's first rows, read leniently (the reading itself says what is wrong)."""
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for values in reader:
            if any(v.strip() for v in values):
                rows.append(values)
            if len(rows) >= count:
                break
    except csv.Error:
        pass
    return rows


def _matched_by_name(text: str) -> Mapping:
    """For a file no preset reads: each field on the column of its name, if there is one."""
    first = _first_rows(text, ",", 1)
    names = {v.strip().lower(): v for v in (first[0] if first else [])}
    columns = {f: names[f] for f in FIELDS if f in names}
    return dataclasses.replace(
        PORTFOLIO_DESK,
        name="",
        columns=columns,
        strict=False,
        required=("date",) if "date" in columns else (),
    )
