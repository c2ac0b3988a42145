"""Background jobs (`core.jobs`): long work a user asked for, run by a Celery worker, with its progress
and its result file, so that the request returns at once and nothing is lost if the user leaves."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "处理中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"

    @classmethod
    def unfinished(cls) -> tuple[str, ...]:
        return (cls.QUEUED, cls.RUNNING)


def job_result_path(instance: "BackgroundJob", filename: str) -> str:
    """A random name under the year (Shanghai): the download gives the file its readable name."""
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"jobs/{timezone.localdate():%Y}/{uuid.uuid4().hex}.{suffix}"


class BackgroundJob(models.Model):
    """One run of a registered job kind (`core.jobs.register_job_kind`) for one user."""

    kind = models.CharField("类型", max_length=60)
    title = models.CharField("名称", max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.CASCADE, related_name="+"
    )
    params = models.JSONField("参数", default=dict, blank=True)
    state = models.CharField("状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    result = models.FileField("结果文件", upload_to=job_result_path, blank=True, max_length=200)
    result_name = models.CharField("结果文件名", max_length=200, blank=True)
    error = models.TextField("错误", blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    enqueued_at = models.DateTimeField("入队时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "enqueued_at"], name="job_state_enqueued")]
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.state not in JobState.unfinished()
