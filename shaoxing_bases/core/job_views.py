"""The pages of a background job: its progress (polled by htmx) and its file, for its owner only."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_GET

from shaoxing_bases.permissions import get_object_for, permission_required

from .http import private_download
from .models import BackgroundJob


def _job(request, pk: int) -> BackgroundJob:
    return get_object_for(request, "core.view_job", BackgroundJob.objects.filter(user=request.user), pk=pk)


@require_GET
@permission_required("core.view_job")
def job(request, pk: int):
    """后台任务: the progress bar while it runs (the bar polls `job_progress`), the link when done."""
    found = _job(request, pk)
    template = (
        "core/jobs/progress.html" if request.headers.get("HX-Request") == "true" else "core/jobs/job.html"
    )
    return render(request, template, {"job": found})


@require_GET
@permission_required("core.view_job")
def job_download(request, pk: int):
    found = _job(request, pk)
    if not found.result:
        raise Http404("文件尚未生成。")
    response = FileResponse(found.result.open("rb"), as_attachment=True, filename=found.result_name)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(found.result_name)}"
    return private_download(response)
