"""The report over a period, against numbers worked out by hand."""

import datetime as dt
from decimal import Decimal as D

import pytest

from desktop.core.model import Trade, TradeType
from desktop.data.report import build_report

T = TradeType
DAYS = ["2023-12-29", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"]
#: The day named periods count back from: the last close's.
TODAY = dt.date(2024, 1, 5)


def prices(store, symbol, closes):
    store.upsert_prices(
        symbol, [{"date": d, "close": c} for d, c in zip(DAYS, closes, strict=True)], "csv"
    )


@pytest.fixture
def ledger(store):
    prices(store, "A", [10, 10, 11, 12, 12])
    prices(store, "BENCH", [100, 100, 105, 110, 110])
    entries = [
        Trade(dt.date(2023, 12, 28), T.DEPOSIT, "", amount=D("1000")),
        Trade(dt.date(2023, 12, 29), T.BUY, "A", D("50"), D("10")),
        Trade(dt.date(2024, 1, 3), T.DIVIDEND, "A", amount=D("10")),
        Trade(dt.date(2024, 1, 4), T.SELL, "A", D("20"), D("12"), D("1")),
    ]
    for e in entries:
        assert store.add_trade(e)[1] == []
    return store


def test_ytd_report_by_hand(ledger):
    report = build_report(ledger, period="YTD", benchmarks=["BENCH"], today=TODAY)
    data = report.data
    assert report.notes == []
    assert data["period"]["base_date"] == dt.date(2023, 12, 29)
    assert data["period"]["end_date"] == dt.date(2024, 1, 5)
    p = data["portfolio"]
    # cash: 1000 - 500 + 10 + (240 - 1) = 749; securities 30 * 12 = 360
    assert p["cash"] == pytest.approx(749)
    assert p["market_value"] == pytest.approx(1109)
    assert p["cost_basis"] == pytest.approx(300)
    assert p["unrealized_gain"] == pytest.approx(60)
    assert p["realized_gain"] == pytest.approx(239 - 200)
    # The 1 paid on the sale is a commission (in the realized gain), not a fee entry.
    assert (p["dividends"], p["fees"], p["commissions"], p["taxes"]) == (10, 0, 1, 0)
    # Base close 1000 (500 in A, 500 cash), no deposits in the period, 1109 at the end.
    assert p["ttwror"] == pytest.approx(0.109)
    assert p["absolute_gain"] == pytest.approx(109)
    assert p["simple_return"] == pytest.approx(0.109)
    assert p["max_drawdown"] == 0
    # The base value is dated on 1 January, the end value on 5 January: 4 days.
    assert p["irr"] == pytest.approx(1.109 ** (365 / 4) - 1, rel=1e-6)
    (a,) = data["holdings"]
    assert (a["symbol"], a["quantity"], a["market_value"]) == ("A", 30, pytest.approx(360))
    assert a["realized_gain"] == pytest.approx(39) and a["dividends"] == 10
    b = data["benchmarks"]["BENCH"]
    assert b["return"] == pytest.approx(0.10)
    assert b["excess_return"] == pytest.approx(0.009)
    assert b["benchmark_equivalent_value"] == pytest.approx(1100)
    assert b["ks_pme"] == pytest.approx(1109 / 1100)
    # Every gain is A's (+50 and its dividend of 10 on the 3rd, +49 on the 4th: 360 + 239 for
    # the 550 it was worth); the cash earned nothing itself.
    assert data["contributions"] == {"A": pytest.approx(0.109), "cash": 0.0}


def test_a_benchmark_without_closes_is_null_with_a_note(ledger):
    report = build_report(ledger, period="YTD", benchmarks=["^RUT"], today=TODAY)
    assert set(report.data["benchmarks"]["^RUT"].values()) == {None}
    assert report.notes == ["no cached closes for benchmark ^RUT: its figures are null"]
    assert report.data["portfolio"]["ttwror"] == pytest.approx(0.109)


def test_a_period_before_any_data_is_null_not_an_error(ledger):
    report = build_report(
        ledger, start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31), benchmarks=[]
    )
    assert report.data["portfolio"]["ttwror"] is None
    assert "no valued days" in report.notes[0]


