"""Fundamentals and search hits read from yfinance's outputs, with the recorded Yahoo answers."""

import datetime as dt
import json

import pytest

from desktop.core.fundamentals import CapClass, cap_class
from desktop.core.model import InstrumentKind
from desktop.data.sources.yahoo.info import fundamentals_from_info, instruments_from_search
from tests.yahoo_frames import YAHOO_JSON

DAY = dt.date(2025, 10, 29)


def _info_like_yfinance():
    """The flat dict yfinance builds from quoteSummary (formatted=false: raw numbers) and v7."""
    summary = json.loads((YAHOO_JSON / "analysis_api_financialData_MSFT.json").read_text())
    financial = summary["quoteSummary"]["result"][0]["financialData"]
    quote = json.loads((YAHOO_JSON / "quote_v7_MSFT.json").read_text())
    info = {
        k: (v["raw"] if isinstance(v, dict) and "raw" in v else v) for k, v in financial.items()
    }
    info.update(quote["quoteResponse"]["result"][0])
    return info, financial, quote["quoteResponse"]["result"][0]


def test_fundamentals_from_microsofts_recorded_answer():
    info, financial, quote = _info_like_yfinance()
    f = fundamentals_from_info("MSFT", info, DAY)
    assert f.market_cap == quote["marketCap"] == 4025388367872
    assert f.cap_class is CapClass.LARGE
    assert f.total_cash == financial["totalCash"]["raw"] == 94564999168
    assert f.total_debt == financial["totalDebt"]["raw"]
    assert f.net_cash == financial["totalCash"]["raw"] - financial["totalDebt"]["raw"]
    assert f.return_on_equity == pytest.approx(financial["returnOnEquity"]["raw"])
    assert (f.consensus, f.consensus_mean, f.analysts) == ("strong_buy", 1.22414, 52)
    assert f.fetched == DAY and f.currency == "USD"


def test_an_index_has_no_fundamentals():
    f = fundamentals_from_info("^RUT", {"quoteType": "INDEX", "currency": "USD"}, DAY)
    assert (f.market_cap, f.total_debt, f.return_on_equity, f.analysts, f.cap_class) == (None,) * 5
    assert f.net_cash is None


@pytest.mark.parametrize(
    "cap, expected",
    [
        (150e6, "micro"),
        (300e6, "small"),
        (1.9e9, "small"),
        (2e9, "mid"),
        (9.9e9, "mid"),
        (10e9, "large"),
        (None, None),
        (0, None),
    ],
)
def test_cap_classes(cap, expected):
    assert (cap_class(cap) and cap_class(cap).value) == expected


def test_search_hits_from_the_recorded_search():
    answer = json.loads((YAHOO_JSON / "search_v1_apple.json").read_text())
    quotes = [q for q in answer["quotes"] if "symbol" in q]  # what yf.Search(...).quotes keeps
    hits = instruments_from_search(quotes)
    first = answer["quotes"][0]
    assert hits[0].symbol == first["symbol"] == "AAPL"
    assert hits[0].name == "Apple Inc." and hits[0].kind is InstrumentKind.EQUITY
    assert hits[0].exchange == "NASDAQ" and hits[0].verified
    tracked = [q for q in quotes if q.get("quoteType") in ("EQUITY", "ETF", "MUTUALFUND", "INDEX")]
    assert [h.symbol for h in hits] == [q["symbol"].upper() for q in tracked]
