"""The county's list goes to finance and to the city only once screening is complete (clause 4.1):
submissions closed, every handed-in application decided, and no returned application that the unit
may still resubmit. The letter reports the other applications by what happened to them."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from applications.enums import ApplicationState
from applications.models import Application, Batch
from review.screening.documents import recommendation_letter_context
from review.screening.enums import RecommendationState
from review.screening.models import Recommendation
from review.screening.services import (
    recommendation_cosign,
    recommendation_entry_add,
    recommendation_letter_render,
    recommendation_request_cosign,
    recommendation_submit,
)
from tests.factories import county_list_for

from .conftest import KEQIAO, make_submitted

pytestmark = pytest.mark.django_db


def _listed(batch, hrss, count=1):
    """A draft list of ``batch`` holding ``count`` recommended applications of 越城区."""
    recommendation = county_list_for(batch=batch, region=hrss.region)
    for _ in range(count):
        recommendation_entry_add(
            recommendation=recommendation,
            actor=hrss,
            application=make_submitted(batch, state=ApplicationState.RECOMMENDED),
            opinion="符合条件，同意推荐",
        )
    return recommendation


def _force(recommendation, state):
    Recommendation.objects.filter(pk=recommendation.pk).update(state=state)
    recommendation.refresh_from_db()
    return recommendation


def _deadline_passed(batch):
    Batch.objects.filter(pk=batch.pk).update(screening_deadline=timezone.now() - timedelta(minutes=1))
    batch.refresh_from_db()


def _set_state(application, state):
    Application.objects.filter(pk=application.pk).update(state=state)


# --- 提请会签 ------------------------------------------------------------------------------------


def test_request_cosign_while_the_batch_still_accepts_submissions_is_refused(batch, hrss):
    assert batch.accepts_submissions()
    recommendation = _listed(batch, hrss)
    with pytest.raises(ValidationError) as error:
        recommendation_request_cosign(recommendation=recommendation, actor=hrss)
    deadline = timezone.localtime(batch.submission_deadline)
    assert any(
        "申报尚未截止" in message and f"{deadline:%Y-%m-%d %H:%M}" in message
        for message in error.value.messages
    ), error.value.messages
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.DRAFT


def test_request_cosign_while_an_application_is_undecided_is_refused_and_names_it(screening_batch, hrss):
    recommendation = _listed(screening_batch, hrss)
    undecided = make_submitted(screening_batch)
    with pytest.raises(ValidationError) as error:
        recommendation_request_cosign(recommendation=recommendation, actor=hrss)
    text = "；".join(error.value.messages)
    assert "还有 1 个申报尚未作出初审决定" in text
    assert undecided.unit.name in text
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.DRAFT


def test_request_cosign_while_a_returned_application_may_still_be_resubmitted_is_refused(
    screening_batch, hrss
):
    recommendation = _listed(screening_batch, hrss)
    returned = make_submitted(screening_batch, state=ApplicationState.RETURNED)
    with pytest.raises(ValidationError) as error:
        recommendation_request_cosign(recommendation=recommendation, actor=hrss)
    text = "；".join(error.value.messages)
    assert "退回修改" in text
    assert "仍可重新提交" in text
    assert returned.unit.name in text
    # Once the screening deadline has passed the unit can no longer resubmit: the list may go on.
    _deadline_passed(screening_batch)
    recommendation.refresh_from_db()
    recommendation_request_cosign(recommendation=recommendation, actor=hrss)
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.AWAITING_COSIGN


def test_returned_application_no_longer_holds_up_the_list_once_the_batch_left_screening(
    screening_batch, hrss
):
    """Resubmission also ends when the city moves the batch on (applications' own rule)."""
    recommendation = _listed(screening_batch, hrss)
    make_submitted(screening_batch, state=ApplicationState.RETURNED)
    Batch.objects.filter(pk=screening_batch.pk).update(state="expert_review")
    recommendation_request_cosign(recommendation=recommendation, actor=hrss)
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.AWAITING_COSIGN


def test_request_cosign_lists_every_pending_reason_at_once(batch, hrss):
    recommendation = _listed(batch, hrss)
    make_submitted(batch)
    make_submitted(batch, state=ApplicationState.RETURNED)
    with pytest.raises(ValidationError) as error:
        recommendation_request_cosign(recommendation=recommendation, actor=hrss)
    assert len(error.value.messages) == 3, error.value.messages


def test_applications_of_another_county_do_not_hold_up_the_list(screening_batch, hrss):
    recommendation = _listed(screening_batch, hrss)
    make_submitted(screening_batch, division=KEQIAO)
    make_submitted(screening_batch, division=KEQIAO, state=ApplicationState.RETURNED)
    recommendation_request_cosign(recommendation=recommendation, actor=hrss)
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.AWAITING_COSIGN


def test_rejected_applications_do_not_hold_up_the_list(screening_batch, hrss):
    recommendation = _listed(screening_batch, hrss)
    make_submitted(screening_batch, state=ApplicationState.COUNTY_REJECTED)
    recommendation_request_cosign(recommendation=recommendation, actor=hrss)
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.AWAITING_COSIGN


def test_request_cosign_through_the_page_shows_what_is_pending(client, screening_batch, hrss):
    from django.urls import reverse

    recommendation = _listed(screening_batch, hrss)
    undecided = make_submitted(screening_batch)
    client.force_login(hrss)
    response = client.post(reverse("review:transition", args=[recommendation.pk, "request_cosign"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "尚未作出初审决定" in body
    assert undecided.unit.name in body


# --- 报送市人力社保局 --------------------------------------------------------------------------------


@pytest.mark.parametrize("pending", ["submissions_open", "undecided", "returned_before_deadline"])
def test_submit_to_the_city_rechecks_that_screening_is_complete(screening_batch, hrss, pending):
    """A co-signed list is checked again when reported: the clock or a data fix may have reopened
    something since the co-signature."""
    recommendation = _force(_listed(screening_batch, hrss), RecommendationState.COSIGNED)
    if pending == "submissions_open":
        Batch.objects.filter(pk=screening_batch.pk).update(
            state="open", submission_deadline=timezone.now() + timedelta(days=1)
        )
        expected = "申报尚未截止"
    elif pending == "undecided":
        make_submitted(screening_batch)
        expected = "尚未作出初审决定"
    else:
        make_submitted(screening_batch, state=ApplicationState.RETURNED)
        expected = "仍可重新提交"
    recommendation.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        recommendation_submit(recommendation=recommendation, actor=hrss)
    assert expected in "；".join(error.value.messages)
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.COSIGNED


def test_submit_after_the_deadline_with_a_returned_application_is_allowed(screening_batch, hrss, finance):
    recommendation = _listed(screening_batch, hrss)
    make_submitted(screening_batch, state=ApplicationState.RETURNED)
    _deadline_passed(screening_batch)
    recommendation.refresh_from_db()
    recommendation_request_cosign(recommendation=recommendation, actor=hrss)
    recommendation_cosign(recommendation=recommendation, actor=finance)
    recommendation_submit(recommendation=recommendation, actor=hrss)
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.SUBMITTED_TO_CITY


# --- the letter's figures ------------------------------------------------------------------------


@pytest.fixture
def reported(screening_batch, hrss, finance, django_capture_on_commit_callbacks):
    """越城区 received five: two recommended and listed, two rejected, one returned and not resubmitted
    before the deadline; the list is reported and its letter rendered."""
    recommendation = _listed(screening_batch, hrss, count=2)
    make_submitted(screening_batch, state=ApplicationState.COUNTY_REJECTED)
    make_submitted(screening_batch, state=ApplicationState.COUNTY_REJECTED)
    make_submitted(screening_batch, state=ApplicationState.RETURNED)
    make_submitted(screening_batch, state=ApplicationState.WITHDRAWN)  # withdrawn: not counted
    make_submitted(screening_batch, division=KEQIAO, state=ApplicationState.COUNTY_REJECTED)
    _deadline_passed(screening_batch)
    recommendation.refresh_from_db()
    recommendation_request_cosign(recommendation=recommendation, actor=hrss)
    recommendation_cosign(recommendation=recommendation, actor=finance)
    with django_capture_on_commit_callbacks(execute=False):
        recommendation_submit(recommendation=recommendation, actor=hrss)
    recommendation_letter_render(recommendation_id=recommendation.pk)
    recommendation.refresh_from_db()
    return recommendation


def test_letter_counts_rejected_and_returned_applications_by_state(reported):
    context = recommendation_letter_context(reported)
    assert (context["received"], context["recommended"]) == (5, 2)
    assert (context["rejected"], context["returned"], context["undecided"]) == (2, 1, 0)
    pdf = reported.letter.read()
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages)
    assert "共有5家单位提交申报" in text
    assert "2家单位符合" in text
    assert "2家单位经初审未予推荐" in text
    assert "1家单位经初审退回修改" in text
    assert "其余3家" not in text  # the old sentence lumped returned and rejected together


def test_letter_of_a_county_that_recommended_everyone_has_no_other_figures(
    screening_batch, hrss, finance, django_capture_on_commit_callbacks
):
    recommendation = _listed(screening_batch, hrss, count=1)
    recommendation_request_cosign(recommendation=recommendation, actor=hrss)
    recommendation_cosign(recommendation=recommendation, actor=finance)
    with django_capture_on_commit_callbacks(execute=False):
        recommendation_submit(recommendation=recommendation, actor=hrss)
    context = recommendation_letter_context(recommendation)
    assert (context["received"], context["rejected"], context["returned"], context["undecided"]) == (
        1,
        0,
        0,
        0,
    )
