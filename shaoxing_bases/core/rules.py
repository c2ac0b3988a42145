"""Who may see a background job (`core.jobs`) and download its file: the user who started it."""

import rules

from shaoxing_bases.accounts.rules import is_signed_in
from shaoxing_bases.permissions import add_perm, scoped


@rules.predicate
def is_job_owner(user, job) -> bool:
    return bool(job is not None and job.user_id == user.pk)


add_perm("core.view_job", is_signed_in & scoped(is_job_owner), scoped=True)
