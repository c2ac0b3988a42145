"""Use cases of the application form: save one section (fields, list rows, evidence) and the
evidence files themselves.

The form layer (`form.forms.SectionForms`) parses and validates what was typed and hands over a
`SectionUpdate`: plain values, the rows to add, change or delete, and the files. This module locks
the application, checks that it may still be changed and that the page was not stale, writes
everything, and audits the save — in one transaction, so a save goes through whole or not at all.
"""

from dataclasses import dataclass, field
from datetime import UTC

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from shaoxing_bases.accounts.models import User
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.core.uploads import check_upload

from ..enums import AttachmentSection
from ..models import Application, Attachment, PartnerEnterprise, Specialty, TrainingFundYear
from ..workflow.services import application_ensure_editable, locked_application
from .sections import SECTIONS_BY_KEY

STALE_PAGE = "页面内容已过期：本申报在其他窗口或由同事保存过。请核对后重新保存。"


class StalePage(AlreadyHandled):
    """The page was loaded before the application's last save: nothing was written."""

    def __init__(self) -> None:
        super().__init__(STALE_PAGE)


def application_version(application: Application) -> str:
    """The token a page carries of the application as it showed it (its last save, to the µs)."""
    return application.updated_at.astimezone(UTC).isoformat()


@dataclass(frozen=True)
class RowChange:
    """One row of a section's list (特色专业, 合作企业, 培训经费年度) as the form parsed it.

    `row` is the saved row it changes (None: a new row; for fund years the year identifies it);
    `values` are its model fields; `agreement` a partner's new cooperation agreement file.
    """

    row: Specialty | PartnerEnterprise | TrainingFundYear | None
    values: dict
    delete: bool = False
    agreement: UploadedFile | None = None


@dataclass(frozen=True)
class SectionUpdate:
    section: str
    version: str
    fields: dict = field(default_factory=dict)
    rows: list[RowChange] = field(default_factory=list)
    uploads: list[tuple[str, UploadedFile]] = field(default_factory=list)
    delete_attachment: Attachment | None = None


@transaction.atomic
def application_section_update(
    *, application: Application, actor: User, update: SectionUpdate
) -> Application:
    """Save one section of the form.

    Refused with `StalePage` when the page's version is not the application's (a second identical
    POST, another window, a colleague: saving would write rows twice or undo the other save), with
    `AlreadyHandled` when the application may no longer be changed. Side effects: the application's
    fields, its list rows, evidence files (stored under random names; a deleted file leaves the disk
    after the commit), `updated_at` stamped so that every other open page goes stale, an audit entry.
    """
    section = SECTIONS_BY_KEY[update.section]
    application = locked_application(application)
    application_ensure_editable(application=application, actor=actor)
    if update.version != application_version(application):
        raise StalePage
    for name, value in update.fields.items():
        setattr(application, name, value)
    changed_rows = _save_rows(application, actor, section.rows, update.rows)
    files = [
        attachment_upload(
            application=application, actor=actor, section=category, uploaded=uploaded, audit=False
        )
        for category, uploaded in update.uploads
    ]
    deleted = ""
    if update.delete_attachment is not None:
        if update.delete_attachment.application_id != application.pk:
            raise ValidationError("该文件不属于本申报。")
        deleted = update.delete_attachment.original_name
        _delete_attachment(update.delete_attachment)
    application.save(update_fields=[*update.fields, "updated_at"])
    audit_event(
        actor=actor,
        summary=f"保存申报表“{section.title}”",
        obj=application,
        detail={
            "section": section.key,
            "fields": sorted(update.fields),
            **changed_rows,
            "uploaded": [attachment.original_name for attachment in files],
            **({"deleted_file": deleted} if deleted else {}),
        },
    )
    return application


def _save_rows(application: Application, actor: User, kind: str, changes: list[RowChange]) -> dict:
    """Apply the list rows of a section; returns counts for the audit entry."""
    if not kind:
        return {}
    added = updated = removed = 0
    obsolete: list[Attachment] = []
    for change in changes:
        row = change.row
        if change.delete:
            if row is not None and row.pk is not None:
                if isinstance(row, PartnerEnterprise) and row.agreement is not None:
                    obsolete.append(row.agreement)
                row.delete()
                removed += 1
            continue
        if row is None or row.pk is None:
            row = _new_row(kind, application, change.values)
            added += 1
        else:
            updated += 1
        for name, value in change.values.items():
            setattr(row, name, value)
        row.save()
        if change.agreement is not None and isinstance(row, PartnerEnterprise):
            if row.agreement is not None:
                obsolete.append(row.agreement)
            row.agreement = attachment_upload(
                application=application,
                actor=actor,
                section=AttachmentSection.PARTNER_AGREEMENT,
                uploaded=change.agreement,
                audit=False,
            )
            row.save(update_fields=["agreement"])
    for attachment in obsolete:
        _delete_attachment(attachment)
    return {"rows": kind, "rows_added": added, "rows_changed": updated, "rows_removed": removed}


def _new_row(kind: str, application: Application, values: dict):
    model = {"specialties": Specialty, "partners": PartnerEnterprise, "funds": TrainingFundYear}[kind]
    return model(application=application, **values)


# --- evidence -----------------------------------------------------------------------------------


@transaction.atomic
def attachment_upload(
    *, application: Application, actor: User, section: str, uploaded, audit: bool = True
) -> Attachment:
    """Store one checked file under a random name. Raises ValidationError in Chinese.

    Side effects: the file, its row, an audit entry (`audit=False` when a section save that audits
    the whole save stores it).
    """
    application_ensure_editable(application=application, actor=actor)
    if section not in AttachmentSection.values:
        raise ValidationError("请选择材料类别。")
    checked = check_upload(uploaded)
    attachment = Attachment(
        application=application,
        section=section,
        original_name=uploaded.name[:200],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    attachment.file.save(f"upload{checked.extension}", uploaded, save=False)
    attachment.save()
    if audit:
        audit_event(
            actor=actor,
            summary=f"上传证明材料“{AttachmentSection(section).label}”",
            obj=application,
            detail={"file": attachment.original_name, "sha256": attachment.sha256},
        )
    return attachment


def _delete_attachment(attachment: Attachment) -> None:
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor: User) -> None:
    """Remove one file while the application may still be changed. Side effects: the row, the file
    after the commit, an audit entry."""
    application_ensure_editable(application=attachment.application, actor=actor)
    name = attachment.original_name
    _delete_attachment(attachment)
    audit_event(actor=actor, summary="删除证明材料", obj=attachment.application, detail={"file": name})
