"""Long work as background jobs: the request returns at once, the page shows the progress, the file
arrives in the inbox with a download link, and nothing is lost if the user leaves.

An area registers a kind (``register_job_kind("applications.batch_export", run, perm=…)``): ``run(job,
progress)`` does the work, calling ``progress(done, total)`` now and then, and returns ``(file name,
bytes)``. `job_enqueue` creates the row and sends the task after commit (a broker outage never fails
the request: the minute sweep, `jobs_sweep`, sends it again); `job_run` claims the row under a lock so
that a second delivery does nothing, runs the work without a lock, then stores the file and tells the
user. A job whose worker was lost mid-run is re-queued by the sweep, up to `MAX_ATTEMPTS`.

The annual-report export (``reporting.annual.jobs``) joined the same way; batch PDF rendering is
meant to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.background import enqueue_after_commit, register_sweeper

from .models import BackgroundJob, JobState

logger = logging.getLogger(__name__)

#: A job still queued after this long lost its message (a broker outage at commit): sent again.
QUEUED_GRACE = timedelta(minutes=2)
#: Tries before a job that keeps losing its worker is given up (with a message to the user).
MAX_ATTEMPTS = 3
FAILED_MESSAGE = "生成失败，请稍后重试；如仍失败，请联系系统管理员。"

Progress = Callable[[int, int], None]
JobRunner = Callable[[BackgroundJob, Progress], tuple[str, bytes]]


@dataclass(frozen=True)
class JobKind:
    kind: str
    run: JobRunner
    perm: str  # the permission the user must still hold when the job runs (asked with ``obj``)
    obj: Callable[[BackgroundJob], object | None] = lambda job: None


_kinds: dict[str, JobKind] = {}


def register_job_kind(
    kind: str, run: JobRunner, *, perm: str, obj: Callable[[BackgroundJob], object | None] | None = None
) -> None:
    """Make ``kind`` runnable as a background job (each area, from its ``ready()``)."""
    _kinds[kind] = JobKind(kind, run, perm, obj or (lambda job: None))


def job_kind(kind: str) -> JobKind | None:
    return _kinds.get(kind)


def _running_limit() -> timedelta:
    """How long a claimed job may run before the sweep takes its worker for lost."""
    return timedelta(seconds=getattr(settings, "CELERY_TASK_TIME_LIMIT", 180) + 60)


def _send(job: BackgroundJob) -> None:
    from .tasks import run_job_task  # the task module imports this one

    enqueue_after_commit(run_job_task, job_id=job.pk)


@transaction.atomic
def job_enqueue(*, kind: str, actor, title: str, params: dict | None = None) -> BackgroundJob:
    """Queue a job of ``kind`` for ``actor``. Side effects: the row, the task sent after commit.

    The caller (a view) has asked the permission already; the job asks it again when it runs.
    """
    if kind not in _kinds:
        raise ValueError(f"unknown job kind {kind!r}")
    job = BackgroundJob.objects.create(kind=kind, user=actor, title=title[:200], params=params or {})
    audit_event(actor=actor, summary=f"发起后台任务：{job.title}"[:200], obj=job, detail={"kind": kind})
    _send(job)
    return job


def _claim(job_id: int) -> BackgroundJob | None:
    """Mark the job running, under its row lock; None when there is nothing to do (finished, or
    claimed by another delivery that is still within its time)."""
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        now = timezone.now()
        if job.state == JobState.RUNNING and job.started_at and now - job.started_at < _running_limit():
            return None
        job.state, job.started_at, job.progress = JobState.RUNNING, now, 0
        job.attempts += 1
        job.save(update_fields=["state", "started_at", "progress", "attempts"])
        return job


def _report(job_id: int) -> Progress:
    last = {"percent": -1}

    def progress(done: int, total: int) -> None:
        percent = min(99, int(done * 100 / total)) if total else 0
        if percent != last["percent"]:
            last["percent"] = percent
            BackgroundJob.objects.filter(pk=job_id, state=JobState.RUNNING).update(progress=percent)

    return progress


def _tell(job: BackgroundJob, title: str, body: str) -> None:
    from shaoxing_bases.notifications.services import notify

    notify(recipients=[job.user], title=title, body=body, url=reverse("core:job", args=[job.pk]), email=False)


def job_run(*, job_id: int) -> bool:
    """Run one job (the task calls this). Returns whether this call finished it.

    Side effects: the result file and ``done`` with an inbox message linking to it; or ``failed``
    with the error logged, a Chinese message on the job and in the inbox. A second delivery of a
    finished or running job does nothing.
    """
    from shaoxing_bases.permissions import ask

    job = _claim(job_id)
    if job is None:
        return False
    kind = _kinds.get(job.kind)
    try:
        if kind is None:
            raise LookupError(f"job kind {job.kind!r} is not registered")
        if not job.user.is_active or not ask(kind.perm, job.user, kind.obj(job), layer="service"):
            _fail(job, "您已无权执行此操作，任务已取消。")
            return True
        name, content = kind.run(job, _report(job.pk))
    except Exception:
        logger.exception("background job %s (%s) failed", job.pk, job.kind)
        _fail(job, FAILED_MESSAGE)
        return True
    with transaction.atomic():
        locked = BackgroundJob.objects.select_for_update().get(pk=job.pk)
        if locked.is_finished:  # finished by another delivery meanwhile
            return False
        locked.result.save(name, ContentFile(content), save=False)
        locked.result_name = name[:200]
        locked.state, locked.progress, locked.finished_at = JobState.DONE, 100, timezone.now()
        locked.save(update_fields=["result", "result_name", "state", "progress", "finished_at"])
        _tell(locked, f"{locked.title}已生成", f"文件 {name} 已生成，点击下载。")
    return True


def _fail(job: BackgroundJob, message: str) -> None:
    with transaction.atomic():
        updated = BackgroundJob.objects.filter(pk=job.pk, state__in=JobState.unfinished()).update(
            state=JobState.FAILED, error=message, finished_at=timezone.now()
        )
        if updated:
            _tell(job, f"{job.title}未能生成", message)


def jobs_sweep(now=None) -> int:
    """Send again what lost its message or its worker; give up after `MAX_ATTEMPTS`. Part of the
    minute sweep. Returns how many jobs it moved."""
    now = now or timezone.now()
    moved = 0
    with transaction.atomic():
        stranded = BackgroundJob.objects.select_for_update(skip_locked=True).filter(
            state=JobState.QUEUED, enqueued_at__lt=now - QUEUED_GRACE
        ) | BackgroundJob.objects.select_for_update(skip_locked=True).filter(
            state=JobState.RUNNING, started_at__lt=now - _running_limit()
        )
        for job in stranded:
            moved += 1
            if job.attempts >= MAX_ATTEMPTS:
                _fail(job, FAILED_MESSAGE)
                continue
            BackgroundJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED, enqueued_at=now)
            _send(job)
    return moved


register_sweeper(jobs_sweep)
