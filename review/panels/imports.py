"""Importing the expert pool from Excel (django-import-export), checked whole before anything is
written: a file with one wrong row imports nothing, and the page lists every wrong row."""

from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from applications.spreadsheets import SpreadsheetRejected, read_dataset
from shaoxing_bases.accounts.models import User
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.permissions import require_perm

from .resources import ExpertResource

MAX_IMPORT_BYTES = 2 * 1024 * 1024


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _row_errors(result) -> list[str]:
    errors = []
    for line, row_errors in result.row_errors():
        for error in row_errors:
            errors.append(f"第 {line + 1} 行：{error.error}")
    for invalid in result.invalid_rows:
        for name, messages in invalid.error_dict.items():
            errors.append(f"第 {invalid.number + 1} 行：{name} {'；'.join(messages)}")
    return errors


def import_experts(*, actor: User, upload: UploadedFile) -> ImportResult:
    """Check every row (dry run), then import them all in one transaction. Side effects: the experts,
    an audit entry with the counts."""
    require_perm(actor, "review.manage_experts")
    if (upload.size or 0) > MAX_IMPORT_BYTES:
        return ImportResult(errors=["文件超过 2 MB，请分批导入。"])
    upload.seek(0)
    if upload.read(4) != b"PK\x03\x04":  # an .xlsx is a ZIP archive: checked by content, not by name
        return ImportResult(errors=["请上传 Excel（.xlsx）文件（系统按文件内容识别，修改扩展名无效）。"])
    upload.seek(0)
    try:
        # Bounded like every import: archive size, unpacked size, rows, columns and cell length.
        dataset = read_dataset(upload.read())
    except SpreadsheetRejected as rejected:
        return ImportResult(errors=[str(rejected)])
    except Exception:
        return ImportResult(errors=["无法读取该 Excel 文件，请使用“导出专家库”得到的模板填写。"])
    resource = ExpertResource()
    checked = resource.import_data(dataset, dry_run=True, raise_errors=False)
    errors = _row_errors(checked)
    if errors:
        return ImportResult(errors=errors)
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=False, raise_errors=False, use_transactions=False)
        errors = _row_errors(result)
        if errors:
            transaction.set_rollback(True)
            return ImportResult(errors=errors)
        totals = result.totals
        outcome = ImportResult(created=totals.get("new", 0), updated=totals.get("update", 0))
        audit_event(
            actor=actor,
            summary="导入专家库",
            obj=None,
            detail={"created": outcome.created, "updated": outcome.updated, "rows": dataset.height},
        )
    return outcome
