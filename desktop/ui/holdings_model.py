"""The holdings table's Qt model: one row per open position, valued at its last close.

Its Close date cell says when a price may be out of date: amber when older than the newest close
of the holdings and benchmarks, "no price since DATE" once it has been silent for weeks, and a
marker with the reason when the symbol's last fetch failed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from PySide6.QtGui import QBrush, QColor

from desktop.core.valuation import Holding
from desktop.ui import formatting as fmt
from desktop.ui.price_notes import MARKER, is_silent, reference_date
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
        self._newest: dt.date | None = None
        self._problems: Mapping[str, str] = {}
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
                    self._close_text,
                    raw=lambda h: h.close_date,
                    color=lambda h: (
                        QBrush(STALE) if self._is_stale(h) or h.symbol in self._problems else None
                    ),
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

    def set_holdings(
        self,
        holdings: list[Holding],
        reference: dt.date | None = None,
        problems: Mapping[str, str] | None = None,
    ) -> None:
        """Show ``holdings``; a close older than ``reference`` (default: the newest close of the
        holdings) is stale, and ``problems`` maps a symbol to why its last fetch failed."""
        self._newest = reference_date([reference, *(h.close_date for h in holdings)])
        self._problems = problems or {}
        self.set_rows(holdings)

    def holding(self, row: int) -> Holding:
        return self.rows[row]

    def _is_stale(self, h: Holding) -> bool:
        return h.close_date is not None and self._newest is not None and h.close_date < self._newest

    def is_silent(self, h: Holding) -> bool:
        """No close for weeks while the others have one: taken over, delisted or suspended."""
        return is_silent(h.close_date, self._newest)

    def _close_text(self, h: Holding) -> str:
        if h.close_date is None:
            text = "no price"
        elif self.is_silent(h):
            text = f"no price since {h.close_date.isoformat()}"
        else:
            text = h.close_date.isoformat()
        return f"{MARKER} {text}" if h.symbol in self._problems else text

    def _close_tooltip(self, h: Holding) -> str | None:
        lines = [self._problems[h.symbol]] if h.symbol in self._problems else []
        if h.close_date is None:
            lines.append(f"No price cached for {h.symbol}: press F5 to refresh, or import a CSV.")
        elif self.is_silent(h):
            lines.append(
                f"{h.symbol} has no price since {h.close_date.isoformat()}, while other prices "
                f"reach {self._newest.isoformat()}. If it was acquired or taken private, record "
                "the sale at the price paid out (Ctrl+N)."
            )
        elif self._is_stale(h):
            lines.append(
                f"No price for {h.symbol} since {h.close_date.isoformat()} "
                f"(other prices reach {self._newest.isoformat()})."
            )
        return "\n\n".join(lines) or None
