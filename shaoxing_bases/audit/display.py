"""How the trail page says an entry in Chinese: the person as "姓名（角色）", the detail with Chinese
labels. Display only — the entries themselves (and their hashes) are never touched.

Reads nothing from the database: the actor comes with the entry (`select_related("actor")`), model
names and field labels from the model registry, so the page's query count stays fixed.
"""

import json
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .models import AuditAction, AuditEntry

#: Labels of the detail keys the services write. Unknown keys are shown as they are.
DETAIL_LABELS = {
    "reason": "原因",
    "comment": "意见",
    "note": "说明",
    "state": "状态",
    "decision": "决定",
    "clause": "条款",
    "key": "条件",
    "outcome": "结果",
    "previous": "此前的判断",
    "section": "申报表部分",
    "fields": "修改的内容",
    "changed": "修改的设置",
    "changes": "修改前后",
    "rows": "列表",
    "rows_added": "新增行",
    "rows_changed": "修改行",
    "rows_removed": "删除行",
    "uploaded": "上传文件",
    "deleted_file": "删除文件",
    "file": "文件",
    "sha256": "SHA-256",
    "username": "用户名",
    "email": "电子邮箱",
    "ip_addresses": "来源IP",
    "cleared": "清除的失败记录",
    "lockout_cleared": "解除的锁定记录",
    "failing_confirmed": "确认提交的未通过条件数",
    "submitted_at": "撤回前的提交时间",
    "count": "数量",
    "operation": "操作",
    "year": "年度",
    "region": "区县",
    "recipients": "通知人数",
    "application": "申报编号",
    "unit": "申报单位",
    "permission": "所需权限",
    "lookup": "查找条件",
    "model": "对象类型",
    "pk": "对象编号",
}
#: Shown together as "申报 #12" rather than as two lines.
OBJECT_KEYS = ("model", "pk")


@dataclass(frozen=True)
class Person:
    name: str  # "陈晓燕（申报单位）", "系统", "（匿名）"
    login: str  # the login name, for investigators ("" when there is none)


def person(entry: AuditEntry) -> Person:
    """Who acted: the account's display name and role label; the name the entry kept for a deleted
    account; the login name typed for a failed login or a lockout; the system for a business action
    outside any request (the minute sweep, a task); else anonymous."""
    actor = entry.actor
    if actor is not None:
        name = actor.display_name or actor.username
        return Person(f"{name}（{actor.role_label}）", actor.username)
    if entry.actor_id is not None:  # the account is gone; the entry kept its name
        return Person(f"{entry.username}（账号已删除）", entry.username)
    if entry.username:
        return Person(f"{entry.username}（未登录）", entry.username)
    if entry.action == AuditAction.STATE_CHANGE and not entry.ip_address:
        return Person("系统（定时任务）", "")
    return Person("（匿名）", "")


def _model(label: object) -> type[models.Model] | None:
    try:
        return apps.get_model(str(label))
    except (LookupError, ValueError):
        return None


def _field_label(model: type[models.Model] | None, name: str) -> str:
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _choice_label(model: type[models.Model] | None, name: str, value: object) -> object:
    if model is None:
        return value
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return value
    choices = dict(getattr(field, "flatchoices", None) or ())
    return choices.get(value, value)


def _shown(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return "—"
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return "、".join(value) if value else "—"
    return json.dumps(value, ensure_ascii=False)


def _change(model: type[models.Model] | None, name: str, pair: object) -> str:
    """ "申报截止时间：old → new" for one setting of a `changes` detail."""
    label = _field_label(model, name)
    if isinstance(pair, list | tuple) and len(pair) == 2:
        return f"{label}：{_shown(pair[0])} → {_shown(pair[1])}"
    return f"{label}：{_shown(pair)}"


def detail_rows(entry: AuditEntry) -> list[tuple[str, str]]:
    """(label, value) pairs of the entry's detail, in Chinese where the keys are known."""
    detail = entry.detail
    if not isinstance(detail, dict):
        return [("详情", _shown(detail))]
    model = _model(detail["model"]) if "model" in detail else None
    rows: list[tuple[str, str]] = []
    if model is not None:
        rows.append(("对象", f"{model._meta.verbose_name} #{detail.get('pk', '')}"))
    for key, value in detail.items():
        if model is not None and key in OBJECT_KEYS:
            continue
        shown: object = value
        if key in ("fields", "changed") and isinstance(value, list):
            shown = [_field_label(model, str(name)) for name in value]
        elif key == "state":
            shown = _choice_label(model, "state", value)
        elif key == "changes" and isinstance(value, dict):
            shown = "；".join(_change(model, name, pair) for name, pair in value.items())
        rows.append((DETAIL_LABELS.get(key) or str(key), _shown(shown)))
    return rows
