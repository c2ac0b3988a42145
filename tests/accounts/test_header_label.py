"""The header names the signed-in person with the role said once (templates/base.html)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from shaoxing_bases.accounts.demo import DEMO_PASSWORD, demo_accounts
from shaoxing_bases.accounts.enums import Role


@pytest.mark.parametrize(
    ("display_name", "role", "county", "shown"),
    [
        ("王建国", Role.EXPERT, None, "王建国（评审专家）"),
        ("王建国（评审专家）", Role.EXPERT, None, "王建国（评审专家）"),
        ("王建国(评审专家)", Role.EXPERT, None, "王建国（评审专家）"),
        ("赵海峰", Role.COUNTY_HRSS, "330602", "赵海峰（区县人力社保局 · 越城区）"),
        ("柯桥区区县财政局", Role.COUNTY_FINANCE, "330603", "柯桥区（区县财政局 · 柯桥区）"),
        ("系统管理员", Role.ADMIN, None, "系统管理员"),
        ("", Role.CITY_HRSS, None, "{username}（市人力社保局）"),
    ],
)
def test_header_label_says_the_role_once(make_user, display_name, role, county, shown):
    user = make_user(role, county, display_name=display_name)

    assert user.header_label == shown.format(username=user.username)


@pytest.mark.django_db
def test_demo_display_names_are_names_not_roles():
    call_command("seed_demo", verbosity=0)
    labels = set(Role.labels) | {"人力社保局", "财政局", "联系人"}

    for account in demo_accounts():
        assert not any(label in account.display_name for label in labels), account


@pytest.mark.django_db
def test_header_shows_the_demo_expert_once(client):
    call_command("seed_demo", verbosity=0)
    client.post(reverse("accounts:login"), {"username": "expert1", "password": DEMO_PASSWORD})

    page = client.get(reverse("core:dashboard")).content.decode()

    assert "王建国（评审专家）" in page
    assert "（评审专家）（评审专家）" not in page
