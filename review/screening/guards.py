"""What the county screening forbids other areas to do. Registered from ``ReviewConfig.ready``.

Once a county's list is with the city, its units can no longer (re)submit for that batch: the
county's result is fixed and its letter written. Normally the clock already says so (the list
goes to finance only after submissions closed and no returned unit may still resubmit); this
guard holds when the clock is moved afterwards (a deadline extended, a batch reopened).
"""

from collections.abc import Sequence

from applications.models import Application
from applications.workflow.services import register_submission_guard

from .enums import RecommendationState
from .models import Recommendation

LIST_WITH_THE_CITY = "本区县推荐名单已报送市人力社保局，不能再提交或重新提交申报。"


def county_list_with_the_city(application: Application) -> str:
    """The refusal when the county's list of the application's batch went to the city, else "".

    One query; ``application.unit`` is loaded by every caller.
    """
    reported = Recommendation.objects.filter(
        batch_id=application.batch_id,
        region_id=application.unit.region_id,
        state=RecommendationState.SUBMITTED_TO_CITY,
    ).exists()
    return LIST_WITH_THE_CITY if reported else ""


def county_lists_with_the_city(applications: Sequence[Application]) -> dict[int, str]:
    """``county_list_with_the_city`` for a whole list of applications, in one query."""
    wanted = {(application.batch_id, application.unit.region_id) for application in applications}
    if not wanted:
        return {}
    reported = set(
        Recommendation.objects.filter(
            batch_id__in={batch_id for batch_id, _ in wanted},
            region_id__in={region_id for _, region_id in wanted},
            state=RecommendationState.SUBMITTED_TO_CITY,
        ).values_list("batch_id", "region_id")
    )
    return {
        application.pk: LIST_WITH_THE_CITY
        for application in applications
        if (application.batch_id, application.unit.region_id) in reported
    }


register_submission_guard(county_list_with_the_city, many=county_lists_with_the_city)
