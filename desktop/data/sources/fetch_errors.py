"""Why a fetch failed: its own module, so the window's first paint can read a stored status
without importing the sources' protocols (``typing.Protocol`` classes cost about 4 ms)."""

from __future__ import annotations

import enum

__all__ = ["FetchErrorKind"]


class FetchErrorKind(enum.StrEnum):
    """Why a symbol's fetch failed. Only ``NOT_FOUND`` may ever suggest a dead symbol."""

    OFFLINE = "offline"  # no connection, DNS failure, timeout: the symbol is fine
    RATE_LIMITED = "rate_limited"  # the source asked us to slow down
    NOT_FOUND = "not_found"  # the source says the symbol has no data (unknown or delisted)
    NO_DATA = "no_data"  # an empty answer for the window asked (holiday, weekend)
    ERROR = "error"  # anything else; the message says what
