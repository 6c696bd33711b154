"""The engine's inputs read from the store: closes, currencies and FX rates per currency."""

import datetime as dt
from decimal import Decimal as D

from desktop.core.model import Instrument, Trade, TradeType
from desktop.data.market import load_market


def test_load_market_gives_fx_per_currency_code(store):
    store.save_instrument(Instrument("SAP.DE", "SAP", currency="EUR"))
    store.add_trade(Trade(dt.date(2024, 1, 2), TradeType.BUY, "SAP.DE", D("1"), D("100")))
    store.upsert_prices("SAP.DE", [{"date": "2024-01-02", "close": 100.0}], "csv")
    store.upsert_prices("EURUSD=X", [{"date": "2024-01-02", "close": 1.1}], "csv")
    store.upsert_prices("^RUT", [{"date": "2024-01-02", "close": 2000.0}], "csv")
    market = load_market(store, store.trades(), extra=["^RUT"])
    assert list(market.closes.columns) == ["SAP.DE", "^RUT"]
    assert market.currencies == {"SAP.DE": "EUR", "^RUT": "USD"}
    assert list(market.fx.columns) == ["EUR"] and market.fx["EUR"].iloc[0] == 1.1
    assert market.base == "USD"
