"""Daily prices from Yahoo Finance through yfinance: the only module that imports yfinance.

Symbols asking for the same dates share one ``yf.download`` call. It still makes one chart
request per symbol, but runs them in parallel threads. download swallows every failure, so a
symbol that comes back empty is asked again alone through ``Ticker.history``, which keeps
Yahoo's reason. A symbol alone in its window, or one the batch cannot read (``batchable``),
takes that path directly and also yields the instrument's metadata. yfinance is configured once,
before the first fetch, to raise typed errors instead of logging "possibly delisted" for
everything (YFINANCE.md §2, §7). Failures become ``FetchErrorKind`` values; being offline is
never reported as a missing symbol, and once the connection is gone (or Yahoo is rate-limiting)
the remaining symbols are answered at once without trying. yfinance is imported lazily, so
importing this module is cheap.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import socket
import threading
import time
import urllib.request
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.data.paths import cache_dir
from desktop.data.sources.protocol import FetchErrorKind, FetchRequest, FetchResult
from desktop.data.sources.yahoo.rows import (
    DOWNLOAD_METADATA,
    batchable,
    frame_to_rows,
    instrument_from,
    split_download,
)

if TYPE_CHECKING:
    import pandas as pd

    from desktop.core.fundamentals import Fundamentals
    from desktop.core.model import Instrument

#: The host yfinance asks for chart data (its ``_BASE_URL_``).
YAHOO_HOST = "query2.finance.yahoo.com"
#: Errors that end a batch: the next symbol would meet the same wall.
BATCH_ENDING = (FetchErrorKind.OFFLINE, FetchErrorKind.RATE_LIMITED)
#: File-system errors are OSErrors too, but say nothing about the connection.
_LOCAL_OS_ERRORS = (
    FileNotFoundError,
    FileExistsError,
    PermissionError,
    IsADirectoryError,
    NotADirectoryError,
)

_configure_lock = threading.Lock()
_configured = False
#: The HTTP session every yfinance call is given. download() puts the session it is given (by
#: default a brand-new one) into yfinance's process-wide YfData, dropping Yahoo's cookies.
_session: Any = None


def configure_yfinance(folder: Path | None = None) -> None:
    """Set yfinance up for the app, once per process: its caches in our cache folder, typed
    exceptions instead of logged "possibly delisted", and no deprecation noise."""
    global _configured, _session
    with _configure_lock:
        if _configured:
            return
        import yfinance as yf
        from curl_cffi import requests as curl_requests

        folder = folder or cache_dir() / "yfinance"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            yf.set_tz_cache_location(str(folder))
        except OSError:
            pass  # yfinance then works without its caches (slower, one more request a symbol)
        yf.config.debug.hide_exceptions = False
        # yfinance's __init__ re-enables its DeprecationWarnings; this must come after the import.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="yfinance")
        # Failures reach the caller as results; keep yfinance's own log off stderr by default.
        logging.getLogger("yfinance").addHandler(logging.NullHandler())
        if _session is None:
            _session = curl_requests.Session(impersonate="chrome")  # yfinance's own default
        _configured = True


def is_online(timeout: float = 2.0, host: str = YAHOO_HOST, port: int = 443) -> bool:
    """Whether ``host`` can be resolved and connected to within ``timeout`` seconds.

    Cheap (one DNS lookup and a TCP handshake, no HTTP). Behind a proxy a direct connection says
    nothing, so this answers True and lets the first request decide.
    """
    proxies = urllib.request.getproxies()
    if any(k in proxies for k in ("https", "all")):
        return True
    answer: list[bool] = []

    def probe() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                answer.append(True)
        except OSError:
            answer.append(False)

    # getaddrinfo has no timeout of its own: a daemon thread lets a hung resolver be abandoned.
    worker = threading.Thread(target=probe, name="yahoo-online-check", daemon=True)
    worker.start()
    worker.join(timeout)
    return bool(answer and answer[0])


def classify(error: BaseException) -> tuple[FetchErrorKind, str]:
    """The kind of a failure raised by ``Ticker.history`` (YFINANCE.md §7.2), and words for it."""
    from yfinance.exceptions import (
        YFPricesMissingError,
        YFRateLimitError,
        YFTzMissingError,
    )

    if isinstance(error, YFRateLimitError):
        return FetchErrorKind.RATE_LIMITED, "Yahoo is limiting requests; try again later"
    if isinstance(error, YFTzMissingError):
        return FetchErrorKind.NOT_FOUND, "Yahoo does not know this symbol"
    if isinstance(error, YFPricesMissingError):
        if error.yahoo_reason:
            return FetchErrorKind.NOT_FOUND, f"Yahoo: {error.yahoo_reason}"
        return FetchErrorKind.NO_DATA, "no prices for the dates asked (holiday or weekend?)"
    status = _http_status(error)
    if status is not None:
        # Yahoo answered, so the connection is fine. A 404 comes from yfinance's fallback time
        # zone lookup through quoteSummary for a symbol its chart endpoint does not know.
        if status == 404:
            return FetchErrorKind.NOT_FOUND, "Yahoo does not know this symbol"
        if status == 429:
            return FetchErrorKind.RATE_LIMITED, "Yahoo is limiting requests; try again later"
        return FetchErrorKind.ERROR, f"Yahoo answered HTTP {status}"
    if isinstance(error, OSError) and not isinstance(error, _LOCAL_OS_ERRORS):
        # curl_cffi and requests exceptions are OSErrors: DNS, refused, timeout, TLS, proxy.
        return FetchErrorKind.OFFLINE, f"cannot reach Yahoo ({type(error).__name__})"
    return FetchErrorKind.ERROR, f"{type(error).__name__}: {error}"


def _http_status(error: BaseException) -> int | None:
    """The status of an HTTP error response (curl_cffi's or requests'); None for anything else."""
    http_errors: list[type[BaseException]] = []
    for module in ("curl_cffi.requests.exceptions", "requests.exceptions"):
        try:
            http_errors.append(importlib.import_module(module).HTTPError)
        except ImportError:
            continue
    if not isinstance(error, tuple(http_errors)):
        return None
    status = getattr(getattr(error, "response", None), "status_code", None)
    return status if isinstance(status, int) and status > 0 else None


_CANCELLED = object()  # a wait for Yahoo ended by the user


class YahooSource:
    """``PriceSource`` for Yahoo Finance.

    - ``timeout``: seconds per HTTP request.
    - ``rate_limit_retries`` and ``backoff``: a rate-limited symbol is retried that many times,
      after ``backoff``, then twice that, ... seconds (``sleep`` does the waiting; tests pass a
      recorder).
    - ``now``: the clock (aware datetime) deciding which sessions have finished.
    - ``online_check``: asked once per ``fetch`` before any request; ``None`` skips it.
    - ``batch_size``: most requests in one ``yf.download`` call (it cannot be cancelled half way);
      1 fetches every symbol alone.
    """

    name = "yahoo"

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        rate_limit_retries: int = 2,
        backoff: float = 5.0,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        online_check: Callable[[], bool] | None = is_online,
        batch_size: int = 20,
    ) -> None:
        self.timeout = timeout
        self.rate_limit_retries = rate_limit_retries
        self.backoff = backoff
        self._sleep = sleep
        self._now = now
        self._online_check = online_check
        self.batch_size = max(1, batch_size)

    def is_online(self, timeout: float = 2.0) -> bool:
        return is_online(timeout)

    def fetch(
        self,
        requests: Sequence[FetchRequest],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[FetchResult]:
        """One result per request; never raises for a failure of Yahoo or the network.

        Requests are answered unit by unit (see ``_units``: those sharing a window together, in
        the order each window is first asked for), in request order within a unit.
        """
        if not requests:
            return
        # Once set, the reason every remaining symbol gets without being tried.
        wall = self._begin()
        for unit in _units(requests, self.batch_size):
            if cancelled():
                return
            batched = {}
            if wall is None and len({r.symbol for r in unit}) > 1:
                batched = self._fetch_batch(unit)
            for request in unit:
                if cancelled():
                    return
                result = batched.get(request.symbol)
                if result is None and wall is not None:
                    result = FetchResult(request.symbol, error=wall[0], message=wall[1])
                elif result is None:  # alone, or the batch brought nothing back: ask why
                    result = self._fetch_one(request, cancelled)
                    if result is None:  # cancelled while backing off
                        return
                    if result.error in BATCH_ENDING:
                        wall = (result.error, f"not tried: {result.message}")
                yield result

    def _fetch_batch(self, requests: Sequence[FetchRequest]) -> dict[str, FetchResult]:
        """Results of one ``yf.download`` for requests sharing a window, for the symbols it
        returned rows for. The others are left to ``_fetch_one``, which finds out why: download
        only says "no rows". No instrument: download gives no chart metadata."""
        first = requests[0]
        symbols = list(dict.fromkeys(r.symbol for r in requests))
        try:
            frames = split_download(self._download(symbols, first.start, first.end), symbols)
        except Exception:  # download catches its own failures; anything else: one by one
            return {}
        now = self._now()
        results = {}
        for symbol, frame in frames.items():
            try:
                rows = frame_to_rows(
                    frame, DOWNLOAD_METADATA, start=first.start, end=first.end, now=now
                )
            except Exception:  # unreadable: let the symbol's own request answer
                continue
            results[symbol] = FetchResult(symbol, rows=rows)
        return results

    def _fetch_one(
        self, request: FetchRequest, cancelled: Callable[[], bool]
    ) -> FetchResult | None:
        answer, failure = self._patiently(lambda: self._history(request), cancelled)
        if failure is _CANCELLED:
            return None
        if failure is not None:
            kind, message = failure
            return FetchResult(request.symbol, error=kind, message=message)
        frame, metadata = answer
        try:
            rows = frame_to_rows(
                frame, metadata, start=request.start, end=request.end, now=self._now()
            )
        except Exception as error:  # a frame we cannot read is this symbol's problem
            message = f"unexpected answer from Yahoo: {type(error).__name__}: {error}"
            return FetchResult(request.symbol, error=FetchErrorKind.ERROR, message=message)
        return FetchResult(
            request.symbol, rows=rows, instrument=instrument_from(request.symbol, metadata)
        )

    def _patiently(self, call: Callable[[], Any], cancelled: Callable[[], bool]) -> tuple[Any, Any]:
        """``call()`` with a bounded back-off while Yahoo rate-limits: ``(answer, None)``,
        ``(None, (kind, message))`` for a failure, or ``(None, _CANCELLED)`` when the user
        cancelled during a wait. Every failure becomes data, never an exception."""
        for attempt in range(self.rate_limit_retries + 1):
            try:
                return call(), None
            except Exception as error:
                kind, message = classify(error)
                if kind is FetchErrorKind.RATE_LIMITED and attempt < self.rate_limit_retries:
                    self._sleep(self.backoff * 2**attempt)
                    if cancelled():
                        return None, _CANCELLED
                    continue
                return None, (kind, message)
        raise AssertionError("unreachable: the last attempt always returns")

    def _begin(self) -> tuple[FetchErrorKind, str] | None:
        """Before a batch: the reason to give every symbol if Yahoo cannot be reached, else
        ``None`` with yfinance configured."""
        if self._online_check is not None and not self._online_check():
            return FetchErrorKind.OFFLINE, "cannot reach Yahoo"
        configure_yfinance()
        return None

    def _history(self, request: FetchRequest) -> tuple[pd.DataFrame, Mapping[str, Any]]:
        import yfinance as yf

        ticker = yf.Ticker(request.symbol, session=_session)
        frame = ticker.history(
            interval="1d",
            auto_adjust=False,
            actions=True,
            repair=False,
            timeout=self.timeout,
            **_window(request.start, request.end),
        )
        # Read with .get: dict(...) of this lazy mapping would fetch intraday trading periods.
        return frame, ticker.history_metadata

    def _download(self, symbols: list[str], start: dt.date | None, end: dt.date) -> pd.DataFrame:
        import yfinance as yf

        return yf.download(
            symbols,
            interval="1d",
            auto_adjust=False,
            actions=True,
            progress=False,
            multi_level_index=True,
            group_by="column",
            ignore_tz=True,  # the default for daily bars: an index of exchange-local dates
            timeout=self.timeout,
            # Any true value only turns threads on: yfinance's thread pool is sized when it is
            # imported, to the number of CPUs, whatever number is passed here.
            threads=True,
            session=_session,
            **_window(start, end),
        )

    # -- fundamentals -----------------------------------------------------------------------
    def fundamentals(
        self,
        symbols: Sequence[str],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[tuple[str, Fundamentals | None, FetchErrorKind | None, str]]:
        """``(symbol, snapshot, None, "")`` or ``(symbol, None, why, message)`` per symbol, in
        order, from ``Ticker.info`` (three requests a symbol; meant for equities). Never raises.

        As for prices, once the connection is gone (or Yahoo is rate-limiting) the remaining
        symbols are answered at once without trying; ``cancelled()`` is polled between symbols.
        """
        symbols = list(dict.fromkeys(symbols))
        if not symbols:
            return
        wall = self._begin()
        for symbol in symbols:
            if cancelled():
                return
            if wall is not None:
                yield symbol, None, wall[0], wall[1]
                continue
            answer = self._fundamentals_one(symbol, cancelled)
            if answer is None:  # cancelled while backing off
                return
            if answer[2] in BATCH_ENDING:
                wall = (answer[2], f"not tried: {answer[3]}")
            yield answer

    def _fundamentals_one(
        self, symbol: str, cancelled: Callable[[], bool]
    ) -> tuple[str, Fundamentals | None, FetchErrorKind | None, str] | None:
        from desktop.data.sources.yahoo.info import fundamentals_from_info

        info, failure = self._patiently(lambda: self._info(symbol), cancelled)
        if failure is _CANCELLED:
            return None
        if failure is not None:
            kind, message = failure
            return symbol, None, kind, message
        # With hide_exceptions off an unknown symbol raises (HTTP 404); with it on, yfinance
        # answers {"trailingPegRatio": None}: nothing but the valuation key means unknown.
        if not any(v is not None for k, v in info.items() if k != "trailingPegRatio"):
            return symbol, None, FetchErrorKind.NOT_FOUND, "Yahoo does not know this symbol"
        kind_of = str(info.get("quoteType") or "EQUITY").upper()
        if kind_of != "EQUITY":
            return symbol, None, FetchErrorKind.NO_DATA, f"no fundamentals for a {kind_of}"
        try:
            return symbol, fundamentals_from_info(symbol, info, self._now().date()), None, ""
        except Exception as error:  # an answer we cannot read is this symbol's problem
            message = f"unexpected answer from Yahoo: {type(error).__name__}: {error}"
            return symbol, None, FetchErrorKind.ERROR, message

    def _info(self, symbol: str) -> Mapping[str, Any]:
        import yfinance as yf

        info = yf.Ticker(symbol, session=_session).info
        return info if isinstance(info, Mapping) else {}

    # -- symbol search ----------------------------------------------------------------------
    def search(
        self, query: str, max_results: int = 8
    ) -> tuple[list[Instrument], FetchErrorKind | None, str]:
        """``(instruments, None, "")`` for Yahoo's hits on ``query`` (a symbol or a name), in
        Yahoo's order, or ``([], why, message)``. Never raises.

        One ``yf.Search`` request (no news, no lists); yfinance memoises its answers for the
        process. Offline (``online_check``) answers ``OFFLINE`` at once without a request.
        """
        from desktop.data.sources.yahoo.info import instruments_from_search

        query = " ".join(query.split())
        if not query:
            return [], None, ""
        wall = self._begin()
        if wall is not None:
            return [], *wall
        try:
            quotes = self._search(query, max_results)
            return instruments_from_search(quotes)[:max_results], None, ""
        except Exception as error:  # every failure becomes an answer, never an exception
            kind, message = classify(error)
            return [], kind, message

    def _search(self, query: str, max_results: int) -> Sequence[Mapping[str, Any]]:
        import yfinance as yf

        found = yf.Search(
            query,
            max_results=max_results,
            news_count=0,
            lists_count=0,
            session=_session,
            timeout=self.timeout,
        )
        quotes = found.quotes
        return quotes if isinstance(quotes, list) else []


def _window(start: dt.date | None, end: dt.date) -> dict[str, Any]:
    """yfinance's arguments for the dates ``start`` (None: all) to ``end``, both inclusive."""
    window: dict[str, Any] = {"end": end + dt.timedelta(days=1)}  # yfinance's end is exclusive
    if start is None:
        window["period"] = "max"
    else:
        window["start"] = start
    return window


def _units(requests: Sequence[FetchRequest], size: int) -> list[list[FetchRequest]]:
    """The requests in the units fetched together: batchable requests for the same window, up
    to ``size`` of them, and every other request alone; in the order of their first request.

    A symbol's first fetch (its whole history) goes alone: only ``Ticker.history`` brings the
    metadata (name, kind, currency, time zone) that verifies a new instrument."""
    open_units: dict[tuple[dt.date | None, dt.date], list[FetchRequest]] = {}
    units: list[list[FetchRequest]] = []
    for request in requests:
        window = (request.start, request.end)
        if request.start is None or not batchable(request.symbol):
            units.append([request])
            continue
        unit = open_units.get(window)
        if unit is None or len(unit) >= size:
            unit = open_units[window] = []
            units.append(unit)
        unit.append(request)
    return units
