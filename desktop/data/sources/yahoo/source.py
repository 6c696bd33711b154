"""``YahooSource``: prices, fundamentals and symbol search from Yahoo Finance, as the source
protocols ask (``sources.protocol``), through the process's one ``YahooClient``.

Each symbol is one ``history`` call (``client.py`` says why not ``yf.download``), which also
yields the instrument's metadata and Yahoo's reason for a failure. yfinance's exceptions become
``FetchErrorKind`` values (YFINANCE.md §2, §7): being offline is never reported as a missing
symbol; a rate limit is retried after a bounded back-off; and once the connection is gone (or
Yahoo keeps rate-limiting) the remaining symbols are answered at once without trying. Nothing
here imports yfinance before the first request, so importing this module is cheap.
"""

from __future__ import annotations

import datetime as dt
import importlib
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from desktop.data.sources.protocol import (
    Fetched,
    FetchErrorKind,
    FetchRequest,
    MarketSources,
    PriceHistory,
)
from desktop.data.sources.yahoo.rows import frame_to_rows, instrument_from

if TYPE_CHECKING:
    from desktop.core.fundamentals import Fundamentals
    from desktop.core.model import Instrument
    from desktop.data.sources.yahoo.client import YahooClient

T = TypeVar("T")

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


def is_online(timeout: float = 2.0, host: str = YAHOO_HOST, port: int = 443) -> bool:
    """Whether ``host`` can be resolved and connected to within ``timeout`` seconds.

    Cheap (one DNS lookup and a TCP handshake, no HTTP). Behind a proxy a direct connection says
    nothing, so this answers True and lets the first request decide.
    """
    import urllib.request  # 20 ms of imports: not on the start-up path

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


class _Cancelled(Exception):
    """The user cancelled while we waited out a rate limit."""


