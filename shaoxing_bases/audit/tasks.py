"""The daily audit checkpoint (CELERY_BEAT_SCHEDULE "audit-checkpoint")."""

from celery import shared_task

from .services import audit_daily_checkpoint


@shared_task(name="audit.write_checkpoint", acks_late=True)
def write_audit_checkpoint_task() -> int | None:
    """Write today's checkpoint, log it and mail it to the city; a second run the same day does
    nothing. A trail that fails the quick check gets an alarm instead (logged and mailed)."""
    checkpoint = audit_daily_checkpoint()
    return checkpoint.pk if checkpoint else None
