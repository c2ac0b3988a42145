"""The section form in Debian's Chromium: one click saves once (static/js/application-form.js)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.applications.factories import ApplicationFactory
from tests.e2e.conftest import browser_context_args, browser_type_launch_args  # noqa: F401  (Debian's Chromium)
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Listens after application-form.js: records each submission the page would send, and keeps the page
# (a real navigation would take the buttons away before they can be looked at).
RECORD_SUBMISSIONS = """() => {
  window.sent = [];
  document.getElementById("section-form").addEventListener("submit", (event) => {
    if (!event.defaultPrevented) window.sent.push(event.submitter ? event.submitter.name : "");
    event.preventDefault();
  });
}"""
ALL_DISABLED = """() => {
  const buttons = [...document.querySelectorAll("#section-form button[type=submit]")];
  return buttons.length > 1 && buttons.every((button) => button.disabled);
}"""


def test_save_buttons_are_disabled_after_the_first_click_and_the_clicked_one_counts(page, live_server):
    application = ApplicationFactory()
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.get_by_label("用户名").fill(application.created_by.username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    url = f"{live_server.url}{reverse('applications:edit_section', args=[application.pk, 'management'])}"

    page.goto(url)
    page.evaluate(RECORD_SUBMISSIONS)
    page.get_by_role("button", name=re.compile("保存并继续")).click()
    page.wait_for_function(ALL_DISABLED)
    page.evaluate("() => document.querySelector('button[name=save_next]').click()")  # a second click
    page.evaluate("() => document.getElementById('section-form').requestSubmit()")  # Enter
    assert page.evaluate("() => window.sent") == ["save_next"]

    # For real: the clicked button's name still reaches the server (disabled only after sending).
    page.goto(url)
    page.get_by_label("机构设置与岗位职责").fill("设培训处和实训中心")
    page.get_by_role("button", name=re.compile("保存并继续")).click()
    expect(page).to_have_url(re.compile(r"/edit/premises/$"))
    application.refresh_from_db()
    assert application.organisation_description == "设培训处和实训中心"
