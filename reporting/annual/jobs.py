"""The year's annual-report export as a background job (`core.jobs`) once the year has as many
reports as the batch export's threshold (`applications.batches.jobs.BACKGROUND_FROM`): the workbook
is built as the direct download builds it, `exports.CHUNK` reports at a time, with the job's progress
told once per chunk. The permission is asked again when the job runs."""

from shaoxing_bases.core.jobs import Progress, job_enqueue, register_job_kind
from shaoxing_bases.core.models import BackgroundJob
from shaoxing_bases.permissions import require_perm

from .exports import annual_reports_workbook

KIND = "annual_reports_export"
PERM = "reporting.export_annual_reports"


def export_filename(year: int) -> str:
    return f"{year}年度报告.xlsx"


def export_title(year: int) -> str:
    return f"{year}年度报告汇总（Excel）"


def run_annual_reports_export(job: BackgroundJob, progress: Progress) -> tuple[str, bytes]:
    year = int(job.params["year"])
    return export_filename(year), annual_reports_workbook(year=year, user=job.user, progress=progress)


def annual_reports_export_start(*, year: int, actor) -> BackgroundJob:
    """Start the year's export in the background. Side effects: the job, its audit entry, its task
    after commit; the file then arrives in the actor's inbox."""
    require_perm(actor, PERM)
    return job_enqueue(kind=KIND, actor=actor, title=export_title(year), params={"year": year})


register_job_kind(KIND, run_annual_reports_export, perm=PERM)
