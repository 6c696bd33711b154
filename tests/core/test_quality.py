"""The quality card: liquidity worked out by hand (gaps, missing and zero volumes, the window's
edges), the card's rows and its nulls, and the cap-class bands."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from desktop.core.fundamentals import CapClass, Fundamentals
from desktop.core.quality import CARD, FigureKind, Liquidity, liquidity, quality_card

D = dt.date


def series(values: dict[str, float | None]) -> pd.Series:
    """Values by ISO date, as the store gives them (a DatetimeIndex, NaN for None)."""
    return pd.Series(
        [math.nan if v is None else v for v in values.values()],
        index=pd.DatetimeIndex(list(values), name="date"),
        dtype=float,
    )


# -- liquidity ------------------------------------------------------------------------------
#: Closes to a last close on 2025-10-28 (a Tuesday); weeks and a month have no sessions.
CLOSES = series(
    {
        "2025-06-30": 90.0,  # long before the window
        "2025-07-28": 100.0,  # exactly three months before the last close: outside
        "2025-07-29": 10.0,
        "2025-08-15": 12.0,
        "2025-09-02": 11.0,  # volume NaN: left out
        "2025-09-03": 11.5,  # no volume row at all: left out
        "2025-10-01": 13.0,  # volume 0: nothing traded, counts
        "2025-10-28": 14.0,
    }
)
VOLUMES = series(
    {
        "2025-06-30": 9_000.0,
        "2025-07-28": 1_000_000.0,
        "2025-07-29": 1_000.0,
        "2025-08-15": 2_000.0,
        "2025-09-02": None,
        "2025-10-01": 0.0,
        "2025-10-28": 500.0,
    }
)


def test_liquidity_is_the_mean_dollar_volume_of_the_sessions_with_a_volume():
    got = liquidity(CLOSES, VOLUMES)

    # 10 x 1,000 + 12 x 2,000 + 13 x 0 + 14 x 500, over the 4 sessions that have a volume.
    assert got.value == pytest.approx((10_000 + 24_000 + 0 + 7_000) / 4)
    assert got.value == pytest.approx(10_250.0)
    assert (got.sessions, got.missing_volumes) == (4, 2)
    assert (got.start, got.end, got.as_of) == (D(2025, 7, 29), D(2025, 10, 28), D(2025, 10, 28))
    assert got.why == ""


def test_a_missing_volume_is_never_read_as_zero():
    # Were the two sessions without a volume counted as 0, the mean would be 41,000 / 6.
    assert liquidity(CLOSES, VOLUMES).value != pytest.approx(41_000 / 6)


def test_the_last_close_without_a_volume_anchors_the_window_but_the_date_is_the_last_used():
    closes = pd.concat([CLOSES, series({"2025-10-29": 15.0})])  # e.g. a CSV row without volume
    got = liquidity(closes, VOLUMES)

    # The window is now after 2025-07-29, so that session drops out: 12 x 2,000, 0, 14 x 500.
    assert got.end == D(2025, 10, 29) and got.start == D(2025, 8, 15)
    assert got.value == pytest.approx((24_000 + 0 + 7_000) / 3)
    assert got.as_of == D(2025, 10, 28)
    assert got.missing_volumes == 3


def test_the_window_is_three_calendar_months_and_clamps_to_the_month_end():
    # 2024-05-31 less three months is 2024-02-29 (a leap year): that day is outside.
    closes = series({"2024-02-28": 1.0, "2024-02-29": 2.0, "2024-03-01": 3.0, "2024-05-31": 4.0})
    volumes = series({"2024-02-28": 10.0, "2024-02-29": 10.0, "2024-03-01": 10.0, "2024-05-31": 5})

    got = liquidity(closes, volumes)

    assert got.start == D(2024, 3, 1)
    assert got.value == pytest.approx((3 * 10 + 4 * 5) / 2)


def test_a_shorter_window_can_be_asked_for():
    got = liquidity(CLOSES, VOLUMES, months=1)  # after 2025-09-28
    assert got.value == pytest.approx((0 + 7_000) / 2) and got.start == D(2025, 10, 1)


def test_only_zero_volumes_as_for_a_funds_nav_are_unknown():
    closes = series({"2025-10-27": 520.0, "2025-10-28": 521.0})
    got = liquidity(closes, series({"2025-10-27": 0.0, "2025-10-28": 0.0}))
    assert got.value is None and got.as_of is None
    assert got.why == "every volume from 2025-10-27 to 2025-10-28 is 0"


def test_no_volumes_or_no_closes_are_unknown_never_zero():
    no_volumes = liquidity(CLOSES, pd.Series([], index=pd.DatetimeIndex([]), dtype=float))
    assert no_volumes.value is None and no_volumes.missing_volumes == 6
    assert no_volumes.why == "no volumes cached from 2025-07-29 to 2025-10-28"
    empty = pd.Series([], index=pd.DatetimeIndex([]), dtype=float)
    assert liquidity(empty, empty) == Liquidity(None, why="no closes cached")


def test_nan_closes_and_negative_volumes_are_left_out():
    closes = series({"2025-10-24": None, "2025-10-27": 20.0, "2025-10-28": 21.0})
    volumes = series({"2025-10-24": 100.0, "2025-10-27": -5.0, "2025-10-28": 100.0})
    got = liquidity(closes, volumes)
    assert got.value == pytest.approx(2_100.0) and got.sessions == 1 and got.missing_volumes == 1


def test_exchange_local_timestamps_as_yfinance_gives_them_are_read_by_day():
    ny = pd.DatetimeIndex(["2025-10-27", "2025-10-28"]).tz_localize("America/New_York")
    closes = pd.Series([20.0, 21.0], index=ny)
    volumes = pd.Series([100, 300], index=ny)  # integers, as yfinance's Volume column
    got = liquidity(closes, volumes)
    assert got.value == pytest.approx((2_000 + 6_300) / 2) and got.as_of == D(2025, 10, 28)


# -- the card -------------------------------------------------------------------------------
SNAPSHOT = Fundamentals(
    symbol="COHU",
    fetched=D(2025, 10, 29),
    currency="USD",
    market_cap=1.1e9,
    total_debt=30e6,
    total_cash=250e6,
    return_on_equity=-0.08,
    consensus="buy",
    consensus_mean=1.8,
    analysts=5,
    trailing_pe=None,  # a loss: no P/E
    forward_pe=45.0,
    trailing_eps=-1.5,
    operating_margin=-0.12,
    debt_to_equity=0.045,
)
KEYS = [
    "market_cap",
    "trailing_pe",
    "forward_pe",
    "trailing_eps",
    "operating_margin",
    "total_debt",
    "total_cash",
    "net_cash",
    "debt_to_equity",
    "return_on_equity",
    "consensus",
    "analysts",
    "liquidity",
]


def by_key(card):
    return {f.key: f for f in card}


def test_the_card_holds_every_figure_with_its_date_and_unit():
    liquid = Liquidity(123_456.0, as_of=D(2025, 10, 28), sessions=63)
    card = quality_card(SNAPSHOT, liquid, price_currency="USD")
    rows = by_key(card)

    assert [f.key for f in card] == KEYS == [key for key, _label, _kind in CARD]
    assert {k: f.value for k, f in rows.items()} == {
        "market_cap": 1.1e9,
        "trailing_pe": None,
        "forward_pe": 45.0,
        "trailing_eps": -1.5,
        "operating_margin": -0.12,
        "total_debt": 30e6,
        "total_cash": 250e6,
        "net_cash": pytest.approx(220e6),  # 250M of cash less 30M of debt
        "debt_to_equity": 0.045,
        "return_on_equity": -0.08,
        "consensus": 1.8,
        "analysts": 5,
        "liquidity": 123_456.0,
    }
    assert rows["market_cap"].text == "small" and rows["consensus"].text == "buy"
    assert {f.fetched for k, f in rows.items() if k != "liquidity"} == {D(2025, 10, 29)}
    assert rows["liquidity"].fetched == D(2025, 10, 28)  # the last close used, not the fetch
    assert rows["debt_to_equity"].kind is FigureKind.FRACTION
    assert rows["trailing_pe"].kind is FigureKind.MULTIPLE
    assert rows["trailing_eps"].kind is FigureKind.PER_SHARE
    assert rows["trailing_eps"].currency == "USD" and rows["trailing_pe"].currency == ""
    assert isinstance(rows["analysts"].value, int)


def test_without_a_snapshot_every_company_figure_is_none_and_liquidity_is_kept():
    liquid = Liquidity(1e6, as_of=D(2025, 10, 28), sessions=60)
    card = quality_card(None, liquid, price_currency="USD")
    assert [f.key for f in card] == KEYS
    others = [f for f in card if f.key != "liquidity"]
    assert all(f.value is None and f.fetched is None and f.text is None for f in others)
    (kept,) = [f for f in card if f.key == "liquidity"]
    assert (kept.value, kept.fetched, kept.currency) == (1e6, D(2025, 10, 28), "USD")
    assert all(f.value is None for f in quality_card(None))


def test_unknown_figures_stay_none_and_undated_liquidity_has_no_date():
    bare = Fundamentals("NEW", D(2025, 10, 29), "USD")
    rows = by_key(quality_card(bare, Liquidity(None, why="no closes cached")))
    assert all(f.value is None for f in rows.values())
    assert rows["liquidity"].fetched is None
    assert rows["market_cap"].text is None and rows["consensus"].text is None
    assert rows["market_cap"].fetched == D(2025, 10, 29)  # fetched, and Yahoo had nothing


def test_a_nan_that_slipped_in_is_none_not_a_number():
    odd = Fundamentals("X", D(2025, 10, 29), "USD", market_cap=math.nan, forward_pe=math.inf)
    rows = by_key(quality_card(odd))
    assert rows["market_cap"].value is None and rows["forward_pe"].value is None
    assert rows["liquidity"].value is None


def test_liquidity_is_in_the_price_currency_money_in_the_reporting_one():
    adr = Fundamentals("TSM", D(2025, 10, 29), "TWD", total_cash=2.0e12)
    rows = by_key(quality_card(adr, Liquidity(5e9, as_of=D(2025, 10, 28)), price_currency="USD"))
    assert rows["total_cash"].currency == "TWD" and rows["liquidity"].currency == "USD"


@pytest.mark.parametrize(
    "cap, expected",
    [
        (1.0, CapClass.MICRO),
        (299_999_999.0, CapClass.MICRO),
        (300_000_000.0, CapClass.SMALL),
        (1_999_999_999.0, CapClass.SMALL),
        (2_000_000_000.0, CapClass.MID),
        (9_999_999_999.0, CapClass.MID),
        (10_000_000_000.0, CapClass.LARGE),
        (4.0e12, CapClass.LARGE),
        (0.0, None),
        (-5e9, None),
        (None, None),
    ],
)
def test_cap_class_bands(cap, expected):
    f = Fundamentals("X", D(2025, 10, 29), "USD", market_cap=cap)
    assert f.cap_class is expected
    text = by_key(quality_card(f))["market_cap"].text
    assert text == (expected.value if expected is not None else None)
