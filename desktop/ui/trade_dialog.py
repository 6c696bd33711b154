"""The dialog to enter or edit a buy or a sale. It validates every field before anything is saved
and says, next to the form, which field is wrong and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.model import (
    AMOUNT_TYPES,
    NO_SYMBOL,
    SECURITY_TRADES,
    Problem,
    Trade,
    TradeType,
)
from desktop.core.validation import parse_trade, price_doubt
from desktop.ui.date_field import DateField
from desktop.ui.formatting import decimal_text

if TYPE_CHECKING:
    from desktop.ui.symbol_search import SymbolSearcher

Submit = Callable[[Trade], list[Problem]]
#: A refused field: a red frame, the palette's own background (a light pink one made the typed
#: text unreadable in a dark palette).
_ERROR_STYLE = "border: 2px solid #c62828; border-radius: 2px;"


class TradeDialog(QDialog):
    """``submit`` saves the trade and returns the problems that kept it from being saved.

    With a ``searcher`` the symbol field searches Yahoo while typing (``symbol_search``)."""

    def __init__(
        self,
        submit: Submit,
        symbols: Iterable[str] = (),
        trade: Trade | None = None,
        parent: QWidget | None = None,
        today: dt.date | None = None,
        searcher: SymbolSearcher | None = None,
        close_on: Callable[[str, dt.date], float | None] | None = None,
    ) -> None:
        super().__init__(parent)
        #: The cached close of a symbol on or before a day, as quoted then (a price far from
        #: it is asked about before it is saved).
        self._close_on = close_on
        #: Asks the user a yes/no question (a price far from the close); ``None``: a message
        #: box. Tests set it. (Not the bound method itself: a cycle would keep the dialog.)
        self.confirm: Callable[[str], bool] | None = None
        symbols = list(symbols)  # read twice: the completer and the symbol search
        self._submit = submit
        self._editing = trade
        self._today = today or dt.date.today()
        self.setWindowTitle("Edit trade" if trade else "Add trade")
        self.setModal(True)
        self.setMinimumWidth(460)

        self.date_edit = DateField(self._today)
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
        self.amount_edit = QLineEdit()
        self.amount_edit.setPlaceholderText("total cash")
        self.note_edit = QLineEdit()
        self.total_label = QLabel()
        self.total_label.setStyleSheet("color: #555;")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setAccessibleName("Problems")
        self.error_label.hide()
        self.search_hint = QLabel()
        self.search_hint.hide()
        self.symbol_search = None
        if searcher is not None:
            from desktop.ui.symbol_search import SymbolSearchField

            self.symbol_search = SymbolSearchField(
                self.symbol_edit, searcher, symbols, hint=self.search_hint
            )

        self.fields: dict[str, QWidget] = {
            "date": self.date_edit,
            "type": self.type_combo,
            "symbol": self.symbol_edit,
            "quantity": self.quantity_edit,
            "price": self.price_edit,
            "fee": self.fee_edit,
            "amount": self.amount_edit,
            "note": self.note_edit,
        }
        form = QFormLayout()
        self.form = form
        for label, name in (
            ("&Date", "date"),
            ("T&ype", "type"),
            ("&Symbol", "symbol"),
            ("&Quantity", "quantity"),
            ("&Price", "price"),
            ("&Fee", "fee"),
            ("A&mount", "amount"),
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
        layout.addWidget(self.search_hint)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        for edit in (self.quantity_edit, self.price_edit, self.fee_edit, self.amount_edit):
            edit.textChanged.connect(self._update_total)
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        if trade is not None:
            self._fill(trade)
        else:
            self.date_edit.set_date(self._today)
        self._type_changed()
        self.symbol_edit.setFocus()

    def _fill(self, t: Trade) -> None:
        self.date_edit.set_date(t.date)
        self.type_combo.setCurrentIndex(self.type_combo.findData(t.type.value))
        self.symbol_edit.setText(t.symbol)
        if t.quantity:
            self.quantity_edit.setText(format(t.quantity, "f"))
        if t.type in SECURITY_TRADES:
            self.price_edit.setText(decimal_text(t.price))
            self.fee_edit.setText(decimal_text(t.fee))
        elif t.type is TradeType.SPLIT and t.price:
            self.price_edit.setText(decimal_text(t.price))
        if t.amount:
            self.amount_edit.setText(decimal_text(t.amount))
        self.note_edit.setText(t.note)

    def _type_changed(self, *_: object) -> None:
        """Show only the fields the chosen type uses."""
        kind = TradeType(self.type_combo.currentData())
        used = {
            "symbol": kind not in NO_SYMBOL,
            "quantity": kind in SECURITY_TRADES or kind is TradeType.SPLIT,
            "price": kind in SECURITY_TRADES or kind is TradeType.SPLIT,
            "fee": kind in SECURITY_TRADES,
            "amount": kind in AMOUNT_TYPES,
        }
        for name, visible in used.items():
            self.form.setRowVisible(self.fields[name], visible)
        split = kind is TradeType.SPLIT
        label = self.form.labelForField(self.quantity_edit)
        label.setText("&New shares" if split else "&Quantity")
        self.form.labelForField(self.price_edit).setText("F&or old shares" if split else "&Price")
        self.price_edit.setPlaceholderText(
            "1 (2 for 1: new 2, old 1; 1 for 3: new 1, old 3)" if split else "price per unit"
        )
        symbol_label = self.form.labelForField(self.symbol_edit)
        optional = kind in (TradeType.FEE, TradeType.TAX)
        symbol_label.setText("&Symbol (optional)" if optional else "&Symbol")
        self._update_total()
        self.adjustSize()

    def _upper_case_symbol(self, text: str) -> None:
        if text != text.upper():
            pos = self.symbol_edit.cursorPosition()
            self.symbol_edit.setText(text.upper())
            self.symbol_edit.setCursorPosition(pos)

    def _update_total(self) -> None:
        trade, _ = self._parse()
        if trade is None or trade.type not in SECURITY_TRADES:
            self.total_label.setText("")
            return
        sign = "+" if trade.type is TradeType.BUY else "−"
        total = trade.gross + trade.fee if trade.type is TradeType.BUY else trade.gross - trade.fee
        self.total_label.setText(
            f"Amount {trade.gross:,.2f} {sign} fee {trade.fee:,.2f} = {total:,.2f}"
        )

    def _parse(self) -> tuple[Trade | None, list[Problem]]:
        # Fields hidden for this type are not sent: what cannot be seen cannot be wrong.
        def text(name: str) -> str:
            widget = self.fields[name]
            return widget.text() if self.form.isRowVisible(widget) else ""

        return parse_trade(
            date=self.date_edit.text(),
            type=self.type_combo.currentData(),
            symbol=text("symbol"),
            quantity=text("quantity"),
            price=text("price"),
            fee=text("fee"),
            amount=text("amount"),
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

    def _confirm(self, question: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        from desktop.ui.questions import confirm

        return confirm(self, "Check the price", question, QMessageBox.StandardButton.Save)

    def try_accept(self) -> None:
        trade, problems = self._parse()
        if trade is None:
            self.show_problems(problems)
            return
        if trade.type in (TradeType.BUY, TradeType.SELL) and self._close_on is not None:
            doubt = price_doubt(
                trade.symbol, trade.price, self._close_on(trade.symbol, trade.date), trade.date
            )
            ask = self.confirm or self._confirm
            if doubt and not ask(f"{doubt}\n\nSave the {trade.type.value} anyway?"):
                self.price_edit.setFocus()
                self.price_edit.selectAll()
                return
        problems = self._submit(trade)
        if problems:
            self.show_problems(problems)
            return
        self.accept()