class YahooSource:
    """``PriceSource``, ``FundamentalsSource`` and ``SymbolSearch`` for Yahoo Finance.

    - ``client``: the process's ``YahooClient`` (the only way into yfinance);
    - ``rate_limit_retries`` and ``backoff``: a rate-limited symbol is retried that many times,
      after ``backoff``, then twice that, ... seconds (``sleep`` does the waiting; tests pass a
      recorder);
    - ``now``: the clock (aware datetime) deciding which sessions have finished;
    - ``online_check``: asked once per batch before any request; ``None`` skips it.
    """

    name = "yahoo"

    def __init__(
        self,
        client: YahooClient,
        *,
        rate_limit_retries: int = 2,
        backoff: float = 5.0,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        online_check: Callable[[], bool] | None = is_online,
    ) -> None:
        self.client = client
        self.rate_limit_retries = rate_limit_retries
        self.backoff = backoff
        self._sleep = sleep
        self._now = now
        self._online_check = online_check

    def sources(self) -> MarketSources:
        """This source for every capability."""
        return MarketSources(prices=self, fundamentals=self, search=self)

    # -- prices -------------------------------------------------------------------------------
    def fetch(
        self,
        requests: Sequence[FetchRequest],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[Fetched[PriceHistory]]:
        """One answer per request, in order; never raises for a failure of Yahoo or the
        network."""
        yield from self._each([r.symbol for r in requests], requests, self._prices, cancelled)

    def _prices(self, request: FetchRequest) -> Fetched[PriceHistory]:
        frame, metadata = self.client.history(request.symbol, request.start, request.end)
        try:
            rows = frame_to_rows(
                frame, metadata, start=request.start, end=request.end, now=self._now()
            )
        except Exception as error:  # a frame we cannot read is this symbol's problem
            message = f"unexpected answer from Yahoo: {type(error).__name__}: {error}"
            return Fetched.failed(request.symbol, FetchErrorKind.ERROR, message)
        instrument = instrument_from(request.symbol, metadata)
        return Fetched(request.symbol, PriceHistory(rows, instrument))

    # -- fundamentals -------------------------------------------------------------------------
    def fundamentals(
        self,
        symbols: Sequence[str],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[Fetched[Fundamentals]]:
        """A snapshot per distinct symbol, in order, from ``Ticker.info`` (meant for
        equities). Never raises."""
        symbols = list(dict.fromkeys(symbols))
        yield from self._each(symbols, symbols, self._fundamentals, cancelled)

    def _fundamentals(self, symbol: str) -> Fetched[Fundamentals]:
        from desktop.data.sources.yahoo.info import fundamentals_from_info

        info = self.client.info(symbol)
        # With hide_exceptions off an unknown symbol raises (HTTP 404); with it on, yfinance
        # answers {"trailingPegRatio": None}: nothing but the valuation key means unknown.
        if not any(v is not None for k, v in info.items() if k != "trailingPegRatio"):
            return Fetched.failed(
                symbol, FetchErrorKind.NOT_FOUND, "Yahoo does not know this symbol"
            )
        kind_of = str(info.get("quoteType") or "EQUITY").upper()
        if kind_of != "EQUITY":
            return Fetched.failed(
                symbol, FetchErrorKind.NO_DATA, f"no fundamentals for a {kind_of}"
            )
        try:
            return Fetched(symbol, fundamentals_from_info(symbol, info, self._now().date()))
        except Exception as error:  # an answer we cannot read is this symbol's problem
            message = f"unexpected answer from Yahoo: {type(error).__name__}: {error}"
            return Fetched.failed(symbol, FetchErrorKind.ERROR, message)

    # -- symbol search ------------------------------------------------------------------------
    def search(self, query: str, max_results: int = 8) -> Fetched[list[Instrument]]:
        """Yahoo's hits on ``query`` (a symbol or a name), in Yahoo's order. Never raises.

        One ``yf.Search`` request; offline (``online_check``) answers ``OFFLINE`` at once.
        """
        from desktop.data.sources.yahoo.info import instruments_from_search

        query = " ".join(query.split())
        if not query:
            return Fetched(query, [])
        if self._online_check is not None and not self._online_check():
            return Fetched.failed(query, FetchErrorKind.OFFLINE, "cannot reach Yahoo")
        try:
            quotes = self.client.search(query, max_results)
            return Fetched(query, instruments_from_search(quotes)[:max_results])
        except Exception as error:  # every failure becomes an answer, never an exception
            return Fetched.failed(query, *classify(error))

    # -- one symbol after another -------------------------------------------------------------
    def _each(
        self,
        keys: Sequence[str],
        asks: Sequence[Any],
        ask: Callable[[Any], Fetched[T]],
        cancelled: Callable[[], bool],
    ) -> Iterator[Fetched[T]]:
        """``ask(each of asks)`` in order, as answers keyed by ``keys``.

        Before the first request, an offline check; once an answer is offline or rate limited,
        every later one gets the same reason without a request ("not tried"). Stops when
        ``cancelled()``, polled before each request and after each back-off.
        """
        if not asks:
            return
        wall = None
        if self._online_check is not None and not self._online_check():
            wall = (FetchErrorKind.OFFLINE, "cannot reach Yahoo")
        for key, item in zip(keys, asks, strict=True):
            if cancelled():
                return
            if wall is not None:
                yield Fetched.failed(key, *wall)
                continue
            try:
                answer = self._patiently(lambda item=item: ask(item), cancelled)
            except _Cancelled:
                return
            except Exception as error:  # every failure becomes an answer
                answer = Fetched.failed(key, *classify(error))
            if answer.error in BATCH_ENDING:
                wall = (answer.error, f"not tried: {answer.message}")
            yield answer

    def _patiently(
        self, call: Callable[[], Fetched[T]], cancelled: Callable[[], bool]
    ) -> Fetched[T]:
        """``call()``, retried with a growing back-off while Yahoo rate-limits; the last
        attempt's exception propagates. Raises ``_Cancelled`` if the user cancels a wait."""
        for attempt in range(self.rate_limit_retries):
            try:
                return call()
            except Exception as error:
                if classify(error)[0] is not FetchErrorKind.RATE_LIMITED:
                    raise
            self._sleep(self.backoff * 2**attempt)
            if cancelled():
                raise _Cancelled
        return call()


def yahoo_sources(client: YahooClient, **options: Any) -> MarketSources:
    """Every capability from Yahoo, through ``client``."""
    return YahooSource(client, **options).sources()
