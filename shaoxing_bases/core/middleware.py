"""Request guards and response fix-ups that apply to every view."""

from django.http import HttpResponseNotAllowed
from django.shortcuts import render

#: The only methods the portal serves. Pages are read with GET (HEAD for monitors) and every change is
#: a POST form; nothing answers PUT, PATCH or DELETE. TRACE would echo the request (cookies included)
#: back to a script, and OPTIONS on a function view runs its GET code: both are refused here, once,
#: instead of in every view.
ALLOWED_METHODS = ("GET", "HEAD", "POST")


class MethodNotAllowedPageMiddleware:
    """Refuses methods outside ``ALLOWED_METHODS`` and gives the empty 405 of `require_POST`/
    `require_GET`, class-based views and the refusal above a Chinese page.

    Only empty bodies are replaced, so a view that explains its own 405 keeps its answer. The Allow
    header is kept, less the methods the portal refuses anyway (a class-based view lists OPTIONS).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED_METHODS:
            response = HttpResponseNotAllowed(ALLOWED_METHODS)
        else:
            response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        page = render(request, "errors/405.html", status=405)
        if response.has_header("Allow"):
            allowed = [method.strip() for method in response["Allow"].split(",")]
            page["Allow"] = ", ".join(method for method in allowed if method in ALLOWED_METHODS)
        return page


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values)


def _query_has_nul(data) -> bool:
    return any("\x00" in key or _has_nul(values) for key, values in data.lists())


class NulCharacterGuardMiddleware:
    """Answers 400 when the path, a query or form field, a cookie or a header carries a NUL character.

    PostgreSQL cannot store NUL in text, so such a value reaching a query (a filter, a session key in
    a cookie, a failed login's user agent) raises a database error and the user sees a 500 — for a
    session cookie even the 500 page fails. Nothing legitimate sends NUL. It runs before the session
    middleware, so the page it renders knows no user; form fields refuse NUL (and other control
    characters) themselves with a message beside the field.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            return render(
                request,
                "errors/400.html",
                {"reason": "请求中含有不允许的空字符（U+0000），请检查输入或链接后重试。"},
                status=400,
            )
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        if "\x00" in request.path or _query_has_nul(request.GET):
            return True
        if any("\x00" in key or "\x00" in value for key, value in request.COOKIES.items()):
            return True
        headers = (value for key, value in request.META.items() if key.startswith("HTTP_"))
        if _has_nul(value for value in headers if isinstance(value, str)):
            return True
        return request.method == "POST" and _query_has_nul(request.POST)
