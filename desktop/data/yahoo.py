"""Daily prices from Yahoo Finance through yfinance: the only module that imports yfinance.

One ``Ticker.history`` call per symbol keeps Yahoo's reason for a failure, which ``yf.download``
throws away. yfinance is configured once, before the first fetch, to raise typed errors instead
of logging "possibly delisted" for everything (YFINANCE.md §2, §7). Failures become
``FetchErrorKind`` values; being offline is never reported as a missing symbol, and once the
connection is gone (or Yahoo is rate-limiting) the remaining symbols are answered at once
without trying. yfinance is imported lazily, so importing this module is cheap.
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
from desktop.data.sources import FetchErrorKind, FetchRequest, FetchResult
from desktop.data.yahoo_rows import frame_to_rows, instrument_from

if TYPE_CHECKING:
    import pandas as pd

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


def configure_yfinance(folder: Path | None = None) -> None:
    """Set yfinance up for the app, once per process: its caches in our cache folder, typed
    exceptions instead of logged "possibly delisted", and no deprecation noise."""
    global _configured
    with _configure_lock:
        if _configured:
            return
        import yfinance as yf

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


class YahooSource:
    """``PriceSource`` for Yahoo Finance.

    - ``timeout``: seconds per HTTP request.
    - ``rate_limit_retries`` and ``backoff``: a rate-limited symbol is retried that many times,
      after ``backoff``, then twice that, ... seconds (``sleep`` does the waiting; tests pass a
      recorder).
    - ``now``: the clock (aware datetime) deciding which sessions have finished.
    - ``online_check``: asked once per batch before any request; ``None`` skips it.
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
    ) -> None:
        self.timeout = timeout
        self.rate_limit_retries = rate_limit_retries
        self.backoff = backoff
        self._sleep = sleep
        self._now = now
        self._online_check = online_check

    def is_online(self, timeout: float = 2.0) -> bool:
        return is_online(timeout)

    def fetch(
        self,
        requests: Sequence[FetchRequest],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[FetchResult]:
        """One result per request, in order; never raises for a failure of Yahoo or the network."""
        if not requests:
            return
        # Once set, the reason every remaining symbol gets without being tried.
        wall: tuple[FetchErrorKind, str] | None = None
        if self._online_check is not None and not self._online_check():
            wall = (FetchErrorKind.OFFLINE, "cannot reach Yahoo")
        else:
            configure_yfinance()
        for request in requests:
            if cancelled():
                return
            if wall is not None:
                yield FetchResult(request.symbol, error=wall[0], message=wall[1])
                continue
            result = self._fetch_one(request, cancelled)
            if result is None:  # cancelled while backing off
                return
            if result.error in BATCH_ENDING:
                wall = (result.error, f"not tried: {result.message}")
            yield result

    def _fetch_one(
        self, request: FetchRequest, cancelled: Callable[[], bool]
    ) -> FetchResult | None:
        for attempt in range(self.rate_limit_retries + 1):
            try:
                frame, metadata = self._history(request)
            except Exception as error:  # every failure becomes a result, never an exception
                kind, message = classify(error)
                if kind is FetchErrorKind.RATE_LIMITED and attempt < self.rate_limit_retries:
                    self._sleep(self.backoff * 2**attempt)
                    if cancelled():
                        return None
                    continue
                return FetchResult(request.symbol, error=kind, message=message)
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
        raise AssertionError("unreachable: the last attempt always returns")

    def _history(self, request: FetchRequest) -> tuple[pd.DataFrame, Mapping[str, Any]]:
        import yfinance as yf

        ticker = yf.Ticker(request.symbol)
        window: dict[str, Any] = {"end": request.end + dt.timedelta(days=1)}  # end is exclusive
        if request.start is None:
            window["period"] = "max"
        else:
            window["start"] = request.start
        frame = ticker.history(
            interval="1d",
            auto_adjust=False,
            actions=True,
            repair=False,
            timeout=self.timeout,
            **window,
        )
        # Read with .get: dict(...) of this lazy mapping would fetch intraday trading periods.
        return frame, ticker.history_metadata