def test_factor_lens_from_the_cached_french_file_matches_an_independent_regression(store, fixtures):
    import io
    import zipfile

    import numpy as np
    import pandas as pd

    from desktop.data.factor_data import french_cache
    from desktop.data.formats.prices_csv import import_price_file
    from desktop.data.sources.french import FrenchFactors, parse_french_csv

    raw = (fixtures / "F-F_Research_Data_Factors_daily.CSV").read_bytes()  # 2018-01..2024-08
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as z:
        z.writestr("F-F_Research_Data_Factors_daily.CSV", raw)
    FrenchFactors(french_cache(), opener=lambda url, timeout: packed.getvalue()).daily()

    import_price_file(store, fixtures / "COHU_yahoo_2020-2024.csv", "COHU")  # to 2024-03-08
    store.add_trade(Trade(dt.date(2023, 3, 1), T.BUY, "COHU", D("100"), D("36.5")))
    report = build_report(
        store, period="1Y", benchmarks=[], factors=True, today=dt.date(2024, 3, 8)
    )
    lens = report.data["factors"]
    assert lens["source"] == "Fama-French 202408" and lens["observations"] == 252

    # Independently: the holding's daily close-to-close returns less rf, on French's factors.
    closes = pd.Series({pd.Timestamp(r["date"]): r["close"] for r in store.price_rows("COHU")})
    r = closes.pct_change().loc["2023-03-09":"2024-03-08"]
    ff, _ = parse_french_csv(raw)
    both = pd.concat([r.rename("r"), ff], axis=1, join="inner")
    x = np.column_stack([np.ones(len(both)), both[["mkt_rf", "smb", "hml"]].to_numpy()])
    coef = np.linalg.lstsq(x, (both["r"] - both["rf"]).to_numpy(), rcond=None)[0]
    assert lens["market"]["value"] == pytest.approx(coef[1], rel=1e-9)
    assert lens["size_smb"]["value"] == pytest.approx(coef[2], rel=1e-9)
    assert lens["value_hml"]["value"] == pytest.approx(coef[3], rel=1e-9)
    # Attribution: each factor's beta times the factor summed over the days, n x alpha, and
    # what is left; they add up to the summed excess returns (numpy's fit, not ours).
    excess = both["r"] - both["rf"]
    parts = lens["attribution"]
    assert parts["market"] == pytest.approx(coef[1] * both["mkt_rf"].sum(), rel=1e-9)
    assert parts["size"] == pytest.approx(coef[2] * both["smb"].sum(), rel=1e-9)
    assert parts["value"] == pytest.approx(coef[3] * both["hml"].sum(), rel=1e-9)
    assert parts["alpha"] == pytest.approx(coef[0] * len(both), rel=1e-9)
    assert parts["residual"] == pytest.approx(0.0, abs=1e-12)
    assert sum(parts.values()) == pytest.approx(excess.sum(), abs=1e-12)
    assert lens["attribution_total"] == pytest.approx(excess.sum(), abs=1e-12)
    assert report.data["attribution"] == parts  # at the top of the report too
    biggest = max(("market", "size", "value", "alpha"), key=lambda k: abs(parts[k]))
    words = {"market": "the market", "size": "the size tilt", "value": "the value tilt"}
    assert words.get(biggest, "alpha") in lens["in_words"]


def test_factor_lens_says_why_it_is_unavailable(ledger):
    report = build_report(ledger, period="YTD", benchmarks=[], factors=True, today=TODAY)
    assert report.data["factors"] is None
    assert "factor lens unavailable" in report.notes[-1] and "IWM" in report.notes[-1]


