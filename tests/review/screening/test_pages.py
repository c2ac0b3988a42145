"""The work queue, the city overview and the dashboard panel: scoping, filters, fixed query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Application, Batch
from review.screening.enums import RecommendationState
from review.screening.models import Recommendation
from shaoxing_bases.core.deadlines import countdown
from tests.applications.factories import ApplicationFactory
from tests.factories import county_list_for

from .conftest import KEQIAO, judge_all

pytestmark = pytest.mark.django_db


def test_countdown_words():
    """One countdown for every page (the unit's and the county's used to differ below a day)."""
    now = timezone.now()
    assert countdown(now + timedelta(days=3, hours=5, minutes=10), now).text == "剩余 3 天 5 小时"
    assert countdown(now + timedelta(hours=2), now).text == "剩余 2 小时 0 分钟"
    assert countdown(now + timedelta(minutes=20), now).text == "剩余 20 分钟"
    assert countdown(now + timedelta(seconds=20), now).text == "剩余 不足 1 分钟"
    assert countdown(now - timedelta(seconds=1), now).text == "已截止"
    assert countdown(now, now).text == "已截止"  # deadlines are exclusive, as the services say
    assert countdown(now + timedelta(days=2), now).urgent


# --- the county work queue -----------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 5])
def test_queue_runs_a_fixed_number_of_queries(client, submitted, hrss, rows, django_assert_num_queries):
    for index in range(rows):
        application = submitted(unit_type="enterprise" if index % 2 else "college")
        if index == 0:
            judge_all(application, hrss)
    client.force_login(hrss)
    client.get(reverse("review:queue"))  # the first request stamps the idle timer
    with django_assert_num_queries(12):
        response = client.get(reverse("review:queue"))
    assert response.content.decode().count('data-testid="queue-row"') == rows


def test_queue_shows_only_handed_in_applications_of_the_own_county(client, batch, submitted, hrss):
    own = submitted()
    other = submitted(division=KEQIAO)
    draft = ApplicationFactory(batch=batch)
    client.force_login(hrss)
    body = client.get(reverse("review:queue")).content.decode()
    assert own.unit.name in body
    assert other.unit.name not in body
    assert draft.unit.name not in body
    assert "符合 " in body
    assert "待判断 12" in body  # six rule declarations and six qualities the Measures state in words
    assert "剩余" in body


def test_queue_filters_by_status_and_unit_type(client, submitted, hrss):
    college = submitted()
    returned = submitted(state=ApplicationState.RETURNED)
    enterprise = submitted(unit_type="enterprise")
    client.force_login(hrss)
    body = client.get(reverse("review:queue"), {"status": "submitted"}).content.decode()
    assert college.unit.name in body
    assert enterprise.unit.name in body
    assert returned.unit.name not in body
    body = client.get(reverse("review:queue"), {"unit_type": "enterprise"}).content.decode()
    assert enterprise.unit.name in body
    assert college.unit.name not in body
    # Unknown values are ignored, never an error page.
    assert client.get(reverse("review:queue"), {"status": "nonsense", "batch": "x"}).status_code == 200


def test_queue_after_the_deadline_says_so(client, batch, submitted, hrss):
    submitted()
    Batch.objects.filter(pk=batch.pk).update(screening_deadline=timezone.now() - timedelta(days=1))
    client.force_login(hrss)
    body = client.get(reverse("review:queue")).content.decode()
    assert "初审已截止，不能再作出初审决定。" in body


def test_queue_batch_selector_picks_a_batch(client, submitted, hrss):
    from tests.applications.factories import BatchFactory

    first = submitted()
    older = BatchFactory(state="open", year=2020 + 1)
    client.force_login(hrss)
    body = client.get(reverse("review:queue"), {"batch": older.pk}).content.decode()
    assert first.unit.name not in body
    assert older.title in body


def test_queue_with_no_batch_at_all(client, hrss):
    client.force_login(hrss)
    assert "暂无已开始的申报批次" in client.get(reverse("review:queue")).content.decode()


# --- the recommendation page ---------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 5])
def test_recommendation_page_runs_a_fixed_number_of_queries(
    client, batch, submitted, hrss, rows, django_assert_num_queries
):
    from review.screening.services import recommendation_entry_add

    recommendation = county_list_for(batch=batch, region=hrss.region)
    for _ in range(rows):
        recommendation_entry_add(
            recommendation=recommendation,
            actor=hrss,
            application=submitted(state=ApplicationState.RECOMMENDED),
            opinion="同意推荐",
        )
    client.force_login(hrss)
    url = reverse("review:recommendation", args=[recommendation.pk])
    client.get(url)
    # 10 for the page, 3 for what still keeps the draft from going to finance (shown beside the
    # disabled button): fixed whatever the number of rows.
    with django_assert_num_queries(15):  # + the page count, the county counts in the batch
        response = client.get(url)
    assert response.content.decode().count('data-testid="entry"') == rows


# --- the city overview ---------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 5])
def test_city_overview_runs_a_fixed_number_of_queries(
    client, batch, submitted, city_hrss, rows, django_assert_num_queries
):
    from tests.factories import region

    for index in range(rows):
        submitted(division=("330602", "330603", "330604", "330624", "330681")[index])
        Recommendation.objects.create(
            batch=batch, region=region(("330602", "330603", "330604", "330624", "330681")[index])
        )
    client.force_login(city_hrss)
    client.get(reverse("review:city_overview"))
    with django_assert_num_queries(8):  # counts within the batch: one more, far lighter
        response = client.get(reverse("review:city_overview"))
    assert response.content.decode().count('data-testid="county-row"') == 6


def test_city_overview_counts_per_county_and_flags_late_counties(client, batch, submitted, city_hrss, hrss):
    from tests.factories import region

    submitted()
    submitted(state=ApplicationState.RECOMMENDED)
    submitted(state=ApplicationState.RETURNED)
    submitted(state=ApplicationState.COUNTY_REJECTED)
    submitted(state=ApplicationState.UNDER_REVIEW)
    submitted(division=KEQIAO, state=ApplicationState.RECOMMENDED)
    keqiao = Recommendation.objects.create(batch=batch, region=region(KEQIAO))
    Recommendation.objects.filter(pk=keqiao.pk).update(
        state=RecommendationState.SUBMITTED_TO_CITY, submitted_at=timezone.now() - timedelta(hours=2)
    )
    Batch.objects.filter(pk=batch.pk).update(screening_deadline=timezone.now() - timedelta(hours=1))
    client.force_login(city_hrss)
    response = client.get(reverse("review:city_overview"), {"batch": batch.pk})
    rows = {row.region.code: row for row in response.context["rows"]}
    yuecheng = rows["330602"]
    assert (
        yuecheng.received,
        yuecheng.recommended,
        yuecheng.returned,
        yuecheng.rejected,
        yuecheng.pending,
    ) == (
        5,
        2,
        1,
        1,
        1,
    )
    assert yuecheng.late  # deadline passed with one still pending
    assert not rows["330603"].late  # every decision made and the list reported in time
    body = response.content.decode()
    assert "逾期" in body
    assert "已报送市人力社保局" in body


@pytest.mark.parametrize("role", ["county_hrss", "county_finance", "applicant", "expert"])
def test_city_overview_is_for_city_staff_and_admin(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("review:city_overview")).status_code == 403


# --- dashboard panel -----------------------------------------------------------------------------


def _panel(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("core:dashboard")).content.decode()


def test_dashboard_panel_for_each_role(client, batch, submitted, hrss, finance, city_hrss, make_user):
    submitted()
    recommendation = county_list_for(batch=batch, region=hrss.region)
    Recommendation.objects.filter(pk=recommendation.pk).update(state=RecommendationState.AWAITING_COSIGN)
    assert 'data-testid="pending-count">1<' in _panel(client, hrss)
    assert 'data-testid="awaiting-count">1<' in _panel(client, finance)
    assert 'data-testid="submitted-count">0 / 6<' in _panel(client, city_hrss)
    assert "review-panel" not in _panel(client, make_user("applicant"))


def test_county_overview_of_one_county_counts_only_that_county(batch, submitted, hrss):
    from review.screening.selectors import county_overview

    submitted()
    submitted(state=ApplicationState.RETURNED)
    submitted(division=KEQIAO)
    rows = county_overview(batch, region=hrss.region)
    assert [row.region.pk for row in rows] == [hrss.region_id]
    assert (rows[0].received, rows[0].pending, rows[0].returned) == (2, 1, 1)


def test_recommendation_page_counts_its_own_county_only(client, batch, submitted, hrss, monkeypatch):
    from review.screening import selectors

    submitted()
    submitted(division=KEQIAO)
    recommendation = county_list_for(batch=batch, region=hrss.region)
    calls = []
    original = selectors.county_overview

    def spy(*args, **kwargs):
        calls.append(kwargs.get("region"))
        return original(*args, **kwargs)

    monkeypatch.setattr(selectors, "county_overview", spy)
    client.force_login(hrss)
    response = client.get(reverse("review:recommendation", args=[recommendation.pk]))
    assert calls == [hrss.region]
    overview = response.context["overview"]
    assert (overview.region.pk, overview.received, overview.pending) == (hrss.region_id, 1, 1)


def test_decide_view_refused_by_the_service_fetches_the_application_once(
    client, submitted, hrss, monkeypatch
):
    from review.screening import views

    application = submitted()
    fetches = []
    original = views.get_object_for

    def spy(request, perm, scoped, **lookup):
        fetches.append(scoped.model)
        return original(request, perm, scoped, **lookup)

    monkeypatch.setattr(views, "get_object_for", spy)
    client.force_login(hrss)
    response = client.post(reverse("review:decide", args=[application.pk]), {"decision": "recommend"})
    assert response.status_code == 200
    assert "未作出判断" in response.content.decode()
    assert fetches == [Application]


def test_the_recommendation_page_shows_a_page_of_the_list_and_a_move_returns_to_its_page(
    client, batch, submitted, hrss, monkeypatch
):
    from review.screening import views
    from review.screening.services import recommendation_entry_add

    monkeypatch.setattr(views, "ENTRIES_PAGE_SIZE", 2)
    recommendation = county_list_for(batch=batch, region=hrss.region)
    entries = [
        recommendation_entry_add(
            recommendation=recommendation,
            actor=hrss,
            application=submitted(state=ApplicationState.RECOMMENDED),
            opinion="同意推荐",
        )
        for _ in range(3)
    ]
    client.force_login(hrss)
    url = reverse("review:recommendation", args=[recommendation.pk])

    first, second = client.get(url).content.decode(), client.get(url, {"page": 2}).content.decode()

    assert first.count('data-testid="entry"') == 2
    assert "共 3 家" in first
    assert second.count('data-testid="entry"') == 1
    # The third moves up to second place, on page 1: the redirect follows it there.
    response = client.post(reverse("review:entry_move", args=[entries[2].pk]), {"direction": "up"})
    assert response.url == url
    response = client.post(reverse("review:entry_move", args=[entries[2].pk]), {"direction": "down"})
    assert response.url == f"{url}?page=2"
