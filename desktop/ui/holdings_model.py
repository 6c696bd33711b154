"""The holdings table's Qt model: one row per open position, valued at its last close.

Its Close date cell says when a price may be out of date: amber when older than the newest close
of the holdings and benchmarks, "no price since DATE" once it has been silent for weeks, and a
marker with the reason when the symbol's last fetch failed. Its Size cell gives an equity's
market-cap class, with the fundamentals snapshot (debt, cash, ROE, consensus) in its tooltip.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from PySide6.QtGui import QColor

from desktop.core.fundamentals import Fundamentals
from desktop.core.price_changes import is_silent
from desktop.core.valuation import Holding
from desktop.ui import formatting as fmt
from desktop.ui.palette import tones
from desktop.ui.price_notes import MARKER, reference_date
from desktop.ui.table_model import Column, RowsModel


def stale_color() -> QColor:
    """The text colour of a price that is late or failed: the palette's warning tone."""
    from PySide6.QtGui import QGuiApplication

    return QColor(tones(QGuiApplication.palette())["warning"])


def gain_color(value: float | None) -> QColor | None:
    """The text colour of a gain or a loss in the application's palette (``palette.tones``:
    readable in light and dark). A QColor, which the view paints as a brush: making the first
    QBrush loads QGradient's ~200 enum members, several ms of the first paint."""
    if not value:
        return None
    from PySide6.QtGui import QGuiApplication

    return QColor(tones(QGuiApplication.palette())["gain" if value > 0 else "loss"])


class HoldingsModel(RowsModel[Holding]):
    def __init__(self) -> None:
        self._newest: dt.date | None = None
        self._problems: Mapping[str, str] = {}
        self._fundamentals: Mapping[str, Fundamentals] = {}
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
                        stale_color() if self._is_stale(h) or h.symbol in self._problems else None
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
                Column(
                    "Size",
                    self._size_text,
                    raw=self._market_cap,
                    tooltip=self._size_tooltip,
                ),
            ]
        )

    def update_holdings(
        self,
        holdings: list[Holding],
        reference: dt.date | None = None,
        problems: Mapping[str, str] | None = None,
        fundamentals: Mapping[str, Fundamentals] | None = None,
    ) -> None:
        """Show ``holdings``, changing only the rows that changed (by symbol): the view keeps its
        selection and scroll position. A close older than ``reference`` (default: the newest
        close of the holdings) is stale, ``problems`` maps a symbol to why its last fetch
        failed, and ``fundamentals`` to its latest snapshot; every row is drawn again when one
        of these changed."""
        newest = reference_date([reference, *(h.close_date for h in holdings)])
        problems, fundamentals = problems or {}, fundamentals or {}
        context = (newest, problems, fundamentals)
        redraw = context != (self._newest, self._problems, self._fundamentals)
        self._newest, self._problems, self._fundamentals = context
        self.update_rows(holdings, key=lambda h: h.symbol, redraw=redraw)

    def totals_texts(self, totals: Any, count: int) -> tuple[list[str], list[Any]]:
        """The totals row under the holdings (``totals_bar``), column for column: the market
        value, gain and gain % of them all, a dash while one is unpriced (a partial sum would
        read as the total), the weights' 100%; and the gain's colour."""
        gain = totals.unrealized_gain
        rate = gain / totals.cost_basis if gain is not None and totals.cost_basis else None
        by_header = {
            "Symbol": "Total",
            "Market value": fmt.money(totals.market_value),
            "Gain": fmt.signed_money(gain),
            "Gain %": fmt.percent(rate, signed=True),
            "Weight": fmt.percent(1.0) if totals.market_value else "",
        }
        texts = [by_header.get(c.header, "") for c in self.columns]
        colours = [gain_color(gain) if c.header.startswith("Gain") else None for c in self.columns]
        return texts, colours

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

    def _market_cap(self, h: Holding) -> float | None:
        snapshot = self._fundamentals.get(h.symbol)
        return snapshot.market_cap if snapshot is not None else None

    def _size_text(self, h: Holding) -> str:
        snapshot = self._fundamentals.get(h.symbol)
        size = snapshot.cap_class if snapshot is not None else None
        return size.value if size is not None else ""

    def _size_tooltip(self, h: Holding) -> str | None:
        snapshot = self._fundamentals.get(h.symbol)
        return fundamentals_tooltip(snapshot) if snapshot is not None else None


def compact_money(value: float | None, currency: str = "") -> str:
    """A large amount in a few digits: ``4.03T USD``, ``-17.62B USD``, ``850.00M``."""
    if value is None:
        return fmt.DASH
    for size, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            text = f"{value / size:,.2f}{unit}"
            break
    else:
        text = f"{value:,.0f}"
    return f"{text} {currency}".rstrip()


def consensus_text(f: Fundamentals) -> str:
    """``Strong buy, 1.2 from 52 analysts``; a dash when analysts have no view."""
    if f.consensus is None and f.consensus_mean is None:
        return fmt.DASH
    parts = [f.consensus.replace("_", " ").capitalize()] if f.consensus else []
    if f.consensus_mean is not None:
        mean = f"{f.consensus_mean:.1f}"
        if f.analysts:
            mean += f" from {f.analysts} analyst{'s' if f.analysts != 1 else ''}"
        parts.append(mean)
    return ", ".join(parts)


def fundamentals_tooltip(f: Fundamentals) -> str:
    """The snapshot in lines: size, debt, cash, net cash, ROE, consensus, and its date."""
    size = f" ({f.cap_class.value} cap)" if f.cap_class is not None else ""
    return "\n".join(
        [
            f"Market cap: {compact_money(f.market_cap, f.currency)}{size}",
            f"Total debt: {compact_money(f.total_debt, f.currency)}",
            f"Total cash: {compact_money(f.total_cash, f.currency)}",
            f"Net cash: {compact_money(f.net_cash, f.currency)}",
            f"ROE: {fmt.percent(f.return_on_equity)}",
            f"Consensus: {consensus_text(f)}",
            f"as of {f.fetched.isoformat()}",
        ]
    )
