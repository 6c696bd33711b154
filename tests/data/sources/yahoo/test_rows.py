"""Reading yfinance frames into price rows: edge cases on real yfinance frames, edited after
yfinance built them (shapes yfinance itself can return but the recordings do not contain)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from desktop.core.model import InstrumentKind
from desktop.data.sources.yahoo.rows import (
    DOWNLOAD_METADATA,
    batchable,
    frame_to_rows,
    instrument_from,
    split_download,
    unfinished_day,
)
from desktop.data.sources.yahoo.source import YahooSource, configure_yfinance
from tests import yahoo_frames as yf_json

NY = ZoneInfo("America/New_York")
NOW = dt.datetime(2025, 10, 30, 8, 0, tzinfo=NY)
END = dt.date(2025, 10, 28)


@pytest.fixture
def aapl(monkeypatch, shared_data):
    """AAPL's recorded chart as yfinance 1.7 returns it, with its history metadata."""
    import yfinance as yf

    yf_json.serve_recorded(monkeypatch, {"AAPL": yf_json.load_chart("AAPL")})
    configure_yfinance()
    ticker = yf.Ticker("AAPL")
    frame = ticker.history(period="max", interval="1d", auto_adjust=False, actions=True)
    return frame, ticker.history_metadata


def rows_of(frame, metadata, start=None, end=END, now=NOW):
    return frame_to_rows(frame, metadata, start=start, end=end, now=now)


def test_real_frame_shape(aapl):
    frame, _ = aapl
    assert frame.shape == (127, 8)
    assert str(frame.index.dtype) == "datetime64[s, America/New_York]"


def test_a_repeated_date_keeps_the_last_row(aapl):
    frame, metadata = aapl
    again = frame.loc[frame.index == pd.Timestamp("2025-10-28", tz=NY)].copy()
    again["Close"] = 270.5
    frame = pd.concat([frame.iloc[:-1], again])  # 28 October twice, the second revised

    rows = rows_of(frame, metadata)

    assert [r["date"] for r in rows].count(END) == 1
    assert (rows[-1]["date"], rows[-1]["close"]) == (END, 270.5)


def test_columns_are_read_by_name_whatever_their_order(aapl):
    frame, metadata = aapl
    shuffled = frame[sorted(frame.columns)]  # the alphabetical order of a merged event row

    assert rows_of(shuffled, metadata) == rows_of(frame, metadata)


def test_a_dividend_row_without_prices_is_dropped(aapl):
    # yfinance adds such a row when Yahoo lists a dividend on a day without a bar.
    frame, metadata = aapl
    day = pd.Timestamp("2025-10-25", tz=NY)  # a Saturday
    extra = pd.DataFrame({c: [np.nan] for c in frame.columns}, index=pd.DatetimeIndex([day]))
    extra["Volume"], extra["Dividends"], extra["Stock Splits"] = 0, 0.27, 0.0
    frame = pd.concat([frame, extra]).sort_index()

    rows = rows_of(frame, metadata)

    assert dt.date(2025, 10, 25) not in {r["date"] for r in rows}
    assert len(rows) == 126


def test_nan_fields_are_left_out_so_the_store_keeps_its_value(aapl):
    frame, metadata = aapl
    frame = frame.copy()
    frame.loc[frame.index[-2], "Open"] = np.nan

    last = rows_of(frame, metadata)[-1]

    assert last["date"] == END and "open" not in last and last["close"] == pytest.approx(269.0)


def test_yfinance_empty_frame_gives_no_rows():
    import yfinance as yf

    assert rows_of(yf.utils.empty_df(), {}) == []
    assert rows_of(pd.DataFrame(), {}) == []


@pytest.mark.parametrize(
    ("now", "first_unfinished"),
    [
        (dt.datetime(2024, 3, 8, 16, 29, tzinfo=NY), dt.date(2024, 3, 8)),
        (dt.datetime(2024, 3, 8, 16, 30, tzinfo=NY), dt.date(2024, 3, 9)),
        (dt.datetime(2024, 3, 8, 21, 0, tzinfo=dt.UTC), dt.date(2024, 3, 8)),  # 16:00 EST
    ],
)
def test_without_session_times_a_16_00_close_is_assumed(now, first_unfinished):
    metadata = {"exchangeTimezoneName": "America/New_York"}
    assert unfinished_day(metadata, now) == first_unfinished


