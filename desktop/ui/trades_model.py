"""The ledger's Qt model: every trade, newest first."""

from __future__ import annotations

from desktop.core.model import Trade
from desktop.ui import formatting as fmt
from desktop.ui.table_model import Column, RowsModel


class TradesModel(RowsModel[Trade]):
    def __init__(self) -> None:
        super().__init__(
            [
                Column("Date", lambda t: t.date.isoformat()),
                Column("Type", lambda t: t.type.value.capitalize()),
                Column("Symbol", lambda t: t.symbol),
                Column("Quantity", lambda t: fmt.quantity(t.quantity), numeric=True),
                Column("Price", lambda t: fmt.decimal_text(t.price), numeric=True),
                Column("Fee", lambda t: fmt.decimal_text(t.fee), numeric=True),
                Column("Amount", lambda t: fmt.money(t.amount), numeric=True),
                Column("Note", lambda t: t.note),
            ]
        )

    def set_trades(self, trades: list[Trade]) -> None:
        self.set_rows(sorted(trades, key=lambda t: (t.date, t.id or 0), reverse=True))

    def trade(self, row: int) -> Trade:
        return self.rows[row]

    def row_of(self, trade_id: int) -> int | None:
        return next((i for i, t in enumerate(self.rows) if t.id == trade_id), None)
