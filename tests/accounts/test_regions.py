import pytest
from django.core.exceptions import ValidationError

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import Region, User


@pytest.mark.django_db
def test_six_shaoxing_counties_are_loaded_with_codes():
    assert list(Region.objects.values_list("code", "name")) == [
        ("330602", "越城区"),
        ("330603", "柯桥区"),
        ("330604", "上虞区"),
        ("330624", "新昌县"),
        ("330681", "诸暨市"),
        ("330683", "嵊州市"),
    ]


@pytest.mark.django_db
def test_county_staff_must_belong_to_a_region():
    with pytest.raises(ValidationError) as excinfo:
        User(username="x", role=Role.COUNTY_HRSS).clean()
    assert "region" in excinfo.value.message_dict


@pytest.mark.django_db
def test_city_staff_may_not_belong_to_a_region():
    with pytest.raises(ValidationError):
        User(username="x", role=Role.CITY_HRSS, region=Region.objects.first()).clean()
