"""Background jobs (`core.jobs`): run once, fail with a message, swept when stranded, owner-only pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.core import jobs
from shaoxing_bases.core.models import BackgroundJob, JobState
from shaoxing_bases.notifications.models import Notification

KIND = "tests.echo"


@pytest.fixture
def runs(monkeypatch):
    """A job kind for the tests, recording each run; the real registry is left as it was."""
    monkeypatch.setattr(jobs, "_kinds", dict(jobs._kinds))
    calls = []

    def run(job, progress):
        calls.append(job.pk)
        progress(1, 2)
        assert BackgroundJob.objects.get(pk=job.pk).progress == 50
        return "结果.txt", f"第{job.params['n']}份".encode()

    jobs.register_job_kind(KIND, run, perm="notifications.view_inbox")
    return calls


@pytest.fixture
def owner(make_user):
    return make_user(Role.CITY_HRSS, username="job_owner")


def _enqueue(owner, django_capture_on_commit_callbacks, n=1):
    with django_capture_on_commit_callbacks(execute=True):
        return jobs.job_enqueue(kind=KIND, actor=owner, title="测试任务", params={"n": n})


@pytest.mark.django_db
def test_a_job_runs_after_commit_stores_its_file_and_tells_its_owner(
    runs, owner, django_capture_on_commit_callbacks
):
    job = _enqueue(owner, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert runs == [job.pk]
    assert job.state == JobState.DONE
    assert job.progress == 100
    assert job.result.read() == "第1份".encode()
    assert job.result_name == "结果.txt"
    (message,) = Notification.objects.filter(recipient=owner)
    assert message.url == reverse("core:job", args=[job.pk])
    assert "已生成" in message.title
    assert AuditEntry.objects.filter(summary="发起后台任务：测试任务", actor=owner).exists()


@pytest.mark.django_db
def test_a_second_delivery_does_nothing(runs, owner, django_capture_on_commit_callbacks):
    job = _enqueue(owner, django_capture_on_commit_callbacks)

    assert jobs.job_run(job_id=job.pk) is False
    assert runs == [job.pk]
    assert Notification.objects.filter(recipient=owner).count() == 1


@pytest.mark.django_db
def test_a_job_whose_work_fails_says_so_in_chinese(
    runs, owner, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(job, progress):
        raise RuntimeError("disk full")

    jobs.register_job_kind(KIND, broken, perm="notifications.view_inbox")

    job = _enqueue(owner, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == jobs.FAILED_MESSAGE
    assert "disk" not in job.error
    assert Notification.objects.get(recipient=owner).title == "测试任务未能生成"


@pytest.mark.django_db
def test_a_job_is_refused_when_its_owner_lost_the_permission(
    runs, make_user, django_capture_on_commit_callbacks
):
    jobs.register_job_kind(KIND, lambda job, progress: ("x", b"x"), perm="audit.view_trail")
    applicant = make_user(Role.APPLICANT)

    job = _enqueue(applicant, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "无权" in job.error


@pytest.mark.django_db
def test_the_sweep_sends_again_what_lost_its_message_or_its_worker(runs, owner, monkeypatch):
    sent = []
    monkeypatch.setattr(jobs, "_send", lambda job: sent.append(job.pk))
    long_ago = timezone.now() - timedelta(hours=1)
    lost_message = BackgroundJob.objects.create(kind=KIND, title="a", user=owner, enqueued_at=long_ago)
    fresh = BackgroundJob.objects.create(kind=KIND, title="b", user=owner)
    lost_worker = BackgroundJob.objects.create(
        kind=KIND, title="c", user=owner, state=JobState.RUNNING, started_at=long_ago, attempts=1
    )
    worn_out = BackgroundJob.objects.create(
        kind=KIND,
        title="d",
        user=owner,
        state=JobState.RUNNING,
        started_at=long_ago,
        attempts=jobs.MAX_ATTEMPTS,
    )
    running = BackgroundJob.objects.create(
        kind=KIND, title="e", user=owner, state=JobState.RUNNING, started_at=timezone.now()
    )

    assert jobs.jobs_sweep() == 3

    assert sorted(sent) == sorted([lost_message.pk, lost_worker.pk])
    assert BackgroundJob.objects.get(pk=lost_worker.pk).state == JobState.QUEUED
    assert BackgroundJob.objects.get(pk=worn_out.pk).state == JobState.FAILED
    assert BackgroundJob.objects.get(pk=fresh.pk).state == JobState.QUEUED
    assert BackgroundJob.objects.get(pk=running.pk).state == JobState.RUNNING
    # A job another worker is still running within its time is not taken twice.
    assert jobs.job_run(job_id=running.pk) is False
    assert runs == []


@pytest.mark.django_db
def test_the_job_page_polls_until_done_and_then_links_the_file(
    client, runs, owner, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(jobs, "_send", lambda job: None)  # stays queued
    job = _enqueue(owner, django_capture_on_commit_callbacks)
    client.force_login(owner)
    url = reverse("core:job", args=[job.pk])

    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "<progress" in page
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404

    jobs.job_run(job_id=job.pk)
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert "hx-trigger" not in partial
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == "第1份".encode()
    assert download["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_another_users_job_is_not_found(client, runs, owner, make_user, django_capture_on_commit_callbacks):
    job = _enqueue(owner, django_capture_on_commit_callbacks)
    client.force_login(make_user(Role.CITY_HRSS, username="someone_else"))

    assert client.get(reverse("core:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404
