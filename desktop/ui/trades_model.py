"""The ledger's Qt model: every entry, newest first; fields that do not apply stay blank."""

from __future__ import annotations

from desktop.core.model import SECURITY_TRADES, Trade, TradeType
from desktop.ui import formatting as fmt
from desktop.ui.table_model import Column, RowsModel


def _quantity(t: Trade) -> str:
    if t.type is TradeType.SPLIT:
        return f"{fmt.quantity(t.quantity)} for 1"
    return fmt.quantity(t.quantity) if t.type in SECURITY_TRADES else ""


def _money(t: Trade) -> str:
    value = t.gross if t.type in SECURITY_TRADES else t.amount
    if t.type is TradeType.SPLIT:
        return ""
    return f"{fmt.money(value)}{' ' + t.currency if t.currency else ''}"


class TradesModel(RowsModel[Trade]):
    def __init__(self) -> None:
        super().__init__(
            [
                Column("Date", lambda t: t.date.isoformat()),
                Column("Type", lambda t: t.type.value.capitalize()),
                Column("Symbol", lambda t: t.symbol),
                Column("Quantity", _quantity, numeric=True),
                Column(
                    "Price",
                    lambda t: fmt.decimal_text(t.price) if t.type in SECURITY_TRADES else "",
                    numeric=True,
                ),
                Column(
                    "Fee",
                    lambda t: fmt.decimal_text(t.fee) if t.type in SECURITY_TRADES else "",
                    numeric=True,
                ),
                Column("Amount", _money, numeric=True),
                Column("Note", lambda t: t.note),
            ]
        )

    def set_trades(self, trades: list[Trade]) -> None:
        self.set_rows(sorted(trades, key=lambda t: (t.date, t.id or 0), reverse=True))

    def trade(self, row: int) -> Trade:
        return self.rows[row]

    def row_of(self, trade_id: int) -> int | None:
        return next((i for i, t in enumerate(self.rows) if t.id == trade_id), None)
