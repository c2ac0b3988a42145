"""A draft whose batch no longer takes submissions says 已截止 and offers no action, on 我的申报,
the dashboard and the detail page (applications/workflow/dashboard.py `application_closed`)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from applications.enums import ApplicationState
from applications.workflow.dashboard import application_closed
from tests.applications.factories import ApplicationFactory, complete_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return complete_application(ApplicationFactory())


def _after_deadline(application):
    return time_machine.travel(application.batch.submission_deadline + timedelta(minutes=1), tick=False)


def _forbidden_links(application) -> list[str]:
    return [
        reverse("applications:edit_section", args=[application.pk, "management"]),
        reverse("applications:submit", args=[application.pk]),
        reverse("applications:withdraw", args=[application.pk]),
        reverse("applications:recall", args=[application.pk]),
    ]


def test_closed_is_the_clock_of_the_submission_rule(draft):
    deadline = draft.batch.submission_deadline
    assert not application_closed(draft, deadline - timedelta(seconds=1))
    assert application_closed(draft, deadline)
    submitted = ApplicationFactory(state=ApplicationState.SUBMITTED)
    assert not application_closed(submitted, submitted.batch.submission_deadline + timedelta(days=1))


@pytest.mark.parametrize("url_name", ["applications:my_applications", "core:dashboard"])
def test_lists_say_closed_and_offer_no_action(client, draft, url_name):
    with _after_deadline(draft):
        client.force_login(draft.created_by)
        body = client.get(reverse(url_name)).content.decode()
    assert re.search(r'data-testid="closed">已截止<', body)
    assert "已截止，未提交，本批次不能再提交" in body
    assert "继续填报" not in body
    for link in _forbidden_links(draft):
        assert f'href="{link}"' not in body


def test_detail_says_closed_and_offers_no_action(client, draft):
    with _after_deadline(draft):
        client.force_login(draft.created_by)
        body = client.get(reverse("applications:detail", args=[draft.pk])).content.decode()
    assert re.search(r'data-testid="closed">已截止<', body)
    assert "申报已截止，不能提交。" in body
    assert "继续填报" not in body
    assert 'data-testid="danger-zone"' not in body
    for link in _forbidden_links(draft):
        assert f'href="{link}"' not in body
    # Still readable and printable.
    assert reverse("applications:print", args=[draft.pk]) in body


def test_before_the_deadline_the_same_draft_has_its_actions(client, draft):
    client.force_login(draft.created_by)
    body = client.get(reverse("applications:detail", args=[draft.pk])).content.decode()
    assert 'data-testid="closed"' not in body
    assert "继续填报" in body
    assert f'href="{reverse("applications:submit", args=[draft.pk])}"' in body
    assert 'data-testid="danger-zone"' in body
