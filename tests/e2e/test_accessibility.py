"""Every demo role's main pages on a desktop (1366 px) and a phone (390 px).

axe-core scans each page by itself (tests/a11y): these tests only walk the pages a person of each
role reaches — the dashboard, every link of the header navigation and the detail pages one click
away from those — and check what axe cannot: on a phone the page must not scroll sideways (a wide
table may scroll inside its `.table-responsive`), and no heading, link, button or table cell may be
squeezed into a column of one character per line. Screenshots of every page go to
test-artifacts/a11y/ to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

ROLES = (
    "applicant",
    "unit_yc_training",
    "yuecheng_hrss",
    "yuecheng_finance",
    "city_hrss",
    "city_finance",
    "expert1",
    "admin",
)
WIDTHS = {"desktop": 1366, "phone": 390}
SCREENSHOTS = Path("test-artifacts") / "a11y"
DETAIL_LINKS_PER_PAGE = 4

# Links the walk does not follow, each for a reason.
NOT_PAGES = (
    re.compile(r"^/admin/"),  # Django's own admin site: its templates are not ours
    re.compile(r"/download/?$|/attachments/\d+/?$"),  # files, not pages
    re.compile(r"\.(pdf|xlsx|csv|zip)$"),
    re.compile(r"/export/?$"),  # Excel exports
    re.compile(r"^/accounts/(logout|login|sso)"),  # would end the session
)

# Things axe does not measure: sideways scrolling, and text wrapped one character per line.
LAYOUT_PROBLEMS = (Path(__file__).parent / "layout_problems.js").read_text(encoding="utf-8")


def _shape(path: str) -> str:
    """/applications/12/edit/ and /applications/13/edit/ are the same kind of page."""
    return re.sub(r"\d+", "N", path)


def _page_links(page, base_url: str, scope: str) -> list[str]:
    hrefs = page.eval_on_selector_all(f"{scope} a[href]", "links => links.map(link => link.href)")
    paths = []
    for href in hrefs:
        url = urlsplit(urljoin(page.url, href))
        if f"{url.scheme}://{url.netloc}" != base_url or not url.path:
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if not any(pattern.search(url.path) for pattern in NOT_PAGES) and path not in paths:
            paths.append(path)
    return paths


class Walk:
    def __init__(self, page, base_url: str, folder: Path) -> None:
        self.page, self.base_url, self.folder = page, base_url, folder
        self.visited: list[str] = []
        self.shapes: set[str] = set()
        self.problems: list[str] = []

    def visit(self, path: str) -> None:
        response = self.page.goto(f"{self.base_url}{path}")
        self.page.wait_for_load_state("networkidle")  # htmx panels are in
        if path in self.visited:
            return
        self.visited.append(path)
        self.shapes.add(_shape(path))
        if response is None or response.status >= 400:
            self.problems.append(f"{path}: HTTP {response.status if response else '—'}")
        self.problems += [f"{path}: {problem}" for problem in self.page.evaluate(LAYOUT_PROBLEMS)]
        name = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"
        self.page.screenshot(path=str(self.folder / f"{len(self.visited):02d}-{name}.png"), full_page=True)

    def detail_links(self) -> list[str]:
        found = []
        for path in _page_links(self.page, self.base_url, "main"):
            shape = _shape(path)
            if shape not in self.shapes and path not in found:
                self.shapes.add(shape)
                found.append(path)
        return found[:DETAIL_LINKS_PER_PAGE]


@pytest.mark.parametrize("width", WIDTHS.items(), ids=WIDTHS.keys())
@pytest.mark.parametrize("username", ROLES)
def test_role_main_pages_pass_axe_and_fit_the_screen(page, login, demo, username, width):
    label, pixels = width
    page.set_viewport_size({"width": pixels, "height": 900})
    folder = SCREENSHOTS / f"{pixels}px" / username
    folder.mkdir(parents=True, exist_ok=True)
    login(username)
    expect(page.get_by_test_id("dashboard-title")).to_be_visible()
    walk = Walk(page, demo.url, folder)

    main_pages = _page_links(page, demo.url, "header nav")
    assert main_pages, "the header navigation has no links"
    for path in main_pages:
        walk.visit(path)
        for detail in walk.detail_links():
            walk.visit(detail)

    assert walk.problems == [], f"{username} at {pixels}px ({label}):\n" + "\n".join(walk.problems)
    assert set(main_pages) <= set(walk.visited)


@pytest.mark.parametrize("width", WIDTHS.items(), ids=WIDTHS.keys())
def test_public_pages_pass_axe_and_fit_the_screen(page, demo, width):
    label, pixels = width
    page.set_viewport_size({"width": pixels, "height": 900})
    folder = SCREENSHOTS / f"{pixels}px" / "public"
    folder.mkdir(parents=True, exist_ok=True)
    walk = Walk(page, demo.url, folder)

    for path in ("/", "/accounts/login/", "/units/register/"):
        walk.visit(path)

    assert walk.problems == [], f"public pages at {pixels}px ({label}):\n" + "\n".join(walk.problems)
