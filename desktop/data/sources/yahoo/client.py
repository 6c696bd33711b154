"""``YahooClient``: the one owner of yfinance's process-wide state, and the only caller of it.

yfinance keeps state for the whole process: its configuration (``yf.config``), its caches (time
zones, cookies, ISINs: SQLite files behind peewee, and an in-memory memo of answers), a counter
of ``Ticker.info`` time-zone look-ups, and an HTTP session. Two threads calling it at once race
on those caches (YFINANCE.md §1: ``download(threads=True)`` logs "database is locked" and a
symbol silently drops out). So the app creates one ``YahooClient`` per process and passes it to
every ``YahooSource``; the client

- sets yfinance up on its first call, once: caches in the app's cache folder (``cache_folder``),
  typed exceptions instead of logged "possibly delisted", yfinance's log off stderr, one HTTP
  session kept for every request (so Yahoo's cookie is fetched once);
- lets one thread at a time into yfinance (a lock around every call): a refresh on one worker
  and a search typed in the window take turns;
- fetches one symbol per ``history`` call: measured on recorded answers
  (``benchmarks/yahoo_batch.py``), one ``yf.download(threads=False)`` of 50 symbols takes
  1.02x to 1.11x the time of 50 ``history`` calls (both make one chart request a symbol), and
  only ``history`` brings the symbol's metadata and Yahoo's reason for a failure.

Nothing else in the app touches yfinance's internals. yfinance is imported on the first call, so
creating a client is cheap.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.data.paths import cache_dir

if TYPE_CHECKING:
    import pandas as pd


class YahooClient:
    """yfinance, set up for the app and entered by one thread at a time.

    - ``cache_folder``: where yfinance keeps its caches (default: ``<app cache>/yfinance``);
    - ``timeout``: seconds per HTTP request.

    Each method is one yfinance call and raises what yfinance raises (``source.classify`` turns
    that into an error kind): the client decides nothing about failures.
    """

    def __init__(self, cache_folder: Path | None = None, *, timeout: float = 10.0) -> None:
        self.cache_folder = cache_folder
        self.timeout = timeout
        self._lock = threading.RLock()
        self._session: Any = None

    # -- the calls ----------------------------------------------------------------------------
    def history(
        self, symbol: str, start: dt.date | None, end: dt.date
    ) -> tuple[pd.DataFrame, Mapping[str, Any]]:
        """Daily bars of ``symbol`` from ``start`` (``None``: its whole history) to ``end``, both
        inclusive, unadjusted with actions (YFINANCE.md §2), and the chart's metadata."""
        with self._lock:
            yf = self._yfinance()
            ticker = yf.Ticker(symbol, session=self._session)
            frame = ticker.history(
                interval="1d",
                auto_adjust=False,
                actions=True,
                repair=False,
                timeout=self.timeout,
                **_window(start, end),
            )
            # Read with .get only: dict(...) of this lazy mapping fetches intraday periods.
            return frame, ticker.history_metadata

    def info(self, symbol: str) -> Mapping[str, Any]:
        """``Ticker.info`` (three requests: quoteSummary, quote, a fundamentals time series)."""
        with self._lock:
            yf = self._yfinance()
            info = yf.Ticker(symbol, session=self._session).info
            return info if isinstance(info, Mapping) else {}

    def search(self, query: str, max_results: int) -> Sequence[Mapping[str, Any]]:
        """The quotes of one ``yf.Search`` (no news, no lists)."""
        with self._lock:
            yf = self._yfinance()
            found = yf.Search(
                query,
                max_results=max_results,
                news_count=0,
                lists_count=0,
                session=self._session,
                timeout=self.timeout,
            )
            quotes = found.quotes
            return quotes if isinstance(quotes, list) else []

    def start(self) -> None:
        """Set yfinance up now rather than on the first call (imports it: about 0.5 s)."""
        with self._lock:
            self._yfinance()

    # -- yfinance's state ---------------------------------------------------------------------
    def _yfinance(self) -> Any:
        """yfinance, set up on the first call (the caller holds the lock)."""
        import yfinance as yf

        if self._session is None:
            self._take_over(yf)
        return yf

    def _take_over(self, yf: Any) -> None:
        """Give yfinance the app's configuration, and start its state afresh in our folder.

        Private yfinance internals (re-check on upgrade): each cache manager keeps its opened
        database after ``set_cache_location``, the answers of ``YfData.cache_get`` are memoised,
        and ``Ticker.info`` may look up a time zone only twice per process.
        """
        import yfinance.base
        import yfinance.cache
        import yfinance.data
        from curl_cffi import requests as curl_requests

        folder = self.cache_folder or cache_dir() / "yfinance"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            yf.set_tz_cache_location(str(folder))  # all three caches, despite the name
        except OSError:
            pass  # yfinance then works without its caches (one more request a symbol)
        for manager, attribute in (
            (yfinance.cache._TzCacheManager, "_tz_cache"),
            (yfinance.cache._CookieCacheManager, "_Cookie_cache"),
            (yfinance.cache._ISINCacheManager, "_isin_cache"),
        ):
            setattr(manager, attribute, None)  # reopened in the new folder on first use
        yfinance.data.YfData.cache_get.cache_clear()
        yfinance.base._tz_info_fetch_ctr = 0
        yf.config.debug.hide_exceptions = False  # typed errors, not logged "possibly delisted"
        # yfinance's __init__ re-enables its DeprecationWarnings; this must follow the import.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="yfinance")
        # Failures reach the caller as answers; keep yfinance's own log off stderr.
        logging.getLogger("yfinance").addHandler(logging.NullHandler())
        self._session = curl_requests.Session(impersonate="chrome")  # yfinance's own default


def _window(start: dt.date | None, end: dt.date) -> dict[str, Any]:
    """yfinance's arguments for the dates ``start`` (None: all) to ``end``, both inclusive."""
    window: dict[str, Any] = {"end": end + dt.timedelta(days=1)}  # yfinance's end is exclusive
    if start is None:
        window["period"] = "max"
    else:
        window["start"] = start
    return window