def euro_stock(store):
    """SAP.DE in euros at 100, 100, 110, 120, 120; the euro at 1.10 dollars, 1.20 from the 4th."""
    from desktop.core.model import Instrument

    store.save_instrument(Instrument("SAP.DE", "SAP", currency="EUR"))
    prices(store, "SAP.DE", [100, 100, 110, 120, 120])
    store.upsert_prices(
        "EURUSD=X",
        [{"date": "2023-12-29", "close": 1.10}, {"date": "2024-01-04", "close": 1.20}],
        "csv",
    )


def test_a_foreign_holding_is_reported_in_the_base_currency_at_each_days_rate(store):
    euro_stock(store)
    store.add_trade(Trade(dt.date(2023, 12, 29), T.BUY, "SAP.DE", D("10"), D("100"), D("2")))
    store.add_trade(Trade(dt.date(2024, 1, 4), T.SELL, "SAP.DE", D("5"), D("120"), D("0")))
    data = build_report(store, period="YTD", benchmarks=[], today=TODAY).data
    (sap,) = data["holdings"]
    assert sap["currency"] == "EUR"
    # cost in USD at the 1.10 of the buy: (1000 + 2) * 1.10 = 1102.2; half is left
    assert sap["cost_basis"] == pytest.approx(551.1)
    # 5 shares at 120 EUR and the 1.20 of 5 January (carried from the 4th)
    assert sap["market_value"] == pytest.approx(720.0)
    # sold 5 at 120 EUR at 1.20 = 720 USD, less half the USD cost
    assert sap["realized_gain"] == pytest.approx(720.0 - 551.1)
    assert data["portfolio"]["market_value"] == pytest.approx(720.0)


def test_total_return_benchmarks_read_adjusted_closes(ledger):
    ledger.upsert_prices(
        "BENCH",
        [
            {"date": "2023-12-29", "adj_close": 100.0, "close": 100.0},
            {"date": "2024-01-05", "adj_close": 112.0, "close": 110.0},
        ],
        "csv",
    )
    price = build_report(ledger, period="YTD", benchmarks=["BENCH"], today=TODAY).data
    total = build_report(
        ledger, period="YTD", benchmarks=["BENCH"], total_return=True, today=TODAY
    ).data
    assert price["benchmarks"]["BENCH"]["return"] == pytest.approx(0.10)
    assert total["benchmarks"]["BENCH"]["return"] == pytest.approx(0.12)
    assert total["benchmark_prices"] == "adjusted close (total return)"


def test_a_total_return_proxy_reads_its_etf_s_adjusted_closes_alone(ledger):
    from desktop.data.refresh import symbols_to_refresh

    # IWM: closes 200 -> 210 (+5%), adjusted 190 -> 201.4 (+6%: a dividend in between); the
    # 3 January row has no adjusted close and must not be patched with its price close.
    ledger.upsert_prices(
        "IWM",
        [
            {"date": "2023-12-29", "close": 200.0, "adj_close": 190.0},
            {"date": "2024-01-03", "close": 150.0},
            {"date": "2024-01-05", "close": 210.0, "adj_close": 201.4},
        ],
        "csv",
    )
    data = build_report(ledger, period="YTD", benchmarks=["IWM", "IWM:TR"], today=TODAY).data
    assert data["benchmarks"]["IWM"]["return"] == pytest.approx(0.05)
    assert data["benchmarks"]["IWM:TR"]["return"] == pytest.approx(201.4 / 190 - 1)
    ttwror = data["portfolio"]["ttwror"]
    assert data["benchmarks"]["IWM:TR"]["excess_return"] == pytest.approx(ttwror - 0.06)
    assert data["benchmark_prices"] == "close; adjusted close alone for SYM:TR"
    # A refresh fetches the symbol the proxy reads (the window's choice is kept as a setting).
    ledger.set_setting("benchmarks", "^RUT,IWM:TR")
    wanted = symbols_to_refresh(ledger)
    assert "IWM" in wanted and "IWM:TR" not in wanted


