"""Once the county's list is with the city, units of that county cannot (re)submit for that batch."""

import pytest
from django.core.exceptions import ValidationError

from applications.enums import ApplicationState
from applications.workflow.services import application_submission_refusal, application_submit
from review.screening.enums import RecommendationState
from review.screening.guards import LIST_WITH_THE_CITY, county_list_with_the_city
from review.screening.models import Recommendation
from tests.factories import region

from .conftest import KEQIAO, YUECHENG, make_screening_batch, make_submitted

pytestmark = pytest.mark.django_db


def _list_in(batch, state, code=YUECHENG):
    recommendation = Recommendation.objects.create(batch=batch, region=region(code))
    Recommendation.objects.filter(pk=recommendation.pk).update(state=state)
    return recommendation


def test_resubmission_after_the_list_went_to_the_city_is_refused(screening_batch, unit_member):
    application = make_submitted(screening_batch, state=ApplicationState.RETURNED)
    member = unit_member(application)
    _list_in(screening_batch, RecommendationState.SUBMITTED_TO_CITY)
    with pytest.raises(ValidationError) as error:
        application_submit(application=application, actor=member, confirmed=True)
    assert error.value.messages == ["本区县推荐名单已报送市人力社保局，不能再提交或重新提交申报。"]
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED


def test_first_submission_after_the_list_went_to_the_city_is_refused(batch, submitted):
    """A batch whose submission window was reopened after the county had reported its list."""
    application = submitted(state=ApplicationState.DRAFT)
    _list_in(batch, RecommendationState.SUBMITTED_TO_CITY)
    refusal = application_submission_refusal(application)
    assert refusal is not None
    assert refusal.messages == [LIST_WITH_THE_CITY]


@pytest.mark.parametrize(
    "state", [RecommendationState.DRAFT, RecommendationState.AWAITING_COSIGN, RecommendationState.COSIGNED]
)
def test_a_list_not_yet_with_the_city_does_not_refuse(batch, submitted, state):
    application = submitted(state=ApplicationState.RETURNED)
    _list_in(batch, state)
    assert county_list_with_the_city(application) == ""
    assert application_submission_refusal(application) is None


def test_another_county_list_or_another_batch_does_not_refuse(batch, submitted):
    application = submitted(state=ApplicationState.RETURNED)
    _list_in(batch, RecommendationState.SUBMITTED_TO_CITY, code=KEQIAO)
    _list_in(make_screening_batch(), RecommendationState.SUBMITTED_TO_CITY)
    assert county_list_with_the_city(application) == ""


def test_guard_costs_one_query(batch, submitted, django_assert_num_queries):
    application = submitted(state=ApplicationState.RETURNED)
    _list_in(batch, RecommendationState.SUBMITTED_TO_CITY)
    application.unit  # noqa: B018  (loaded by the caller)
    with django_assert_num_queries(1):
        assert county_list_with_the_city(application) == LIST_WITH_THE_CITY


def test_guard_for_a_list_of_applications_costs_one_query_and_agrees_with_the_single_one(
    batch, submitted, django_assert_num_queries
):
    from review.screening.guards import county_lists_with_the_city

    other_batch = make_screening_batch()
    refused = submitted(state=ApplicationState.RETURNED)
    other_county = submitted(state=ApplicationState.RETURNED, division=KEQIAO)
    other_batch_same_county = make_submitted(other_batch, state=ApplicationState.RETURNED)
    _list_in(batch, RecommendationState.SUBMITTED_TO_CITY)
    _list_in(batch, RecommendationState.COSIGNED, code=KEQIAO)
    _list_in(other_batch, RecommendationState.DRAFT)
    applications = [refused, other_county, other_batch_same_county]
    for application in applications:
        application.unit  # noqa: B018  (loaded by the caller)
    with django_assert_num_queries(1):
        reasons = county_lists_with_the_city(applications)
    assert reasons == {refused.pk: LIST_WITH_THE_CITY}
    assert {
        a.pk: county_list_with_the_city(a) for a in applications if county_list_with_the_city(a)
    } == reasons
    assert county_lists_with_the_city([]) == {}


def test_unit_pages_ask_the_guard_for_many_applications_at_once(batch, submitted):
    from applications.workflow.services import application_submission_refusals

    first = submitted(state=ApplicationState.RETURNED)
    second = submitted(state=ApplicationState.RETURNED)
    _list_in(batch, RecommendationState.SUBMITTED_TO_CITY)
    refusals = application_submission_refusals([first, second])
    assert {pk: error.messages for pk, error in refusals.items()} == {
        first.pk: [LIST_WITH_THE_CITY],
        second.pk: [LIST_WITH_THE_CITY],
    }
