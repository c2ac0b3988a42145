"""States and choices of the publicity stage (公示、异议, clause 4.3)."""

from django.db import models


class HolidayKind(models.TextChoices):
    HOLIDAY = "holiday", "放假（法定节假日）"
    WORKDAY = "workday", "调休上班"


class PublicityState(models.TextChoices):
    SCHEDULED = "scheduled", "待公示"
    OPEN = "open", "公示中"
    CLOSED = "closed", "公示期满"
    CONCLUDED = "concluded", "已办结"


class ObjectionState(models.TextChoices):
    RECEIVED = "received", "已受理"
    UNDER_REVIEW = "under_review", "复核中"
    UPHELD = "upheld", "异议成立"
    DISMISSED = "dismissed", "异议不成立"

    @classmethod
    def unresolved(cls) -> tuple[str, ...]:
        """Objections that keep the batch from concluding (the decision waits for them)."""
        return (cls.RECEIVED, cls.UNDER_REVIEW)

    @classmethod
    def resolved(cls) -> tuple[str, ...]:
        return (cls.UPHELD, cls.DISMISSED)
