"""The demo portfolio of our founding story, in its own database file.

A small-cap tilted investor bought a small-cap fund (TETON Westwood SmallCap Equity I, WWSIX),
Summit Materials (SUM) and Cohu (COHU) in early 2024 and asks whether they beat the Russell 2000
and the S&P 500. Online, the refresh fetches real prices. Offline with nothing cached, the demo is
filled with simulated prices, flagged in the database so every screen says so; a refresh that
succeeds replaces them. Simulated rows can only ever be written to a database marked as the demo.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

from desktop.core.model import Instrument, InstrumentKind, Trade, TradeType
from desktop.data.store import SIMULATED_SOURCE, Store

DEMO_INSTRUMENTS = (
    Instrument("WWSIX", "TETON Westwood SmallCap Equity Fund Class I", InstrumentKind.MUTUAL_FUND),
    Instrument("SUM", "Summit Materials, Inc.", InstrumentKind.EQUITY),
    Instrument("COHU", "Cohu, Inc.", InstrumentKind.EQUITY),
    Instrument("^RUT", "Russell 2000", InstrumentKind.INDEX),
    Instrument("^GSPC", "S&P 500", InstrumentKind.INDEX),
    Instrument("IWM", "iShares Russell 2000 ETF", InstrumentKind.ETF),
    Instrument("IWN", "iShares Russell 2000 Value ETF", InstrumentKind.ETF),
)

# Real closes of 8 January and 4 March 2024 for SUM and COHU; the fund's NAV is an estimate.
DEMO_TRADES = (
    Trade(
        dt.date(2024, 1, 8), TradeType.BUY, "WWSIX", Decimal("800"), Decimal("22.45"), Decimal("0")
    ),
    Trade(
        dt.date(2024, 1, 8), TradeType.BUY, "SUM", Decimal("250"), Decimal("37.77"), Decimal("1.00")
    ),
    Trade(
        dt.date(2024, 1, 8),
        TradeType.BUY,
        "COHU",
        Decimal("300"),
        Decimal("33.80"),
        Decimal("1.00"),
    ),
    Trade(
        dt.date(2024, 3, 1),
        TradeType.BUY,
        "COHU",
        Decimal("150"),
        Decimal("32.81"),
        Decimal("1.00"),
    ),
    Trade(
        dt.date(2024, 3, 4), TradeType.SELL, "SUM", Decimal("50"), Decimal("43.92"), Decimal("1.00")
    ),
)
DEMO_WATCHLIST = ("IWM", "IWN")

# Simulation: (price on the first simulated day, annual drift, annual volatility).
_SIMULATION = {
    "WWSIX": (22.6, 0.07, 0.20),
    "SUM": (38.3, 0.12, 0.30),
    "COHU": (34.6, -0.05, 0.40),
    "^RUT": (2027.0, 0.08, 0.21),
    "^GSPC": (4769.8, 0.14, 0.15),
    "IWM": (200.7, 0.08, 0.21),
    "IWN": (155.0, 0.07, 0.22),
}
_SIMULATION_START = dt.date(2023, 12, 29)
#: Summit Materials was taken private in February 2025: its prices stop there, as they really do.
_SIMULATION_END = {"SUM": dt.date(2025, 2, 7)}


def ensure_demo(store: Store, today: dt.date | None = None) -> bool:
    """Seed an empty database as the demo; return True if it was seeded now.

    A database that has trades and is not marked as the demo is never touched.
    """
    if store.trades() and not store.is_demo:
        return False
    seeded = False
    if not store.trades():
        with store.atomic():
            store.set_setting("demo", "1")
            for instrument in DEMO_INSTRUMENTS:
                store.save_instrument(instrument)
            for trade in DEMO_TRADES:
                _, problems = store.add_trade(trade)
                if problems:  # pragma: no cover - the demo ledger is valid by construction
                    raise RuntimeError(f"demo ledger refused: {problems}")
            for symbol in DEMO_WATCHLIST:
                store.add_to_watchlist(symbol)
        seeded = True
    if store.newest_close_date() is None:
        fill_simulated_prices(store, today or dt.date.today())
    return seeded


def _weekdays(start: dt.date, end: dt.date) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def simulated_closes(symbol: str, end: dt.date) -> list[tuple[dt.date, float]]:
    """A reproducible random walk (geometric Brownian motion) for one demo symbol."""
    first, drift, vol = _SIMULATION[symbol]
    rng = random.Random(f"portfolio-desk-demo-{symbol}")
    step = 1 / 252
    price, out = first, []
    # The indices move together with the demo holdings, as real small caps do.
    market = random.Random("portfolio-desk-demo-market")
    for day in _weekdays(_SIMULATION_START, min(end, _SIMULATION_END.get(symbol, end))):
        if out:
            shock = 0.6 * market.gauss(0, 1) + 0.8 * rng.gauss(0, 1)
            price *= math.exp((drift - vol * vol / 2) * step + vol * math.sqrt(step) * shock)
        else:
            market.gauss(0, 1)
        out.append((day, round(price, 2)))
    return out


def fill_simulated_prices(store: Store, today: dt.date) -> None:
    """Write simulated closes for every demo symbol that has none cached (demo database only)."""
    end = today - dt.timedelta(days=1)
    with store.atomic():
        for symbol in _SIMULATION:
            if store.price_span(symbol) is None:
                rows = [
                    {"date": d, "close": c, "adj_close": c}
                    for d, c in simulated_closes(symbol, end)
                ]
                store.upsert_prices(symbol, rows, SIMULATED_SOURCE)
