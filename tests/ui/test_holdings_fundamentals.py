"""The holdings table's Size column: the cap class of each equity, its fundamentals snapshot in
the tooltip; and the window's refresh fetching stale snapshots of held equities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from PySide6.QtCore import Qt

from desktop.core.fundamentals import Fundamentals
from desktop.core.valuation import Holding
from desktop.data.sources.protocol import Fetched, FetchErrorKind, MarketSources, PriceHistory
from desktop.ui.holdings_model import HoldingsModel, compact_money, consensus_text
from tests.ui.conftest import buy

MSFT = Fundamentals(
    symbol="MSFT",
    fetched=dt.date(2025, 10, 29),
    currency="USD",
    market_cap=4_025_388_367_872.0,
    total_debt=112_184_000_512.0,
    total_cash=94_564_999_168.0,
    return_on_equity=0.33280998,
    consensus="strong_buy",
    consensus_mean=1.22414,
    analysts=52,
)


def holding(symbol: str) -> Holding:
    return Holding(
        symbol=symbol,
        name=symbol,
        quantity=D(10),
        cost_basis=D(100),
        average_cost=D(10),
        last_close=11.0,
        close_date=dt.date(2025, 10, 28),
        market_value=110.0,
        unrealized_gain=10.0,
        unrealized_return=0.1,
        weight=0.5,
    )


def size_column(model: HoldingsModel) -> int:
    headers = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    return headers.index("Size")


def test_size_is_the_cap_class_and_empty_without_a_snapshot(qtbot):
    model = HoldingsModel()
    small = Fundamentals("COHU", dt.date(2025, 10, 29), "USD", market_cap=1.1e9)
    index_like = Fundamentals("^GSPC", dt.date(2025, 10, 29), "")
    model.update_holdings(
        [holding("MSFT"), holding("COHU"), holding("VFINX"), holding("^GSPC")],
        fundamentals={"MSFT": MSFT, "COHU": small, "^GSPC": index_like},
    )
    col = size_column(model)
    texts = [model.data(model.index(r, col)) for r in range(4)]
    assert texts == ["large", "small", "", ""]
    assert model.data(model.index(2, col), Qt.ToolTipRole) is None  # no snapshot: no tooltip
    raw = Qt.ItemDataRole.UserRole
    assert model.data(model.index(0, col), raw) == MSFT.market_cap  # sorts by market cap


def test_the_tooltip_lists_the_snapshot(qtbot):
    model = HoldingsModel()
    model.update_holdings([holding("MSFT")], fundamentals={"MSFT": MSFT})

    tip = model.data(model.index(0, size_column(model)), Qt.ToolTipRole)

    assert tip.splitlines() == [
        "Market cap: 4.03T USD (large cap)",
        "Total debt: 112.18B USD",
        "Total cash: 94.56B USD",
        "Net cash: -17.62B USD",
        "ROE: 33.3%",
        "Consensus: Strong buy, 1.2 from 52 analysts",
        "as of 2025-10-29",
    ]


def test_missing_figures_show_a_dash(qtbot):
    bare = Fundamentals("TINY", dt.date(2025, 10, 29), "USD", market_cap=120e6)
    model = HoldingsModel()
    model.update_holdings([holding("TINY")], fundamentals={"TINY": bare})

    tip = model.data(model.index(0, size_column(model)), Qt.ToolTipRole)

    assert "Market cap: 120.00M USD (micro cap)" in tip
    assert "Net cash: —" in tip and "ROE: —" in tip and "Consensus: —" in tip


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "—"), (950.0, "950"), (2.5e6, "2.50M"), (-17.62e9, "-17.62B"), (4.03e12, "4.03T")],
)
def test_compact_money(value, text):
    assert compact_money(value) == text


def test_consensus_without_a_count_or_with_one_analyst():
    base = Fundamentals("X", dt.date(2025, 1, 1), "USD", consensus="hold", consensus_mean=2.9)
    assert consensus_text(base) == "Hold, 2.9"
    one = Fundamentals(
        "X", dt.date(2025, 1, 1), "USD", consensus="buy", consensus_mean=2, analysts=1
    )
    assert consensus_text(one) == "Buy, 2.0 from 1 analyst"


def test_the_window_shows_stored_fundamentals(qtbot, make_window):
    window = make_window()
    window.editor.add_trade(buy("MSFT"))
    window.store.save_fundamentals(MSFT)
    window.reload()
    model = window.holdings_model
    assert model.data(model.index(0, size_column(model))) == "large"


class PricesAndFundamentals:
    name = "fake"

    def __init__(self, offline: bool = False):
        self.offline = offline
        self.asked: list[list[str]] = []

    def fetch(self, requests, cancelled=lambda: False):
        for request in requests:
            if self.offline:
                yield Fetched.failed(request.symbol, FetchErrorKind.OFFLINE, "down")
            else:
                yield Fetched(request.symbol, PriceHistory([{"date": request.end, "close": 500.0}]))

    def fundamentals(self, symbols, cancelled=lambda: False):
        self.asked.append(list(symbols))
        for symbol in symbols:
            yield Fetched(symbol, MSFT)


def test_the_window_refresh_fetches_fundamentals_and_shows_them(qtbot, make_window):
    source = PricesAndFundamentals()
    window = make_window(sources=MarketSources(source, fundamentals=source))
    window.editor.add_trade(buy("MSFT"))

    window.refresh_prices()

    assert source.asked == [["MSFT"]]
    model = window.holdings_model
    assert model.data(model.index(0, size_column(model))) == "large"


def test_an_offline_window_refresh_does_not_ask_for_fundamentals(qtbot, make_window):
    source = PricesAndFundamentals(offline=True)
    window = make_window(sources=MarketSources(source, fundamentals=source))
    window.editor.add_trade(buy("MSFT"))

    window.refresh_prices()

    assert source.asked == []
