"""The holdings table's Qt model: one row per open position, valued at its last close."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor

from desktop.core.valuation import Holding
from desktop.ui import formatting as fmt
from desktop.ui.table_model import Column, RowsModel

GAIN = QColor("#1a7f37")
LOSS = QColor("#c62828")
STALE = QColor("#8a6d00")


def gain_color(value: float | None) -> QBrush | None:
    if not value:
        return None
    return QBrush(GAIN if value > 0 else LOSS)


class HoldingsModel(RowsModel[Holding]):
    def __init__(self) -> None:
        self._newest = None
        super().__init__(
            [
                Column("Symbol", lambda h: h.symbol),
                Column("Name", lambda h: h.name),
                Column(
                    "Quantity",
                    lambda h: fmt.quantity(h.quantity),
                    numeric=True,
                    raw=lambda h: h.quantity,
                ),
                Column(
                    "Avg cost",
                    lambda h: fmt.money(h.average_cost, 4 if h.average_cost < 1 else 2),
                    numeric=True,
                    raw=lambda h: h.average_cost,
                ),
                Column(
                    "Last close",
                    lambda h: fmt.money(h.last_close),
                    numeric=True,
                    raw=lambda h: h.last_close,
                ),
                Column(
                    "Close date",
                    lambda h: h.close_date.isoformat() if h.close_date else "no price",
                    raw=lambda h: h.close_date,
                    color=lambda h: QBrush(STALE) if self._is_stale(h) else None,
                    tooltip=self._close_tooltip,
                ),
                Column(
                    "Market value",
                    lambda h: fmt.money(h.market_value),
                    numeric=True,
                    raw=lambda h: h.market_value,
                ),
                Column(
                    "Gain",
                    lambda h: fmt.signed_money(h.unrealized_gain),
                    numeric=True,
                    raw=lambda h: h.unrealized_gain,
                    color=lambda h: gain_color(h.unrealized_gain),
                ),
                Column(
                    "Gain %",
                    lambda h: fmt.percent(h.unrealized_return, signed=True),
                    numeric=True,
                    raw=lambda h: h.unrealized_return,
                    color=lambda h: gain_color(h.unrealized_gain),
                ),
                Column(
                    "Weight", lambda h: fmt.percent(h.weight), numeric=True, raw=lambda h: h.weight
                ),
            ]
        )

    def set_holdings(self, holdings: list[Holding]) -> None:
        self._newest = max((h.close_date for h in holdings if h.close_date), default=None)
        self.set_rows(holdings)

    def holding(self, row: int) -> Holding:
        return self.rows[row]

    def _is_stale(self, h: Holding) -> bool:
        return h.close_date is not None and self._newest is not None and h.close_date < self._newest

    def _close_tooltip(self, h: Holding) -> str | None:
        if h.close_date is None:
            return f"No price cached for {h.symbol}: press F5 to refresh, or import a CSV."
        if self._is_stale(h):
            return f"No price for {h.symbol} since {h.close_date.isoformat()}."
        return None
