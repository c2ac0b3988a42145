"""County finance takes part in the screening itself (会同财政部门进行初审, clause 4.1): it reads
every application of its county and may give an opinion on each, shown to HRSS and in the letter."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications.enums import ApplicationState
from review.screening.models import FinanceOpinion
from review.screening.services import (
    finance_opinion_give,
    recommendation_cosign,
    recommendation_request_cosign,
    recommendation_submit,
)
from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.core.exceptions import AlreadyHandled
from tests.factories import county_list_for

from .conftest import KEQIAO, judge_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(screening_batch):
    return screening_batch


def test_finance_sees_every_application_of_its_county_only(client, submitted, finance, batch):
    own = [submitted(), submitted(unit_type="enterprise")]
    neighbour = submitted(division=KEQIAO)
    client.force_login(finance)
    body = client.get(reverse("review:finance_queue"), {"batch": batch.pk}).content.decode()
    for application in own:
        assert application.unit.name in body
    assert neighbour.unit.name not in body
    assert client.get(reverse("review:finance_opinion", args=[own[0].pk])).status_code == 200
    assert client.get(reverse("review:finance_opinion", args=[neighbour.pk])).status_code == 404


def test_opinion_is_saved_replaced_and_audited_and_hrss_sees_it(client, submitted, finance, hrss):
    application = submitted()
    client.force_login(finance)
    url = reverse("review:finance_opinion", args=[application.pk])
    assert client.post(url, {"opinion": "经费测算合理。"}).status_code == 302
    assert client.post(url, {"opinion": "经费测算合理，设备采购计划可行。"}).status_code == 302
    opinion = FinanceOpinion.objects.get(application=application)
    assert (opinion.opinion, opinion.given_by) == ("经费测算合理，设备采购计划可行。", finance)
    entries = AuditEntry.objects.filter(summary="财政部门提出初审意见").order_by("pk")
    assert [entry.detail["previous"] for entry in entries] == [None, "经费测算合理。"]
    client.force_login(hrss)
    assert (
        "经费测算合理，设备采购计划可行。"
        in client.get(reverse("review:screen", args=[application.pk])).content.decode()
    )


def test_an_empty_opinion_is_refused_in_chinese(client, submitted, finance):
    application = submitted()
    client.force_login(finance)
    response = client.post(reverse("review:finance_opinion", args=[application.pk]), {"opinion": "  "})
    assert response.status_code == 200
    assert "请填写财政部门意见。" in response.content.decode()
    assert not FinanceOpinion.objects.exists()


def test_hrss_and_another_county_cannot_give_finance_opinions(submitted, hrss, other_finance):
    application = submitted()
    for actor in (hrss, other_finance):
        with pytest.raises(PermissionDenied):
            finance_opinion_give(application=application, actor=actor, opinion="同意")


def test_opinions_close_when_the_list_is_at_the_city_and_go_into_the_letter(
    batch, submitted, hrss, finance, django_capture_on_commit_callbacks
):
    from review.screening.services import screening_decide

    application = submitted()
    judge_all(application, hrss)
    finance_opinion_give(application=application, actor=finance, opinion="资金使用计划合理，同意推荐。")
    screening_decide(application=application, actor=hrss, decision="recommend")
    recommendation = county_list_for(batch=batch, region=hrss.region)
    recommendation_request_cosign(recommendation=recommendation, actor=hrss)
    recommendation_cosign(recommendation=recommendation, actor=finance)
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_submit(recommendation=recommendation, actor=hrss)
    application.refresh_from_db()
    assert application.state == ApplicationState.RECOMMENDED
    with pytest.raises(AlreadyHandled, match="已报送市人力社保局"):
        finance_opinion_give(application=application, actor=finance, opinion="改")
    from tests.pdf_fonts import assert_pdf_fonts_cover_text

    recommendation.refresh_from_db()
    text = "".join(assert_pdf_fonts_cover_text(recommendation.letter.read()).text.split())
    assert "资金使用计划合理，同意推荐。" in text  # annex 2: finance's opinion per candidate


def test_an_overlong_opinion_is_refused(submitted, finance):
    with pytest.raises(ValidationError) as error:
        finance_opinion_give(application=submitted(), actor=finance, opinion="长" * 2000)
    assert "不能超过" in error.value.message_dict["opinion"][0]
