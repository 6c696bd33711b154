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


def test_a_refresh_reads_again_only_the_prices_it_wrote(store):
    import pandas as pd

    from desktop.data.market import update_market

    def buy(symbol):
        return Trade(dt.date(2024, 1, 2), TradeType.BUY, symbol, D(1), D(10), D(0))

    store.save_instrument(Instrument("SAP", currency="EUR"))
    for symbol, close in (("COHU", 30.0), ("SAP", 100.0), ("^RUT", 2000.0), ("EURUSD=X", 1.1)):
        rows = [{"date": f"2024-01-0{d}", "close": close + d} for d in (2, 3, 4)]
        store.upsert_prices(symbol, rows, "csv")
    trades = [buy("COHU"), buy("SAP")]
    held = load_market(store, trades, ["^RUT"])
    store.upsert_prices("SAP", [{"date": "2024-01-05", "close": 120.0}], "csv")  # a new day
    store.upsert_prices("EURUSD=X", [{"date": "2024-01-05", "close": 1.2}], "csv")
    reads = []
    real = store.closes
    store.closes = lambda symbols, *a, **k: reads.append(list(symbols)) or real(symbols, *a, **k)
    updated = update_market(store, held, ["SAP", "EURUSD=X"], trades)
    store.closes = real
    assert reads == [["SAP"], ["EURUSD=X"]]  # not COHU, not ^RUT
    fresh = load_market(store, trades, ["^RUT"])
    pd.testing.assert_frame_equal(updated.closes, fresh.closes)
    pd.testing.assert_frame_equal(updated.fx, fresh.fx)
    assert updated.closes.loc["2024-01-05", "SAP"] == 120.0
    assert pd.isna(updated.closes.loc["2024-01-05", "COHU"])


def test_a_refresh_of_an_etf_reads_its_total_return_proxy_again(store):
    import pandas as pd

    from desktop.data.market import update_market

    rows = [{"date": "2024-01-02", "close": 200.0, "adj_close": 190.0}]
    store.upsert_prices("IWM", rows, "csv")
    store.upsert_prices("^RUT", [{"date": "2024-01-02", "close": 2000.0}], "csv")
    held = load_market(store, [], ["^RUT", "IWM:TR"])
    assert list(held.closes.columns) == ["^RUT", "IWM:TR"]
    assert held.closes.loc["2024-01-02", "IWM:TR"] == 190.0  # the adjusted close, not 200
    new = [{"date": "2024-01-03", "close": 210.0, "adj_close": 199.5}]
    store.upsert_prices("IWM", new, "csv")  # what a refresh of IWM writes
    updated = update_market(store, held, ["IWM"], [])
    pd.testing.assert_frame_equal(updated.closes, load_market(store, [], ["^RUT", "IWM:TR"]).closes)
    assert updated.closes.loc["2024-01-03", "IWM:TR"] == 199.5
