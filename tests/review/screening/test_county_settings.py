"""区县设置 (review.screening): county HRSS keeps what its letters print — its 机关代字 and contact."""

import pytest
from django.urls import reverse

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import Region
from shaoxing_bases.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = reverse("review:county_settings")
YUECHENG, KEQIAO = "330602", "330603"


def test_county_hrss_sets_its_own_county_and_the_change_is_audited(client, make_user):
    hrss = make_user(Role.COUNTY_HRSS, YUECHENG)
    neighbour_before = Region.objects.get(code=KEQIAO).contact_name
    client.force_login(hrss)
    page = client.get(URL).content.decode()
    assert "越人社" in page  # the prefix every county starts with
    response = client.post(
        URL, {"doc_prefix": "越人社函", "contact_name": "李华", "contact_phone": "0575-85129999"}
    )
    assert response.status_code == 302
    region = Region.objects.get(code=YUECHENG)
    assert (region.doc_prefix, region.contact_name, region.contact_phone) == (
        "越人社函",
        "李华",
        "0575-85129999",
    )
    assert Region.objects.get(code=KEQIAO).contact_name == neighbour_before  # the neighbour is untouched
    entry = AuditEntry.objects.get(summary="修改区县设置")
    assert entry.actor == hrss
    assert entry.detail["changes"]["doc_prefix"] == ["越人社", "越人社函"]
    assert entry.detail["changes"]["contact_name"] == ["王丽", "李华"]


def test_bad_input_is_refused_in_chinese_and_keeps_what_was_typed(client, make_user):
    client.force_login(make_user(Role.COUNTY_HRSS, YUECHENG))
    before = Region.objects.get(code=YUECHENG).contact_name
    response = client.post(
        URL, {"doc_prefix": "越人社\u202e", "contact_name": "李明", "contact_phone": "0575"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "李明" in body
    assert "请输入正确的手机号码" in body
    assert "改变文字显示方向的字符" in body
    assert Region.objects.get(code=YUECHENG).contact_name == before
    assert not AuditEntry.objects.filter(summary="修改区县设置").exists()


@pytest.mark.parametrize(
    "role", [Role.COUNTY_FINANCE, Role.CITY_HRSS, Role.CITY_FINANCE, Role.APPLICANT, Role.EXPERT]
)
def test_only_county_hrss_may_change_the_settings(client, make_user, role):
    county = YUECHENG if role in (Role.COUNTY_FINANCE,) else None
    client.force_login(make_user(role, county))
    assert client.get(URL).status_code == 403
    client.post(URL, {"doc_prefix": "改", "contact_name": "改", "contact_phone": "1"})
    assert Region.objects.get(code=YUECHENG).doc_prefix == "越人社"
