"""The quality card's figures read from Yahoo: P/E, EPS, operating margin and debt to equity.

First through yfinance's own ``Ticker.info`` on the recorded answers (tests/yahoo_frames.py),
the expected values read from the JSON; then ``fundamentals_from_info`` on the bad values
Yahoo sends (text, ``"Infinity"``, NaN, a negative market cap).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math

import pytest

from desktop.data.sources.yahoo.client import YahooClient
from desktop.data.sources.yahoo.info import fundamentals_from_info
from desktop.data.sources.yahoo.source import YahooSource
from tests import yahoo_frames as yf_json
from tests.yahoo_frames import YAHOO_JSON, RecordedYahoo, serve_recorded

NOW = dt.datetime(2025, 10, 30, 12, 0, tzinfo=dt.UTC)
DAY = NOW.date()


def financial_data() -> dict:
    raw = json.loads((YAHOO_JSON / "analysis_api_financialData_MSFT.json").read_text())
    return raw["quoteSummary"]["result"][0]["financialData"]


def v7(name: str) -> dict:
    return yf_json.load_quote(name)["quoteResponse"]["result"][0]


@pytest.fixture
def yahoo(monkeypatch: pytest.MonkeyPatch, tmp_path) -> RecordedYahoo:
    fake = serve_recorded(monkeypatch)
    fake.client = YahooClient(tmp_path / "yfinance")
    fake.summaries["MSFT"] = yf_json.load_summary(
        "analysis_api_financialData_MSFT", "profile_api_assetProfile-quoteType-fundProfile_MSFT"
    )
    fake.quotes["MSFT"] = yf_json.load_quote("MSFT")
    return fake


def fetch(fake: RecordedYahoo, symbol: str):
    source = YahooSource(fake.client, now=lambda: NOW, online_check=None, sleep=lambda s: None)
    (answer,) = source.fundamentals([symbol])
    assert answer.error is None, answer.message
    return answer.value


def test_msft_quality_figures_as_recorded(yahoo):
    f = fetch(yahoo, "MSFT")
    financial, quote = financial_data(), v7("MSFT")

    assert f.trailing_pe == pytest.approx(quote["trailingPE"]) == pytest.approx(39.644947)
    assert f.forward_pe == pytest.approx(quote["forwardPE"]) == pytest.approx(36.22408)
    # No defaultKeyStatistics module was recorded: the EPS is the v7 quote's.
    assert f.trailing_eps == pytest.approx(quote["epsTrailingTwelveMonths"]) == 13.66
    assert f.operating_margin == pytest.approx(financial["operatingMargins"]["raw"]) == 0.44901
    # Yahoo's debtToEquity is a percentage ("fmt": "32.66%"); the snapshot keeps a fraction.
    assert financial["debtToEquity"] == {"raw": 32.661, "fmt": "32.66%"}
    assert f.debt_to_equity == pytest.approx(0.32661)


def test_the_units_agree_with_the_recorded_balance_sheet_and_price(yahoo):
    """Independent checks of the units: debt over book equity (book value per share times the
    shares, both from the v7 quote) is 0.327, not 32.7; the P/Es are the price over the EPS."""
    f = fetch(yahoo, "MSFT")
    financial, quote = financial_data(), v7("MSFT")

    equity = quote["bookValue"] * quote["sharesOutstanding"]  # 46.204 x 7.43B = 343B
    assert f.debt_to_equity == pytest.approx(financial["totalDebt"]["raw"] / equity, rel=2e-3)
    price = quote["regularMarketPrice"]
    assert f.trailing_pe == pytest.approx(price / quote["epsTrailingTwelveMonths"], rel=1e-4)
    assert f.forward_pe == pytest.approx(price / quote["epsForward"], rel=1e-4)


def test_without_financial_data_the_quote_still_gives_pe_and_eps(yahoo):
    """AAPL was recorded without the financialData module: debt, cash, margins, debt to equity
    and the analysts are unknown (None), the v7 quote's P/E, EPS and market cap are there."""
    yahoo.summaries["AAPL"] = yf_json.load_summary(
        "profile_api_assetProfile-quoteType-fundProfile_AAPL"
    )
    yahoo.quotes["AAPL"] = yf_json.load_quote("AAPL")
    quote = v7("AAPL")

    f = fetch(yahoo, "AAPL")

    assert f.trailing_pe == pytest.approx(quote["trailingPE"]) == pytest.approx(40.925644)
    assert f.forward_pe == pytest.approx(quote["forwardPE"])
    assert f.trailing_eps == pytest.approx(quote["epsTrailingTwelveMonths"]) == 6.59
    assert f.market_cap == quote["marketCap"]
    assert (f.total_debt, f.total_cash, f.operating_margin, f.debt_to_equity) == (None,) * 4
    assert (f.return_on_equity, f.consensus, f.analysts, f.net_cash) == (None,) * 4


