"""The online application form: sections, saving, validation, the live auto-check (三（一）/三（二）)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from applications.enums import ApplicationState, AttachmentSection
from applications.form.forms import SECTIONS, sections_for
from applications.form.services import attachment_upload
from applications.models import Application, Attachment, PartnerEnterprise, Specialty, TrainingFundYear
from applications.policy import COLLEGE, ENTERPRISE, TRAINING_INSTITUTION
from shaoxing_bases.accounts.enums import Role
from tests.applications.factories import (
    ApplicantUnitFactory,
    ApplicationFactory,
    complete_application,
    make_credit_code,
    pdf_file,
)

pytestmark = pytest.mark.django_db

MANAGEMENT = {
    "organisation_description": "设培训处和实训中心",
    "has_training_rules": "on",
    "has_finance_rules": "on",
    "has_asset_rules": "on",
    "has_risk_rules": "on",
    "no_violations": "on",
}
INSTITUTION_SECTIONS = [
    "management",
    "premises",
    "specialties",
    "training",
    "teachers",
    "partners",
    "integrity",
]
ENTERPRISE_SECTIONS = ["management", "premises", "training", "teachers", "enterprise", "funds", "integrity"]


# --- helpers shared with test_uploads.py ---------------------------------------------------------


def section_url(application, section: str) -> str:
    return reverse("applications:edit_section", args=[application.pk, section])


def live_url(application, section: str) -> str:
    return f"{reverse('applications:live_check', args=[application.pk])}?section={section}"


def formset_data(prefix: str, rows: list[dict], initial: int = 0, total: int | None = None) -> dict:
    """POST data of a formset: the management form plus `rows` (each a dict of field → value)."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) if total is None else total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def outcome(response, key: str) -> str:
    """The outcome shown by the auto-check panel for criterion `key`."""
    match = re.search(rf'data-criterion="{key}" data-outcome="(\w+)"', response.content.decode())
    assert match, f"criterion {key} not in the panel"
    return match.group(1)


@pytest.fixture
def application():
    """A draft of a college in an open batch."""
    return ApplicationFactory()


@pytest.fixture
def enterprise_application():
    return ApplicationFactory(unit=ApplicantUnitFactory(unit_type=ENTERPRISE))


@pytest.fixture
def member_client(client):
    """A client signed in as a member of the given application's unit."""

    def sign_in(application):
        client.force_login(application.created_by)
        return client

    return sign_in


# --- pages and scope ------------------------------------------------------------------------------


@pytest.mark.parametrize("section", INSTITUTION_SECTIONS)
def test_section_page_opens_for_a_member(member_client, application, section):
    response = member_client(application).get(section_url(application, section))
    assert response.status_code == 200
    assert 'id="check-panel"' in response.content.decode()


@pytest.mark.parametrize("section", ENTERPRISE_SECTIONS)
def test_section_page_opens_for_an_enterprise(member_client, enterprise_application, section):
    response = member_client(enterprise_application).get(section_url(enterprise_application, section))
    assert response.status_code == 200


def test_sections_follow_the_unit_type():
    assert [section.key for section in sections_for(COLLEGE)] == INSTITUTION_SECTIONS
    assert [section.key for section in sections_for(TRAINING_INSTITUTION)] == INSTITUTION_SECTIONS
    assert [section.key for section in sections_for(ENTERPRISE)] == ENTERPRISE_SECTIONS
    assert {section.key for section in SECTIONS} == set(INSTITUTION_SECTIONS) | set(ENTERPRISE_SECTIONS)


@pytest.mark.parametrize("section", ["funds", "no-such-section"])
def test_section_not_for_an_institution_is_404(member_client, application, section):
    assert member_client(application).get(section_url(application, section)).status_code == 404


@pytest.mark.parametrize("section", ["specialties", "partners"])
def test_section_not_for_an_enterprise_is_404(member_client, enterprise_application, section):
    response = member_client(enterprise_application).get(section_url(enterprise_application, section))
    assert response.status_code == 404


def test_another_units_application_is_404(client, application):
    other = ApplicationFactory()
    client.force_login(other.created_by)
    assert client.get(section_url(application, "management")).status_code == 404
    assert client.post(section_url(application, "management"), MANAGEMENT).status_code == 404
    assert client.post(live_url(application, "training"), {"annual_trainees": "1"}).status_code == 404


