"""The county recommendation list: assembled by county HRSS, co-signed by county finance (会签),
reported to the city (clause 4.1)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_fsm_log.models import StateLog

from applications.enums import ApplicationState
from review.screening.enums import RecommendationState
from review.screening.models import OPINION_MAX_LENGTH, Recommendation, RecommendationEntry
from review.screening.services import (
    recommendation_cosign,
    recommendation_entry_add,
    recommendation_entry_move,
    recommendation_entry_remove,
    recommendation_entry_update,
    recommendation_recall,
    recommendation_request_cosign,
    recommendation_send_back,
    recommendation_submit,
)
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.models import Notification
from tests.factories import county_list_for

from .conftest import KEQIAO

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(screening_batch):
    """Submissions have closed: the county's list goes to finance and to the city only then."""
    return screening_batch


@pytest.fixture
def recommendation(batch, hrss):
    return county_list_for(batch=batch, region=hrss.region)


@pytest.fixture
def recommended(submitted):
    """recommended(**kwargs) → an application the county has recommended (state set directly)."""

    def make(**kwargs):
        return submitted(state=ApplicationState.RECOMMENDED, **kwargs)

    return make


@pytest.fixture
def listed(recommendation, recommended, hrss):
    """A draft list holding two recommended applications."""
    for opinion in ("条件优良，同意推荐", "符合条件，同意推荐"):
        recommendation_entry_add(
            recommendation=recommendation, actor=hrss, application=recommended(), opinion=opinion
        )
    return recommendation


def force_state(recommendation, state):
    Recommendation.objects.filter(pk=recommendation.pk).update(state=state)
    recommendation.refresh_from_db()
    return recommendation


def test_get_or_create_makes_one_draft_per_batch_and_county(batch, hrss):
    first = county_list_for(batch=batch, region=hrss.region)
    second = county_list_for(batch=batch, region=hrss.region)
    assert first.pk == second.pk
    assert first.state == RecommendationState.DRAFT


# --- entries -------------------------------------------------------------------------------------


def test_entries_are_ranked_in_order_of_adding(listed):
    assert list(listed.entries.values_list("rank", flat=True)) == [1, 2]


@pytest.mark.parametrize(
    ("opinion", "message"), [("", "请填写推荐意见"), ("好" * (OPINION_MAX_LENGTH + 1), "不能超过 500 字")]
)
def test_entry_opinion_is_required_and_at_most_500_characters(
    recommendation, recommended, hrss, opinion, message
):
    with pytest.raises(ValidationError) as error:
        recommendation_entry_add(
            recommendation=recommendation, actor=hrss, application=recommended(), opinion=opinion
        )
    assert message in error.value.message_dict["opinion"][0]
    assert not RecommendationEntry.objects.exists()


def test_entry_opinion_of_exactly_500_characters_is_accepted(recommendation, recommended, hrss):
    entry = recommendation_entry_add(
        recommendation=recommendation,
        actor=hrss,
        application=recommended(),
        opinion="好" * OPINION_MAX_LENGTH,
    )
    assert len(entry.opinion) == OPINION_MAX_LENGTH


@pytest.mark.parametrize(
    "state", [ApplicationState.SUBMITTED, ApplicationState.RETURNED, ApplicationState.COUNTY_REJECTED]
)
def test_only_recommended_applications_can_be_listed(recommendation, submitted, hrss, state):
    with pytest.raises(ValidationError, match="已推荐为候选单位"):
        recommendation_entry_add(
            recommendation=recommendation, actor=hrss, application=submitted(state=state), opinion="推荐"
        )


def test_another_county_application_cannot_be_listed(recommendation, recommended, hrss):
    with pytest.raises(ValidationError):
        recommendation_entry_add(
            recommendation=recommendation,
            actor=hrss,
            application=recommended(division=KEQIAO),
            opinion="推荐",
        )


def test_listing_the_same_application_twice_says_already_handled(recommendation, recommended, hrss):
    application = recommended()
    recommendation_entry_add(
        recommendation=recommendation, actor=hrss, application=application, opinion="推荐"
    )
    with pytest.raises(AlreadyHandled):
        recommendation_entry_add(
            recommendation=recommendation, actor=hrss, application=application, opinion="推荐"
        )