def test_infinity_and_a_loss_from_quote_summary_become_none(yahoo):
    """An edit of the recorded answer: summaryDetail's trailing P/E as Yahoo sends a division
    by zero, a negative forward P/E (a forecast loss) and a loss-making trailing EPS in
    defaultKeyStatistics, with the v7 quote's own P/Es and EPS taken out."""
    summary = copy.deepcopy(yahoo.summaries["MSFT"])
    modules = summary["quoteSummary"]["result"][0]
    modules["summaryDetail"] = {
        "trailingPE": {"raw": "Infinity", "fmt": "\u221e"},
        "forwardPE": {"raw": -12.5, "fmt": "-12.50"},
    }
    modules["defaultKeyStatistics"] = {"trailingEps": {"raw": -0.42, "fmt": "-0.42"}}
    modules["financialData"]["debtToEquity"] = {"raw": "NaN", "fmt": "NaN"}
    modules["financialData"]["operatingMargins"] = {"raw": -0.3, "fmt": "-30.00%"}
    quote = yf_json.load_quote("MSFT")
    for key in ("trailingPE", "forwardPE", "epsTrailingTwelveMonths"):
        quote["quoteResponse"]["result"][0].pop(key)
    yahoo.summaries["LOSS"] = summary
    quote["quoteResponse"]["result"][0]["symbol"] = "LOSS"
    yahoo.quotes["LOSS"] = quote

    f = fetch(yahoo, "LOSS")

    assert f.trailing_pe is None and f.forward_pe is None
    assert f.trailing_eps == -0.42  # a loss is a figure
    assert f.operating_margin == -0.3
    assert f.debt_to_equity is None
    assert f.total_debt == financial_data()["totalDebt"]["raw"]  # the rest as recorded


# -- bad values -----------------------------------------------------------------------------
BASE = {"quoteType": "EQUITY", "financialCurrency": "USD"}


def read(**info):
    return fundamentals_from_info("X", {**BASE, **info}, DAY)


@pytest.mark.parametrize(
    "bad",
    ["Infinity", "12.5", "32.66%", "", True, math.nan, math.inf, -math.inf, [1.0], {"fmt": "1"}],
)
def test_anything_but_a_finite_number_is_none(bad):
    f = read(
        marketCap=bad,
        trailingPE=bad,
        forwardPE=bad,
        trailingEps=bad,
        epsTrailingTwelveMonths=bad,
        operatingMargins=bad,
        totalDebt=bad,
        totalCash=bad,
        debtToEquity=bad,
        returnOnEquity=bad,
        recommendationMean=bad,
        numberOfAnalystOpinions=bad,
    )
    figures = (
        f.market_cap,
        f.trailing_pe,
        f.forward_pe,
        f.trailing_eps,
        f.operating_margin,
        f.total_debt,
        f.total_cash,
        f.debt_to_equity,
        f.return_on_equity,
        f.consensus_mean,
        f.analysts,
    )
    assert figures == (None,) * len(figures)


def test_raw_dicts_are_read_and_debt_to_equity_becomes_a_fraction():
    f = read(debtToEquity={"raw": 45.3, "fmt": "45.30%"}, trailingPE={"raw": 18.2, "fmt": "18.20"})
    assert f.debt_to_equity == pytest.approx(0.453) and f.trailing_pe == 18.2


@pytest.mark.parametrize(
    "info, field",
    [
        ({"marketCap": -1_000_000}, "market_cap"),
        ({"marketCap": 0}, "market_cap"),
        ({"trailingPE": -8.0}, "trailing_pe"),
        ({"forwardPE": 0.0}, "forward_pe"),
        ({"totalDebt": -5.0}, "total_debt"),
        ({"totalCash": -5.0}, "total_cash"),
        ({"debtToEquity": -120.0}, "debt_to_equity"),  # negative equity: no ratio
        ({"recommendationMean": 0.0}, "consensus_mean"),  # the scale is 1 to 5
        ({"recommendationMean": 5.5}, "consensus_mean"),
        ({"numberOfAnalystOpinions": -1}, "analysts"),
        ({"numberOfAnalystOpinions": 2.5}, "analysts"),
    ],
)
def test_impossible_values_are_none(info, field):
    assert getattr(read(**info), field) is None


def test_figures_that_may_be_negative_are_kept():
    f = read(trailingEps=-1.25, operatingMargins=-0.4, returnOnEquity=-0.15, debtToEquity=0)
    assert (f.trailing_eps, f.operating_margin, f.return_on_equity) == (-1.25, -0.4, -0.15)
    assert f.debt_to_equity == 0.0  # no debt at all


def test_trailing_eps_prefers_key_statistics_then_the_quote():
    assert read(trailingEps=2.0, epsTrailingTwelveMonths=2.1).trailing_eps == 2.0
    assert read(trailingEps="n/a", epsTrailingTwelveMonths=2.1).trailing_eps == 2.1
    assert read().trailing_eps is None


def test_integers_from_the_json_stay_exact():
    f = read(marketCap=4025388367872, numberOfAnalystOpinions=52.0, totalCash=94564999168)
    assert f.market_cap == 4025388367872 and f.total_cash == 94564999168 and f.analysts == 52
