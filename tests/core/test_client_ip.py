import pytest

from shaoxing_bases.client_ip import client_ip_address


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "remote_addr", "expected"),
    [
        (0, "", "10.1.1.1", "10.1.1.1"),
        (0, "203.0.113.5", "10.1.1.1", "10.1.1.1"),  # no trusted proxy: the header is ignored
        (1, "203.0.113.5", "172.18.0.1", "203.0.113.5"),
        (1, "1.2.3.4, 203.0.113.5", "172.18.0.1", "203.0.113.5"),  # the client's own prefix is ignored
        (1, "garbage, 203.0.113.5", "172.18.0.1", "203.0.113.5"),
        (1, "203.0.113.5:51234", "172.18.0.1", "203.0.113.5"),
        (1, "[2001:db8::7]:443", "172.18.0.1", "2001:db8::7"),
        (1, "2001:db8::7", "172.18.0.1", "2001:db8::7"),
        (1, "", "127.0.0.1", "127.0.0.1"),  # straight to gunicorn (a health check on the host)
        (1, "not-an-address", "172.18.0.1", "172.18.0.1"),
        (2, "1.2.3.4, 203.0.113.5, 10.0.0.2", "172.18.0.1", "203.0.113.5"),
        (2, "10.0.0.2", "172.18.0.1", "172.18.0.1"),
    ],
)
def test_client_ip_counts_trusted_proxies_from_the_right(
    rf, settings, proxies, forwarded_for, remote_addr, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip_address(request) == expected
