"""Bring the price cache up to date: which symbols, which dates, and what to write.

No Qt here: the UI runs ``run_refresh`` on a worker with its own ``Store`` and shows the
``RefreshReport``. Each symbol's answer is written in its own transaction, so a failure leaves
that symbol's cache as it was. Being offline writes nothing at all: the cache, the instruments and
the fetch status stay exactly as they were, and the report says prices are the cached ones.

A symbol's recent days are asked for again (``OVERLAP_DAYS``) so Yahoo's late corrections reach
the cache. When the new days bring a split, dividend or capital gain the cache does not have,
every adjusted close before it is stale: the symbol's whole history is fetched again and replaces
its cached rows at once, or (if that fetch fails) nothing of it is written, so the next refresh
sees the same new action and tries again.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from desktop.core.holdings import build_positions
from desktop.core.model import (
    DEFAULT_BENCHMARKS,
    RATE_SYMBOLS,
    Instrument,
    InstrumentKind,
    benchmark_symbol,
    parse_benchmarks,
)
from desktop.data.market import base_currency, foreign_currencies, fx_symbol
from desktop.data.sources.protocol import (
    Fetched,
    FetchErrorKind,
    FetchRequest,
    FundamentalsSource,
    PriceHistory,
    PriceSource,
)
from desktop.data.store import ACTION_FIELDS, Store, StoreError

NEW_YORK = ZoneInfo("America/New_York")
#: A US session's close is final this long after the 16:00 bell (late prints, closing auction).
SESSION_FINAL = dt.time(16, 30)
#: Calendar days before the newest cached close that a refresh asks for again (a few sessions):
#: Yahoo revises recent bars (late prints, a dividend entered late); upserting them is harmless.
OVERLAP_DAYS = 7

#: What a database that refuses a write raises (locked, full disk, read-only file).
WRITE_ERRORS = (StoreError, OSError)

Progress = Callable[[int, int, str], None]


def symbols_to_refresh(store: Store) -> list[str]:
    """Held symbols (in the order first bought), the FX rates they need, then the watchlist,
    then the benchmarks and the rates (``RATE_SYMBOLS``: the markets lens reads them).

    A closed position is included while its cache does not reach its last trade, so its
    performance up to the sale can still be drawn.
    """
    trades = store.trades()
    positions, _problems = build_positions(trades)
    last_trade: dict[str, dt.date] = {}
    for trade in trades:
        if trade.symbol:  # cash entries name no security
            last_trade[trade.symbol] = max(trade.date, last_trade.get(trade.symbol, trade.date))
    held = []
    for symbol, last in last_trade.items():
        position = positions.get(symbol)
        if position is not None and position.quantity > 0:
            held.append(symbol)
            continue
        span = store.price_span(symbol)
        if span is None or span[1] < last:
            held.append(symbol)
    base = base_currency(store)
    fx = [fx_symbol(code, base) for code in foreign_currencies(store, trades, base)]
    chosen = parse_benchmarks(store.setting("benchmarks"))  # the window's choice, if any
    chosen = [benchmark_symbol(b) for b in chosen]  # IWM:TR reads IWM's adjusted closes
    watched = store.watchlist()
    return list(dict.fromkeys([*held, *fx, *watched, *DEFAULT_BENCHMARKS, *chosen, *RATE_SYMBOLS]))


def last_completed_session(now: dt.datetime) -> dt.date:
    """The newest US equity session whose close is final at ``now``.

    Sessions are weekdays, final after 16:30 America/New_York. Exchange holidays are not
    modelled: on a holiday the day is still expected, and asking for it finds no new rows
    (``NO_DATA``), which is harmless. A naive ``now`` is taken as the computer's local time.
    """
    local = now.astimezone(NEW_YORK)
    day = local.date() if local.time() >= SESSION_FINAL else local.date() - dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def plan_refresh(store: Store, symbols: Iterable[str], now: dt.datetime) -> list[FetchRequest]:
    """What to ask for: each symbol's whole history if nothing is cached, else from
    ``OVERLAP_DAYS`` before its newest cached close up to the last completed session; symbols
    whose cache already reaches that session are left out. A symbol whose cache holds simulated
    prices (the offline demo) is fetched whole, so real prices replace them."""
    end = last_completed_session(now)
    simulated = store.simulated_symbols()
    requests = []
    for symbol in dict.fromkeys(symbols):
        span = store.price_span(symbol)
        if span is None or symbol in simulated:
            requests.append(FetchRequest(symbol, None, end))
        elif span[1] < end:
            overlap = span[1] - dt.timedelta(days=OVERLAP_DAYS)
            requests.append(FetchRequest(symbol, overlap, end))
    return requests


@dataclass
class RefreshReport:
    """What a refresh did.

    - ``updated``: symbol -> new rows, dates the cache did not have (0 when the source had
      nothing new; revised rows in the overlap are written but not counted).
    - ``failed``: symbol -> (why, message), offline symbols included.
    - ``up_to_date``: symbols not asked for because their cache was current.
    - ``offline``: the source could not be reached; nothing was written for those symbols.
    - ``cancelled``: the user stopped the refresh before every symbol was answered.
    - ``newest_close``: the newest cached close after the refresh, of any symbol.
    - ``refetched``: symbols whose whole history was fetched again and replaced, because their
      new days brought a split, dividend or capital gain (also in ``updated``).
    """

    updated: dict[str, int] = field(default_factory=dict)
    failed: dict[str, tuple[FetchErrorKind, str]] = field(default_factory=dict)
    up_to_date: list[str] = field(default_factory=list)
    offline: bool = False
    cancelled: bool = False
    newest_close: dt.date | None = None
    refetched: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the status bar or the CLI. Never suggests that a symbol is delisted."""
        newest = (
            f"newest close {self.newest_close.isoformat()}"
            if self.newest_close
            else "no prices cached yet"
        )
        rows = sum(self.updated.values())
        what = f"{_count(len(self.updated), 'symbol')} (+{_count(rows, 'row')})"
        if self.offline:
            head = f"Offline after updating {what}" if self.updated else "Offline"
            return f"{head}: showing cached prices ({newest})"
        if self.cancelled:
            return f"Refresh cancelled after updating {what}; {newest}"
        parts = []
        if self.updated:
            parts.append(f"Updated {what}")
        elif not self.failed:
            parts.append("Prices up to date")
        if self.refetched:
            refetched = ", ".join(self.refetched)
            parts.append(f"whole history re-fetched (new split or dividend): {refetched}")
        problems = self._problems()
        if problems:
            parts.append(problems)
        parts.append(newest)
        return "; ".join(parts)

    def _problems(self) -> str:
        by_kind: dict[FetchErrorKind, list[str]] = {}
        for symbol, (kind, _message) in self.failed.items():
            by_kind.setdefault(kind, []).append(symbol)
        words = {
            FetchErrorKind.NOT_FOUND: "not found on Yahoo",
            FetchErrorKind.NO_DATA: "no new prices",
            FetchErrorKind.RATE_LIMITED: "Yahoo is limiting requests, try later",
            FetchErrorKind.ERROR: "failed",
            FetchErrorKind.OFFLINE: "not reached",
        }
        return "; ".join(
            f"{words[kind]}: {', '.join(symbols)}" for kind, symbols in by_kind.items()
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def run_refresh(
    store: Store,
    source: PriceSource,
    symbols: Iterable[str] | None = None,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> RefreshReport:
    """Fetch what ``plan_refresh`` asks for from ``source`` and store each answer.

    ``progress(done, total, symbol)`` is called after each symbol; ``cancelled()`` is polled by
    the source between symbols. Nothing is written for an offline symbol. An answer bringing a
    new split, dividend or capital gain is not written: the symbol's whole history is asked for
    once the other symbols are done (``total`` grows by one for each) and replaces its cache; if
    that fails the cache stays as it was.
    """
    now = now or dt.datetime.now(dt.UTC)
    is_cancelled = cancelled or (lambda: False)
    wanted = symbols_to_refresh(store) if symbols is None else list(dict.fromkeys(symbols))
    requests = plan_refresh(store, wanted, now)
    windows = {r.symbol: r for r in requests}
    report = RefreshReport(up_to_date=[s for s in wanted if s not in windows])
    stale: list[FetchRequest] = []
    total = len(requests)
    answered = 0
    for result in source.fetch(requests, is_cancelled):
        answered += 1
        request = windows.get(result.key)
        if request is not None and request.start is not None and _brings_new_action(store, result):
            stale.append(FetchRequest(result.key, None, request.end))
        else:
            _apply(store, source.name, result, report)
        if progress is not None:
            progress(answered, total, result.key)
    total += len(stale)
    if stale and not is_cancelled():
        for result in source.fetch(stale, is_cancelled):
            answered += 1
            _apply(store, source.name, result, report, whole=True)
            if progress is not None:
                progress(answered, total, result.key)
    report.cancelled = answered < total and is_cancelled()
    report.newest_close = store.newest_close_date()
    return report


def _brings_new_action(store: Store, result: Fetched[PriceHistory]) -> bool:
    """Whether ``result`` has a split, dividend or capital gain on a date whose cached row (if
    any) does not have that same one: then Yahoo has re-adjusted the history before it."""
    rows = result.value.rows if result.value is not None else []
    eventful = [r for r in rows if any(r.get(f) for f in ACTION_FIELDS)]
    if not eventful:
        return False
    days = [_day(r["date"]) for r in eventful]
    cached = store.price_actions(result.key, min(days), max(days))
    for day, row in zip(days, eventful, strict=True):
        known = cached.get(day, {})
        for action in ACTION_FIELDS:
            amount = row.get(action) or 0.0
            if amount and not math.isclose(amount, known.get(action, 0.0), rel_tol=1e-9):
                return True
    return False


def _day(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _new_rows(store: Store, symbol: str, rows: list[dict]) -> int:
    """How many of ``rows`` are on dates the cache has no real row for."""
    if not rows:
        return 0
    days = {_day(r["date"]) for r in rows}
    return len(days - store.price_actions(symbol, min(days), max(days)).keys())


def _apply(
    store: Store,
    source_name: str,
    result: Fetched[PriceHistory],
    report: RefreshReport,
    *,
    whole: bool = False,
) -> None:
    """Store one answer: upsert its rows, or with ``whole`` replace the symbol's cache by them."""
    symbol = result.key
    if whole and result.ok and not (result.value and result.value.rows):
        result = replace(result, error=FetchErrorKind.NO_DATA, message="no history came back")
    if whole and not result.ok:
        # Its new days just came back, so the symbol exists whatever this answer says.
        kind = FetchErrorKind.ERROR if result.error is FetchErrorKind.NOT_FOUND else result.error
        result = replace(
            result,
            error=kind,
            message="a new split or dividend changed its history, but fetching all of it again "
            f"failed ({result.message}); its cached prices are kept",
        )
    if result.error is FetchErrorKind.OFFLINE:
        report.offline = True
        report.failed[symbol] = (result.error, result.message)
        return
    if result.error is not None:
        report.failed[symbol] = (result.error, result.message)
        _record_failure(store, symbol, result.error, result.message)
        return
    history = result.value or PriceHistory()
    write = store.replace_prices if whole else store.upsert_prices
    try:
        with store.atomic():
            new = _new_rows(store, symbol, history.rows)
            if history.rows:
                write(symbol, history.rows, source_name)
            if history.instrument is not None:
                store.save_instrument(_merged(store.instrument(symbol), history.instrument))
            store.record_fetch(symbol, ok=True)
    except WRITE_ERRORS as error:
        message = f"could not save its prices: {error}"
        report.failed[symbol] = (FetchErrorKind.ERROR, message)
        _record_failure(store, symbol, FetchErrorKind.ERROR, message)
        return
    report.updated[symbol] = new
    if whole:
        report.refetched.append(symbol)


def _record_failure(store: Store, symbol: str, kind: FetchErrorKind, message: str) -> None:
    try:
        store.record_fetch(symbol, ok=False, error_kind=kind.value, message=message)
    except WRITE_ERRORS:
        pass  # the database refuses writes; the report still says what happened


def _merged(old: Instrument | None, new: Instrument) -> Instrument:
    """``new``, keeping what ``old`` knew wherever ``new`` is blank or unknown."""
    if old is None:
        return new
    return replace(
        new,
        name=new.name or old.name,
        kind=new.kind if new.kind is not InstrumentKind.UNKNOWN else old.kind,
        currency=new.currency or old.currency,
        exchange=new.exchange or old.exchange,
        timezone=new.timezone or old.timezone,
        verified=new.verified or old.verified,
    )


# -- fundamentals ---------------------------------------------------------------------------
#: A snapshot older than this many days is fetched again (figures change with each quarter).
FUNDAMENTALS_MAX_AGE_DAYS = 7


@dataclass
class FundamentalsReport:
    """What a fundamentals refresh did: ``updated`` symbols, ``failed`` ones (why, message),
    and whether it stopped because the source was ``offline``."""

    updated: list[str] = field(default_factory=list)
    failed: dict[str, tuple[FetchErrorKind, str]] = field(default_factory=dict)
    offline: bool = False


def fundamentals_to_refresh(
    store: Store, today: dt.date, symbols: Iterable[str] | None = None
) -> list[str]:
    """Held equities (kind equity, or not known yet) whose snapshot is missing or older than
    ``FUNDAMENTALS_MAX_AGE_DAYS``, in the order first bought; ``symbols`` narrows them."""
    positions, _problems = build_positions(store.trades())
    instruments = store.instruments()
    snapshots = store.fundamentals()
    oldest = today - dt.timedelta(days=FUNDAMENTALS_MAX_AGE_DAYS)
    only = set(symbols) if symbols is not None else None
    wanted = []
    for symbol, position in positions.items():
        if position.quantity <= 0 or (only is not None and symbol not in only):
            continue
        instrument = instruments.get(symbol)
        kind = instrument.kind if instrument is not None else InstrumentKind.UNKNOWN
        if kind not in (InstrumentKind.EQUITY, InstrumentKind.UNKNOWN):
            continue
        snapshot = snapshots.get(symbol)
        if snapshot is None or snapshot.fetched < oldest:
            wanted.append(symbol)
    return wanted


def refresh_fundamentals(
    store: Store,
    source: FundamentalsSource | None,
    now: dt.datetime | None = None,
    *,
    symbols: Iterable[str] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> FundamentalsReport:
    """Fetch the snapshots ``fundamentals_to_refresh`` asks for and store each one.

    No source (``None``: the prices come from somewhere without fundamentals) does nothing.
    Offline stops at once and writes nothing more; a failed symbol keeps its old snapshot.
    Never raises for a failure of the source or of a write.
    """
    report = FundamentalsReport()
    if source is None:
        return report
    now = now or dt.datetime.now(dt.UTC)
    wanted = fundamentals_to_refresh(store, now.date(), symbols)
    if not wanted:
        return report
    for answer in source.fundamentals(wanted, cancelled or (lambda: False)):
        symbol = answer.key
        if answer.error is FetchErrorKind.OFFLINE:
            report.offline = True
            break
        if answer.error is not None or answer.value is None:
            report.failed[symbol] = (answer.error or FetchErrorKind.ERROR, answer.message)
            continue
        try:
            store.save_fundamentals(answer.value)
        except WRITE_ERRORS as exc:
            report.failed[symbol] = (FetchErrorKind.ERROR, f"could not save: {exc}")
            continue
        report.updated.append(symbol)
    return report
