"""The holdings table's Qt model: one row per open position, valued at its last close."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.core.valuation import Holding
from desktop.ui import formatting as fmt

GAIN = QColor("#1a7f37")
LOSS = QColor("#c62828")
STALE = QColor("#8a6d00")

_Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    ("Symbol", lambda h: h.symbol),
    ("Name", lambda h: h.name),
    ("Quantity", lambda h: fmt.quantity(h.quantity)),
    ("Avg cost", lambda h: fmt.money(h.average_cost, 4 if h.average_cost < 1 else 2)),
    ("Last close", lambda h: fmt.money(h.last_close)),
    ("Close date", lambda h: h.close_date.isoformat() if h.close_date else "no price"),
    ("Market value", lambda h: fmt.money(h.market_value)),
    ("Gain", lambda h: fmt.signed_money(h.unrealized_gain)),
    ("Gain %", lambda h: fmt.percent(h.unrealized_return, signed=True)),
    ("Weight", lambda h: fmt.percent(h.weight)),
)
_NUMERIC_FROM = 2
_GAIN_COLUMNS = (7, 8)
_DATE_COLUMN = 5


class HoldingsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Holding] = []
        self._newest: dt.date | None = None

    def set_holdings(self, holdings: list[Holding]) -> None:
        self.beginResetModel()
        self._rows = list(holdings)
        self._newest = max((h.close_date for h in holdings if h.close_date), default=None)
        self.endResetModel()

    def holding(self, row: int) -> Holding:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section][0]
        if orientation == Qt.Horizontal and role == Qt.TextAlignmentRole and section >= _NUMERIC_FROM:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def data(self, index: _Index, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        h = self._rows[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            return COLUMNS[col][1](h)
        if role == Qt.TextAlignmentRole and col >= _NUMERIC_FROM:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ForegroundRole:
            if col in _GAIN_COLUMNS and h.unrealized_gain:
                return QBrush(GAIN if h.unrealized_gain > 0 else LOSS)
            if col == _DATE_COLUMN and self._is_stale(h):
                return QBrush(STALE)
        if role == Qt.ToolTipRole:
            if h.close_date is None:
                return f"No price cached for {h.symbol}: press F5 to refresh, or import a CSV."
            if self._is_stale(h):
                return f"No price for {h.symbol} since {h.close_date.isoformat()}."
        if role == Qt.UserRole:  # raw value, for sorting and tests
            return COLUMNS[col][1](h) if col < _NUMERIC_FROM else _raw(h, col)
        return None

    def _is_stale(self, h: Holding) -> bool:
        return h.close_date is not None and self._newest is not None and h.close_date < self._newest


def _raw(h: Holding, col: int):
    return (
        h.quantity,
        h.average_cost,
        h.last_close,
        h.close_date,
        h.market_value,
        h.unrealized_gain,
        h.unrealized_return,
        h.weight,
    )[col - _NUMERIC_FROM]