def test_staff_may_not_edit(client, make_user, application):
    client.force_login(make_user(Role.COUNTY_HRSS))
    assert client.get(section_url(application, "management")).status_code == 403


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (ApplicationState.SUBMITTED, "申报已提交，不能再修改；请等待区县初审"),
        (ApplicationState.WITHDRAWN, "本单位已放弃本批次申报，不能再修改。"),
        (ApplicationState.RECOMMENDED, "申报已进入后续程序（区县已推荐），不能再修改。"),
        (ApplicationState.COUNTY_REJECTED, "申报已进入后续程序（初审不通过），不能再修改。"),
    ],
)
def test_edit_after_submission_is_refused_with_the_states_reason(member_client, state, message):
    application = ApplicationFactory(state=state)
    client = member_client(application)
    detail = reverse("applications:detail", args=[application.pk])

    response = client.get(section_url(application, "management"))
    assert response.status_code == 302
    assert response.url == detail

    response = client.post(section_url(application, "management"), MANAGEMENT, follow=True)
    page = response.content.decode()
    assert message in page
    # Withdrawal is final for the batch: no state but "submitted" may promise a way back.
    assert ("等待区县退回或撤回后重新申报" in page) is False
    assert ("区县退回修改" in page) is (state == ApplicationState.SUBMITTED)
    application.refresh_from_db()
    assert application.organisation_description == ""
    assert not application.has_training_rules


def test_returned_application_can_be_edited(member_client):
    application = ApplicationFactory(state=ApplicationState.RETURNED)
    response = member_client(application).post(section_url(application, "management"), MANAGEMENT)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.has_training_rules


# --- saving each section --------------------------------------------------------------------------


def test_management_saves_and_stays_on_the_page(member_client, application):
    client = member_client(application)
    response = client.post(section_url(application, "management"), MANAGEMENT)
    assert response.status_code == 302
    assert response.url == section_url(application, "management")
    application.refresh_from_db()
    assert application.organisation_description == "设培训处和实训中心"
    assert application.has_training_rules
    assert application.has_risk_rules
    assert application.no_violations
    page = client.get(response.url).content.decode()
    assert "“管理制度”已保存" in page


def test_save_and_continue_goes_to_the_next_section(member_client, application):
    response = member_client(application).post(
        section_url(application, "management"), {**MANAGEMENT, "save_next": "1"}
    )
    assert response.url == section_url(application, "premises")