def test_session_end_given_as_epoch_seconds_is_understood():
    end = dt.datetime(2024, 3, 8, 13, 0, tzinfo=NY)  # an early close
    metadata = {
        "exchangeTimezoneName": "America/New_York",
        "currentTradingPeriod": {
            "regular": {"start": int(end.timestamp()) - 12600, "end": int(end.timestamp())}
        },
    }
    assert unfinished_day(metadata, dt.datetime(2024, 3, 8, 13, 45, tzinfo=NY)) == dt.date(
        2024, 3, 9
    )


def test_instrument_from_sparse_metadata():
    instrument = instrument_from(
        "BTC-USD", {"shortName": "Bitcoin USD   ", "instrumentType": "CRYPTOCURRENCY"}
    )
    assert instrument.name == "Bitcoin USD"
    assert instrument.kind is InstrumentKind.UNKNOWN
    assert (instrument.currency, instrument.exchange, instrument.timezone) == ("", "", "")
    assert instrument.verified


# -- yf.download frames ------------------------------------------------------------------------
@pytest.fixture
def download(monkeypatch, shared_data):
    """``yf.download`` as YahooSource calls it, against the recorded charts."""
    charts = {name: yf_json.load_chart(name) for name in ("AAPL", "MSFT", "GS2C.DE", "VFINX")}
    yf_json.serve_recorded(monkeypatch, charts)
    configure_yfinance()
    source = YahooSource(online_check=None)

    def run(*symbols, start=None, end=END):
        return source._download(list(symbols), start, end)

    return run


def test_real_download_frames(download):
    several = download("MSFT", "AAPL")
    one = download("AAPL")

    assert several.shape == (126, 16) and one.shape == (126, 8)
    assert several.columns.names == one.columns.names == ["Price", "Ticker"]  # even for one
    prices = list(dict.fromkeys(several.columns.get_level_values("Price")))
    assert prices == sorted(prices)  # sorted, not history's order
    assert str(several.index.dtype) == "datetime64[s]" and several.index.tz is None


def test_split_download_picks_each_ticker_by_name(download):
    frame = download("AAPL", "GS2C.DE", "VFINX", "NOPE", "MSFT")
    symbols = ["AAPL", "GS2C.DE", "VFINX", "NOPE", "MSFT"]

    frames = split_download(frame, symbols)

    assert list(frames) == ["AAPL", "GS2C.DE", "VFINX", "MSFT"]  # NOPE: all NaN, left out
    assert "Capital Gains" in frames["VFINX"].columns
    assert "Capital Gains" not in frames["AAPL"].columns
    assert [len(frames[s]) for s in ("AAPL", "GS2C.DE", "MSFT")] == [126, 4, 126]
    assert len(frame) == 288  # the union with VFINX's quarterly bars since 1985
    assert frames["AAPL"].loc["2025-10-28", "Close"] == pytest.approx(269.0)
    closes = yf_json.bar_values(yf_json.load_chart("VFINX"), "close")
    assert dict(zip(frames["VFINX"].index.date, frames["VFINX"]["Close"], strict=True)) == (
        pytest.approx(closes)
    )


def test_download_rows_are_history_rows_with_exchange_local_dates(download, monkeypatch):
    import yfinance as yf

    frames = split_download(download("GS2C.DE", "AAPL"), ["GS2C.DE", "AAPL"])
    ticker = yf.Ticker("GS2C.DE")
    history = ticker.history(period="max", end=END + dt.timedelta(days=1), auto_adjust=False)

    from_download = rows_of(frames["GS2C.DE"], DOWNLOAD_METADATA)
    assert from_download == rows_of(history, ticker.history_metadata)
    assert [r["date"] for r in from_download] == [dt.date(2025, 10, d) for d in (23, 24, 27, 28)]
    assert all(isinstance(r["volume"], int) for r in from_download)  # float64 in the frame


