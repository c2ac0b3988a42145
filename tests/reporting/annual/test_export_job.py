"""A year with many annual reports is exported as a background job, in chunks, with the same sheet
as the direct download; a small year downloads at once; the permission is asked again at run time."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reporting.annual import exports
from reporting.annual import views as annual_views
from reporting.annual.jobs import KIND
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.jobs import job_run
from shaoxing_bases.core.models import BackgroundJob, JobState
from shaoxing_bases.notifications.models import Notification
from tests.factories import UserFactory, region

from .factories import make_report

pytestmark = pytest.mark.django_db


def _sheet(content: bytes) -> list[list]:
    return [list(row) for row in load_workbook(BytesIO(content)).active.iter_rows(values_only=True)]


@pytest.fixture
def city():
    return UserFactory(role=Role.CITY_HRSS)


def test_a_small_year_downloads_at_once(client, city):
    reports = [make_report(year=2026) for _ in range(2)]
    client.force_login(city)

    response = client.get(reverse("annual_reports:export") + "?year=2026")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="annual-reports-2026.xlsx"')
    rows = _sheet(response.content)
    assert sorted(row[1] for row in rows[1:]) == sorted(report.base.name for report in reports)
    assert not BackgroundJob.objects.exists()


def test_a_large_year_runs_as_a_job_with_every_report(
    client, city, monkeypatch, django_capture_on_commit_callbacks
):
    reports = [make_report(year=2026) for _ in range(5)]
    make_report(year=2025)  # another year: not in the file
    client.force_login(city)
    direct = _sheet(client.get(reverse("annual_reports:export") + "?year=2026").content)
    monkeypatch.setattr(annual_views, "BACKGROUND_FROM", 3)
    monkeypatch.setattr(exports, "CHUNK", 2)  # three chunks

    offer = client.get(reverse("annual_reports:export") + "?year=2026")
    assert offer.status_code == 200
    assert "共有 <strong>5</strong> 份" in offer.content.decode()
    assert 'name="year" value="2026"' in offer.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("annual_reports:export_start"), {"year": "2026"})

    job = BackgroundJob.objects.get(user=city)
    assert started.url == reverse("core:job", args=[job.pk])
    assert (job.kind, job.params, job.state, job.progress) == (KIND, {"year": 2026}, JobState.DONE, 100)
    assert job.result_name == "2026年度报告.xlsx"
    rows = _sheet(job.result.read())
    assert rows == direct
    assert len(rows) == 1 + len(reports)
    assert sorted(row[1] for row in rows[1:]) == sorted(report.base.name for report in reports)
    assert Notification.objects.filter(recipient=city, url=started.url).exists()
    page = client.get(started.url).content.decode()
    assert "2026年度报告汇总（Excel）" in page


def test_starting_the_export_is_refused_without_the_permission_or_a_year(client, city):
    make_report(year=2026)
    client.force_login(UserFactory(role=Role.COUNTY_HRSS, region=region("330602")))
    assert client.post(reverse("annual_reports:export_start"), {"year": "2026"}).status_code == 403

    client.force_login(city)
    for year in ("1999", "abc", ""):
        response = client.post(reverse("annual_reports:export_start"), {"year": year})
        assert response.status_code == 302
        assert response.url == reverse("annual_reports:city_overview")
    assert not BackgroundJob.objects.exists()


def test_the_job_is_refused_when_the_permission_is_gone_by_the_time_it_runs(
    client, city, django_capture_on_commit_callbacks
):
    make_report(year=2026)
    client.force_login(city)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("annual_reports:export_start"), {"year": "2026"})
    job = BackgroundJob.objects.get(user=city)
    city.role, city.region = Role.COUNTY_HRSS, region("330602")  # moved to a county meanwhile
    city.save(update_fields=["role", "region"])

    assert job_run(job_id=job.pk) is True

    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "您已无权执行此操作，任务已取消。"
    assert not job.result


def test_the_jobs_queries_grow_only_per_chunk(client, city, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(exports, "CHUNK", 2)
    client.force_login(city)
    rows = {2025: 4, 2026: 8}
    for year, count in rows.items():
        for _ in range(count):
            make_report(year=year)

    def run_job(year: int) -> int:
        with django_capture_on_commit_callbacks(execute=False):
            client.post(reverse("annual_reports:export_start"), {"year": str(year)})
        job = BackgroundJob.objects.get(params__year=year)
        with CaptureQueriesContext(connection) as queries:
            job_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.state == JobState.DONE
        assert len(_sheet(job.result.read())) == 1 + rows[year]
        return len(queries)

    # Two chunks more: one progress write more per chunk (25, 50, 75, 99 % against 50, 99 %).
    assert run_job(2026) - run_job(2025) == 2
