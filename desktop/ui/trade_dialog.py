"""The dialog to enter or edit a buy or a sale. It validates every field before anything is saved
and says, next to the form, which field is wrong and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.model import Problem, Trade, TradeType
from desktop.core.validation import parse_trade
from desktop.ui.formatting import decimal_text

Submit = Callable[[Trade], list[Problem]]
_ERROR_STYLE = "border: 1px solid #c62828; background: #fff5f5;"


class TradeDialog(QDialog):
    """``submit`` saves the trade and returns the problems that kept it from being saved."""

    def __init__(
        self,
        submit: Submit,
        symbols: Iterable[str] = (),
        trade: Trade | None = None,
        parent: QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self._submit = submit
        self._editing = trade
        self._today = today or dt.date.today()
        self.setWindowTitle("Edit trade" if trade else "Add trade")
        self.setModal(True)
        self.setMinimumWidth(460)

        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(_qdate(self._today))
        self.date_edit.setMinimumDate(QDate(1900, 1, 1))
        self.type_combo = QComboBox()
        for t in TradeType:
            self.type_combo.addItem(t.value.capitalize(), t.value)
        self.symbol_edit = QLineEdit()
        self.symbol_edit.setPlaceholderText("e.g. COHU, WWSIX, ^RUT")
        completer = QCompleter(sorted(set(symbols)), self)
        completer.setCaseSensitivity(Qt.CaseInsensitive)
        self.symbol_edit.setCompleter(completer)
        self.symbol_edit.textEdited.connect(self._upper_case_symbol)
        self.quantity_edit = QLineEdit()
        self.quantity_edit.setPlaceholderText("number of shares or units")
        self.price_edit = QLineEdit()
        self.price_edit.setPlaceholderText("price per unit")
        self.fee_edit = QLineEdit()
        self.fee_edit.setPlaceholderText("0.00")
        self.note_edit = QLineEdit()
        self.total_label = QLabel()
        self.total_label.setStyleSheet("color: #555;")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setAccessibleName("Problems")
        self.error_label.hide()

        self.fields: dict[str, QWidget] = {
            "date": self.date_edit,
            "type": self.type_combo,
            "symbol": self.symbol_edit,
            "quantity": self.quantity_edit,
            "price": self.price_edit,
            "fee": self.fee_edit,
            "note": self.note_edit,
        }
        form = QFormLayout()
        for label, name in (
            ("&Date", "date"),
            ("T&ype", "type"),
            ("&Symbol", "symbol"),
            ("&Quantity", "quantity"),
            ("&Price", "price"),
            ("&Fee", "fee"),
            ("&Note", "note"),
        ):
            form.addRow(label, self.fields[name])
        form.addRow("", self.total_label)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Save" if trade else "Add")
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        for edit in (self.quantity_edit, self.price_edit, self.fee_edit):
            edit.textChanged.connect(self._update_total)
        if trade is not None:
            self._fill(trade)
        else:
            self.date_edit.setDate(_qdate(self._today))
        self._update_total()
        self.symbol_edit.setFocus()

    def _fill(self, t: Trade) -> None:
        self.date_edit.setDate(_qdate(t.date))
        self.type_combo.setCurrentIndex(self.type_combo.findData(t.type.value))
        self.symbol_edit.setText(t.symbol)
        self.quantity_edit.setText(format(t.quantity, "f"))
        self.price_edit.setText(decimal_text(t.price))
        self.fee_edit.setText(decimal_text(t.fee))
        self.note_edit.setText(t.note)

    def _upper_case_symbol(self, text: str) -> None:
        if text != text.upper():
            pos = self.symbol_edit.cursorPosition()
            self.symbol_edit.setText(text.upper())
            self.symbol_edit.setCursorPosition(pos)

    def _update_total(self) -> None:
        trade, _ = self._parse()
        if trade is None:
            self.total_label.setText("")
            return
        sign = "+" if trade.type is TradeType.BUY else "−"
        total = (
            trade.amount + trade.fee if trade.type is TradeType.BUY else trade.amount - trade.fee
        )
        self.total_label.setText(
            f"Amount {trade.amount:,.2f} {sign} fee {trade.fee:,.2f} = {total:,.2f}"
        )

    def _parse(self) -> tuple[Trade | None, list[Problem]]:
        return parse_trade(
            date=self.date_edit.date().toString("yyyy-MM-dd"),
            type=self.type_combo.currentData(),
            symbol=self.symbol_edit.text(),
            quantity=self.quantity_edit.text(),
            price=self.price_edit.text(),
            fee=self.fee_edit.text(),
            note=self.note_edit.text(),
            today=self._today,
            trade_id=self._editing.id if self._editing else None,
        )

    def show_problems(self, problems: list[Problem]) -> None:
        for widget in self.fields.values():
            widget.setStyleSheet("")
        if not problems:
            self.error_label.hide()
            return
        self.error_label.setText(
            "\n".join(f"• {p.field.capitalize()}: {p.message}" for p in problems)
        )
        self.error_label.show()
        first = None
        for p in problems:
            widget = self.fields.get(p.field)
            if widget is not None:
                widget.setStyleSheet(_ERROR_STYLE)
                first = first or widget
        if first is not None:
            first.setFocus()

    def try_accept(self) -> None:
        trade, problems = self._parse()
        if trade is None:
            self.show_problems(problems)
            return
        problems = self._submit(trade)
        if problems:
            self.show_problems(problems)
            return
        self.accept()


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)
