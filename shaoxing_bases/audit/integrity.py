"""Verification of the audit trail: every entry, the head, every checkpoint and outside anchors.

What each check catches (tests/audit/test_tampering.py does each of these with raw SQL):

* an entry edited, inserted or rewritten with recomputed hashes — its HMAC (the key is not in the
  database) or its link to the previous entry;
* the newest entries deleted — the head still counts them and names the last one;
* entries truncated and the head updated to match — the head's own HMAC, and the checkpoints;
* everything deleted — the head and the checkpoints say there were entries; with those gone too, the
  accounts that have signed in, and the checkpoint copies kept outside (``--anchor``);
* legacy SHA-256 entries forged after keying — they are accepted only up to a seal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from .keys import signature_valid, verification_keys
from .models import GENESIS_HASH, LEGACY_KEY_ID, AuditChainHead, AuditCheckpoint, AuditEntry, CheckpointKind
from .services import CHECKPOINT_DOMAIN, head_is_trusted

#: Problems `seal_audit_chain` may resolve: the state right after upgrading to the keyed chain.
SEALABLE = frozenset({"legacy_unsealed", "head_unsigned"})


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


@dataclass(frozen=True)
class Anchor:
    """A checkpoint as kept outside the portal: ``COUNT:LAST_ID:HEAD`` (the e-mail gives it)."""

    entry_count: int
    last_entry_id: int
    head_hash: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        try:
            count, last_id, head = text.strip().split(":")
            anchor = cls(int(count), int(last_id), head.lower())
        except ValueError as error:
            raise ValueError(f"检查点格式应为“记录数:末条ID:链头”，收到：{text}") from error
        if len(anchor.head_hash) != 64 or anchor.entry_count < 0:
            raise ValueError(f"检查点格式应为“记录数:末条ID:链头”，收到：{text}")
        return anchor


@dataclass
class Verification:
    entry_count: int = 0
    legacy_count: int = 0
    last_entry_id: int | None = None
    checkpoints: int = 0
    latest_checkpoint: AuditCheckpoint | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def sealable(self) -> bool:
        return all(problem.code in SEALABLE for problem in self.problems)

    def add(self, code: str, message: str) -> None:
        self.problems.append(Problem(code, message))


def _verify_checkpoints(result: Verification, keys: dict[str, bytes]) -> list[AuditCheckpoint]:
    valid: list[AuditCheckpoint] = []
    previous = ""
    for checkpoint in AuditCheckpoint.objects.order_by("id"):
        label = f"检查点 #{checkpoint.pk}（{timezone.localtime(checkpoint.created_at):%Y-%m-%d %H:%M}）"
        if not signature_valid(
            keys, checkpoint.key_id, CHECKPOINT_DOMAIN, checkpoint.canonical_payload(), checkpoint.mac
        ):
            result.add("checkpoint_mac", f"{label}签名不符：检查点被改动或伪造。")
        elif checkpoint.previous_mac != previous:
            result.add("checkpoint_chain", f"{label}与前一个检查点衔接不上：其间的检查点被删除或插入。")
        else:
            valid.append(checkpoint)
        previous = checkpoint.mac
    result.checkpoints = len(valid)
    result.latest_checkpoint = valid[-1] if valid else None
    return valid


def _compare(result: Verification, code: str, label: str, seen: dict, recorded: tuple) -> None:
    """The entries up to a checkpoint's (or anchor's) last entry against what it recorded."""
    count, last_id, head = recorded
    if not count:
        return  # the trail was empty then: nothing it could have lost
    found = seen.get(last_id)
    if found is None:
        result.add(code, f"{label}记录了 {count} 条、末条ID {last_id}，但该条记录已不存在：记录被删除。")
    elif found[0] != count:
        result.add(
            code,
            f"{label}记录了到ID {last_id} 为止共 {count} 条，现有 {found[0]} 条：其间的记录被删除或插入。",
        )
    elif found[1] != head:
        result.add(code, f"{label}记录的链头与ID {last_id} 的记录不符：记录被改动。")


def verify_chain(*, anchors: tuple[Anchor, ...] = ()) -> Verification:
    """Check the whole trail (one pass over the entries, in id order). Reads only."""
    keys = verification_keys()
    result = Verification()
    checkpoints = _verify_checkpoints(result, keys)
    seals = [cp for cp in checkpoints if cp.kind == CheckpointKind.SEAL]
    sealed_through = max((cp.last_entry_id or 0 for cp in seals), default=0)
    wanted = {cp.last_entry_id for cp in checkpoints if cp.last_entry_id}
    wanted |= {anchor.last_entry_id for anchor in anchors if anchor.last_entry_id}
    seen: dict[int, tuple[int, str]] = {}

    broken: list[int] = []
    unknown_keys: set[str] = set()
    legacy_unsealed: list[int] = []
    previous = GENESIS_HASH
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        result.entry_count += 1
        if entry.key_id == LEGACY_KEY_ID:
            # Plain SHA-256 anyone can recompute: trusted only where a seal pins the chain after it.
            result.legacy_count += 1
            if entry.pk > sealed_through:
                legacy_unsealed.append(entry.pk)
            valid = entry.compute_hash() == entry.entry_hash
        else:
            key = keys.get(entry.key_id)
            if key is None:
                unknown_keys.add(entry.key_id)
            valid = key is not None and entry.compute_hash(key) == entry.entry_hash
        if entry.previous_hash != previous or not valid:
            broken.append(entry.pk)
        previous = entry.entry_hash
        result.last_entry_id = entry.pk
        if entry.pk in wanted:
            seen[entry.pk] = (result.entry_count, entry.entry_hash)
    last_hash = previous

    if broken:
        shown = ", ".join(map(str, broken[:20])) + (" 等" if len(broken) > 20 else "")
        result.add(
            "entry_broken", f"哈希链断裂，涉及记录ID：{shown}（共 {len(broken)} 条被改动、插入或伪造）。"
        )
    if unknown_keys:
        result.add(
            "unknown_key",
            f"有记录由未配置的密钥签名（{', '.join(sorted(unknown_keys))}）："
            "请在 AUDIT_HMAC_OLD_KEYS 中配置旧密钥。",
        )
    if legacy_unsealed and seals:
        # Every writer signs since the upgrade was sealed: an unsigned entry after it is forged.
        result.add(
            "legacy_forged", f"{len(legacy_unsealed)} 条未签名的旧格式记录出现在封存之后：记录被伪造。"
        )
    elif legacy_unsealed:
        result.add(
            "legacy_unsealed",
            f"{len(legacy_unsealed)} 条启用密钥前的旧记录（SHA-256）尚未封存："
            "核对无误后运行 seal_audit_chain。",
        )

    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        if result.entry_count or checkpoints:
            result.add("head_missing", "审计链头缺失：链头被删除。")
    else:
        if not head_is_trusted(head, keys):
            if head.mac:  # a wrong signature, or HEAD_TAMPERED left by a write that found one
                result.add("head_mac", "审计链头签名不符：链头被改动（例如删除最新记录后改写了链头）。")
            else:
                result.add("head_unsigned", "审计链头未签名：旧版本升级后尚未封存，或链头曾校验失败。")
        state = (result.entry_count, result.last_entry_id, last_hash)
        if (head.entry_count, head.last_entry_id, head.last_hash) != state:
            result.add(
                "head_mismatch",
                f"审计链头记录 {head.entry_count} 条、末条ID {head.last_entry_id or 0}，"
                f"表中实有 {result.entry_count} 条、末条ID {result.last_entry_id or 0}："
                "最新的记录被删除或改动。",
            )
        latest_mac = result.latest_checkpoint.mac if result.latest_checkpoint else ""
        if head.last_checkpoint_mac != latest_mac:
            result.add("checkpoint_missing", "最新的检查点与链头记载的不一致：检查点被删除或替换。")

    for checkpoint in checkpoints:
        label = f"检查点 #{checkpoint.pk}（{timezone.localtime(checkpoint.created_at):%Y-%m-%d %H:%M}）"
        recorded = (checkpoint.entry_count, checkpoint.last_entry_id, checkpoint.head_hash)
        _compare(result, "checkpoint_mismatch", label, seen, recorded)
    for anchor in anchors:
        recorded = (anchor.entry_count, anchor.last_entry_id, anchor.head_hash)
        _compare(result, "anchor_mismatch", f"外部留存的检查点（{anchor.entry_count} 条）", seen, recorded)

    if result.entry_count == 0 and get_user_model().objects.filter(last_login__isnull=False).exists():
        # Every sign-in writes an entry: an empty trail on a system people have used was emptied.
        result.add("empty_trail", "审计日志为空，但已有用户登录过系统：审计记录被整体删除。")
    return result
