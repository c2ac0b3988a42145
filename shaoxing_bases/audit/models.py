"""Append-only audit trail (等保2.0: who, what, when, from where, outcome; kept ≥ 6 months).

The trail proves its own integrity and completeness to anyone holding the key, not to anyone with
write access to the database:

* each entry carries an HMAC-SHA256 (key from settings, never in the database) of its content and of
  the previous entry's HMAC, so an edit, an insertion or a rewrite with recomputed hashes is detected;
* the chain head (one row) counts the entries and names the last one, under its own HMAC, so deleting
  the newest entries is detected at once, not only after the next write;
* checkpoints (a keyed chain of their own, written daily, logged and e-mailed outside the portal) pin
  the count and the head at a moment, so truncation, deleting everything or restoring an old head is
  detected against them, and against the copies kept outside.

Entries written before the key existed (``key_id`` empty) were hashed with plain SHA-256; they are
accepted only up to the entry an operator sealed with ``manage.py seal_audit_chain`` after checking
them, never after the first keyed entry. `shaoxing_bases.audit.integrity` verifies all of this.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import models

GENESIS_HASH = "0" * 64
#: ``key_id`` of entries written before the chain was keyed: plain SHA-256.
LEGACY_KEY_ID = ""


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
    # Which key made `entry_hash` (a fingerprint, not the key); empty: plain SHA-256, before keying.
    key_id = models.CharField("密钥标识", max_length=16, blank=True, default=LEGACY_KEY_ID)

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

    def compute_hash(self, key: bytes | None = None) -> str:
        """HMAC-SHA256 with ``key`` of the previous hash and the payload; plain SHA-256 (legacy
        entries only) without one."""
        message = (self.previous_hash + self.canonical_payload()).encode()
        if key is None:
            return hashlib.sha256(message).hexdigest()
        return hmac.new(key, message, hashlib.sha256).hexdigest()


class AuditChainHead(models.Model):
    """One row, locked while appending, so that concurrent writers keep a single chain.

    It also states how long the chain is (`entry_count`, `last_entry_id`, `last_hash`) and which
    checkpoint is the latest, under `mac`. An empty `mac` is the fresh, empty chain — or a head that
    failed its check: `audit_record` never signs a head it cannot verify (that would launder a
    truncation), it carries it unsigned until an operator seals the chain again.
    """

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    entry_count = models.BigIntegerField(default=0)
    last_entry_id = models.BigIntegerField(null=True, blank=True)
    last_checkpoint_mac = models.CharField(max_length=64, blank=True, default="")
    key_id = models.CharField(max_length=16, blank=True, default="")
    mac = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "审计链头"

    def __str__(self) -> str:
        return self.last_hash

    def canonical_payload(self) -> str:
        return json.dumps(
            {
                "count": self.entry_count,
                "last_id": self.last_entry_id,
                "last_hash": self.last_hash,
                "last_checkpoint": self.last_checkpoint_mac,
            },
            sort_keys=True,
        )

    @property
    def is_genesis(self) -> bool:
        """The state of a chain nobody has written to yet (also what a fresh install starts with)."""
        return (self.entry_count, self.last_entry_id, self.last_hash, self.last_checkpoint_mac, self.mac) == (
            0,
            None,
            GENESIS_HASH,
            "",
            "",
        )


class CheckpointKind(models.TextChoices):
    DAILY = "daily", "每日检查点"
    MANUAL = "manual", "手动检查点"
    SEAL = "seal", "封存"


class AuditCheckpoint(models.Model):
    """The chain's length and head at one moment, keyed and chained to the previous checkpoint.

    Written daily by `audit.write_checkpoint`, logged and e-mailed to AUDIT_CHECKPOINT_RECIPIENTS,
    so that copies exist outside the database; `verify_audit_chain` checks the trail against every
    checkpoint here and against copies given with ``--anchor``. A seal also marks the entries before
    it (legacy SHA-256 ones included) as checked by an operator, with the reason in `note`.
    """

    created_at = models.DateTimeField("时间", db_index=True)
    kind = models.CharField("类型", max_length=10, choices=CheckpointKind.choices)
    entry_count = models.BigIntegerField("记录数")
    last_entry_id = models.BigIntegerField("末条记录ID", null=True, blank=True)
    head_hash = models.CharField("链头", max_length=64)
    note = models.CharField("说明", max_length=500, blank=True)
    previous_mac = models.CharField(max_length=64, blank=True)
    key_id = models.CharField("密钥标识", max_length=16)
    mac = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "审计检查点"
        verbose_name_plural = "审计检查点"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()}（{self.entry_count} 条）"

    def canonical_payload(self) -> str:
        return json.dumps(
            {
                "created_at": self.created_at.isoformat(),
                "kind": self.kind,
                "count": self.entry_count,
                "last_id": self.last_entry_id,
                "head": self.head_hash,
                "note": self.note,
                "previous": self.previous_mac,
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @property
    def anchor(self) -> str:
        """What to keep outside the portal and give back to ``verify_audit_chain --anchor``."""
        return f"{self.entry_count}:{self.last_entry_id or 0}:{self.head_hash}"
