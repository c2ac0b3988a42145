"""The publicity stage on the dashboards and in the admin: city HRSS sees the open notice and the
objections waiting, an expert the objections assigned to them; the holiday admin warns when next
year's holidays are missing."""

from datetime import date

import pytest
from django.urls import reverse

from review.publicity.enums import HolidayKind
from review.publicity.models import Holiday
from review.publicity.services import objection_assign, reviewer_choices
from shaoxing_bases.accounts.enums import Role
from tests.factories import UserFactory

from .conftest import file_objection

pytestmark = pytest.mark.django_db


def test_city_hrss_sees_the_open_objections_on_the_dashboard(client, publicity):
    file_objection(publicity)
    file_objection(publicity, phone="13900000001")
    client.force_login(UserFactory(role=Role.CITY_HRSS))
    html = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-testid="panel-publicity-city"' in html
    assert 'data-testid="open-objections">2<' in html


def test_an_expert_sees_the_objections_assigned_to_them(client, publicity, city_hrss):
    objection = file_objection(publicity)
    reviewer = reviewer_choices(objection)[0].expert.user
    client.force_login(reviewer)
    assert "panel-publicity-expert" not in client.get(reverse("core:dashboard")).content.decode()
    objection_assign(objection=objection, actor=city_hrss, reviewer=reviewer)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "panel-publicity-expert" in html
    assert objection.receipt_no in html
    other = UserFactory(role=Role.EXPERT)
    client.force_login(other)
    assert client.get(reverse("review:objection", args=[objection.pk])).status_code == 404


def test_the_holiday_admin_warns_of_a_missing_year(client, settings):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(reverse("admin:review_holiday_changelist"), follow=True)
    assert "法定节假日安排" in response.content.decode()
    assert "尚未录入" in response.content.decode()
    for year in range(2026, 2030):
        Holiday.objects.get_or_create(
            date=date(year, 1, 1), defaults={"kind": HolidayKind.HOLIDAY, "name": "元旦"}
        )
    response = client.get(reverse("admin:review_holiday_changelist"), follow=True)
    assert "尚未录入" not in response.content.decode()