def test_an_incomplete_draft_saves(member_client, application):
    response = member_client(application).post(section_url(application, "training"), {"annual_trainees": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.annual_trainees is None


def test_unchecking_a_declaration_saves_false(member_client, application):
    Application.objects.filter(pk=application.pk).update(has_training_rules=True)
    data = {key: value for key, value in MANAGEMENT.items() if key != "has_training_rules"}
    member_client(application).post(section_url(application, "management"), data)
    application.refresh_from_db()
    assert application.has_training_rules is False


def test_training_figures_save(member_client, application):
    data = {"annual_trainees": "1500", "annual_senior_trainees": "400", "annual_evaluations": " 1600 "}
    assert member_client(application).post(section_url(application, "training"), data).status_code == 302
    application.refresh_from_db()
    assert (application.annual_trainees, application.annual_senior_trainees) == (1500, 400)
    assert application.annual_evaluations == 1600


def test_save_touches_only_its_own_section(member_client, application):
    Application.objects.filter(pk=application.pk).update(organisation_description="原有说明", teachers=30)
    member_client(application).post(section_url(application, "training"), {"annual_trainees": "10"})
    application.refresh_from_db()
    assert application.organisation_description == "原有说明"
    assert application.teachers == 30
    assert application.state == ApplicationState.DRAFT


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("-5", "不能为负数"),
        ("99999999", "数值过大"),
        ("1" * 5000, "请输入整数"),
        ("一千五", "请输入整数"),
        ("1,500", "请输入整数"),
        ("1500.5", "请输入整数"),
    ],
    ids=["negative", "absurd", "huge", "words", "separator", "fraction"],
)
def test_bad_number_is_refused_and_everything_typed_is_kept(member_client, application, value, error):
    data = {"annual_trainees": value, "annual_senior_trainees": "400", "annual_evaluations": "1234"}
    response = member_client(application).post(section_url(application, "training"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert error in page
    assert "未保存" in page
    assert 'value="1234"' in page  # the other figures typed stay on the page
    if len(value) < 100:
        assert f'value="{value}"' in page
    application.refresh_from_db()
    assert application.annual_senior_trainees is None  # nothing of the page was written


def test_senior_trainees_above_the_total_are_refused(member_client, application):
    data = {"annual_trainees": "1000", "annual_senior_trainees": "1200", "annual_evaluations": ""}
    response = member_client(application).post(section_url(application, "training"), data)
    assert "其中高级工及以上培训人数（1200）不能超过上年度职业培训人数（1000）" in response.content.decode()
    application.refresh_from_db()
    assert application.annual_trainees is None


def test_teachers_save(member_client, application):
    data = {
        "teacher_plan": "三年培养规划",
        "students": "360",
        "teachers": "20",
        "practical_teachers": "10",
        "senior_practical_teachers": "4",
    }
    assert member_client(application).post(section_url(application, "teachers"), data).status_code == 302
    application.refresh_from_db()
    assert (application.students, application.teachers, application.senior_practical_teachers) == (360, 20, 4)


@pytest.mark.parametrize(
    ("figures", "error"),
    [
        (
            {"teachers": "20", "practical_teachers": "10", "senior_practical_teachers": "11"},
            "不能超过实训教师总数（10）",
        ),
        (
            {"teachers": "8", "practical_teachers": "10", "senior_practical_teachers": "2"},
            "不能超过专兼职教师人数（8）",
        ),
    ],
    ids=["senior-above-practical", "practical-above-all"],
)
def test_teacher_subsets_may_not_exceed_their_whole(member_client, application, figures, error):
    response = member_client(application).post(
        section_url(application, "teachers"), {"students": "300", **figures}
    )
    assert error in response.content.decode()
    application.refresh_from_db()
    assert application.students is None


def test_enterprise_teachers_page_asks_for_teachers_only(member_client, enterprise_application):
    page = (
        member_client(enterprise_application)
        .get(section_url(enterprise_application, "teachers"))
        .content.decode()
    )
    assert 'name="teachers"' in page
    assert 'name="students"' not in page
    assert 'name="practical_teachers"' not in page


def test_enterprise_premises_asks_for_the_venue_capacity(member_client, enterprise_application, application):
    client = member_client(enterprise_application)
    data = {"premises_meet_standards": "on", "premises_description": "实训楼", "venue_capacity": "150"}
    assert client.post(section_url(enterprise_application, "premises"), data).status_code == 302
    enterprise_application.refresh_from_db()
    assert enterprise_application.venue_capacity == 150
    client.force_login(application.created_by)
    assert 'name="venue_capacity"' not in client.get(section_url(application, "premises")).content.decode()


# --- 特色专业 ----------------------------------------------------------------------------------------


def _specialty(name: str, value: str = "120") -> dict:
    return {"name": name, "equipment": f"{name}实训设备", "equipment_value": value}


def test_specialties_save_and_blank_rows_are_ignored(member_client, application):
    rows = [_specialty("数控车工"), _specialty("电工"), _specialty("焊工"), {"name": "", "equipment": ""}]
    response = member_client(application).post(
        section_url(application, "specialties"), formset_data("specialties", rows)
    )
    assert response.status_code == 302
    assert list(application.specialties.values_list("name", flat=True)) == ["数控车工", "电工", "焊工"]


def test_a_specialty_row_is_removed(member_client, application):
    kept = Specialty.objects.create(application=application, name="电工", equipment="实训台")
    gone = Specialty.objects.create(application=application, name="焊工", equipment="焊机")
    rows = [
        {"id": kept.pk, "name": "电工", "equipment": "实训台"},
        {"id": gone.pk, "name": "焊工", "equipment": "焊机", "DELETE": "on"},
    ]
    data = formset_data("specialties", rows, initial=2)
    assert member_client(application).post(section_url(application, "specialties"), data).status_code == 302
    assert list(application.specialties.all()) == [kept]


def test_more_than_ten_specialties_are_refused(member_client, application):
    rows = [_specialty(f"专业{index}") for index in range(11)]
    response = member_client(application).post(
        section_url(application, "specialties"), formset_data("specialties", rows)
    )
    assert "特色专业最多填写 10 个" in response.content.decode()
    assert not application.specialties.exists()


def test_a_specialty_with_negative_equipment_value_is_refused(member_client, application):
    data = formset_data("specialties", [_specialty("电工", "-3")])
    response = member_client(application).post(section_url(application, "specialties"), data)
    assert "不能为负数" in response.content.decode()
    assert not application.specialties.exists()


def test_add_rows_without_javascript_saves_and_shows_more_rows(member_client, application):
    client = member_client(application)
    data = {**formset_data("specialties", [_specialty("电工")]), "add_rows": "1"}
    response = client.post(section_url(application, "specialties"), data)
    assert response.status_code == 302
    assert response.url.endswith("?extra=3")
    page = client.get(response.url).content.decode()
    assert 'name="specialties-3-name"' in page  # 1 saved row + 1 spare + 3 added
    assert application.specialties.count() == 1


# --- 合作企业 ----------------------------------------------------------------------------------------


def _partner(name: str, code: str, **extra) -> dict:
    return {"name": name, "credit_code": code, "cooperation": "共建课程", **extra}


def test_partners_save_with_normalised_credit_codes(member_client, application):
    first, second = make_credit_code(), make_credit_code()
    spaced = f" {second[:6].lower()} {second[6:]} "
    rows = [_partner("甲公司", first), _partner("乙公司", spaced), {"name": "", "credit_code": ""}]
    response = member_client(application).post(
        section_url(application, "partners"), formset_data("partners", rows)
    )
    assert response.status_code == 302
    assert sorted(application.partners.values_list("credit_code", flat=True)) == sorted([first, second])


def test_a_partner_listed_twice_is_refused_on_its_row(member_client, application):
    code = make_credit_code()
    rows = [_partner("甲公司", code), _partner("甲公司（重复）", code.lower())]
    response = member_client(application).post(
        section_url(application, "partners"), formset_data("partners", rows)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"与第1行是同一家企业（统一社会信用代码 {code}），同一企业只能填写一次" in page
    assert "甲公司（重复）" in page
    assert not application.partners.exists()


def test_a_partner_already_saved_cannot_be_added_again(member_client, application):
    code = make_credit_code()
    saved = PartnerEnterprise.objects.create(application=application, name="甲公司", credit_code=code)
    rows = [_partner("甲公司", code, id=saved.pk), _partner("甲公司", code)]
    response = member_client(application).post(
        section_url(application, "partners"), formset_data("partners", rows, initial=1)
    )
    assert "同一企业只能填写一次" in response.content.decode()
    assert application.partners.count() == 1


@pytest.mark.parametrize(
    ("code", "error"),
    [("91330602MA2BCDEF0X", "校验位错误"), ("12345", "应为18位"), ("91330602-0000000-1", "无效字符")],
    ids=["check-digit", "length", "charset"],
)
def test_a_bad_partner_credit_code_is_refused(member_client, application, code, error):
    rows = [_partner("甲公司", code)]
    response = member_client(application).post(
        section_url(application, "partners"), formset_data("partners", rows)
    )
    page = response.content.decode()
    assert error in page
    assert f'value="{code}"' in page
    assert not application.partners.exists()


def test_a_partner_agreement_upload_is_linked(member_client, application):
    rows = [_partner("甲公司", make_credit_code(), agreement_file=pdf_file("甲公司合作协议.pdf"))]
    response = member_client(application).post(
        section_url(application, "partners"), formset_data("partners", rows)
    )
    assert response.status_code == 302
    partner = application.partners.get()
    assert partner.agreement.section == AttachmentSection.PARTNER_AGREEMENT
    assert partner.agreement.original_name == "甲公司合作协议.pdf"
    assert partner.agreement.application == application


def test_replacing_an_agreement_removes_the_old_file(
    member_client, application, django_capture_on_commit_callbacks
):
    client = member_client(application)
    code = make_credit_code()
    client.post(
        section_url(application, "partners"),
        formset_data("partners", [_partner("甲公司", code, agreement_file=pdf_file("旧协议.pdf"))]),
    )
    partner = application.partners.get()
    old = partner.agreement
    rows = [_partner("甲公司", code, id=partner.pk, agreement_file=pdf_file("新协议.pdf"))]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(section_url(application, "partners"), formset_data("partners", rows, initial=1))
    partner.refresh_from_db()
    assert partner.agreement.original_name == "新协议.pdf"
    assert not Attachment.objects.filter(pk=old.pk).exists()
    assert not old.file.storage.exists(old.file.name)


def test_removing_a_partner_removes_its_agreement(member_client, application):
    client = member_client(application)
    code = make_credit_code()
    client.post(
        section_url(application, "partners"),
        formset_data("partners", [_partner("甲公司", code, agreement_file=pdf_file("协议.pdf"))]),
    )
    partner = application.partners.get()
    rows = [_partner("甲公司", code, id=partner.pk, DELETE="on")]
    assert (
        client.post(
            section_url(application, "partners"), formset_data("partners", rows, initial=1)
        ).status_code
        == 302
    )
    assert not application.partners.exists()
    assert not application.attachments.exists()


def test_a_spoofed_agreement_is_refused_and_the_partner_not_saved(member_client, application):
    from django.core.files.uploadedfile import SimpleUploadedFile

    spoofed = SimpleUploadedFile("协议.pdf", b"hello", content_type="application/pdf")
    rows = [_partner("甲公司", make_credit_code(), agreement_file=spoofed)]
    response = member_client(application).post(
        section_url(application, "partners"), formset_data("partners", rows)
    )
    page = response.content.decode()
    assert "不是有效的PDF、JPG、PNG文件" in page
    assert "甲公司" in page
    assert not application.partners.exists()
    assert not application.attachments.exists()


@pytest.mark.parametrize("partners", [1, 5])
def test_partner_page_queries_do_not_grow_with_rows(
    member_client, application, django_assert_num_queries, partners
):
    client = member_client(application)
    url = section_url(application, "partners")
    client.get(url)  # the first request of a session stamps the idle timer
    for index in range(partners):
        agreement = client_upload_agreement(application, f"协议{index}.pdf")
        PartnerEnterprise.objects.create(
            application=application, name=f"企业{index}", credit_code=make_credit_code(), agreement=agreement
        )
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("已上传：") == partners


def client_upload_agreement(application, name: str):
    return attachment_upload(
        application=application,
        actor=application.created_by,
        section=AttachmentSection.PARTNER_AGREEMENT,
        uploaded=pdf_file(name),
    )


# --- 培训经费 ----------------------------------------------------------------------------------------


def _funds(application, rows: dict[int, tuple[str, str, str]]) -> dict:
    data = {}
    for year, (payroll, drawn, frontline) in rows.items():
        data.update(
            {
                f"fund-{year}-payroll": payroll,
                f"fund-{year}-amount_drawn": drawn,
                f"fund-{year}-amount_frontline": frontline,
            }
        )
    return data


def test_fund_years_are_the_three_before_the_batch(member_client, enterprise_application):
    page = (
        member_client(enterprise_application)
        .get(section_url(enterprise_application, "funds"))
        .content.decode()
    )
    year = enterprise_application.batch.year
    for offset in (1, 2, 3):
        assert f'name="fund-{year - offset}-amount_drawn"' in page
    assert f'name="fund-{year}-amount_drawn"' not in page
    assert f'name="fund-{year - 1}-payroll"' in page
    # The rule a year is counted by, from the policy data (财建〔2006〕317号: 1.5% and 60%).
    assert "1.5%" in page
    assert "60%" in page
    assert "财建〔2006〕317号" in page


def test_fund_years_save(member_client, enterprise_application):
    year = enterprise_application.batch.year
    rows = {year - 3: ("100", "100", "80"), year - 2: ("110", "120", "90"), year - 1: ("120", "125.5", "100")}
    response = member_client(enterprise_application).post(
        section_url(enterprise_application, "funds"), _funds(enterprise_application, rows)
    )
    assert response.status_code == 302
    saved = {row.year: row for row in TrainingFundYear.objects.filter(application=enterprise_application)}
    assert set(saved) == {year - 3, year - 2, year - 1}
    assert saved[year - 1].amount_drawn == Decimal("125.50")


def test_a_blank_fund_year_is_not_saved_and_clearing_removes_it(member_client, enterprise_application):
    year = enterprise_application.batch.year
    client = member_client(enterprise_application)
    client.post(
        section_url(enterprise_application, "funds"),
        _funds(enterprise_application, {year - 1: ("1", "1", "1")}),
    )
    assert enterprise_application.fund_years.count() == 1
    client.post(
        section_url(enterprise_application, "funds"), _funds(enterprise_application, {year - 1: ("", "", "")})
    )
    assert enterprise_application.fund_years.count() == 0


@pytest.mark.parametrize(
    ("amounts", "error"),
    [
        (("100", "90", "95"), "不能超过实际提取金额（90万元）"),
        (("100", "-1", "1"), "须大于 0"),
        (("100", "0", "0"), "须大于 0"),
        (("100", "", "50"), "请填写"),
        (("abc", "1", "1"), "请输入数字"),
    ],
    ids=["frontline-above-drawn", "negative", "zero", "partial", "text"],
)
def test_bad_fund_figures_are_refused(member_client, enterprise_application, amounts, error):
    year = enterprise_application.batch.year - 1
    response = member_client(enterprise_application).post(
        section_url(enterprise_application, "funds"), _funds(enterprise_application, {year: amounts})
    )
    assert error in response.content.decode()
    assert not enterprise_application.fund_years.exists()


# --- 诚信承诺 ----------------------------------------------------------------------------------------


def test_integrity_page_shows_the_promise_and_proposes_the_legal_representative(member_client, application):
    page = member_client(application).get(section_url(application, "integrity")).content.decode()
    assert "真实、准确、完整" in page
    assert "接受" in page
    assert "法律责任" in page
    assert f'value="{application.unit.legal_representative}"' in page


def test_integrity_declared_without_a_signatory_is_refused(member_client, application):
    data = {"integrity_declared": "on", "integrity_signatory": " "}
    response = member_client(application).post(section_url(application, "integrity"), data)
    assert "请填写承诺人" in response.content.decode()
    application.refresh_from_db()
    assert not application.integrity_declared


def test_integrity_declaration_saves(member_client, application):
    data = {"integrity_declared": "on", "integrity_signatory": "张三"}
    assert member_client(application).post(section_url(application, "integrity"), data).status_code == 302
    application.refresh_from_db()
    assert application.integrity_declared
    assert application.integrity_signatory == "张三"


# --- section navigation ------------------------------------------------------------------------------


def _completeness(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-section="(\w+)" data-complete="(\d)"', page))


def test_navigation_marks_sections_complete(member_client, application):
    client = member_client(application)
    fresh = _completeness(client.get(section_url(application, "management")).content.decode())
    assert fresh == dict.fromkeys(INSTITUTION_SECTIONS, "0")

    complete_application(application)
    done = _completeness(client.get(section_url(application, "management")).content.decode())
    assert done == dict.fromkeys(INSTITUTION_SECTIONS, "1")


def test_a_section_lists_what_it_still_lacks(member_client, application):
    page = member_client(application).get(section_url(application, "management")).content.decode()
    assert "未填写“机构设置与岗位职责”" in page
    assert "未上传“培训管理制度”" in page


# --- the live auto-check ----------------------------------------------------------------------------


def test_live_check_turns_a_failing_criterion_into_a_pass_without_saving(member_client, application):
    client = member_client(application)
    data = {"annual_trainees": "1499", "annual_senior_trainees": "400", "annual_evaluations": "1500"}
    response = client.post(live_url(application, "training"), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert outcome(response, "annual_trainees") == "fail"
    assert "不足 1500 人" in response.content.decode()
    assert "<html" not in response.content.decode()  # just the panel

    response = client.post(live_url(application, "training"), {**data, "annual_trainees": "1500"})
    assert outcome(response, "annual_trainees") == "pass"
    assert outcome(response, "annual_evaluations") == "pass"
    application.refresh_from_db()
    assert application.annual_trainees is None


@pytest.mark.parametrize(
    ("value", "message"),
    [("abc", "应为非负整数，收到“abc”"), ("-5", "不能为负数"), ("", "未填写年职业培训规模")],
    ids=["text", "negative", "blank"],
)
def test_live_check_shows_unparseable_numbers_as_failing(member_client, application, value, message):
    response = member_client(application).post(live_url(application, "training"), {"annual_trainees": value})
    assert response.status_code == 200
    assert outcome(response, "annual_trainees") == "fail"
    assert message in response.content.decode()


def test_live_check_counts_the_rows_typed_on_the_page(member_client, application):
    rows = [_partner(f"企业{index}", make_credit_code()) for index in range(20)]
    client = member_client(application)
    response = client.post(live_url(application, "partners"), formset_data("partners", rows))
    assert outcome(response, "partner_enterprises") == "pass"
    response = client.post(live_url(application, "partners"), formset_data("partners", rows[:19]))
    assert outcome(response, "partner_enterprises") == "fail"
    response = client.post(
        live_url(application, "specialties"), formset_data("specialties", [_specialty("电工")] * 3)
    )
    assert outcome(response, "specialty_count") == "pass"
    assert not application.partners.exists()
    assert not application.specialties.exists()


def test_live_check_of_the_fund_table(member_client, enterprise_application):
    year = enterprise_application.batch.year
    client = member_client(enterprise_application)
    good = {year - 3: ("1", "1", "1"), year - 2: ("1", "1", "1"), year - 1: ("1", "1", "1")}
    response = client.post(live_url(enterprise_application, "funds"), _funds(enterprise_application, good))
    assert outcome(response, "training_fund_years") == "pass"
    short = {**good, year - 2: ("10", "5", "1")}
    response = client.post(live_url(enterprise_application, "funds"), _funds(enterprise_application, short))
    assert outcome(response, "training_fund_years") == "fail"


def test_the_panel_lists_every_criterion_with_its_clause(member_client, application):
    page = member_client(application).get(section_url(application, "teachers")).content.decode()
    assert "三（一）3" in page
    assert "师生比" in page
    assert "项符合" in page
    assert "项不符合" in page
    assert "项待判断" in page
    assert 'hx-post="' + reverse("applications:live_check", args=[application.pk]) in page
    assert 'hx-trigger="input changed delay:400ms, change"' in page


def test_the_panel_without_javascript_shows_saved_values(member_client, application):
    Application.objects.filter(pk=application.pk).update(annual_trainees=1600)
    response = member_client(application).get(section_url(application, "training"))
    assert outcome(response, "annual_trainees") == "pass"
    assert "按已保存的内容核验" in response.content.decode()


def test_a_refused_save_shows_the_check_of_what_was_typed(member_client, application):
    data = {"annual_trainees": "1600", "annual_senior_trainees": "-1"}
    response = member_client(application).post(section_url(application, "training"), data)
    assert outcome(response, "annual_trainees") == "pass"
    assert outcome(response, "annual_senior_trainees") == "fail"


# --- optimistic concurrency: a page saved twice, or after another window -------------------------


def _page_version(client, application, section: str) -> str:
    """The version token the section page carries, as the browser would post it back."""
    page = client.get(section_url(application, section)).content.decode()
    match = re.search(r'<input type="hidden" name="version" value="([^"]+)">', page)
    assert match, "no version field on the page"
    return match.group(1)


STALE = "页面内容已过期：本申报在其他窗口或由同事保存过。请核对后重新保存。"


def test_a_second_identical_post_of_specialties_adds_no_rows(member_client, application):
    client = member_client(application)
    version = _page_version(client, application, "specialties")
    rows = [_specialty("数控车工"), _specialty("电工"), _specialty("焊工")]
    data = {**formset_data("specialties", rows), "version": version}
    assert client.post(section_url(application, "specialties"), data).status_code == 302
    response = client.post(section_url(application, "specialties"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert STALE in page
    assert 'value="焊工实训设备"' in page  # everything typed is still on the page
    assert list(application.specialties.values_list("name", flat=True)) == ["数控车工", "电工", "焊工"]


def test_a_second_identical_post_of_partners_adds_no_rows(member_client, application):
    client = member_client(application)
    version = _page_version(client, application, "partners")
    rows = [_partner("甲公司", make_credit_code()), _partner("乙公司", make_credit_code())]
    data = {**formset_data("partners", rows), "version": version}
    assert client.post(section_url(application, "partners"), data).status_code == 302
    response = client.post(section_url(application, "partners"), data)
    page = response.content.decode()
    assert STALE in page
    assert "与其他人同时保存的内容冲突" not in page
    assert "乙公司" in page
    assert application.partners.count() == 2


def test_a_stale_page_can_be_saved_again_after_checking(member_client, application):
    client = member_client(application)
    old = _page_version(client, application, "training")
    client.post(section_url(application, "training"), {"annual_trainees": "1500", "version": old})
    response = client.post(section_url(application, "training"), {"annual_trainees": "1600", "version": old})
    assert STALE in response.content.decode()
    application.refresh_from_db()
    assert application.annual_trainees == 1500
    # The page that came back carries the current version: saving it now is a deliberate choice.
    current = re.search(r'name="version" value="([^"]+)"', response.content.decode()).group(1)
    client.post(section_url(application, "training"), {"annual_trainees": "1600", "version": current})
    application.refresh_from_db()
    assert application.annual_trainees == 1600


def test_a_post_without_a_version_saves_nothing(member_client, application):
    response = member_client(application).post(
        section_url(application, "management"), {**MANAGEMENT, "version": ""}
    )
    assert STALE in response.content.decode()
    application.refresh_from_db()
    assert not application.has_training_rules


def test_a_stale_delete_deletes_nothing(member_client, application):
    client = member_client(application)
    attachment = attachment_upload(
        application=application,
        actor=application.created_by,
        section=AttachmentSection.PREMISES,
        uploaded=pdf_file("消防验收.pdf"),
    )
    version = _page_version(client, application, "premises")
    client.post(section_url(application, "premises"), {"premises_description": "新", "version": version})
    response = client.post(
        section_url(application, "premises"), {"delete_attachment": str(attachment.pk), "version": version}
    )
    assert STALE in response.content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    # From the current page the same click deletes it.
    current = _page_version(client, application, "premises")
    client.post(
        section_url(application, "premises"), {"delete_attachment": str(attachment.pk), "version": current}
    )
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


@pytest.mark.parametrize(
    ("section", "data"),
    [
        ("specialties", formset_data("specialties", [_specialty("电工")])),
        ("specialties", formset_data("specialties", [])),  # nothing changed at all
        ("management", {"evidence-training_rules": "upload"}),  # an upload only
    ],
    ids=["rows-only", "empty", "upload-only"],
)
def test_every_section_save_stamps_the_application(member_client, application, section, data):
    data = {**data}
    if data.get("evidence-training_rules") == "upload":
        data["evidence-training_rules"] = pdf_file("制度.pdf")
    Application.objects.filter(pk=application.pk).update(updated_at="2026-01-01T00:00:00+08:00")
    application.refresh_from_db()
    before = application.updated_at
    assert member_client(application).post(section_url(application, section), data).status_code == 302
    application.refresh_from_db()
    assert application.updated_at > before


def test_a_delete_only_save_stamps_the_application(member_client, application):
    attachment = client_upload_agreement(application, "协议.pdf")
    Application.objects.filter(pk=application.pk).update(updated_at="2026-01-01T00:00:00+08:00")
    application.refresh_from_db()
    before = application.updated_at
    response = member_client(application).post(
        section_url(application, "partners"),
        {**formset_data("partners", []), "delete_attachment": str(attachment.pk)},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.updated_at > before


def test_the_section_form_is_sent_once_and_carries_its_version(member_client, application):
    page = member_client(application).get(section_url(application, "management")).content.decode()
    form = re.search(r'<form id="section-form"[^>]*>', page, re.S).group(0)
    assert "data-submit-once" in form
    assert re.search(r'name="version" value="[^"]+"', page)
    assert "onclick" not in page  # the behaviour lives in static/js/application-form.js (CSP)


def test_a_row_of_another_application_is_refused(member_client, application):
    other = Specialty.objects.create(application=ApplicationFactory(), name="焊工", equipment="焊机")
    rows = [{"id": other.pk, "name": "改名", "equipment": "改装备"}]
    response = member_client(application).post(
        section_url(application, "specialties"), formset_data("specialties", rows, initial=1)
    )
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.name == "焊工"
    assert not application.specialties.exists()


def test_the_same_specialty_twice_is_refused_with_the_row_it_repeats(member_client, application):
    rows = [_specialty("数控车工"), _specialty("电工"), _specialty("数控 车工")]
    response = member_client(application).post(
        section_url(application, "specialties"), formset_data("specialties", rows)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "与第1行是同一职业（工种）" in body
    assert "电工实训设备" in body  # what was typed stays on the page
    assert not application.specialties.exists()
