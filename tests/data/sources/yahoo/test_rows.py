"""Reading yfinance frames into price rows, without yfinance: edge cases on the frame yfinance
makes of the recorded AAPL chart (built by hand, ``yahoo_frames.history_frame``; that yfinance
builds the same one is checked in ``test_recorded.py``), edited into shapes yfinance itself can
return but the recordings do not contain."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from desktop.core.model import InstrumentKind
from desktop.data.sources.yahoo.rows import frame_to_rows, instrument_from, unfinished_day
from tests import yahoo_frames as yf_json

NY = ZoneInfo("America/New_York")
NOW = dt.datetime(2025, 10, 30, 8, 0, tzinfo=NY)
END = dt.date(2025, 10, 28)


@pytest.fixture
def aapl():
    """AAPL's recorded chart as yfinance 1.7 returns it, with its history metadata."""
    chart = yf_json.load_chart("AAPL")
    return yf_json.history_frame(chart), yf_json.meta(chart)


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
