"""A batch export of many rows runs in the background, in chunks, and gives the same sheet."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from applications.batches import jobs as export_jobs
from applications.batches import views as batch_views
from applications.enums import ApplicationState
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.models import BackgroundJob, JobState
from shaoxing_bases.notifications.models import Notification
from tests.applications.factories import ApplicationFactory, BatchFactory


def _sheet(content: bytes) -> list[list]:
    return [list(row) for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_a_large_export_is_offered_in_the_background_and_matches_the_direct_one(
    client, make_user, monkeypatch, django_capture_on_commit_callbacks
):
    batch = BatchFactory(year=2026)
    for _ in range(5):
        ApplicationFactory(batch=batch, state=ApplicationState.SUBMITTED)
    city = make_user(Role.CITY_HRSS)
    client.force_login(city)
    direct = _sheet(client.get(reverse("applications:batch_export", args=[batch.pk])).content)
    monkeypatch.setattr(batch_views, "BACKGROUND_FROM", 3)
    monkeypatch.setattr(export_jobs, "CHUNK", 2)  # three chunks

    offer = client.get(reverse("applications:batch_export", args=[batch.pk]))
    assert offer.status_code == 200
    assert "共有 <strong>5</strong> 个" in offer.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("applications:batch_export_start", args=[batch.pk]))

    job = BackgroundJob.objects.get(user=city)
    assert started.url == reverse("core:job", args=[job.pk])
    assert job.state == JobState.DONE
    assert job.result_name == "2026年度实训基地申报汇总.xlsx"
    assert _sheet(job.result.read()) == direct
    assert Notification.objects.filter(recipient=city, url=started.url).exists()


@pytest.mark.django_db
def test_starting_the_export_is_the_citys(client, make_user):
    batch = BatchFactory()
    client.force_login(make_user(Role.COUNTY_HRSS))

    assert client.post(reverse("applications:batch_export_start", args=[batch.pk])).status_code == 403
    assert not BackgroundJob.objects.exists()