def test_move_and_remove_keep_ranks_gap_free(listed, recommended, hrss):
    recommendation_entry_add(recommendation=listed, actor=hrss, application=recommended(), opinion="第三")
    entries = list(listed.entries.order_by("rank"))
    recommendation_entry_move(entry=entries[2], actor=hrss, offset=-1)
    assert [entry.pk for entry in listed.entries.order_by("rank")] == [
        entries[0].pk,
        entries[2].pk,
        entries[1].pk,
    ]
    recommendation_entry_move(entry=entries[0], actor=hrss, offset=-1)  # already first: nothing happens
    recommendation_entry_remove(entry=entries[0], actor=hrss)
    assert list(listed.entries.order_by("rank").values_list("pk", "rank")) == [
        (entries[2].pk, 1),
        (entries[1].pk, 2),
    ]


def test_entries_cannot_be_edited_by_finance(listed, finance):
    entry = listed.entries.first()
    with pytest.raises(PermissionDenied):
        recommendation_entry_update(entry=entry, actor=finance, opinion="改")


@pytest.mark.parametrize("state", [RecommendationState.AWAITING_COSIGN, RecommendationState.COSIGNED])
def test_editing_after_handing_to_finance_must_be_sent_back_first(listed, hrss, state):
    force_state(listed, state)
    entry = listed.entries.first()
    with pytest.raises(AlreadyHandled, match="需由财政部门退回后才能修改"):
        recommendation_entry_update(entry=entry, actor=hrss, opinion="改")
    with pytest.raises(AlreadyHandled):
        recommendation_entry_remove(entry=entry, actor=hrss)


# --- 提请会签 ------------------------------------------------------------------------------------


def test_request_cosign_of_an_empty_list_is_refused(recommendation, hrss):
    with pytest.raises(ValidationError) as error:
        recommendation_request_cosign(recommendation=recommendation, actor=hrss)
    assert "推荐名单为空" in error.value.messages[0]
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.DRAFT


def test_request_cosign_while_a_recommended_application_is_missing_is_refused(listed, recommended, hrss):
    recommended()
    with pytest.raises(ValidationError, match="1 个已推荐为候选单位的申报未列入推荐名单"):
        recommendation_request_cosign(recommendation=listed, actor=hrss)


