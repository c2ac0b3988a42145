"""Where the current request came from, for audit entries written deep inside services.

Services take the acting user, never the request (CONVENTIONS), yet every business action in the
trail carries the client IP and the path it came through. `AuditRequestContextMiddleware` puts both
into a context variable for the length of one request; `audit_record` reads it when no request is
passed. Outside a request (Celery tasks, the minute sweep, management commands) it is empty.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from shaoxing_bases.client_ip import client_ip_address


@dataclass(frozen=True)
class RequestMeta:
    ip_address: str | None
    path: str


_current: ContextVar[RequestMeta | None] = ContextVar("audit_request_meta", default=None)


def current_request_meta() -> RequestMeta | None:
    return _current.get()


def request_meta(request) -> RequestMeta:
    return RequestMeta(ip_address=client_ip_address(request), path=request.get_full_path()[:500])


class AuditRequestContextMiddleware:
    """Makes the request's client IP and path available to `audit_record` for its duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(request_meta(request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