def test_all_failed_download_splits_to_nothing(download):
    frame = download("NOPE1", "NOPE2")

    assert frame.shape == (0, 12)
    assert split_download(frame, ["NOPE1", "NOPE2"]) == {}


def multi(columns: dict[tuple[str, str], list], days: list[str], names=("Price", "Ticker")):
    """A hand-built download frame: naive dates, MultiIndex columns."""
    frame = pd.DataFrame(columns, index=pd.DatetimeIndex(days, name="Date"))
    frame.columns = pd.MultiIndex.from_tuples(list(columns), names=list(names))
    return frame


def test_split_download_drops_only_rows_without_any_value():
    days = ["2025-10-27", "2025-10-28", "2025-10-29"]
    nan = np.nan
    frame = multi(
        {
            ("Close", "AAA"): [1.0, nan, nan],
            ("Dividends", "AAA"): [0.0, 0.5, nan],  # a dividend on a day without a close
            ("Close", "BBB"): [2.0, 2.1, 2.2],
            ("Dividends", "BBB"): [0.0, 0.0, 0.0],
        },
        days,
    )

    frames = split_download(frame, ["AAA", "BBB", "CCC"])

    assert list(frames) == ["AAA", "BBB"]
    assert list(frames["AAA"].index.date) == [dt.date(2025, 10, 27), dt.date(2025, 10, 28)]
    assert list(frames["AAA"].columns) == ["Close", "Dividends"]
    rows = rows_of(frames["AAA"], DOWNLOAD_METADATA)
    assert rows == [{"date": dt.date(2025, 10, 27), "close": 1.0, "dividend": 0.0}]


def test_split_download_by_ticker_level_name_and_upper_case():
    days = ["2025-10-28"]
    by_ticker = multi({("AAA", "Close"): [1.0], ("BBB", "Close"): [2.0]}, days, ("Ticker", "Price"))

    frames = split_download(by_ticker, ["bbb"])  # download upper-cases what it is given

    assert list(frames) == ["bbb"]
    assert frames["bbb"]["Close"].tolist() == [2.0]


def test_split_download_refuses_a_flat_frame():
    flat = pd.DataFrame({"Close": [1.0]}, index=pd.DatetimeIndex(["2025-10-28"]))

    with pytest.raises(ValueError, match="not a yf.download frame"):
        split_download(flat, ["AAA"])


@pytest.mark.parametrize(
    ("now", "last"),
    [
        (dt.datetime(2025, 10, 29, 16, 29, tzinfo=NY), dt.date(2025, 10, 28)),
        (dt.datetime(2025, 10, 29, 16, 30, tzinfo=NY), dt.date(2025, 10, 29)),
        # 21:00 in Berlin is 16:00 in New York (Berlin left summer time on the 26th)
        (dt.datetime(2025, 10, 29, 21, 0, tzinfo=ZoneInfo("Europe/Berlin")), dt.date(2025, 10, 28)),
    ],
)
def test_download_rows_for_today_are_final_from_16_30_new_york(now, last):
    days = ["2025-10-28", "2025-10-29", "2025-10-30"]  # the 30th: a bar from further east
    frame = multi({("Close", "AAA"): [1.0, 1.1, 1.2]}, days)
    own = split_download(frame, ["AAA"])["AAA"]

    rows = rows_of(own, DOWNLOAD_METADATA, end=dt.date(2025, 10, 30), now=now)

    assert rows[-1]["date"] == last


@pytest.mark.parametrize(
    ("symbol", "expected"),
    [
        ("AAPL", True),
        ("BRK-B", True),
        ("GS2C.DE", True),
        ("^GSPC", True),
        ("VFINX", True),
        ("VOD.L", False),  # pence
        ("vod.l", False),
        ("NPN.JO", False),  # cents
        ("TEVA.TA", False),  # agorot
        ("BTC-USD", False),  # crypto: a UTC day
        ("EURUSD=X", False),
        ("ES=F", False),
    ],
)
def test_batchable(symbol, expected):
    assert batchable(symbol) is expected
