"""Recorded Yahoo answers served to yfinance's own parsing, so tests see real yfinance frames.

``RecordedYahoo.get`` stands in for the private ``yfinance.data.YfData.get`` (YFINANCE.md §7.4): it
answers v8 chart requests from the recorded JSON in ``tests/fixtures/yahoo-json`` (trimmed to the
requested ``period1``/``period2`` window, as Yahoo does), answers unknown symbols with Yahoo's 404
shapes, and raises whatever exception a test planted for a symbol. The helpers below edit a
recorded chart into the cases Yahoo did not record for us (an index, a fund, pence prices, a split,
NaN bars, a live "today" bar) and read values back from the JSON independently of yfinance.
``history_frame`` builds by hand the frame yfinance makes of a recorded chart.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from curl_cffi.requests import Response

REPO = Path(__file__).resolve().parents[1]
#: The recorded answers (re-serialised copies; tests/fixtures/README.md names their source).
YAHOO_JSON = REPO / "tests" / "fixtures" / "yahoo-json"

NOT_FOUND_CHART = {
    "chart": {
        "result": None,
        "error": {"code": "Not Found", "description": "No data found, symbol may be delisted"},
    }
}
EMPTY_CHART_QUOTE: dict[str, Any] = {"quote": [{}]}


def load_chart(name: str) -> dict[str, Any]:
    """A fresh copy of ``history_chart_<name>.json`` (edit it freely)."""
    return json.loads((YAHOO_JSON / f"history_chart_{name}.json").read_text())


def load_summary(*names: str) -> dict[str, Any]:
    """One v10 quoteSummary answer holding the modules of every recorded
    ``<name>.json`` (e.g. ``analysis_api_financialData_MSFT``) merged together."""
    modules: dict[str, Any] = {}
    for name in names:
        recorded = json.loads((YAHOO_JSON / f"{name}.json").read_text())
        modules.update(recorded["quoteSummary"]["result"][0])
    return {"quoteSummary": {"result": [modules], "error": None}}


def load_quote(name: str) -> dict[str, Any]:
    """A fresh copy of the v7 quote answer ``quote_v7_<name>.json``."""
    return json.loads((YAHOO_JSON / f"quote_v7_{name}.json").read_text())


def result(chart: dict[str, Any]) -> dict[str, Any]:
    return chart["chart"]["result"][0]


def meta(chart: dict[str, Any]) -> dict[str, Any]:
    return result(chart)["meta"]


def bar_dates(chart: dict[str, Any]) -> list[dt.date]:
    """The exchange-local date of every bar, computed from the JSON without yfinance."""
    tz = ZoneInfo(meta(chart)["exchangeTimezoneName"])
    return [dt.datetime.fromtimestamp(t, tz).date() for t in result(chart)["timestamp"]]


def bar_values(chart: dict[str, Any], field: str) -> dict[dt.date, Any]:
    """``{date: value}`` of one quote field (``close``, ``open``, ``volume``...) from the JSON."""
    values = result(chart)["indicators"]["quote"][0][field]
    return dict(zip(bar_dates(chart), values, strict=True))


def adj_closes(chart: dict[str, Any]) -> dict[dt.date, float]:
    values = result(chart)["indicators"]["adjclose"][0]["adjclose"]
    return dict(zip(bar_dates(chart), values, strict=True))


def event_amounts(chart: dict[str, Any], kind: str) -> dict[dt.date, float]:
    """``{date: amount}`` of ``dividends`` or ``capitalGains`` events, from the JSON."""
    tz = ZoneInfo(meta(chart)["exchangeTimezoneName"])
    events = (result(chart).get("events") or {}).get(kind) or {}
    return {dt.datetime.fromtimestamp(e["date"], tz).date(): e["amount"] for e in events.values()}


def events_by_bar(chart: dict[str, Any], kind: str) -> dict[dt.date, float]:
    """``{bar date: amount}`` of ``dividends`` or ``capitalGains``, each event summed onto the bar
    whose period holds it (the latest bar on or before it), from the JSON: how a chart of
    coarser bars than days (the recorded VFINX has quarterly bars) attributes its events."""
    bars = sorted(bar_dates(chart))
    totals: dict[dt.date, float] = {}
    for day, amount in event_amounts(chart, kind).items():
        bar = max(b for b in bars if b <= day)
        totals[bar] = totals.get(bar, 0.0) + amount
    return totals


def _quote_fields(chart: dict[str, Any]) -> list[list[Any]]:
    res = result(chart)
    return [*res["indicators"]["quote"][0].values(), res["indicators"]["adjclose"][0]["adjclose"]]


# -- edits: turn a recorded chart into a case Yahoo did not record for us ----------------------
def renamed(chart: dict[str, Any], symbol: str, **meta_changes: Any) -> dict[str, Any]:
    """The same bars under another symbol, with some ``meta`` fields changed."""
    chart = copy.deepcopy(chart)
    meta(chart).update(symbol=symbol, **meta_changes)
    return chart


def as_index(chart: dict[str, Any], symbol: str = "^FAKEIDX") -> dict[str, Any]:
    """An index: ``INDEX`` type, no dividend events, Adj Close equal to Close."""
    chart = renamed(chart, symbol, instrumentType="INDEX", longName="Fake Index")
    res = result(chart)
    res.pop("events", None)
    res["indicators"]["adjclose"][0]["adjclose"] = list(res["indicators"]["quote"][0]["close"])
    return chart


def with_split(chart: dict[str, Any], day: dt.date, ratio: tuple[int, int]) -> dict[str, Any]:
    """Add a ``numerator:denominator`` split event on the bar dated ``day``."""
    chart = copy.deepcopy(chart)
    res = result(chart)
    stamp = res["timestamp"][bar_dates(chart).index(day)]
    num, den = ratio
    res.setdefault("events", {}).setdefault("splits", {})[str(stamp)] = {
        "date": stamp,
        "numerator": num,
        "denominator": den,
        "splitRatio": f"{num}:{den}",
    }
    return chart


def with_null_bars(chart: dict[str, Any], days: Iterable[dt.date]) -> dict[str, Any]:
    """Blank every value of the bars on ``days`` (Yahoo sends ``null`` for a missing bar)."""
    chart = copy.deepcopy(chart)
    dates = bar_dates(chart)
    for day in days:
        i = dates.index(day)
        for values in _quote_fields(chart):
            values[i] = None
    return chart


def with_null_close(chart: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """Blank only the close of one bar (the rest of the bar stays)."""
    chart = copy.deepcopy(chart)
    i = bar_dates(chart).index(day)
    result(chart)["indicators"]["quote"][0]["close"][i] = None
    return chart


def with_repeated_bar(chart: dict[str, Any], day: dt.date, close: float) -> dict[str, Any]:
    """Send the bar on ``day`` twice, the second copy an hour later with another close."""
    chart = copy.deepcopy(chart)
    res = result(chart)
    i = bar_dates(chart).index(day)
    res["timestamp"].insert(i + 1, res["timestamp"][i] + 3600)
    for values in _quote_fields(chart):
        values.insert(i + 1, values[i])
    res["indicators"]["quote"][0]["close"][i + 1] = close
    return chart


# -- the fake Yahoo ----------------------------------------------------------------------------
def response(url: str, status: int, body: Any) -> Response:
    response = Response()
    response.url = url
    response.status_code = status
    response.ok = status < 400
    response.reason = "OK" if status < 400 else "Not Found"
    response.content = json.dumps(body).encode()
    return response


def _window(chart: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """The chart trimmed to ``[period1, period2)`` as Yahoo trims it; ``range`` gets it all."""
    start, end = params.get("period1"), params.get("period2")
    if start is None and end is None:
        return chart
    start = start if start is not None else -(2**62)
    end = end if end is not None else 2**62
    chart = copy.deepcopy(chart)
    res = result(chart)
    keep = [i for i, t in enumerate(res["timestamp"]) if start <= t < end]
    if not keep:
        # Yahoo's answer for a window without bars: meta only, no timestamps or quotes.
        res.pop("timestamp", None)
        res.pop("events", None)
        res["indicators"] = copy.deepcopy(EMPTY_CHART_QUOTE)
        return chart
    res["timestamp"] = [res["timestamp"][i] for i in keep]
    quote = res["indicators"]["quote"][0]
    for key in quote:
        quote[key] = [quote[key][i] for i in keep]
    adj = res["indicators"]["adjclose"][0]
    adj["adjclose"] = [adj["adjclose"][i] for i in keep]
    for events in (res.get("events") or {}).values():
        for key in [k for k, e in events.items() if not start <= e["date"] < end]:
            del events[key]
    return chart


class RecordedYahoo:
    """Answers yfinance's HTTP GETs from recorded charts; never touches the network.

    - ``charts``: symbol -> chart JSON served for ``/v8/finance/chart/<symbol>``.
    - ``failures``: symbol -> exception (or a factory of one) raised for that symbol's requests;
      a list is consumed one element per request, ``None`` meaning "answer normally this time".
    - ``calls``: every (url, params) asked for, in order.
    - ``summaries`` / ``quotes``: symbol -> v10 quoteSummary / v7 quote answer (what
      ``Ticker.info`` asks for); the fundamentals-timeseries call it also makes (for
      ``trailingPegRatio``) gets an empty answer.
    """

    def __init__(self, charts: dict[str, dict[str, Any]] | None = None) -> None:
        self.charts: dict[str, dict[str, Any]] = dict(charts or {})
        self.failures: dict[str, Any] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.summaries: dict[str, dict[str, Any]] = {}
        self.quotes: dict[str, dict[str, Any]] = {}

    def chart_calls(self, symbol: str | None = None) -> list[dict[str, Any]]:
        """Params of the price-history requests (not the 1-day time-zone lookups)."""
        return [
            params
            for url, params in self.calls
            if "/v8/finance/chart/" in url
            and params.get("range") != "1d"
            and (symbol is None or unquote(url.rsplit("/", 1)[1]) == symbol)
        ]

    def get(self, url: str, params: dict[str, Any] | None = None, timeout: float = 30) -> Response:
        params = dict(params or {})
        self.calls.append((url, params))
        path = url.split("?", 1)[0].rstrip("/")
        symbol = unquote(path.rsplit("/", 1)[1]) if "/finance/" in url else ""
        if "/v7/finance/quote" in url:
            symbol = params.get("symbols", "")
        self._maybe_fail(symbol)
        if "/v8/finance/chart/" in url:
            chart = self.charts.get(symbol)
            if chart is None:
                return response(url, 404, NOT_FOUND_CHART)
            return response(url, 200, _window(chart, params))
        if "/quoteSummary/" in url and symbol in self.summaries:
            return response(url, 200, self.summaries[symbol])
        if "/fundamentals-timeseries/" in url:
            return response(url, 200, {"timeseries": {"result": [], "error": None}})
        if "/v7/finance/quote" in url and symbol in self.quotes:
            return response(url, 200, self.quotes[symbol])
        if "/quoteSummary/" in url:
            body = {
                "quoteSummary": {
                    "result": None,
                    "error": {
                        "code": "Not Found",
                        "description": f"Quote not found for symbol: {symbol}",
                    },
                }
            }
            return response(url, 404, body)
        if "/v7/finance/quote" in url:
            return response(url, 200, {"quoteResponse": {"result": [], "error": None}})
        return response(url, 404, {"finance": {"result": None, "error": {"code": "Not Found"}}})

    def _maybe_fail(self, symbol: str) -> None:
        planned = self.failures.get(symbol)
        if isinstance(planned, list):
            planned = planned.pop(0) if planned else None
        if planned is None:
            return
        raise planned() if callable(planned) else planned


# -- wiring it into yfinance for one test -----------------------------------------------------
def serve_recorded(
    monkeypatch: Any, charts: dict[str, dict[str, Any]] | None = None
) -> RecordedYahoo:
    """Every yfinance GET answered by a ``RecordedYahoo``: the one patch at yfinance's HTTP
    boundary. yfinance's own state is the ``YahooClient``'s to set up (each test makes its own,
    with caches in the test's folder)."""
    import yfinance.data

    fake = RecordedYahoo(charts)

    def get(self: Any, url: str, params: dict[str, Any] | None = None, timeout: float = 30):
        return fake.get(url, params, timeout)

    monkeypatch.setattr(yfinance.data.YfData, "get", get)
    return fake


# -- frames as yfinance returns them, built without yfinance -----------------------------------
def history_frame(chart: dict[str, Any]) -> Any:
    """What ``Ticker.history(period='max', auto_adjust=False, actions=True)`` returns for a
    recorded daily chart, built from the JSON by hand: local-midnight dates in the exchange's
    zone (``datetime64[s, tz]``), the unadjusted bars, Adj Close, Volume as int, and the
    dividends, splits (and, for funds and ETFs, capital gains) on their bars, 0 elsewhere.
    ``test_recorded.py`` checks that yfinance builds the same frame from the same JSON."""
    import pandas as pd

    res = result(chart)
    tz = meta(chart)["exchangeTimezoneName"]
    index = pd.DatetimeIndex(
        [pd.Timestamp(day).tz_localize(tz) for day in bar_dates(chart)], name="Date"
    ).as_unit("s")
    quote = res["indicators"]["quote"][0]
    frame = pd.DataFrame(
        {
            "Open": quote["open"],
            "High": quote["high"],
            "Low": quote["low"],
            "Close": quote["close"],
            "Adj Close": res["indicators"]["adjclose"][0]["adjclose"],
            "Volume": quote["volume"],
        },
        index=index,
        dtype="float64",
    )
    frame["Volume"] = frame["Volume"].fillna(0).astype("int64")
    by_bar = {d: i for i, d in enumerate(bar_dates(chart))}
    columns = {"Dividends": "dividends", "Stock Splits": "splits"}
    if meta(chart).get("instrumentType") in ("MUTUALFUND", "ETF"):
        columns["Capital Gains"] = "capitalGains"
    for column, kind in columns.items():
        values = [0.0] * len(index)
        if kind == "splits":
            events = {
                dt.datetime.fromtimestamp(e["date"], ZoneInfo(tz)).date(): e["numerator"]
                / e["denominator"]
                for e in ((res.get("events") or {}).get("splits") or {}).values()
            }
        else:
            events = events_by_bar(chart, kind)
        for day, amount in events.items():
            values[by_bar[day]] += amount
        frame[column] = values
    return frame
