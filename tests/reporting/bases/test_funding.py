"""Funding records (clause 5.1): county finance of the base's county records them; the rules of a
record with their messages; totals per base, county and year; the Excel export."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reporting.enums import FundingPurpose
from reporting.funding.selectors import base_funding, funding_summary, funding_visible_to
from reporting.funding.services import FundingInput, funding_record_create
from reporting.models import FundingRecord
from shaoxing_bases.accounts.models import Region
from shaoxing_bases.audit.models import AuditEntry

from .conftest import make_base

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def _input(**changes) -> FundingInput:
    values = {
        "year": THIS_YEAR,
        "amount": Decimal("500000.00"),
        "purpose": FundingPurpose.EQUIPMENT,
        "document_reference": "越财社〔2026〕12号",
        "note": "",
    }
    values.update(changes)
    return FundingInput(**values)


def test_county_finance_records_funding_and_it_is_audited(base, county_finance):
    record = funding_record_create(base=base, actor=county_finance, data=_input())
    assert (record.base, record.amount, record.recorded_by) == (base, Decimal("500000.00"), county_finance)
    assert AuditEntry.objects.filter(summary="登记经费支持", actor=county_finance).exists()


@pytest.mark.parametrize("amount", [Decimal("-1"), Decimal("0"), Decimal("-0.01")])
def test_a_negative_or_zero_amount_is_refused_with_a_chinese_message(base, county_finance, amount):
    with pytest.raises(ValidationError) as error:
        funding_record_create(base=base, actor=county_finance, data=_input(amount=amount))
    assert "金额须大于 0 元" in error.value.message_dict["amount"][0]
    assert not FundingRecord.objects.exists()


def test_the_smallest_positive_amount_is_accepted(base, county_finance):
    record = funding_record_create(base=base, actor=county_finance, data=_input(amount=Decimal("0.01")))
    assert record.amount == Decimal("0.01")


def test_years_outside_the_bases_life_are_refused(base, county_finance):
    with pytest.raises(ValidationError) as future:
        funding_record_create(base=base, actor=county_finance, data=_input(year=THIS_YEAR + 1))
    assert "year" in future.value.message_dict
    approved_year = timezone.localtime(base.approved_at).year
    with pytest.raises(ValidationError) as before:
        funding_record_create(base=base, actor=county_finance, data=_input(year=approved_year - 1))
    assert "认定" in before.value.message_dict["year"][0]


def test_other_purpose_needs_a_note(base, county_finance):
    with pytest.raises(ValidationError) as error:
        funding_record_create(base=base, actor=county_finance, data=_input(purpose=FundingPurpose.OTHER))
    assert "note" in error.value.message_dict
    record = funding_record_create(
        base=base, actor=county_finance, data=_input(purpose=FundingPurpose.OTHER, note="实训耗材")
    )
    assert record.note == "实训耗材"


@pytest.mark.parametrize("who", ["other_county_finance", "county_hrss", "city_finance", "unit_member"])
def test_only_the_bases_own_county_finance_may_record(base, who, request):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        funding_record_create(base=base, actor=actor, data=_input())
    assert not FundingRecord.objects.exists()


def test_totals_per_base_county_and_year(county_finance, other_county_finance, city_finance):
    yuecheng = make_base(approved_days_ago=800)
    keqiao = make_base(division="330603", approved_days_ago=800)
    last_year = THIS_YEAR - 1
    funding_record_create(base=yuecheng, actor=county_finance, data=_input(amount=Decimal("100.50")))
    funding_record_create(
        base=yuecheng, actor=county_finance, data=_input(amount=Decimal("200"), year=last_year)
    )
    funding_record_create(
        base=yuecheng,
        actor=county_finance,
        data=_input(amount=Decimal("50"), purpose=FundingPurpose.TEACHER_TRAINING),
    )
    funding_record_create(base=keqiao, actor=other_county_finance, data=_input(amount=Decimal("1000")))

    own = base_funding(yuecheng)
    assert own.total == Decimal("350.50")
    assert own.by_year == [(THIS_YEAR, Decimal("150.50")), (last_year, Decimal("200.00"))]
    assert dict(own.by_purpose) == {"实训设备购置改造与维护": Decimal("300.50"), "师资培训": Decimal("50.00")}

    regions = list(Region.objects.order_by("sort_order", "code"))
    city = funding_summary(funding_visible_to(city_finance), regions)
    assert city.total == Decimal("1350.50")
    assert city.years == [last_year, THIS_YEAR]
    rows = {name: (values, total) for name, values, total in city.rows}
    assert rows["越城区"] == ([Decimal("200.00"), Decimal("150.50")], Decimal("350.50"))
    assert rows["柯桥区"][1] == Decimal("1000.00")
    assert rows["诸暨市"][1] == Decimal("0.00")
    # The county sees its own county only.
    county = funding_summary(funding_visible_to(county_finance), [yuecheng.region])
    assert county.total == Decimal("350.50")
    assert [row["base__name"] for row in county.per_base] == [yuecheng.name]


def test_the_export_holds_numbers_and_only_the_users_county(client, county_finance, other_county_finance):
    yuecheng = make_base()
    keqiao = make_base(division="330603")
    funding_record_create(base=yuecheng, actor=county_finance, data=_input(amount=Decimal("1234.5")))
    funding_record_create(base=keqiao, actor=other_county_finance, data=_input(document_reference="=cmd|x"))
    client.force_login(county_finance)
    response = client.get(reverse("bases:funding_export"))
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["经费明细", "按区县和年度", "按基地"]
    rows = list(workbook["经费明细"].iter_rows(values_only=True))
    assert rows[0][5] == "金额（元）"
    assert len(rows) == 2
    assert rows[1][2] == yuecheng.name
    assert rows[1][5] == 1234.5
    by_county = list(workbook["按区县和年度"].iter_rows(values_only=True))
    assert by_county[1][0] == "越城区"
    assert by_county[-1] == ("合计", 1234.5, 1234.5)
    assert list(workbook["按基地"].iter_rows(values_only=True))[1] == (yuecheng.name, "越城区", 1234.5)
    client.force_login(other_county_finance)
    sheet = load_workbook(BytesIO(client.get(reverse("bases:funding_export")).content)).active
    assert next(sheet.iter_rows(min_row=2, values_only=True))[6] == "=cmd|x"  # text, not a formula


def test_the_form_keeps_what_was_typed_when_the_amount_is_negative(client, base, county_finance):
    client.force_login(county_finance)
    response = client.post(
        reverse("bases:funding_create", args=[base.pk]),
        {
            "year": THIS_YEAR,
            "amount": "-500",
            "purpose": "equipment",
            "document_reference": "越财社〔2026〕9号",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "金额须大于 0 元" in page
    assert 'value="-500"' in page
    assert "越财社〔2026〕9号" in page
    assert not FundingRecord.objects.exists()


def test_another_countys_base_answers_404(client, base, other_county_finance):
    client.force_login(other_county_finance)
    assert client.get(reverse("bases:funding_create", args=[base.pk])).status_code == 404


def test_the_overview_shows_the_totals(client, base, county_finance, city_finance):
    funding_record_create(base=base, actor=county_finance, data=_input(amount=Decimal("2500")))
    client.force_login(city_finance)
    page = client.get(reverse("bases:funding")).content.decode()
    assert "2500.00" in page
    assert base.name in page


@pytest.mark.parametrize("rows", [1, 5])
def test_the_overview_runs_a_fixed_number_of_queries(
    client, county_finance, city_finance, rows, django_assert_num_queries
):
    for _ in range(rows):
        funding_record_create(base=make_base(), actor=county_finance, data=_input())
    client.force_login(city_finance)
    with django_assert_num_queries(10):
        response = client.get(reverse("bases:funding"))
    assert response.content.decode().count('data-testid="funding-base-row"') == rows
