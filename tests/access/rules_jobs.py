"""Access rules of the background jobs: a job's page and file are its owner's (every role may own
one); starting the batch export in the background is the city's, as the export is."""

from django.core.files.base import ContentFile

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.models import BackgroundJob, JobState
from tests.applications.factories import BatchFactory

from .matrix import ALL_ROLES, CITY_AND_ADMIN, Rule


def _own_job(user, users, *, done: bool = False) -> dict:
    owner = user or users[Role.APPLICANT]
    job = BackgroundJob.objects.create(kind="applications.batch_export", title="测试导出", user=owner)
    if done:
        job.result.save("test.xlsx", ContentFile(b"PK\x03\x04test"), save=False)
        job.result_name = "测试导出.xlsx"
        job.state = JobState.DONE
        job.save()
    return {"pk": job.pk}


def _own_done_job(user, users) -> dict:
    return _own_job(user, users, done=True)


def _batch(user, users) -> dict:
    return {"pk": BatchFactory().pk}


RULES: dict[str, Rule] = {
    "core:job": Rule(ALL_ROLES, kwargs=_own_job),
    "core:job_download": Rule(ALL_ROLES, kwargs=_own_done_job),
    "applications:batch_export_start": Rule(
        CITY_AND_ADMIN, method="post", ok=302, kwargs=_batch, effect="done"
    ),
}
