"""The ledger's Qt model: every trade, newest first."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.core.model import Trade
from desktop.ui import formatting as fmt

_Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    ("Date", lambda t: t.date.isoformat()),
    ("Type", lambda t: t.type.value.capitalize()),
    ("Symbol", lambda t: t.symbol),
    ("Quantity", lambda t: fmt.quantity(t.quantity)),
    ("Price", lambda t: fmt.decimal_text(t.price)),
    ("Fee", lambda t: fmt.decimal_text(t.fee)),
    ("Amount", lambda t: fmt.money(t.amount)),
    ("Note", lambda t: t.note),
)
_NUMERIC = (3, 4, 5, 6)


class TradesModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Trade] = []

    def set_trades(self, trades: list[Trade]) -> None:
        self.beginResetModel()
        self._rows = sorted(trades, key=lambda t: (t.date, t.id or 0), reverse=True)
        self.endResetModel()

    def trade(self, row: int) -> Trade:
        return self._rows[row]

    def row_of(self, trade_id: int) -> int | None:
        return next((i for i, t in enumerate(self._rows) if t.id == trade_id), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section][0]
        if orientation == Qt.Horizontal and role == Qt.TextAlignmentRole and section in _NUMERIC:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def data(self, index: _Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        t = self._rows[index.row()]
        if role == Qt.DisplayRole:
            return COLUMNS[index.column()][1](t)
        if role == Qt.TextAlignmentRole and index.column() in _NUMERIC:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None
