"""The batch's stages: expert review opens at the screening deadline, or earlier once every county's
list is in; opening it creates the panel and moves the candidates; publicity waits for the shortlist."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.batches.services import batch_transition, batch_transition_not_due, batches_sweep
from applications.enums import ApplicationState, BatchState
from applications.models import Application, Batch
from review.panels.enums import PanelState
from review.panels.models import Panel
from review.screening.enums import RecommendationState
from review.screening.models import Recommendation, RecommendationEntry
from shaoxing_bases.core.exceptions import AlreadyHandled
from tests.applications.factories import ApplicationFactory, BatchFactory
from tests.factories import county_list_for, region

from .conftest import make_panel

pytestmark = pytest.mark.django_db


def _screening_batch(deadline_in=timedelta(days=5)):
    now = timezone.now()
    return BatchFactory(
        state=BatchState.SCREENING,
        opens_at=now - timedelta(days=30),
        submission_deadline=now - timedelta(days=10),
        screening_deadline=now + deadline_in,
    )


def _reported(batch, county="330602", *, listed=True):
    application = ApplicationFactory(batch=batch, state=ApplicationState.RECOMMENDED, unit__division=county)
    recommendation = county_list_for(batch=batch, region=region(county))
    if listed:
        RecommendationEntry.objects.create(
            recommendation=recommendation, application=application, rank=1, opinion="同意推荐"
        )
        Recommendation.objects.filter(pk=recommendation.pk).update(
            state=RecommendationState.SUBMITTED_TO_CITY
        )
    return application


def test_expert_review_waits_for_the_deadline_while_a_county_list_is_missing(city_hrss):
    batch = _screening_batch()
    _reported(batch, "330602")
    _reported(batch, "330603", listed=False)
    reason = batch_transition_not_due(batch, "start_expert_review")
    assert "尚未到达" in reason
    assert "柯桥区" in reason
    with pytest.raises(AlreadyHandled, match="尚未报送：柯桥区"):
        batch_transition(batch=batch, actor=city_hrss, name="start_expert_review")


def test_expert_review_opens_early_once_every_list_is_in(city_hrss):
    batch = _screening_batch()
    first = _reported(batch, "330602")
    second = _reported(batch, "330603")
    assert batch_transition_not_due(batch, "start_expert_review") == ""
    batch = batch_transition(batch=batch, actor=city_hrss, name="start_expert_review")
    assert batch.state == BatchState.EXPERT_REVIEW
    panel = Panel.objects.get(batch=batch)
    assert panel.state == PanelState.FORMING
    assert panel.indicators.count() == 8
    assert set(Application.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)) == {
        ApplicationState.UNDER_REVIEW
    }


def test_with_no_list_at_all_expert_review_waits_for_the_deadline(city_hrss):
    batch = _screening_batch()
    assert "尚无区县报送推荐名单" in batch_transition_not_due(batch, "start_expert_review")


def test_the_sweep_opens_expert_review_at_the_deadline_with_lists_missing():
    batch = _screening_batch(deadline_in=-timedelta(seconds=1))
    listed = _reported(batch, "330602")
    unreported = _reported(batch, "330603", listed=False)
    assert batches_sweep() == 1
    assert Batch.objects.get(pk=batch.pk).state == BatchState.EXPERT_REVIEW
    assert Application.objects.get(pk=listed.pk).state == ApplicationState.UNDER_REVIEW
    # Its county never reported it: not a candidate of the city's review.
    assert Application.objects.get(pk=unreported.pk).state == ApplicationState.RECOMMENDED
    assert batches_sweep() == 0
    assert Panel.objects.filter(batch=batch).count() == 1


def test_publicity_waits_for_the_confirmed_shortlist(city_hrss):
    panel = make_panel()
    reason = batch_transition_not_due(panel.batch, "start_publicity")
    assert "确认初选名单后才能进入公示" in reason
    with pytest.raises(AlreadyHandled):
        batch_transition(batch=panel.batch, actor=city_hrss, name="start_publicity")


def test_the_batch_page_shows_the_stage_and_what_blocks_the_next(client, city_hrss):
    batch = _screening_batch()
    _reported(batch, "330602")
    _reported(batch, "330603", listed=False)
    client.force_login(city_hrss)
    page = client.get(reverse("applications:batch_detail", args=[batch.pk])).content.decode()
    assert 'data-testid="current-stage">区县初审（当前）' in page
    assert "尚未报送：柯桥区" in page
    panel = make_panel()
    page = client.get(reverse("applications:batch_detail", args=[panel.batch_id])).content.decode()
    assert "专家评审（当前）" in page
    assert "确认初选名单后才能进入公示" in page
