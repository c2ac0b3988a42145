"""Browser tests: Playwright driving Debian's Chromium against a live server.

pytest-playwright provides `page` (a fresh context per test) and saves a screenshot of every
failing test under test-artifacts/ (see addopts in pyproject.toml).
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body
# are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        # Background networking off: the machine's network is closed and Chromium would retry.
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Reduced motion: Bootstrap then skips its transitions, so that axe-core (tests/a11y) measures
    # colours as they end up, not half-way through a hover fade.
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "reduced_motion": "reduce",
    }


@pytest.fixture
def demo(request, live_server, transactional_db):
    """Demo data in the live server's database; returns the live server. Only the open batch unless
    the test asks for more stages with ``@pytest.mark.demo_stages("screening", ...)`` (seeding every
    stage renders a dozen letters and takes seconds)."""
    marker = request.node.get_closest_marker("demo_stages")
    stages = ",".join(marker.args) if marker else "open"
    call_command("seed_demo", verbosity=0, stages=stages)
    return live_server


@pytest.fixture
def login(page, demo):
    """login(username) signs in through the real login form."""
    from shaoxing_bases.accounts.demo import DEMO_PASSWORD

    def sign_in(username: str, password: str = DEMO_PASSWORD):
        page.goto(f"{demo.url}/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        return page

    return sign_in
