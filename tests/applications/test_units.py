"""Unit self-registration, the unit profile with colleague accounts, and the staff's unit list/detail."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from applications.enums import ApplicationState
from applications.models import ApplicantUnit
from applications.units.services import unit_update_contact
from shaoxing_bases.accounts.enums import Role
from tests.applications.factories import (
    CREDIT_CODE_PREFIXES,
    ApplicantUnitFactory,
    ApplicationFactory,
    BatchFactory,
    make_credit_code,
)
from tests.factories import UserFactory, region

User = get_user_model()

REGISTER_URL = reverse("applications:register")
PROFILE_URL = reverse("applications:unit_profile")
LIST_URL = reverse("applications:unit_list")
STRONG_PASSWORD = "Keqiao#2026go"
DUPLICATE_MESSAGE = "该统一社会信用代码已注册，请联系本单位已有账号添加同事账号"


def registration_data(unit_type="college", *, division="330603", **overrides) -> dict:
    data = {
        "credit_code": make_credit_code(division=division, prefix=CREDIT_CODE_PREFIXES[unit_type]),
        "name": "绍兴市柯桥区测试职业技术学校",
        "unit_type": unit_type,
        "region": "",
        "address": "浙江省绍兴市柯桥区笛扬路1号",
        "legal_representative": "王校长",
        "contact_person": "赵老师",
        "contact_phone": "0575-84123456",
        "email": "kq@example.cn",
        "username": "kq_school",
        "display_name": "赵老师",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
    }
    data.update(overrides)
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- self-registration --------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_page_is_public_and_has_both_fieldsets(client):
    body = client.get(REGISTER_URL).content.decode()
    assert "单位信息" in body
    assert "账号信息" in body
    assert 'hx-get="/units/register/"' in body


@pytest.mark.django_db
@pytest.mark.parametrize("unit_type", ["college", "training_institution", "enterprise"])
def test_register_creates_unit_and_account_and_signs_in(client, unit_type):
    data = registration_data(unit_type)
    response = client.post(REGISTER_URL, data)

    assert response.status_code == 302
    assert response.url == reverse("core:dashboard")
    unit = ApplicantUnit.objects.get(credit_code=data["credit_code"])
    assert unit.unit_type == unit_type
    assert unit.region.code == "330603"
    user = User.objects.get(username="kq_school")
    assert user.role == Role.APPLICANT
    assert user.unit == unit
    assert user.display_name == "赵老师"
    assert user.check_password(STRONG_PASSWORD)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert any("注册成功" in message for message in messages_of(response))


@pytest.mark.django_db
def test_register_normalises_the_typed_credit_code(client):
    data = registration_data()
    code = data["credit_code"]
    data["credit_code"] = f" {code[:9].lower()} {code[9:]}"
    assert client.post(REGISTER_URL, data).status_code == 302
    assert ApplicantUnit.objects.filter(credit_code=code).exists()


@pytest.mark.django_db
def test_register_infers_county_from_credit_code(client):
    data = registration_data(division="330681")
    client.post(REGISTER_URL, data)
    assert ApplicantUnit.objects.get(credit_code=data["credit_code"]).region.name == "诸暨市"


@pytest.mark.django_db
def test_register_legacy_division_maps_to_current_county(client):
    # 330621 (绍兴县) was merged into 柯桥区 in 2013.
    data = registration_data(division="330621")
    client.post(REGISTER_URL, data)
    assert ApplicantUnit.objects.get(credit_code=data["credit_code"]).region.code == "330603"


@pytest.mark.django_db
def test_register_credit_code_wins_over_a_different_chosen_county(client):
    data = registration_data(division="330603", region=region("330683").pk)
    response = client.post(REGISTER_URL, data)

    assert response.status_code == 302
    assert ApplicantUnit.objects.get(credit_code=data["credit_code"]).region.code == "330603"
    assert any("已按信用代码登记为柯桥区" in message for message in messages_of(response))


@pytest.mark.django_db
@pytest.mark.parametrize("division", ["330100", "330600"])  # 杭州市; 绍兴市本级
def test_register_code_from_outside_the_counties_needs_a_chosen_county(client, division):
    data = registration_data(division=division)
    response = client.post(REGISTER_URL, data)
    assert response.status_code == 200
    assert "请选择所在区县" in response.content.decode()
    assert not ApplicantUnit.objects.exists()

    data["region"] = region("330624").pk
    assert client.post(REGISTER_URL, data).status_code == 302
    assert ApplicantUnit.objects.get(credit_code=data["credit_code"]).region.name == "新昌县"


@pytest.mark.django_db
def test_register_duplicate_credit_code_is_refused_with_a_clear_message(client):
    existing = ApplicantUnitFactory()
    data = registration_data(credit_code=existing.credit_code.lower())
    response = client.post(REGISTER_URL, data)

    assert response.status_code == 200
    assert DUPLICATE_MESSAGE in response.content.decode()
    assert ApplicantUnit.objects.count() == 1
    assert not User.objects.filter(username="kq_school").exists()


@pytest.mark.django_db
def test_register_bad_credit_code_is_refused(client):
    data = registration_data()
    code = data["credit_code"]
    data["credit_code"] = code[:17] + ("0" if code[17] != "0" else "1")
    body = client.post(REGISTER_URL, data).content.decode()
    assert "校验位错误" in body
    assert not ApplicantUnit.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "密码长度至少为8个字符"),
        ("abcdefgh12", "密码须至少包含"),
        ("20262026", "密码须至少包含"),
    ],
)
def test_register_weak_password_is_refused_in_chinese(client, password, message):
    data = registration_data(password1=password, password2=password)
    body = client.post(REGISTER_URL, data).content.decode()
    assert message in body
    assert not ApplicantUnit.objects.exists()
    assert not User.objects.filter(username="kq_school").exists()


@pytest.mark.django_db
def test_register_password_similar_to_username_is_refused(client):
    data = registration_data(username="zhangsanfeng", password1="Zhangsanfeng1", password2="Zhangsanfeng1")
    response = client.post(REGISTER_URL, data)
    assert response.status_code == 200
    assert not ApplicantUnit.objects.exists()


@pytest.mark.django_db
def test_register_password_mismatch_is_refused(client):
    data = registration_data(password2=STRONG_PASSWORD + "x")
    assert "两次输入的密码不一致" in client.post(REGISTER_URL, data).content.decode()


@pytest.mark.django_db
def test_registration_asks_no_self_chosen_enterprise_size_or_field(client):
    """三（二）1: an enterprise's size is derived from each application's figures (国统字〔2017〕213号)
    and its field is declared and judged per application — never a label picked at registration."""
    page = client.get(REGISTER_URL).content.decode()
    assert 'name="size"' not in page
    assert 'name="sector"' not in page
    assert "注册时无需填写" in page
    data = registration_data("enterprise", sector="advanced_manufacturing", size="large")
    assert client.post(REGISTER_URL, data).status_code == 302
    assert not hasattr(ApplicantUnit.objects.get(), "size")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "phone", ["13812348000", "0575-88123456", "057588123456", "０５７５－８８１２３４５６"]
)
def test_register_accepts_mobile_and_landline_numbers(client, phone):
    assert client.post(REGISTER_URL, registration_data(contact_phone=phone)).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["12345", "23812348000", "88123456", "0575-8812"])
def test_register_refuses_malformed_phone_numbers(client, phone):
    body = client.post(REGISTER_URL, registration_data(contact_phone=phone)).content.decode()
    assert "请输入正确的手机号码" in body
    assert not ApplicantUnit.objects.exists()


@pytest.mark.django_db
def test_register_keeps_everything_typed_except_passwords_on_error(client):
    data = registration_data("enterprise", email="not-an-email")
    body = client.post(REGISTER_URL, data).content.decode()

    assert "请输入正确的电子邮箱地址" in body
    for name in ("credit_code", "name", "address", "contact_person", "username", "display_name"):
        assert f'value="{data[name]}"' in body, name
    assert '<option value="enterprise" selected>' in body
    assert STRONG_PASSWORD not in body
    assert "密码需要重新输入" in body


@pytest.mark.django_db
def test_register_duplicate_username_is_refused(client):
    UserFactory(username="kq_school")
    body = client.post(REGISTER_URL, registration_data()).content.decode()
    assert "该用户名已被使用" in body
    assert not ApplicantUnit.objects.exists()


@pytest.mark.django_db
def test_register_shows_the_inferred_county_without_javascript(client):
    # After a submit with errors the hint is part of the page.
    data = registration_data(division="330604", name="")
    body = client.post(REGISTER_URL, data).content.decode()
    assert "根据信用代码识别为：上虞区" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (make_credit_code(division="330602"), "根据信用代码识别为：越城区"),
        (make_credit_code(division="330100"), "请选择所在区县"),
        ("91330602", "已输入8位"),
        ("91330602MA2BCDEFG0", "统一社会信用代码"),
    ],
)
def test_register_county_hint_over_htmx(client, code, expected):
    response = client.get(REGISTER_URL, {"credit_code": code}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert expected in body
    assert "<html" not in body  # only the partial


@pytest.mark.django_db
def test_register_county_hint_says_when_the_code_is_already_registered(client):
    unit = ApplicantUnitFactory()
    response = client.get(REGISTER_URL, {"credit_code": unit.credit_code}, headers={"HX-Request": "true"})
    assert DUPLICATE_MESSAGE in response.content.decode()


@pytest.mark.django_db
def test_the_already_registered_hint_is_rate_limited_per_client_address(client, settings):
    """The live hint would otherwise list which organisations have accounts, one code at a time."""
    settings.REGISTRATION_HINT_LIMIT_PER_IP = 3
    unit = ApplicantUnitFactory()
    answers = [
        client.get(
            REGISTER_URL, {"credit_code": unit.credit_code}, headers={"HX-Request": "true"}
        ).content.decode()
        for _ in range(4)
    ]
    assert all(DUPLICATE_MESSAGE in answer for answer in answers[:3])
    assert DUPLICATE_MESSAGE not in answers[3]
    assert "查询过于频繁，请稍后再试" in answers[3]
    # Another address still gets its answers, and an incomplete code costs nothing.
    other = client.get(
        REGISTER_URL,
        {"credit_code": unit.credit_code},
        headers={"HX-Request": "true"},
        REMOTE_ADDR="10.9.9.9",
    )
    assert DUPLICATE_MESSAGE in other.content.decode()
    partial = client.get(REGISTER_URL, {"credit_code": "91330602"}, headers={"HX-Request": "true"})
    assert "已输入8位" in partial.content.decode()


@pytest.mark.django_db
def test_register_sends_signed_in_users_to_their_dashboard(client, make_user):
    client.force_login(make_user(Role.APPLICANT))
    response = client.get(REGISTER_URL)
    assert response.status_code == 302
    assert response.url == reverse("core:dashboard")


# --- unit profile and colleagues ----------------------------------------------------------------


@pytest.fixture
def member(db):
    unit = ApplicantUnitFactory(unit_type="enterprise", contact_phone="13812348000")
    return UserFactory(role=Role.APPLICANT, unit=unit, username="member1", display_name="钱会计")


def contact_data(unit, **overrides) -> dict:
    data = {
        "action": "update_contact",
        "contact-address": unit.address,
        "contact-legal_representative": unit.legal_representative,
        "contact-contact_person": unit.contact_person,
        "contact-contact_phone": unit.contact_phone,
        "contact-email": unit.email,
    }
    data.update(overrides)
    return data


def member_data(**overrides) -> dict:
    data = {
        "action": "add_member",
        "member-username": "colleague1",
        "member-display_name": "孙工",
        "member-phone": "13900001111",
        "member-email": "sun@example.cn",
        "member-password": "Qianjiang#88x",
    }
    data.update(overrides)
    return data


def test_unit_profile_shows_details_and_members(client, member):
    colleague = UserFactory(role=Role.APPLICANT, unit=member.unit, display_name="周工")
    UserFactory(role=Role.APPLICANT, unit=ApplicantUnitFactory(), display_name="别家单位的人")
    client.force_login(member)
    body = client.get(PROFILE_URL).content.decode()
    assert member.unit.credit_code in body
    assert "13812348000" in body  # the unit's own page shows its full number
    assert colleague.display_name in body
    assert "别家单位的人" not in body


def test_unit_profile_updates_contact_details(client, member):
    client.force_login(member)
    data = contact_data(
        member.unit,
        **{
            "contact-contact_person": "新联系人",
            "contact-contact_phone": "0575-85551234",
        },
    )
    response = client.post(PROFILE_URL, data)
    assert response.status_code == 302
    member.unit.refresh_from_db()
    assert member.unit.contact_person == "新联系人"
    assert member.unit.contact_phone == "0575-85551234"


def test_unit_profile_cannot_change_credit_code_name_or_county(client, member):
    client.force_login(member)
    unit = member.unit
    original = (unit.credit_code, unit.name, unit.region_id)
    data = contact_data(
        unit,
        **{
            "contact-credit_code": make_credit_code(),
            "contact-name": "改名",
            "contact-region": region("330683").pk,
        },
    )
    client.post(PROFILE_URL, data)
    unit.refresh_from_db()
    assert (unit.credit_code, unit.name, unit.region_id) == original


def test_unit_profile_bad_phone_is_refused_and_input_kept(client, member):
    client.force_login(member)
    data = contact_data(member.unit, **{"contact-contact_phone": "123", "contact-contact_person": "新联系人"})
    response = client.post(PROFILE_URL, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "请输入正确的手机号码" in body
    assert 'value="新联系人"' in body
    member.unit.refresh_from_db()
    assert member.unit.contact_person == "李四"


def test_unit_profile_of_an_enterprise_asks_no_size_or_field(client, make_user):
    unit = ApplicantUnitFactory(unit_type="enterprise")
    client.force_login(make_user(Role.APPLICANT, unit=unit))
    body = client.get(PROFILE_URL).content.decode()
    assert "contact-sector" not in body
    assert "contact-size" not in body


def test_unit_profile_of_a_college_has_no_sector_or_size(client, make_user):
    unit = ApplicantUnitFactory(unit_type="college")
    client.force_login(make_user(Role.APPLICANT, unit=unit))
    body = client.get(PROFILE_URL).content.decode()
    assert "contact-sector" not in body
    assert "所属领域" not in body


def test_add_colleague_creates_an_applicant_of_the_same_unit(client, member):
    client.force_login(member)
    response = client.post(PROFILE_URL, member_data())
    assert response.status_code == 302
    colleague = User.objects.get(username="colleague1")
    assert colleague.role == Role.APPLICANT
    assert colleague.unit_id == member.unit_id
    assert (colleague.display_name, colleague.phone, colleague.email) == (
        "孙工",
        "13900001111",
        "sun@example.cn",
    )
    assert any("已添加同事账号" in message for message in messages_of(response))
    client.logout()
    login = client.post(reverse("accounts:login"), {"username": "colleague1", "password": "Qianjiang#88x"})
    assert login.status_code == 302


def test_add_colleague_weak_password_is_refused_and_input_kept(client, member):
    client.force_login(member)
    body = client.post(PROFILE_URL, member_data(**{"member-password": "12345678"})).content.decode()
    assert "密码须至少包含" in body
    assert 'value="colleague1"' in body
    assert "请重新输入初始密码" in body
    assert not User.objects.filter(username="colleague1").exists()


def test_add_colleague_duplicate_username_is_refused(client, member):
    client.force_login(member)
    body = client.post(PROFILE_URL, member_data(**{"member-username": "MEMBER1"})).content.decode()
    assert "该用户名已被使用" in body


def test_unit_profile_without_a_unit_is_404(client, make_user):
    client.force_login(make_user(Role.APPLICANT))
    assert client.get(PROFILE_URL).status_code == 404


def test_unit_update_contact_refuses_members_of_other_units(member):
    other = UserFactory(role=Role.APPLICANT, unit=ApplicantUnitFactory())
    with pytest.raises(PermissionDenied):
        unit_update_contact(unit=member.unit, actor=other, data={"contact_person": "冒名"})


# --- staff: unit list ---------------------------------------------------------------------------


@pytest.fixture
def units_in_two_counties(db):
    yuecheng = ApplicantUnitFactory(division="330602", name="越城测试学院", contact_phone="13812348000")
    zhuji = ApplicantUnitFactory(
        division="330681", name="诸暨测试机械有限公司", unit_type="enterprise", contact_phone="0575-87001234"
    )
    return yuecheng, zhuji


@pytest.mark.parametrize("role", [Role.COUNTY_HRSS, Role.COUNTY_FINANCE])
def test_unit_list_county_staff_see_only_their_county(client, make_user, units_in_two_counties, role):
    client.force_login(make_user(role, county_code="330602"))
    body = client.get(LIST_URL, {"region": region("330681").pk}).content.decode()
    assert "越城测试学院" in body
    assert "诸暨测试机械有限公司" not in body
    assert 'name="region"' not in body  # no county filter for county staff


@pytest.mark.parametrize("role", [Role.CITY_HRSS, Role.CITY_FINANCE, Role.ADMIN])
def test_unit_list_city_staff_see_all_and_filter_by_county(client, make_user, units_in_two_counties, role):
    client.force_login(make_user(role))
    body = client.get(LIST_URL).content.decode()
    assert "越城测试学院" in body
    assert "诸暨测试机械有限公司" in body
    body = client.get(LIST_URL, {"region": region("330681").pk}).content.decode()
    assert "越城测试学院" not in body
    assert "诸暨测试机械有限公司" in body


def test_unit_list_filters_by_type_and_searches_name_and_code(client, make_user, units_in_two_counties):
    yuecheng, zhuji = units_in_two_counties
    client.force_login(make_user(Role.CITY_HRSS))
    body = client.get(LIST_URL, {"unit_type": "enterprise"}).content.decode()
    assert zhuji.name in body
    assert yuecheng.name not in body
    body = client.get(LIST_URL, {"q": "越城"}).content.decode()
    assert yuecheng.name in body
    assert zhuji.name not in body
    body = client.get(LIST_URL, {"q": zhuji.credit_code[-8:].lower()}).content.decode()
    assert zhuji.name in body
    assert yuecheng.name not in body


def test_unit_list_masks_phone_numbers(client, make_user, units_in_two_counties):
    client.force_login(make_user(Role.CITY_HRSS))
    body = client.get(LIST_URL).content.decode()
    assert "138****8000" in body
    assert "0575-****1234" in body
    assert "13812348000" not in body
    assert "87001234" not in body


def test_unit_list_counts_only_handed_in_applications(client, make_user):
    unit = ApplicantUnitFactory(name="计数测试学院")
    ApplicationFactory(unit=unit, state=ApplicationState.SUBMITTED)
    ApplicationFactory(unit=unit, state=ApplicationState.RECOMMENDED)
    ApplicationFactory(unit=unit)  # a draft stays private to the unit
    client.force_login(make_user(Role.COUNTY_HRSS))
    response = client.get(LIST_URL)
    (listed,) = response.context["units"]
    assert listed.application_count == 2


def test_unit_list_is_paginated(client, make_user):
    ApplicantUnitFactory.create_batch(23)
    client.force_login(make_user(Role.CITY_HRSS))
    first = client.get(LIST_URL)
    assert len(first.context["units"]) == 20
    second = client.get(LIST_URL, {"page": 2, "unit_type": "college"})
    assert len(second.context["units"]) == 3
    assert "unit_type=college&amp;page=1" in second.content.decode()


@pytest.mark.parametrize("rows", [1, 5])
@pytest.mark.parametrize("role", [Role.COUNTY_HRSS, Role.CITY_HRSS])
def test_unit_list_runs_a_fixed_number_of_queries(client, make_user, django_assert_num_queries, rows, role):
    for _ in range(rows):
        unit = ApplicantUnitFactory()
        ApplicationFactory(unit=unit, state=ApplicationState.SUBMITTED)
    client.force_login(make_user(role))
    client.get(LIST_URL)  # warm-up: the first request stamps the idle timer
    # session, user, unread count (header), count, page of units, and either the county of the
    # county user (header) or the county filter's choices (city staff).
    with django_assert_num_queries(7):  # + the counts of the page's units only
        response = client.get(LIST_URL, {"unit_type": "college"})
    assert len(response.context["units"]) == rows


# --- staff: unit detail -------------------------------------------------------------------------


def test_unit_detail_shows_full_phone_to_the_county_of_the_unit(client, make_user, units_in_two_counties):
    yuecheng, _zhuji = units_in_two_counties
    ApplicationFactory(unit=yuecheng, state=ApplicationState.SUBMITTED)
    client.force_login(make_user(Role.COUNTY_HRSS, county_code="330602"))
    body = client.get(reverse("applications:unit_detail", args=[yuecheng.pk])).content.decode()
    assert "13812348000" in body
    assert yuecheng.credit_code in body


@pytest.mark.parametrize("role", [Role.COUNTY_HRSS, Role.COUNTY_FINANCE])
def test_county_staff_see_a_units_contacts_only_once_it_has_applied_there(
    client, make_user, units_in_two_counties, role
):
    """PIPL, least data: a registered unit that has handed nothing in is a name and a credit code to
    its county; its people appear with its first handed-in application (a draft is not enough)."""
    yuecheng, _zhuji = units_in_two_counties
    yuecheng.members.add(UserFactory(role=Role.APPLICANT, unit=yuecheng, email="member@example.cn"))
    ApplicationFactory(unit=yuecheng)  # a draft
    client.force_login(make_user(role, county_code="330602"))
    detail_url = reverse("applications:unit_detail", args=[yuecheng.pk])

    withheld = client.get(detail_url).content.decode()
    listed = client.get(LIST_URL).content.decode()
    for private in (
        "13812348000",
        yuecheng.legal_representative,
        yuecheng.contact_person,
        "member@example.cn",
    ):
        assert private not in withheld
    assert "尚未向本区县提交申报" in withheld
    assert "138****8000" not in listed
    assert "未申报，不显示" in listed

    ApplicationFactory(unit=yuecheng, batch__year=2031, state=ApplicationState.SUBMITTED)
    shown = client.get(detail_url).content.decode()
    assert "13812348000" in shown
    assert "member@example.cn" in shown
    assert "138****8000" in client.get(LIST_URL).content.decode()


def test_city_staff_and_the_unit_itself_always_see_its_contacts(client, make_user, units_in_two_counties):
    yuecheng, _zhuji = units_in_two_counties
    client.force_login(make_user(Role.CITY_HRSS))
    assert (
        "13812348000" in client.get(reverse("applications:unit_detail", args=[yuecheng.pk])).content.decode()
    )


@pytest.mark.parametrize("role", [Role.COUNTY_HRSS, Role.COUNTY_FINANCE])
def test_unit_detail_of_another_county_is_404(client, make_user, units_in_two_counties, role):
    _yuecheng, zhuji = units_in_two_counties
    client.force_login(make_user(role, county_code="330602"))
    response = client.get(reverse("applications:unit_detail", args=[zhuji.pk]))
    assert response.status_code == 404
    assert "87001234" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.CITY_HRSS, Role.CITY_FINANCE, Role.ADMIN])
def test_unit_detail_is_open_to_city_staff_for_every_county(client, make_user, units_in_two_counties, role):
    _yuecheng, zhuji = units_in_two_counties
    client.force_login(make_user(role))
    body = client.get(reverse("applications:unit_detail", args=[zhuji.pk])).content.decode()
    assert "0575-87001234" in body


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.EXPERT])
def test_unit_detail_refuses_other_roles(client, make_user, units_in_two_counties, role):
    yuecheng, _zhuji = units_in_two_counties
    user = make_user(role, unit=yuecheng) if role == Role.APPLICANT else make_user(role)
    client.force_login(user)
    assert client.get(reverse("applications:unit_detail", args=[yuecheng.pk])).status_code == 403


def test_unit_detail_lists_handed_in_applications_only(client, make_user):
    unit = ApplicantUnitFactory()
    ApplicationFactory(unit=unit, batch=BatchFactory(year=2030), state=ApplicationState.SUBMITTED)
    ApplicationFactory(unit=unit, batch=BatchFactory(year=2031))  # draft
    client.force_login(make_user(Role.CITY_HRSS))
    response = client.get(reverse("applications:unit_detail", args=[unit.pk]))
    assert [application.batch.year for application in response.context["applications"]] == [2030]
