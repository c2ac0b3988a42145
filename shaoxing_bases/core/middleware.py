"""Response fix-ups that apply to every view."""

from django.shortcuts import render


class MethodNotAllowedPageMiddleware:
    """Gives the empty 405 of `require_POST`/`require_GET` and class-based views a Chinese page.

    Only empty bodies are replaced, so a view that explains its own 405 keeps its answer; the
    Allow header is kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        page = render(request, "errors/405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
