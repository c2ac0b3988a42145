"""Append-only audit trail (等保2.0: who, what, when, from where, outcome; kept ≥ 6 months).

Each entry stores the SHA-256 of its content chained to the previous entry's hash, so that an
edit or deletion made directly in the database is detected by `manage.py verify_audit_chain`.
"""

import hashlib
import json

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出"
    LOCKED_OUT = "locked_out", "账号锁定"
    PERMISSION_DENIED = "permission_denied", "越权访问被拒绝"
    STATE_CHANGE = "state_change", "状态变更"


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", "成功"
    FAILURE = "failure", "失败"
    DENIED = "denied", "拒绝"


class AuditEntry(models.Model):
    created_at = models.DateTimeField("时间", db_index=True)
    # The hash covers actor_id, so deleting a user must never touch these rows: no cascade, no
    # SET_NULL and no database constraint (the id may outlive the account; `username` keeps the
    # name). Accounts are deactivated, not deleted (accounts/admin.py).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=30, choices=AuditAction.choices, db_index=True)
    outcome = models.CharField("结果", max_length=10, choices=AuditOutcome.choices)
    ip_address = models.GenericIPAddressField("来源IP", null=True, blank=True)
    path = models.CharField("访问路径", max_length=500, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    summary = models.CharField("操作说明", max_length=200, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_action_display()}"

    @property
    def detail_summary(self) -> str:
        """`key：value` pairs of `detail` on one line, for the trail page."""
        if not isinstance(self.detail, dict):
            return json.dumps(self.detail, ensure_ascii=False)
        parts = []
        for key, value in self.detail.items():
            shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            parts.append(f"{key}：{shown}")
        return "；".join(parts)

    def canonical_payload(self) -> str:
        """The fields the hash covers, in a stable serialisation. `summary` joined the payload
        later: it is left out while empty, so that entries written before it still verify."""
        payload = {
            "created_at": self.created_at.isoformat(),
            "actor": self.actor_id,
            "username": self.username,
            "action": self.action,
            "outcome": self.outcome,
            "ip": self.ip_address,
            "path": self.path,
            "object": self.object_repr,
            "detail": self.detail,
        }
        if self.summary:
            payload["summary"] = self.summary
        return json.dumps(payload, ensure_ascii=False, sort_keys=True)

    def compute_hash(self) -> str:
        return hashlib.sha256((self.previous_hash + self.canonical_payload()).encode()).hexdigest()


class AuditChainHead(models.Model):
    """One row, locked while appending, so that concurrent writers keep a single chain."""

    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "审计链头"

    def __str__(self) -> str:
        return self.last_hash
