"""The Markets window (View > Markets, Ctrl+4): small against large from the store's index
closes, the size premium of the factor file kept offline, the style and the rates in words,
each part's CSV the data it draws."""

from __future__ import annotations

import csv

import pytest

from desktop.data.factor_data import import_french
from desktop.data.formats.prices_csv import import_price_file
from desktop.ui.actions import Act
from tests.conftest import FIXTURES


@pytest.fixture
def window(make_window):
    w = make_window()
    import_price_file(w.store, FIXTURES / "RUT_daily_2023-2024.csv", "^RUT")
    import_price_file(w.store, FIXTURES / "GSPC_daily_2023-2024.csv", "^GSPC")
    frame, message = import_french(FIXTURES / "F-F_Research_Data_Factors.CSV")
    assert frame is not None, message
    w.start_background(refresh=False)
    return w


def test_the_markets_window_draws_what_the_store_holds(window, tmp_path):
    window.actions[Act.SHOW_MARKETS].trigger()
    view = window.markets_view
    data = view.data
    # The ratio on the days both indices have, from the files read here.
    with open(FIXTURES / "RUT_daily_2023-2024.csv", newline="") as f:
        rut = {r["Date"]: float(r["Close"]) for r in csv.DictReader(f)}
    with open(FIXTURES / "GSPC_daily_2023-2024.csv", newline="") as f:
        gspc = {r["date"]: float(r["close"]) for r in csv.DictReader(f)}
    days = sorted(set(rut) & set(gspc))
    assert [d.date().isoformat() for d in data.size.index] == days
    assert data.size["ratio"].tolist() == pytest.approx([rut[d] / gspc[d] for d in days])
    premium = data.premium
    text = view.premium.text()
    assert f"since {premium['first_month']}: {premium['annualized_geometric']:+.2%} a year" in text
    assert f"{premium['annualized_arithmetic']:+.2%} as the arithmetic mean" in text
    # No rates cached: said, with the way to get them; no empty curve drawn.
    assert view.rates.text().startswith("No cached closes for ^TNX (the 10-year yield)")
    assert not view.slope.isVisible()
    # The ratio's CSV is the frame drawn.
    target = tmp_path / "size.csv"
    view.choose_export_path = lambda caption, pattern: target
    assert view.export_csv("size") == target
    with open(target, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["date", "ratio", "excess_12m"] and [r[0] for r in rows[1:]] == days
    assert view.export_csv("slope") is None and "Nothing to export" in view.status.text()
    png = tmp_path / "markets"
    view.choose_export_path = lambda caption, pattern: png
    assert view.export_png() == tmp_path / "markets.png"
    assert (tmp_path / "markets.png").read_bytes()[:4] == b"\x89PNG"
    assert window.open_markets() is view  # one window, raised again
    view.close()
