"""The network guard itself: any attempt to reach the internet is refused and recorded."""

import socket

import pytest

from tests import netguard


@pytest.mark.offline_ok
def test_socket_connect_is_refused_and_recorded():
    before = len(netguard.ATTEMPTS)
    with pytest.raises(OSError):
        socket.create_connection(("query1.finance.yahoo.com", 443), timeout=1)
    assert len(netguard.ATTEMPTS) == before + 1


@pytest.mark.offline_ok
def test_curl_cffi_request_is_refused_and_recorded():
    from curl_cffi import requests

    before = len(netguard.ATTEMPTS)
    with pytest.raises(OSError):
        requests.Session().get("https://query1.finance.yahoo.com/v8/finance/chart/AAPL")
    assert len(netguard.ATTEMPTS) == before + 1
