"""Accessibility in every browser test: axe-core (WCAG 2.1 A and AA) scans every page a test visits.

Nothing to call from a test. ``tests/conftest.py`` wires :func:`axe_every_page` (autouse) and
:func:`pytest_runtest_call` into every test that uses Playwright's ``page`` or ``context``:

* axe-core comes from the ``axe-playwright-python`` package (no CDN) and is added to the browser
  context as an init script together with ``scan.js``; Playwright evaluates init scripts through
  DevTools, so the site keeps its strict CSP (``script-src 'self'``) and the page never loads axe.
* ``scan.js`` runs axe when a document has loaded and its htmx requests have stopped, and again after
  every htmx swap; each result comes back through an exposed binding.
* Every top-level navigation is held until the page it leaves has finished scanning, so a test that
  clicks on quickly still has each page scanned; the test's last page is flushed when it ends.
* After the test body, the test fails on any ``serious`` or ``critical`` violation, naming the rule,
  its impact, the target selectors and the page; on a document that was never scanned; or on axe
  itself failing. Every violation, minor ones too, is written to ``test-artifacts/axe/``.

Opt-out, only with a reason that a reviewer can check::

    @pytest.mark.axe_exempt(reason="…", rules=("color-contrast",))   # rules=() exempts every rule
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import BrowserContext, Frame, Page, Request, Route
from playwright.sync_api import Error as PlaywrightError

FAILING_IMPACTS = ("critical", "serious")
SCAN_SCRIPT = (Path(__file__).parent / "scan.js").read_text(encoding="utf-8")
ARTIFACTS = Path("test-artifacts") / "axe"
# How long a navigation may be held for the page it leaves; past it, check() reports that page.
SETTLE_TIMEOUT_S = 20.0
POLL_MS = 20


def _short(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class AxeRecorder:
    """Collects axe results for one browser context; :meth:`failures` says what fails the test."""

    def __init__(self, context: BrowserContext, *, exempt_rules: frozenset[str] = frozenset()) -> None:
        self.context = context
        self.exempt_rules = exempt_rules
        self.documents: dict[str, str] = {}  # document id → URL, for every HTML document loaded
        self.scanned: set[str] = set()
        self.busy: set[str] = set()  # documents loading, waiting for htmx or being scanned
        self.current: dict[Page, tuple[str, str]] = {}  # page → (document id, URL) it shows
        self.leaving: dict[Page, set[Request]] = defaultdict(set)  # navigations let through, uncommitted
        # New documents per page as Playwright saw them load, and as scan.js announced them: while the
        # first count is ahead, a document exists whose announcement is still on its way.
        self.loaded: dict[Page, int] = defaultdict(int)
        self.announced: dict[Page, int] = defaultdict(int)
        self.errors: list[str] = []
        # (page URL, rule) → impact, help and each violating node by its target selectors.
        self.violations: dict[tuple[str, str], dict[str, Any]] = {}
        context.expose_binding("__axeReport", self._on_report)
        context.add_init_script(script=f"{AXE_SCRIPT}\n;\n{SCAN_SCRIPT}")
        context.route("**/*", self._hold_navigation)
        context.on("page", self._watch)
        for page in context.pages:
            self._watch(page)

    def _watch(self, page: Page) -> None:
        page.on("framenavigated", lambda frame: self._committed(page, frame))
        page.on("requestfinished", lambda request: self._settled(page, request))
        page.on("requestfailed", lambda request: self._settled(page, request))
        page.on("domcontentloaded", lambda _page: self._loaded(page))

    def _loaded(self, page: Page) -> None:
        if page.url.startswith(("http:", "https:")):
            self.loaded[page] += 1

    def _committed(self, page: Page, frame: Frame) -> None:
        if frame.parent_frame is None:
            self.leaving[page].clear()

    def _settled(self, page: Page, request: Request) -> None:
        while request.redirected_from is not None:
            request = request.redirected_from
        self.leaving[page].discard(request)

    # --- Browser → Python ---------------------------------------------------------------------

    def _on_report(self, source: dict[str, Any], payload: dict[str, Any]) -> None:
        document, kind = payload["document"], payload["kind"]
        url = _short(payload["url"])
        if kind == "document":  # a new document in the page; scan.js scans it
            self.documents[document] = url
            self.current[source["page"]] = (document, payload["url"])
            self.announced[source["page"]] += 1
            self.busy.add(document)
        elif kind == "other":  # not HTML (a text file, an image): nothing to scan
            self.current[source["page"]] = (document, payload["url"])
            self.announced[source["page"]] += 1
        elif kind == "busy":
            self.busy.add(document)
        elif kind == "idle":
            self.busy.discard(document)
        elif kind == "error":
            self.scanned.add(document)
            self.errors.append(f"{url}: {payload['message']}")
        elif kind == "result":
            self.scanned.add(document)
            for violation in payload["violations"]:
                entry = self.violations.setdefault(
                    (url, violation["id"]),
                    {"impact": violation["impact"], "help": violation["help"], "nodes": {}},
                )
                for node in violation["nodes"]:
                    entry["nodes"].setdefault(" ".join(node["target"]), node)

    def _hold_navigation(self, route: Route) -> None:
        """Let a page leave its document only once that document has been scanned and is quiet.

        The waiting is done here, on what scan.js reports: while a navigation request is paused,
        Playwright evaluates nothing in the page, but the page's scripts and the binding run on.
        """
        request = route.request
        try:
            page = (
                request.frame.page
                if request.is_navigation_request() and not request.frame.parent_frame
                else None
            )
        except PlaywrightError:  # a service worker's request has no frame
            page = None
        if page is not None:
            self._wait_until_settled(page)
            self.leaving[page].add(request)
        route.fallback()

    def _unsettled(self, page: Page) -> bool:
        if self.leaving[page]:
            return True  # an earlier navigation has not committed yet: its document comes next
        document, url = self.current.get(page, ("", ""))
        committed = page.main_frame.url
        if committed.startswith(("http:", "https:")) and committed != url:
            return True  # committed, but its document has not reported yet
        if self.loaded[page] > self.announced[page]:
            return True  # loaded again at the same address, announcement on its way
        return document in self.busy

    def _wait_until_settled(self, page: Page) -> None:
        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        try:
            page.wait_for_timeout(POLL_MS)  # let reports already sent by the page arrive first
            while self._unsettled(page) and time.monotonic() < deadline:
                page.wait_for_timeout(POLL_MS)
        except PlaywrightError:
            pass  # the page is gone; failures() reports a document that was never scanned

    # --- After the test -----------------------------------------------------------------------

    def flush(self) -> None:
        for page in self.context.pages:
            if not page.is_closed():
                self._wait_until_settled(page)

    def failures(self) -> list[str]:
        problems = [f"axe-core could not run on {error}" for error in self.errors]
        problems += [
            f"{url}: the page was left before axe-core finished scanning it"
            for document, url in self.documents.items()
            if document not in self.scanned
        ]
        for (url, rule), entry in sorted(self.violations.items()):
            if entry["impact"] not in FAILING_IMPACTS or rule in self.exempt_rules:
                continue
            targets = "; ".join(sorted(entry["nodes"]))
            problems.append(f"{url}: {rule} [{entry['impact']}] {entry['help']} — {targets}")
        return problems

    def write_artifact(self, name: str) -> Path | None:
        if not self.violations:
            return None
        by_page: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for (url, rule), entry in sorted(self.violations.items()):
            by_page[url].append({"rule": rule, **entry, "nodes": list(entry["nodes"].values())})
        path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(by_page, ensure_ascii=False, indent=2), encoding="utf-8")
        return path


def _exemption(item: pytest.Item) -> tuple[bool, frozenset[str]]:
    """(scan at all, rules exempted) from an ``axe_exempt`` marker, which must give its reason."""
    marker = item.get_closest_marker("axe_exempt")
    if marker is None:
        return True, frozenset()
    reason = str(marker.kwargs.get("reason", "")).strip()
    if not reason:
        pytest.fail("@pytest.mark.axe_exempt needs reason=…: why may this page break WCAG?", pytrace=False)
    rules = frozenset(marker.kwargs.get("rules", ()))
    return bool(rules), rules


@pytest.fixture(autouse=True)
def axe_every_page(request: pytest.FixtureRequest):
    """Scan every page of a browser test with axe-core (see the module docstring)."""
    callspec = getattr(request.node, "callspec", None)
    parametrized = set(callspec.params) if callspec else set()  # a test's own argument named "page"
    if not ({"page", "context"} & set(request.fixturenames)) - parametrized:
        yield None
        return
    scan, exempt_rules = _exemption(request.node)
    if not scan:
        yield None
        return
    recorder = AxeRecorder(request.getfixturevalue("context"), exempt_rules=exempt_rules)
    request.node.axe_recorder = recorder
    yield recorder


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """After a browser test's body, record what axe-core found and fail the test on what matters."""
    recorder: AxeRecorder | None = getattr(item, "axe_recorder", None)
    body_passed = False
    try:
        result = yield
        body_passed = True
        return result
    finally:
        if recorder is not None:
            recorder.flush()
            artifact = recorder.write_artifact(item.nodeid)
            problems = recorder.failures()
            if body_passed and problems:  # a failing body keeps its own error; the artifact has the rest
                where = f"\n(every violation: {artifact})" if artifact else ""
                pytest.fail(
                    f"Accessibility (axe-core, WCAG 2.1 A/AA), {len(problems)} problem(s):\n"
                    + "\n".join(f"- {problem}" for problem in problems)
                    + where,
                    pytrace=False,
                )