def test_request_cosign_hands_the_list_to_county_finance(
    listed, hrss, finance, other_finance, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_request_cosign(recommendation=listed, actor=hrss, comment="请会签")
    listed.refresh_from_db()
    assert listed.state == RecommendationState.AWAITING_COSIGN
    log = StateLog.objects.for_(listed).get()
    assert (log.by, log.transition, log.description) == (hrss, "request_cosign", "请会签")
    notification = Notification.objects.get(recipient=finance)
    assert "待会签" in notification.title
    assert notification.url == reverse("review:recommendation", args=[listed.pk])
    assert not Notification.objects.filter(recipient=other_finance).exists()


@pytest.mark.parametrize("role", [Role.COUNTY_FINANCE, Role.CITY_HRSS, Role.ADMIN])
def test_request_cosign_by_others_is_refused(listed, make_user, role):
    with pytest.raises(PermissionDenied):
        recommendation_request_cosign(recommendation=listed, actor=make_user(role))


def test_request_cosign_by_hrss_of_another_county_is_refused(listed, other_hrss):
    with pytest.raises(PermissionDenied):
        recommendation_request_cosign(recommendation=listed, actor=other_hrss)


@pytest.mark.parametrize(
    "state",
    [
        RecommendationState.AWAITING_COSIGN,
        RecommendationState.COSIGNED,
        RecommendationState.SUBMITTED_TO_CITY,
    ],
)
def test_request_cosign_from_a_later_state_says_already_handled(listed, hrss, state):
    force_state(listed, state)
    with pytest.raises(AlreadyHandled):
        recommendation_request_cosign(recommendation=listed, actor=hrss)


# --- 撤回 ----------------------------------------------------------------------------------------


def test_recall_returns_an_awaiting_list_to_the_draft(listed, hrss, finance):
    recommendation_request_cosign(recommendation=listed, actor=hrss)
    recommendation_recall(recommendation=listed, actor=hrss)
    listed.refresh_from_db()
    assert listed.state == RecommendationState.DRAFT
    with pytest.raises(AlreadyHandled):
        recommendation_recall(recommendation=listed, actor=hrss)


def test_recall_by_finance_is_refused(listed, hrss, finance):
    recommendation_request_cosign(recommendation=listed, actor=hrss)
    with pytest.raises(PermissionDenied):
        recommendation_recall(recommendation=listed, actor=finance)


# --- 会签 ----------------------------------------------------------------------------------------


def test_cosign_by_county_finance_records_signer_and_tells_hrss(
    listed, hrss, finance, django_capture_on_commit_callbacks
):
    recommendation_request_cosign(recommendation=listed, actor=hrss)
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_cosign(recommendation=listed, actor=finance, comment="同意推荐")
    listed.refresh_from_db()
    assert listed.state == RecommendationState.COSIGNED
    assert listed.cosigned_by == finance
    assert listed.cosigned_at is not None
    assert listed.finance_comment == "同意推荐"
    assert Notification.objects.filter(recipient=hrss, title__contains="已会签").exists()


def test_cosign_comment_is_optional(listed, hrss, finance):
    recommendation_request_cosign(recommendation=listed, actor=hrss)
    recommendation_cosign(recommendation=listed, actor=finance)
    listed.refresh_from_db()
    assert listed.state == RecommendationState.COSIGNED


def test_cosign_by_hrss_instead_of_finance_is_refused(listed, hrss):
    recommendation_request_cosign(recommendation=listed, actor=hrss)
    with pytest.raises(PermissionDenied):
        recommendation_cosign(recommendation=listed, actor=hrss)
    listed.refresh_from_db()
    assert listed.state == RecommendationState.AWAITING_COSIGN


def test_cosign_by_finance_of_another_county_is_refused(listed, hrss, other_finance):
    recommendation_request_cosign(recommendation=listed, actor=hrss)
    with pytest.raises(PermissionDenied):
        recommendation_cosign(recommendation=listed, actor=other_finance)


@pytest.mark.parametrize(
    "state", [RecommendationState.DRAFT, RecommendationState.COSIGNED, RecommendationState.SUBMITTED_TO_CITY]
)
def test_cosign_from_a_state_other_than_awaiting_says_already_handled(listed, finance, state):
    force_state(listed, state)
    with pytest.raises(AlreadyHandled):
        recommendation_cosign(recommendation=listed, actor=finance)


# --- 退回 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("cosign_first", [False, True])
def test_send_back_returns_to_draft_withdraws_signature_and_tells_hrss(
    listed, hrss, finance, cosign_first, django_capture_on_commit_callbacks
):
    recommendation_request_cosign(recommendation=listed, actor=hrss)
    if cosign_first:
        recommendation_cosign(recommendation=listed, actor=finance)
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_send_back(recommendation=listed, actor=finance, comment="请补充第2家单位的经费说明")
    listed.refresh_from_db()
    assert listed.state == RecommendationState.DRAFT
    assert listed.cosigned_by is None
    assert listed.finance_comment == "请补充第2家单位的经费说明"
    notification = Notification.objects.get(recipient=hrss, title__contains="退回")
    assert "请补充第2家单位的经费说明" in notification.body
    # Back in the draft, HRSS may edit again.
    recommendation_entry_update(entry=listed.entries.first(), actor=hrss, opinion="已补充说明")


def test_send_back_needs_a_comment(listed, hrss, finance):
    recommendation_request_cosign(recommendation=listed, actor=hrss)
    with pytest.raises(ValidationError) as error:
        recommendation_send_back(recommendation=listed, actor=finance, comment=" ")
    assert "退回时请填写退回意见" in error.value.message_dict["comment"][0]


def test_send_back_by_hrss_is_refused(listed, hrss):
    recommendation_request_cosign(recommendation=listed, actor=hrss)
    with pytest.raises(PermissionDenied):
        recommendation_send_back(recommendation=listed, actor=hrss, comment="x")


@pytest.mark.parametrize("state", [RecommendationState.DRAFT, RecommendationState.SUBMITTED_TO_CITY])
def test_send_back_from_draft_or_submitted_says_already_handled(listed, finance, state):
    force_state(listed, state)
    with pytest.raises(AlreadyHandled):
        recommendation_send_back(recommendation=listed, actor=finance, comment="x")


# --- 报送 ----------------------------------------------------------------------------------------


def test_submit_reports_to_the_city_renders_the_letter_and_tells_city_staff(
    listed, hrss, finance, city_hrss, django_capture_on_commit_callbacks
):
    recommendation_request_cosign(recommendation=listed, actor=hrss)
    recommendation_cosign(recommendation=listed, actor=finance)
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_submit(recommendation=listed, actor=hrss)
    listed.refresh_from_db()
    assert listed.state == RecommendationState.SUBMITTED_TO_CITY
    assert (listed.submitted_by, listed.submitted_at is not None) == (hrss, True)
    assert listed.letter
    assert len(listed.letter_sha256) == 64
    notification = Notification.objects.get(recipient=city_hrss)
    assert "越城区已报送" in notification.title
    transitions = list(StateLog.objects.for_(listed).order_by("pk").values_list("transition", flat=True))
    assert transitions == ["request_cosign", "cosign", "submit_to_city"]


def test_submit_of_an_empty_list_is_refused(recommendation, hrss):
    force_state(recommendation, RecommendationState.COSIGNED)
    with pytest.raises(ValidationError, match="推荐名单为空"):
        recommendation_submit(recommendation=recommendation, actor=hrss)
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.COSIGNED


@pytest.mark.parametrize("role", [Role.COUNTY_FINANCE, Role.CITY_HRSS])
def test_submit_by_others_is_refused(listed, make_user, role):
    force_state(listed, RecommendationState.COSIGNED)
    with pytest.raises(PermissionDenied):
        recommendation_submit(recommendation=listed, actor=make_user(role))


@pytest.mark.parametrize(
    "state",
    [RecommendationState.DRAFT, RecommendationState.AWAITING_COSIGN, RecommendationState.SUBMITTED_TO_CITY],
)
def test_submit_without_cosignature_or_twice_says_already_handled(listed, hrss, state):
    force_state(listed, state)
    with pytest.raises(AlreadyHandled):
        recommendation_submit(recommendation=listed, actor=hrss)


# --- the pages -----------------------------------------------------------------------------------


def test_opening_a_batch_list_creates_nothing_until_hrss_starts_it(client, batch, hrss, finance):
    """A GET never creates data (it used to make a draft list even for finance staff)."""
    for user in (hrss, finance):
        client.force_login(user)
        response = client.get(reverse("review:recommendation_for_batch", args=[batch.pk]))
        assert response.status_code == 200
        assert 'data-testid="recommendation-empty"' in response.content.decode()
    assert not Recommendation.objects.exists()
    client.force_login(finance)
    assert client.post(reverse("review:recommendation_start", args=[batch.pk])).status_code == 403
    client.force_login(hrss)
    response = client.post(reverse("review:recommendation_start", args=[batch.pk]))
    recommendation = Recommendation.objects.get()
    assert response.url == reverse("review:recommendation", args=[recommendation.pk])
    client.force_login(finance)
    response = client.get(reverse("review:recommendation_for_batch", args=[batch.pk]))
    assert response.url == reverse("review:recommendation", args=[recommendation.pk])


def test_finance_of_another_county_gets_404(client, listed, other_finance):
    client.force_login(other_finance)
    assert client.get(reverse("review:recommendation", args=[listed.pk])).status_code == 404
    response = client.post(reverse("review:transition", args=[listed.pk, "cosign"]))
    assert response.status_code == 404


def test_cosign_posted_by_hrss_is_a_403(client, listed, hrss):
    recommendation_request_cosign(recommendation=listed, actor=hrss)
    client.force_login(hrss)
    response = client.post(reverse("review:transition", args=[listed.pk, "cosign"]), {"comment": ""})
    assert response.status_code == 403
    listed.refresh_from_db()
    assert listed.state == RecommendationState.AWAITING_COSIGN


def test_whole_flow_through_the_pages_with_timeline(
    client, listed, hrss, finance, django_capture_on_commit_callbacks
):
    client.force_login(hrss)
    page = client.get(reverse("review:recommendation", args=[listed.pk])).content.decode()
    assert "提请财政会签" in page
    assert client.post(reverse("review:transition", args=[listed.pk, "request_cosign"])).status_code == 302
    client.force_login(finance)
    page = client.get(reverse("review:recommendation", args=[listed.pk])).content.decode()
    assert "会签同意" in page
    assert "退回区县人力社保局" in page
    response = client.post(reverse("review:transition", args=[listed.pk, "send_back"]), {"comment": ""})
    assert response.status_code == 200
    assert "退回时请填写退回意见" in response.content.decode()
    client.post(reverse("review:transition", args=[listed.pk, "cosign"]), {"comment": "同意"})
    client.force_login(hrss)
    with django_capture_on_commit_callbacks(execute=True):  # the letter task runs on commit
        client.post(reverse("review:transition", args=[listed.pk, "submit"]))
    listed.refresh_from_db()
    assert listed.state == RecommendationState.SUBMITTED_TO_CITY
    page = client.get(reverse("review:recommendation", args=[listed.pk])).content.decode()
    for label in ("编制中 → 待财政会签", "待财政会签 → 财政已会签", "财政已会签 → 已报送市人力社保局"):
        assert label in page
    assert reverse("review:letter", args=[listed.pk]) in page


def test_request_cosign_of_an_empty_list_through_the_page_shows_message(client, recommendation, hrss):
    client.force_login(hrss)
    response = client.post(reverse("review:transition", args=[recommendation.pk, "request_cosign"]))
    assert response.status_code == 200
    assert "推荐名单为空" in response.content.decode()


def test_entry_add_page_keeps_typed_opinion_when_invalid(client, recommendation, recommended, hrss):
    application = recommended()
    client.force_login(hrss)
    too_long = "长" * (OPINION_MAX_LENGTH + 1)
    response = client.post(
        reverse("review:entry_add", args=[recommendation.pk]),
        {"application": application.pk, "opinion": too_long},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "推荐意见不能超过 500 字" in body
    assert too_long in body


def test_unknown_step_is_404(client, listed, hrss):
    client.force_login(hrss)
    assert client.post(reverse("review:transition", args=[listed.pk, "approve"])).status_code == 404


def test_entry_opinion_update_through_the_page_refuses_an_empty_opinion(client, listed, hrss):
    entry = listed.entries.first()
    client.force_login(hrss)
    response = client.post(reverse("review:entry_update", args=[entry.pk]), {"opinion": ""}, follow=True)
    assert "请填写推荐意见" in response.content.decode()
    entry.refresh_from_db()
    assert entry.opinion == "条件优良，同意推荐"


def test_list_reported_after_the_deadline_is_flagged_late(listed, hrss, finance, batch):
    from datetime import timedelta

    from django.utils import timezone

    from applications.models import Batch
    from review.screening.selectors import county_overview

    recommendation_request_cosign(recommendation=listed, actor=hrss)
    recommendation_cosign(recommendation=listed, actor=finance)
    Batch.objects.filter(pk=batch.pk).update(screening_deadline=timezone.now() - timedelta(minutes=1))
    listed.refresh_from_db()
    recommendation_submit(recommendation=listed, actor=hrss)  # late, but the city still wants the list
    listed.refresh_from_db()
    assert listed.submitted_late
    row = next(row for row in county_overview(listed.batch) if row.region.pk == listed.region_id)
    assert row.late


# --- finance's words in the right place ----------------------------------------------------------


def test_send_back_reason_is_not_shown_as_the_cosign_opinion_of_the_next_request(
    client, listed, hrss, finance
):
    recommendation_request_cosign(recommendation=listed, actor=hrss)
    recommendation_send_back(recommendation=listed, actor=finance, comment="请补充第2家单位的经费说明")
    client.force_login(hrss)
    page = client.get(reverse("review:recommendation", args=[listed.pk])).content.decode()
    assert "财政部门退回意见" in page  # in the draft, HRSS reads why it came back
    assert "请补充第2家单位的经费说明" in page
    recommendation_request_cosign(recommendation=listed, actor=hrss)
    listed.refresh_from_db()
    assert listed.finance_comment == ""
    client.force_login(finance)
    page = client.get(reverse("review:recommendation", args=[listed.pk])).content.decode()
    assert "财政部门会签意见" not in page
    assert 'data-testid="finance-comment"' not in page
    # The reason stays in the list's history.
    assert "请补充第2家单位的经费说明" in page
    recommendation_cosign(recommendation=listed, actor=finance, comment="同意推荐")
    listed.refresh_from_db()
    assert listed.finance_comment == "同意推荐"


# --- a colleague changed the list meanwhile ------------------------------------------------------


@pytest.mark.parametrize("operation", ["update", "move", "remove"])
def test_entry_removed_by_a_colleague_meanwhile_says_already_handled(listed, hrss, operation):
    entry = listed.entries.order_by("rank").last()
    RecommendationEntry.objects.filter(pk=entry.pk).delete()  # the colleague, a moment earlier
    call = {
        "update": lambda: recommendation_entry_update(entry=entry, actor=hrss, opinion="改"),
        "move": lambda: recommendation_entry_move(entry=entry, actor=hrss, offset=-1),
        "remove": lambda: recommendation_entry_remove(entry=entry, actor=hrss),
    }[operation]
    with pytest.raises(AlreadyHandled, match="已被移出推荐名单"):
        call()
    assert list(listed.entries.values_list("rank", flat=True)) == [1]


def test_entry_removed_meanwhile_through_the_page_shows_already_handled(client, listed, hrss, monkeypatch):
    from review.screening import views

    entry = listed.entries.order_by("rank").last()
    original = views._entry

    def fetched_then_removed(request, pk):
        found = original(request, pk)
        RecommendationEntry.objects.filter(pk=pk).delete()  # a colleague, between fetch and save
        return found

    monkeypatch.setattr(views, "_entry", fetched_then_removed)
    client.force_login(hrss)
    response = client.post(reverse("review:entry_update", args=[entry.pk]), {"opinion": "改"}, follow=True)
    assert response.status_code == 200
    assert "已被移出推荐名单" in response.content.decode()