def test_monthly_and_yearly_tables(ledger):
    data = build_report(ledger, period="Max", benchmarks=[]).data
    # December 2023: 28 Dec deposit only, 29 Dec bought at the close: no return yet.
    assert data["yearly_returns"]["2024"] == pytest.approx(0.109)
    assert data["monthly_returns"]["2024"][0] == pytest.approx(0.109)
    assert data["monthly_returns"]["2024"][1:] == [None] * 11


def test_a_period_that_ends_before_a_split_values_the_shares_held_then_at_the_price_then(store):
    # Yahoo's closes are split-adjusted back in time: before the 2:1 split of 4 January the
    # cached close is half the price paid on the day. Bought 10 at 100 on 2 January.
    prices(store, "A", [50, 50, 55, 60, 62])  # 55 is 110 before the split
    for entry in (
        Trade(dt.date(2024, 1, 2), T.BUY, "A", D("10"), D("100")),
        Trade(dt.date(2024, 1, 4), T.SPLIT, "A", D("2")),
    ):
        assert store.add_trade(entry)[1] == []

    before = build_report(store, end=dt.date(2024, 1, 3)).data
    after = build_report(store, end=dt.date(2024, 1, 5)).data

    (held,) = before["holdings"]
    assert held["quantity"] == 10  # the shares held on 3 January
    assert held["last_close"] == pytest.approx(110)  # the price that day, as quoted then
    assert held["market_value"] == pytest.approx(1100)  # not 10 x 55 = 550
    assert before["portfolio"]["market_value"] == pytest.approx(1100)
    assert before["portfolio"]["ttwror"] == pytest.approx(0.10)  # 1000 -> 1100
    (now,) = after["holdings"]
    assert (now["quantity"], now["last_close"]) == (20, pytest.approx(62))
    assert now["market_value"] == pytest.approx(1240)


def test_a_foreign_holding_s_return_in_the_base_currency_and_in_its_own(store):
    euro_stock(store)
    store.add_trade(Trade(dt.date(2023, 12, 29), T.BUY, "SAP.DE", D("10"), D("100"), D("0")))

    (sap,) = build_report(store, period="Max", benchmarks=[]).data["holdings"]

    # 1,000 EUR became 1,200 EUR; in dollars 1,100 became 1,440 (120 EUR at 1.20).
    assert sap["return_local"] == pytest.approx(0.20)
    assert sap["return"] == pytest.approx(1440 / 1100 - 1)  # 30.9%
    assert sap["market_value"] == pytest.approx(1440)


def test_market_data_in_memory_is_used_only_while_it_still_fits_the_store(ledger, monkeypatch):
    from desktop.core.model import Instrument
    from desktop.data.report import load_snapshot
    from desktop.data.store import Store

    held = load_snapshot(ledger, benchmarks=["BENCH"]).market
    reads = []
    real = Store.closes
    monkeypatch.setattr(
        Store, "closes", lambda self, s, *a, **k: reads.append(list(s)) or real(self, s, *a, **k)
    )

    assert load_snapshot(ledger, benchmarks=["BENCH"], market=held).market is held
    assert reads == []
    # Total-return benchmarks need the adjusted closes the held data does not have.
    assert load_snapshot(ledger, benchmarks=["BENCH"], market=held, total_return=True).market
    assert reads and reads[-1] == ["BENCH"]
    reads.clear()
    # A symbol now said to be in euros is not valued with what was read for dollars.
    ledger.save_instrument(Instrument("A", "Alpha", currency="EUR"))
    fresh = load_snapshot(ledger, benchmarks=["BENCH"], market=held).market
    assert fresh is not held and fresh.currencies["A"] == "EUR"


def test_a_period_after_the_prices_says_when_they_end(ledger):
    data = build_report(ledger, start=dt.date(2024, 3, 1), benchmarks=[], today=dt.date(2024, 4, 1))
    assert data.data["as_of"] == dt.date(2024, 1, 5)  # the last close, not the period's end
    assert data.data["portfolio"]["ttwror"] is None
