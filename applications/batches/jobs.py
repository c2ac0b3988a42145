"""The batch's 申报汇总 export as a background job (`core.jobs`) once it has `BACKGROUND_FROM` rows:
built in chunks of `CHUNK` applications (a fixed number of queries per chunk), with its progress."""

from shaoxing_bases.core.jobs import Progress, job_enqueue, register_job_kind
from shaoxing_bases.core.models import BackgroundJob
from shaoxing_bases.permissions import require_perm

from ..models import Batch
from ..resources import ApplicationExportResource, export_filename
from ..spreadsheets import dataset_to_xlsx
from .selectors import applications_for_export

KIND = "applications.batch_export"
#: From this many rows the export runs in the background (the request would take seconds).
BACKGROUND_FROM = 1_000
CHUNK = 1_000


def export_title(batch: Batch) -> str:
    return f"{batch.year}年度申报汇总（Excel）"


def run_batch_export(job: BackgroundJob, progress: Progress) -> tuple[str, bytes]:
    batch = Batch.objects.get(pk=job.params["batch"])
    applications = applications_for_export(job.user, batch)
    # The order of the sheet, then the rows chunk by chunk in that order.
    ids = list(applications.values_list("pk", flat=True))
    resource = ApplicationExportResource()
    dataset = None
    for start in range(0, len(ids), CHUNK):
        part = resource.export(applications.filter(pk__in=ids[start : start + CHUNK]), force_native_type=True)
        if dataset is None:
            dataset = part
        else:
            dataset.extend(list(part))
        progress(min(start + CHUNK, len(ids)), len(ids))
    if dataset is None:
        dataset = resource.export(applications.none(), force_native_type=True)
    return export_filename(batch), dataset_to_xlsx(dataset, title=f"{batch.year}年度申报汇总")


def batch_export_start(*, batch: Batch, actor) -> BackgroundJob:
    """Start the batch's export in the background. Side effects: the job, its audit entry, its task
    after commit; the file then arrives in the actor's inbox."""
    require_perm(actor, "applications.export_applications")
    return job_enqueue(kind=KIND, actor=actor, title=export_title(batch), params={"batch": batch.pk})


register_job_kind(KIND, run_batch_export, perm="applications.export_applications")
