"""An offline ``PriceSource``: daily prices read from a folder of CSV files, one per symbol.

``CsvFolderSource(folder)`` answers a request for ``SYMBOL`` from ``<folder>/<file name>.csv``
where the file name is ``csv_file_name(SYMBOL)``: the symbol with every character that is not
safe in a file name on every platform (anything but letters, digits, ``.``, ``-`` and ``_``)
replaced by ``_``. So ``COHU`` -> ``COHU.csv``, ``^GSPC`` -> ``_GSPC.csv``, ``EURUSD=X`` ->
``EURUSD_X.csv``, ``BRK-B`` -> ``BRK-B.csv``. Upper case as Yahoo spells symbols; on a
case-sensitive file system a lower-case ``cohu.csv`` is found too.

Files are read with ``read_price_file`` (Yahoo's download, a yfinance ``to_csv``, ...), so any
file the price import accepts works here. No file: ``NOT_FOUND``. A file the import would refuse:
``ERROR`` with the reasons. Rows are filtered to the request's window; a file without a row in it
is ``NO_DATA``. Rows are tagged ``csv`` by the store (``name``). Nothing here uses the network.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from desktop.data.formats.prices_csv import read_price_file
from desktop.data.sources.protocol import (
    Fetched,
    FetchErrorKind,
    FetchRequest,
    MarketSources,
    PriceHistory,
)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def csv_file_name(symbol: str) -> str:
    """The file a symbol's prices are read from: ``^GSPC`` -> ``_GSPC.csv``."""
    return _UNSAFE.sub("_", symbol.strip().upper()) + ".csv"


class CsvFolderSource:
    """``PriceSource`` reading ``<folder>/<SYMBOL>.csv`` files (see the module docstring)."""

    name = "csv"

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def path_for(self, symbol: str) -> Path | None:
        """The file holding ``symbol``'s prices, or ``None`` if there is none."""
        file_name = csv_file_name(symbol)
        for candidate in (file_name, file_name[:-4].lower() + ".csv"):
            path = self.folder / candidate
            if path.is_file():
                return path
        return None

    def fetch(
        self,
        requests: Sequence[FetchRequest],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Iterator[Fetched[PriceHistory]]:
        for request in requests:
            if cancelled():
                return
            yield self._fetch_one(request)

    def sources(self) -> MarketSources:
        """Prices only: a folder of files has no fundamentals and cannot search."""
        return MarketSources(prices=self)

    def _fetch_one(self, request: FetchRequest) -> Fetched[PriceHistory]:
        symbol = request.symbol
        path = self.path_for(symbol)
        if path is None:
            message = f"no {csv_file_name(symbol)} in {self.folder}"
            return Fetched.failed(symbol, FetchErrorKind.NOT_FOUND, message)
        parsed = read_price_file(path)
        if parsed.problems:
            message = "; ".join(p.message for p in parsed.problems)
            return Fetched.failed(symbol, FetchErrorKind.ERROR, message)
        rows = [
            dict(row)
            for row in parsed.rows
            if (request.start is None or row["date"] >= request.start)
            and row["date"] <= request.end
        ]
        if not rows:
            message = (
                f"{path.name} has no prices from {request.start or 'the start'} to {request.end}"
            )
            return Fetched.failed(symbol, FetchErrorKind.NO_DATA, message)
        return Fetched(symbol, PriceHistory(rows))
