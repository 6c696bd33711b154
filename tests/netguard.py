"""Blocks every network connection from the test process (and, through sitecustomize, from
subprocesses the tests start). Loopback stays open for Qt and local tooling."""

from __future__ import annotations

import os
import socket

ATTEMPTS: list[str] = []
_LOCAL = ("localhost", "127.0.0.1", "::1", "")


class NetworkBlockedError(OSError):
    """Raised for any network attempt: tests must never reach the internet."""


def _is_local(host: object) -> bool:
    return isinstance(host, str) and (host in _LOCAL or host.startswith("127."))


def _blocked(what: str) -> NetworkBlockedError:
    ATTEMPTS.append(what)
    message = f"TEST TRIED TO USE THE NETWORK: {what}"
    if os.environ.get("PORTFOLIO_DESK_NETGUARD_LOUD", "1") == "1":
        os.write(2, (message + "\n").encode())
    return NetworkBlockedError(message)


_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _getaddrinfo(host, *args, **kwargs):
    if _is_local(host if not isinstance(host, bytes) else host.decode()):
        return _real_getaddrinfo(host, *args, **kwargs)
    raise _blocked(f"getaddrinfo({host!r})")


def _connect(self, address):
    if self.family == socket.AF_UNIX or (isinstance(address, tuple) and _is_local(address[0])):
        return _real_connect(self, address)
    raise _blocked(f"connect({address!r})")


def _connect_ex(self, address):
    if self.family == socket.AF_UNIX or (isinstance(address, tuple) and _is_local(address[0])):
        return _real_connect_ex(self, address)
    raise _blocked(f"connect_ex({address!r})")


def install() -> None:
    socket.getaddrinfo = _getaddrinfo
    socket.socket.connect = _connect
    socket.socket.connect_ex = _connect_ex
    # curl_cffi (yfinance's HTTP client) resolves and connects in C, below the socket module:
    # refuse its requests outright, and point it at a proxy that cannot exist as a second wall.
    try:
        from curl_cffi import requests as curl_requests
    except ImportError:  # pragma: no cover - yfinance always brings it
        curl_requests = None
    if curl_requests is not None:

        def _curl_request(self, method, url, *args, **kwargs):
            raise _blocked(f"curl_cffi {method} {url}")

        async def _curl_request_async(self, method, url, *args, **kwargs):
            raise _blocked(f"curl_cffi {method} {url}")

        curl_requests.Session.request = _curl_request
        curl_requests.AsyncSession.request = _curl_request_async
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        os.environ[var] = "http://127.0.0.1:9"
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = ""
