"""The client's address, for the login lockout (django-axes) and the audit trail.

Behind `TRUSTED_PROXY_COUNT` reverse proxies, each of which appends the address it was connected
from to X-Forwarded-For, the client is the entry the outermost proxy appended: the
TRUSTED_PROXY_COUNT-th from the right. Everything to its left was sent by the client and is
ignored. With no trusted proxy the header is ignored altogether and REMOTE_ADDR is the client.

django-axes 8.3 would otherwise need django-ipware, whose proxy count is strict (a request carrying
its own X-Forwarded-For entry, as behind an office's forward proxy, falls back to the proxy's
address) and counts the hops differently; this is the usual right-to-left rule in a dozen lines.
"""

import ipaddress

from django.conf import settings


def _address(value: str) -> str | None:
    value = value.strip()
    if value.startswith("["):  # "[2001:db8::1]:443"
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # "203.0.113.5:1234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip_address(request) -> str | None:
    """The client's IP address as far as the trusted proxies vouch for it (AXES_CLIENT_IP_CALLABLE)."""
    remote_addr = _address(request.META.get("REMOTE_ADDR", "") or "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote_addr
    forwarded = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(forwarded) < proxies:
        # Not through every proxy (a health check on the host itself): the peer is the client.
        return remote_addr
    return _address(forwarded[-proxies]) or remote_addr
