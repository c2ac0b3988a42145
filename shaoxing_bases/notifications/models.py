from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One message in one user's inbox, optionally pointing at the object it is about."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    # Set while one task talks to the SMTP server, so that a duplicate delivery of the task does
    # not mail again; cleared when the send fails, and ignored once older than a task may live.
    email_claimed_at = models.DateTimeField("邮件发送中", null=True, blank=True, editable=False)
    # When the minute sweep should make sure the e-mail goes out: a little after `notify` (the task
    # enqueued at commit normally sends first), pushed back on every attempt; empty when no e-mail
    # is wanted, once it is sent, or when the attempts are used up. The sweep mails what is due, so
    # a message lost with the broker (down at commit, a worker killed) still becomes an e-mail.
    email_due_at = models.DateTimeField("邮件待发时间", null=True, blank=True, editable=False)
    email_attempts = models.PositiveSmallIntegerField("邮件发送次数", default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # The sweep's query: unsent e-mails that are due. Partial, so it stays as small as the
            # backlog, not as large as the inbox history.
            models.Index(
                fields=["email_due_at"],
                name="notification_email_due_idx",
                condition=models.Q(email_due_at__isnull=False, emailed_at__isnull=True),
            ),
        ]
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
