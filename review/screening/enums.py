"""States and choices of the county screening (clause 4.1), with the named groups other code asks about."""

from django.db import models

from applications.enums import ApplicationState


class RecommendationState(models.TextChoices):
    """区县推荐名单: assembled by county HRSS, co-signed by county finance, reported to the city.

    ``awaiting_cosign`` sits between the draft and the co-signature: the list is frozen while the
    finance bureau reads it, so that it never signs a list that is still being edited.
    """

    DRAFT = "draft", "编制中"
    AWAITING_COSIGN = "awaiting_cosign", "待财政会签"
    COSIGNED = "cosigned", "财政已会签"
    SUBMITTED_TO_CITY = "submitted_to_city", "已报送市人力社保局"

    @classmethod
    def editable(cls) -> tuple[str, ...]:
        """County HRSS may add, reorder and remove entries only while drafting."""
        return (cls.DRAFT,)


class JudgementOutcome(models.TextChoices):
    """What the county reviewer decided about a criterion the auto-check could not decide."""

    CONFIRMED = "confirmed", "确认符合"
    OVERRIDDEN = "overridden", "认定不符合"


class ScreeningDecision(models.TextChoices):
    """The three outcomes of 初审 (clause 4.1) for one application."""

    RECOMMEND = "recommend", "推荐为候选单位"
    RETURN = "return", "退回修改"
    REJECT = "reject", "初审不通过"

    @classmethod
    def reason_required(cls) -> tuple[str, ...]:
        return (cls.RETURN, cls.REJECT)


class ReminderKind(models.TextChoices):
    """Reminders to county HRSS before the screening deadline."""

    THREE_DAYS = "three_days", "截止前3天提醒"
    ONE_DAY = "one_day", "截止前1天提醒"


# Applications the county has recommended at some point: recommended itself and every state the
# city's review moves them on to. The city overview counts these as "推荐".
COUNTY_RECOMMENDED_STATES: tuple[str, ...] = (
    ApplicationState.RECOMMENDED,
    ApplicationState.UNDER_REVIEW,
    ApplicationState.SHORTLISTED,
    ApplicationState.NOT_SELECTED,
    ApplicationState.IN_PUBLICITY,
    ApplicationState.APPROVED,
    ApplicationState.DISQUALIFIED,
)

# States a county reviewer can filter the work queue by (handed-in states, in workflow order).
QUEUE_STATES: tuple[str, ...] = (
    ApplicationState.SUBMITTED,
    ApplicationState.RETURNED,
    ApplicationState.RECOMMENDED,
    ApplicationState.COUNTY_REJECTED,
    *COUNTY_RECOMMENDED_STATES[1:],
)
