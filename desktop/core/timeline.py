"""The ledger day by day: market value, cash and external flows at every close.

Pure and vectorised (numpy/pandas). Inputs are plain data: the trades, a frame of closes (one
column per symbol, NaN gaps) and, for instruments not in the base currency, their currency and
a frame of FX rates (units of base currency per unit, one column per currency code).

What counts as an external flow depends on whether the portfolio tracks cash:

- With a deposit or withdrawal in the ledger, the portfolio keeps a cash balance: its value is
  securities plus cash, and only deposits (in) and withdrawals (out) cross its boundary. Buys,
  sales, dividends, fees, taxes and interest move money inside it.
- Without any, buys (quantity * price + fee) are inflows, sales (proceeds less fee), dividends
  and interest are outflows, and standalone fees and taxes are inflows that are lost.

Yahoo's closes are split-adjusted back in time, so positions are counted in today's shares: a
trade's quantity is multiplied by every split the ledger records after its date. A trade on a
non-trading day joins the next trading day in the daily chain and keeps its own date in
``flows`` (for the money-weighted return). Prices and FX rates are carried forward over gaps; a
day on which something held has no price yet is left out, its flows joining the next day kept.
The series starts on the last trading day before the first entry (value 0) and ends at the last
close; entries after the last close are not in it yet.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from desktop.core.holdings import DAY_ORDER, sort_trades
from desktop.core.model import CASH_FLOWS, ZERO, Trade, TradeType

COLUMNS = ("value", "inflow", "outflow", "cash")


@dataclass(frozen=True)
class Timeline:
    """``valuation``: columns value (securities plus cash when tracked), inflow, outflow (>= 0)
    and cash, on trading dates. ``flows``: external flows at their own dates, positive into the
    portfolio. All money in the base currency."""

    valuation: pd.DataFrame
    flows: pd.Series
    tracks_cash: bool
    #: With ``build_timeline(gains=True)``: each holding's gain on each day of ``valuation``
    #: (columns: the securities, and ``cash`` for the entries naming none), whose sum is the
    #: day's gain V_t + O_t - V_{t-1} - I_t (see ``gains_by_holding``).
    gains: pd.DataFrame | None = None


def _split_factors(trades: Sequence[Trade]) -> dict[str, tuple[list, list[Decimal]]]:
    """Per symbol: split dates and the product of the ratios of all splits after each one."""
    splits: dict[str, list[tuple]] = {}
    for t in trades:
        if t.type is TradeType.SPLIT:
            splits.setdefault(t.symbol, []).append((t.date, t.split_ratio))
    out = {}
    for sym, events in splits.items():
        events.sort()
        after = [Decimal(1)] * (len(events) + 1)
        for i in range(len(events) - 1, -1, -1):
            after[i] = after[i + 1] * events[i][1]
        out[sym] = ([d for d, _ in events], after)
    return out


def splits_after(trades: Sequence[Trade], symbol: str, day: dt.date) -> Decimal:
    """How many of today's shares one share of ``symbol`` held on ``day`` has become: the
    product of the ratios of every split the ledger records after ``day`` (1 without any).

    Closes split-adjusted back in time (Yahoo's) times this are the prices as quoted on
    ``day``, in the shares held then."""
    factor = Decimal(1)
    for t in trades:
        if t.type is TradeType.SPLIT and t.symbol == symbol and t.date > day:
            factor *= t.split_ratio
    return factor


def _today_shares(factors, t: Trade) -> Decimal:
    """The trade's quantity in today's shares: times every split dated after the trade."""
    if t.symbol not in factors:
        return t.quantity
    dates, after = factors[t.symbol]
    return t.quantity * after[bisect.bisect_right(dates, t.date)]


#: Each entry type as the integer ``EntryTable.kinds`` holds.
KIND = {kind: i for i, kind in enumerate(TradeType)}
EPOCH_ORDINAL = 719_163  #: datetime.date(1970, 1, 1).toordinal()
_CASH_KINDS = [KIND[kind] for kind in CASH_FLOWS]


@dataclass(frozen=True)
class EntryTable:
    """One group's entries (a security's, or ``""``: those naming none) as arrays, in ledger
    order, splits left out (they are in ``position``): what the timeline needs of them, and
    nothing of the market, so a caller may keep it while the group's entries do not change.

    ``position`` is the units held after each buy or sale, in today's shares (the exact
    ``Decimal`` sum, then float), NaN on the other entries; ``codes`` the currency each entry
    names (``""``: its security's)."""

    symbol: str
    ordinals: np.ndarray
    kinds: np.ndarray
    gross: np.ndarray
    fee: np.ndarray
    amount: np.ndarray
    codes: tuple[str, ...]
    position: np.ndarray
    order: np.ndarray  #: what orders the entries of a day: ``holdings.DAY_ORDER``, then id
    ids: np.ndarray
    #: The group's splits (not in the rows above), as (date, new shares per old share).
    splits: tuple[tuple[dt.date, Decimal], ...] = ()


def entry_table(symbol: str, entries: Sequence[Trade]) -> EntryTable:
    """The table of one group's entries (every entry naming ``symbol``, or naming none for
    ``""``)."""
    factors = _split_factors(entries)
    ordered = [t for t in sort_trades(entries) if t.type is not TradeType.SPLIT]
    n = len(ordered)
    kinds = np.empty(n, dtype=np.int64)
    gross, fee, amount, position = (np.empty(n) for _ in range(4))
    held = ZERO
    for i, t in enumerate(ordered):
        kinds[i] = KIND[t.type]
        gross[i] = float(t.gross) if t.quantity else 0.0
        fee[i] = float(t.fee) if t.fee else 0.0
        amount[i] = float(t.amount) if t.amount else 0.0
        if t.type is TradeType.BUY or t.type is TradeType.SELL:
            units = _today_shares(factors, t)
            held += units if t.type is TradeType.BUY else -units
            position[i] = float(held)
        else:
            position[i] = np.nan
    return EntryTable(
        symbol=symbol,
        ordinals=np.fromiter((t.date.toordinal() for t in ordered), dtype=np.int64, count=n),
        kinds=kinds,
        gross=gross,
        fee=fee,
        amount=amount,
        codes=tuple(t.currency for t in ordered),
        position=position,
        order=np.fromiter((DAY_ORDER[t.type] for t in ordered), dtype=np.int64, count=n),
        ids=np.fromiter((t.id or 0 for t in ordered), dtype=np.int64, count=n),
        splits=tuple((t.date, t.split_ratio) for t in entries if t.type is TradeType.SPLIT),
    )


def entry_tables(trades: Sequence[Trade]) -> list[EntryTable]:
    """The tables of every group of ``trades``."""
    groups: dict[str, list[Trade]] = {}
    for t in trades:
        groups.setdefault(t.symbol, []).append(t)
    return [entry_table(symbol, entries) for symbol, entries in groups.items()]


def _positions(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n_symbols: int, n: int):
    """Units held at each close from row ``first`` on (rows counted from it; columns: symbols):
    each symbol's end-of-day positions on the days it changed, carried forward."""
    # Column-major, so pandas' fill runs down each column contiguously (several times faster).
    qty = np.full((n, n_symbols), np.nan, order="F")
    qty[0] = 0.0  # nothing is held before a symbol's first change
    qty[rows, cols] = values
    return pd.DataFrame(qty, copy=False).ffill().to_numpy()


def _last_valid(prefix: np.ndarray) -> np.ndarray:
    """The last non-NaN value of each column (NaN where there is none)."""
    valid = ~np.isnan(prefix)
    last = prefix.shape[0] - 1 - np.argmax(valid[::-1], axis=0)
    seed = prefix[last, np.arange(prefix.shape[1])]
    return np.where(valid.any(axis=0), seed, np.nan)


def carried_forward(closes: pd.DataFrame) -> np.ndarray:
    """``closes`` (sorted by date) as a matrix carried forward over gaps down each column: a
    caller that keeps it saves the timeline that work (``build_timeline(filled=...)``)."""
    return pd.DataFrame(closes.to_numpy(dtype=float), copy=False).ffill().to_numpy()


def _prices_from(
    closes: pd.DataFrame, symbols: list[str], first: int, filled: np.ndarray | None = None
) -> np.ndarray:
    """Closes of ``symbols`` from row ``first`` on, carried forward over gaps, starting from the
    last close before ``first`` (a symbol with no closes at all stays NaN); from ``filled``
    (``carried_forward(closes)``) when given: the same numbers."""
    cols = closes.columns.get_indexer(symbols)
    present = np.flatnonzero(cols >= 0)
    if filled is not None:
        window = np.full((filled.shape[0] - first, len(symbols)), np.nan, order="F")
        window[:, present] = filled[first:, cols[present]]
        return window
    raw = closes.to_numpy(dtype=float)
    window = np.full((raw.shape[0] - first, len(symbols)), np.nan, order="F")
    window[:, present] = raw[first:, cols[present]]
    window[0, present] = _last_valid(raw[: first + 1, cols[present]])
    return pd.DataFrame(window, copy=False).ffill().to_numpy()


def entry_flows(kinds: np.ndarray, gross: np.ndarray, fee: np.ndarray, amount: np.ndarray):
    """Per entry (vectorised): the cash change inside the portfolio, and the inflow and outflow
    it would be without cash tracking, in the entry's currency."""
    k = {kind: kinds == KIND[kind] for kind in TradeType}
    cost, proceeds = gross + fee, gross - fee
    income = k[TradeType.DIVIDEND] | k[TradeType.INTEREST] | k[TradeType.DEPOSIT]
    spent = k[TradeType.FEE] | k[TradeType.TAX] | k[TradeType.WITHDRAWAL]
    delta = np.select(
        [k[TradeType.BUY], k[TradeType.SELL], income, spent],
        [-cost, proceeds, amount, -amount],
        0.0,
    )
    inflow = np.select([k[TradeType.BUY], spent], [cost, amount], 0.0)
    outflow = np.select([k[TradeType.SELL], income], [proceeds, amount], 0.0)
    return delta, inflow, outflow


def build_timeline(
    trades: Sequence[Trade],
    closes: pd.DataFrame,
    *,
    currencies: Mapping[str, str] | None = None,
    fx: pd.DataFrame | None = None,
    base: str = "USD",
    tables: Sequence[EntryTable] | None = None,
    filled: np.ndarray | None = None,
    gains: bool = False,
) -> Timeline:
    """The timeline of ``trades`` (see the module docstring). ``tables``: their
    ``EntryTable``s, one per group, when the caller keeps them (then ``trades`` is not read);
    ``filled``: ``carried_forward(closes)`` when the caller keeps it (``closes`` sorted);
    ``gains``: also each holding's gain per day (``Timeline.gains``)."""
    if filled is None or not closes.index.is_monotonic_increasing:
        closes, filled = closes.sort_index(), None
    dates = pd.DatetimeIndex(closes.index)
    n = len(dates)
    if tables is None:
        tables = entry_tables(trades)
    tables = [t for t in tables if len(t.ordinals)]
    if not tables:
        return _empty(dates, any(t.type in CASH_FLOWS for t in trades))
    kinds = np.concatenate([t.kinds for t in tables])
    tracks_cash = bool(np.isin(kinds, _CASH_KINDS).any())
    # Calendar days as ordinals (date.toordinal); converting date objects is the slow part.
    ordinals = np.concatenate([t.ordinals for t in tables])
    close_days = dates.values.astype("datetime64[D]").astype(np.int64) + EPOCH_ORDINAL
    day_of = np.searchsorted(close_days, ordinals, side="left")
    kept = day_of < n  # entries after the last close wait
    if n == 0 or not kept.any():
        return _empty(dates, tracks_cash)
    currencies = currencies or {}
    rates = _rates(dates, fx, base)
    missing = np.full(n, np.nan)
    joins = np.minimum(day_of, n - 1)
    rate = np.ones(len(ordinals))
    group = np.repeat(np.arange(len(tables)), [len(t.ordinals) for t in tables])
    start = 0
    for t in tables:  # each entry at the rate of its currency on the close it joins
        own = currencies.get(t.symbol, base) if t.symbol else base
        codes = np.array([code or own for code in t.codes], dtype=object)
        for code in set(codes.tolist()) - {base}:
            chosen = np.flatnonzero(codes == code) + start
            rate[chosen] = rates.get(code, missing)[joins[chosen]]
        start += len(codes)

    def of_kept(values: np.ndarray) -> np.ndarray:
        return values[kept]

    kinds, days, group = of_kept(kinds), of_kept(day_of).astype(np.int64), of_kept(group)
    ordinals, rate = of_kept(ordinals), of_kept(rate)
    gross, fee, amount, position, order, ids = (
        of_kept(np.concatenate([getattr(t, name) for t in tables]))
        for name in ("gross", "fee", "amount", "position", "order", "ids")
    )
    delta, inflow, outflow = (x * rate for x in entry_flows(kinds, gross, fee, amount))
    if tracks_cash:
        inflow = np.where(kinds == KIND[TradeType.DEPOSIT], delta, 0.0)
        outflow = np.where(kinds == KIND[TradeType.WITHDRAWAL], -delta, 0.0)
    moved = (inflow != 0) | (outflow != 0)
    in_order = np.lexsort((ids, order, ordinals))  # ledger order: date, kind of entry, id
    shown = in_order[moved[in_order]]
    flows = pd.Series(
        (inflow - outflow)[shown],
        index=pd.DatetimeIndex((ordinals[shown] - EPOCH_ORDINAL).astype("datetime64[D]")),
        name="flow",
        dtype=float,
    )

    first = max(int(days.min()) - 1, 0)  # nothing is held before the first entry
    # Each security's position at the end of every day it changed: its last buy or sale then.
    traded = np.flatnonzero(~np.isnan(position))
    held_groups = np.unique(group[traded])
    symbols = [tables[g].symbol for g in held_groups]
    column = np.full(len(tables), -1)
    column[held_groups] = np.arange(len(held_groups))
    key = group[traded] * (n + 1) + days[traded]
    _, last_from_end = np.unique(key[::-1], return_index=True)
    last = traded[len(traded) - 1 - last_from_end]
    change_rows, change_cols = days[last] - first, column[group[last]]
    change_values = position[last]
    securities = np.zeros(n)
    priced = np.ones(n, dtype=bool)
    product = np.zeros((n - first, 0))
    if symbols:
        qty = _positions(change_rows, change_cols, change_values, len(symbols), n - first)
        prices = _prices_from(closes, symbols, first, filled)
        foreign = [j for j, sym in enumerate(symbols) if currencies.get(sym, base) != base]
        if foreign:
            prices = prices.copy()
            for j in foreign:
                prices[:, j] *= rates.get(currencies[symbols[j]], missing)[first:]
        product = qty * prices
        total = product.sum(axis=1)
        # Rows with a NaN (an unpriced cell): fine if nothing is held there, else unpriced.
        bad = np.flatnonzero(np.isnan(total))
        if len(bad):
            part = product[bad]
            unknown = np.isnan(part)
            priced[first + bad] = ~(unknown & (qty[bad] != 0.0)).any(axis=1)
            part[unknown] = 0.0
            total[bad] = part.sum(axis=1)
        securities[first:] = total
    # A flow in a currency with no rate yet cannot be valued: that day waits too, and the
    # flow counts as nothing (the other entries of its day still count).
    unknown = np.bincount(days, weights=np.isnan(delta), minlength=n) > 0
    priced &= ~unknown
    delta, inflow, outflow = np.nan_to_num(delta), np.nan_to_num(inflow), np.nan_to_num(outflow)
    cash_balance = np.cumsum(np.bincount(days, weights=delta, minlength=n))
    value = securities + (cash_balance if tracks_cash else 0.0)
    keep = priced & (np.arange(n) >= first)
    cum_in = np.cumsum(np.bincount(days, weights=inflow, minlength=n))[keep]
    cum_out = np.cumsum(np.bincount(days, weights=outflow, minlength=n))[keep]
    valuation = pd.DataFrame(
        {
            "value": value[keep],
            "inflow": np.diff(cum_in, prepend=0.0),
            "outflow": np.diff(cum_out, prepend=0.0),
            "cash": cash_balance[keep],
        },
        index=dates[keep],
    )
    if not gains:
        return Timeline(valuation, flows, tracks_cash)
    names = [t.symbol or CASH for t in tables]
    per_holding = np.zeros((n - first, len(tables)))
    per_holding[:, held_groups] = np.nan_to_num(product)  # a NaN cell holds nothing there
    moves = delta
    if tracks_cash:  # deposits and withdrawals are the investor's money, not a gain
        external = (kinds == KIND[TradeType.DEPOSIT]) | (kinds == KIND[TradeType.WITHDRAWAL])
        moves = np.where(external, 0.0, moves)
    return Timeline(
        valuation,
        flows,
        tracks_cash,
        gains_by_holding(per_holding, first, keep, days, group, moves, dates, names),
    )


#: The column of ``Timeline.gains`` for the entries that name no security.
CASH = "cash"


def gains_by_holding(
    values: np.ndarray,
    first: int,
    keep: np.ndarray,
    days: np.ndarray,
    group: np.ndarray,
    moves: np.ndarray,
    dates: pd.DatetimeIndex,
    names: list[str],
) -> pd.DataFrame:
    """Each holding's gain on each kept day: the change of its value since the previous kept
    day (0 before the first) plus the cash its entries moved since then (a sale's proceeds, a
    dividend; a buy's cost and a fee negative), entries of days left out joining the next kept
    day. The holdings' gains add up to the portfolio's, whose TTWROR divides it by the value
    the day starts with: so do their contributions (``values``: each holding's value from row
    ``first`` on; ``moves``: each entry's cash, ``days`` its close, ``group`` its holding)."""
    kept_rows = np.flatnonzero(keep)
    held = values[kept_rows - first]
    change = np.diff(held, axis=0, prepend=np.zeros((1, held.shape[1])))
    at = np.searchsorted(kept_rows, days, side="left")  # the kept day each entry joins
    waiting = at >= len(kept_rows)  # after the last kept day: not valued yet
    moved = np.zeros_like(change)
    np.add.at(moved, (at[~waiting], group[~waiting]), moves[~waiting])
    return pd.DataFrame(change + moved, index=dates[kept_rows], columns=names)


def _rates(dates: pd.DatetimeIndex, fx: pd.DataFrame | None, base: str) -> dict[str, np.ndarray]:
    """Units of base currency per unit of each currency, on every date (carried forward)."""
    rates = {base: np.ones(len(dates))}
    if fx is not None and len(fx.columns):
        aligned = fx.sort_index().reindex(dates.union(fx.index)).ffill().reindex(dates)
        for code in aligned.columns:
            if code != base:
                rates[code] = aligned[code].to_numpy(dtype=float)
    return rates


def _empty(dates: pd.DatetimeIndex, tracks_cash: bool) -> Timeline:
    frame = pd.DataFrame({c: np.array([], dtype=float) for c in COLUMNS}, index=dates[:0])
    return Timeline(frame, pd.Series([], dtype=float, name="flow"), tracks_cash)
