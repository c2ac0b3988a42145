"""The axe-core harness (tests/a11y) itself: it must catch what it is there to catch.

A tiny site of our own, served with the portal's strict CSP, has two deliberate faults: an image
without alt text in the page, and an input without a label that arrives by an htmx swap. The test
clicks on at once to the next page, as tests do.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

HTMX = Path(__file__).resolve().parents[2] / "node_modules" / "htmx.org" / "dist" / "htmx.min.js"
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"
HEAD = (
    '<meta charset="utf-8"><meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>'
    '<script src="/htmx.js" defer></script>'
)
PAGES = {
    "/bad.html": (
        f'<!DOCTYPE html><html lang="zh-CN"><head>{HEAD}<title>问题页面</title></head><body><main>'
        '<h1>问题页面</h1><img src="/pixel.svg">'
        '<button type="button" hx-get="/fragment.html" hx-target="#slot">加载</button><div id="slot"></div>'
        '<a href="/good.html">下一页</a></main></body></html>'
    ),
    "/fragment.html": '<input type="text" name="q">',
    "/good.html": (
        f'<!DOCTYPE html><html lang="zh-CN"><head>{HEAD}<title>好页面</title></head><body><main>'
        '<h1>好页面</h1><img src="/pixel.svg" alt="示意图"></main></body></html>'
    ),
    "/pixel.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',
}


class _Site(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/htmx.js":
            body, kind = HTMX.read_bytes(), "text/javascript"
        elif self.path in PAGES:
            body = PAGES[self.path].encode()
            kind = "image/svg+xml" if self.path.endswith(".svg") else "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def tiny_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_port}"
    server.shutdown()
    server.server_close()


def _visit_bad_then_good(page, site: str) -> list[str]:
    """Returns the CSP violations the browser reported on the way."""
    csp: list[str] = []
    page.on("console", lambda message: "Content Security" in message.text and csp.append(message.text))
    page.goto(f"{site}/bad.html")
    page.get_by_role("button", name="加载").click()
    expect(page.locator("#slot input")).to_be_attached()
    page.get_by_role("link", name="下一页").click()  # leaves straight away
    expect(page).to_have_title("好页面")
    return csp


def test_axe_reports_every_page_and_htmx_swap_under_a_strict_csp(page, request, tiny_site):
    recorder = request.node.axe_recorder

    csp = _visit_bad_then_good(page, tiny_site)
    recorder.flush()
    problems = recorder.failures()
    recorder.violations.clear()  # deliberate faults: they must not fail this test itself

    assert csp == []
    assert sorted(recorder.documents.values()) == ["/bad.html", "/good.html"]
    assert set(recorder.documents) <= recorder.scanned
    assert any(problem.startswith("/bad.html: image-alt [critical]") for problem in problems), problems
    assert any(
        problem.startswith("/bad.html: label [critical]") and "input" in problem for problem in problems
    ), problems
    assert not [problem for problem in problems if problem.startswith("/good.html")]


@pytest.mark.axe_exempt(reason="the harness's own test of the opt-out", rules=("image-alt", "label"))
def test_axe_exempt_rules_are_not_failures(page, request, tiny_site):
    recorder = request.node.axe_recorder

    _visit_bad_then_good(page, tiny_site)
    recorder.flush()

    assert {rule for _url, rule in recorder.violations} >= {"image-alt", "label"}
    assert recorder.failures() == []
