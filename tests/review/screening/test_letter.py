"""The recommendation letter (推荐函): rendered once by the task, legible, downloadable by the right ones."""

from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications.enums import ApplicationState
from review.screening.documents import county_bureaus, recommendation_letter_sample
from review.screening.models import Recommendation
from review.screening.services import (
    recommendation_cosign,
    recommendation_entry_add,
    recommendation_letter_render,
    recommendation_request_cosign,
    recommendation_submit,
)
from review.screening.services.letters import LETTER_GRACE
from review.screening.tasks import render_recommendation_letter_task
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import Region
from shaoxing_bases.documents.registry import sample_builders
from tests.factories import county_list_for, region
from tests.pdf_fonts import assert_pdf_fonts_cover_text

from .conftest import KEQIAO

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(screening_batch):
    """Submissions have closed: the county's list goes to finance and to the city only then."""
    return screening_batch


@pytest.fixture
def submitted_list(batch, hrss, finance, submitted, django_capture_on_commit_callbacks):
    """A county list with a college and an enterprise, co-signed and submitted — but the letter task
    not yet run (its on_commit callback is captured, not executed)."""
    recommendation = county_list_for(batch=batch, region=hrss.region)
    for unit_type, opinion in (
        ("college", "办学规范，实训装备齐全，同意推荐。"),
        ("enterprise", "大型先进制造企业，同意推荐。"),
    ):
        application = submitted(state=ApplicationState.RECOMMENDED, unit_type=unit_type)
        recommendation_entry_add(
            recommendation=recommendation, actor=hrss, application=application, opinion=opinion
        )
    recommendation_request_cosign(recommendation=recommendation, actor=hrss)
    recommendation_cosign(recommendation=recommendation, actor=finance, comment="同意。")
    with django_capture_on_commit_callbacks(execute=False):
        recommendation_submit(recommendation=recommendation, actor=hrss)
    recommendation.refresh_from_db()
    assert not recommendation.letter
    return recommendation


def test_task_run_twice_makes_one_letter(submitted_list, settings):
    render_recommendation_letter_task.delay(recommendation_id=submitted_list.pk)
    submitted_list.refresh_from_db()
    first_name, first_hash = submitted_list.letter.name, submitted_list.letter_sha256
    render_recommendation_letter_task.delay(recommendation_id=submitted_list.pk)
    submitted_list.refresh_from_db()
    assert (submitted_list.letter.name, submitted_list.letter_sha256) == (first_name, first_hash)
    letters = list((Path(settings.MEDIA_ROOT) / "letters").rglob("*.pdf"))
    assert len(letters) == 1
    assert letters[0].name != "letter.pdf"  # stored under a random name
    assert render_recommendation_letter_task.acks_late is True


def test_letter_is_not_rendered_before_submission(batch, hrss):
    recommendation = county_list_for(batch=batch, region=hrss.region)
    assert recommendation_letter_render(recommendation_id=recommendation.pk) is False
    recommendation.refresh_from_db()
    assert not recommendation.letter


def test_task_for_a_vanished_list_does_nothing():
    assert recommendation_letter_render(recommendation_id=987654) is False


def test_letter_is_a_legible_joint_letter_to_the_city(submitted_list):
    render_recommendation_letter_task(recommendation_id=submitted_list.pk)
    submitted_list.refresh_from_db()
    pdf = submitted_list.letter.read()
    assert pdf.startswith(b"%PDF")
    report = assert_pdf_fonts_cover_text(pdf)  # every character drawn with an embedded CJK glyph
    text = "".join(PdfReader(BytesIO(pdf)).pages[0].extract_text().split())
    full = "".join(report.text.split())
    assert "绍兴市越城区人力资源和社会保障局" in text
    assert "绍兴市越城区财政局" in full
    assert "绍兴市人力资源和社会保障局：" in text
    assert "候选单位的函" in text
    assert "绍市人社发〔2022〕47号" in full
    assert "第四部分第（一）项" in full
    for entry in submitted_list.entries.select_related("application__unit"):
        assert entry.application.unit.name in full
    assert "同意。。" not in full  # the finance comment's own full stop is not doubled
    local = submitted_list.submitted_at.astimezone()
    assert f"{local.year}年{local.month}月{local.day}日" in full


def test_county_bureau_names_follow_the_official_style():
    assert county_bureaus(region("330602")) == (
        "绍兴市越城区人力资源和社会保障局",
        "绍兴市越城区财政局",
    )
    assert county_bureaus(region("330681")) == ("诸暨市人力资源和社会保障局", "诸暨市财政局")
    assert county_bureaus(region("330624")) == ("新昌县人力资源和社会保障局", "新昌县财政局")


@pytest.mark.parametrize(
    ("role", "county", "status"),
    [
        (Role.COUNTY_HRSS, "330602", 200),
        (Role.COUNTY_FINANCE, "330602", 200),
        (Role.CITY_HRSS, None, 200),
        (Role.CITY_FINANCE, None, 200),
        (Role.ADMIN, None, 200),
        (Role.COUNTY_HRSS, KEQIAO, 404),
        (Role.COUNTY_FINANCE, KEQIAO, 404),
        (Role.APPLICANT, None, 404),
        (Role.EXPERT, None, 404),
    ],
)
def test_letter_download_is_for_county_city_and_admin_only(
    client, make_user, submitted_list, role, county, status
):
    render_recommendation_letter_task(recommendation_id=submitted_list.pk)
    client.force_login(make_user(role, county))
    response = client.get(reverse("review:letter", args=[submitted_list.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_letter_download_before_rendering_explains_and_redirects(client, submitted_list, hrss):
    client.force_login(hrss)
    response = client.get(reverse("review:letter", args=[submitted_list.pk]), follow=True)
    assert "推荐函正在生成" in response.content.decode()


def test_letter_download_requires_login(client, submitted_list):
    response = client.get(reverse("review:letter", args=[submitted_list.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_sample_is_registered_and_leaves_no_demo_rows_behind():
    kinds = {builder.kind: builder for builder in sample_builders()}
    assert kinds["recommendation_letter"].title == "区县推荐函"
    pdf = recommendation_letter_sample()
    assert pdf.startswith(b"%PDF")
    assert_pdf_fonts_cover_text(pdf)
    assert not Recommendation.objects.exists()
    assert recommendation_letter_sample().startswith(b"%PDF")  # a second run works the same


def test_letter_whose_file_went_missing_explains_instead_of_500(client, submitted_list, hrss):
    render_recommendation_letter_task(recommendation_id=submitted_list.pk)
    submitted_list.refresh_from_db()
    submitted_list.letter.storage.delete(submitted_list.letter.name)
    client.force_login(hrss)
    response = client.get(reverse("review:letter", args=[submitted_list.pk]), follow=True)
    assert response.status_code == 200
    assert "推荐函文件缺失" in response.content.decode()


# --- a lost task message loses nothing (DESIGN §8) -----------------------------------------------


def test_sweep_renders_the_letter_whose_task_message_was_lost_once(submitted_list, settings):
    from review.screening.services import recommendation_letters_sweep
    from shaoxing_bases.core.tasks import DEADLINE_SWEEPERS, sweep_deadlines

    assert recommendation_letters_sweep in DEADLINE_SWEEPERS
    # A list reported just now still has its own task on the way: the sweep waits a moment.
    assert recommendation_letters_sweep() == 0
    later = timezone.now() + LETTER_GRACE + timedelta(seconds=1)
    assert recommendation_letters_sweep(now=later) == 1
    submitted_list.refresh_from_db()
    assert submitted_list.letter
    first = (submitted_list.letter.name, submitted_list.letter_sha256)
    assert recommendation_letters_sweep(now=later) == 0
    sweep_deadlines()
    render_recommendation_letter_task.delay(recommendation_id=submitted_list.pk)  # the task, late
    submitted_list.refresh_from_db()
    assert (submitted_list.letter.name, submitted_list.letter_sha256) == first
    assert len(list((Path(settings.MEDIA_ROOT) / "letters").rglob("*.pdf"))) == 1


def test_sweep_ignores_lists_not_reported_yet(batch, hrss):
    from review.screening.services import recommendation_letters_sweep

    county_list_for(batch=batch, region=hrss.region)
    assert recommendation_letters_sweep() == 0


def test_sweep_carries_on_past_a_letter_that_fails_to_render(submitted_list, monkeypatch, caplog):
    """One broken letter must not stop the other lists' letters nor the rest of the minute sweep."""
    from review.screening import documents
    from review.screening.services import recommendation_letters_sweep

    other = Recommendation.objects.create(batch=submitted_list.batch, region=Region.objects.get(code=KEQIAO))
    Recommendation.objects.filter(pk=other.pk).update(state="submitted_to_city")
    original = documents.issue_recommendation_letter

    def broken_for_yuecheng(recommendation):
        if recommendation.pk == submitted_list.pk:
            raise RuntimeError("font missing")
        return original(recommendation)

    monkeypatch.setattr(documents, "issue_recommendation_letter", broken_for_yuecheng)
    assert recommendation_letters_sweep(now=timezone.now() + LETTER_GRACE + timedelta(seconds=1)) == 1
    other.refresh_from_db()
    submitted_list.refresh_from_db()
    assert other.letter
    assert not submitted_list.letter
    assert "font missing" in caplog.text


# --- where the letter is stored ------------------------------------------------------------------


def test_letter_path_uses_the_year_in_shanghai_not_utc():
    import datetime as dt

    import time_machine

    from review.screening.models import letter_path

    # 2025-12-31 16:30 UTC is already 2026-01-01 00:30 in Shanghai.
    with time_machine.travel(dt.datetime(2025, 12, 31, 16, 30, tzinfo=dt.UTC), tick=False):
        assert letter_path(Recommendation(), "letter.pdf").startswith("letters/2026/")


# --- the sample ----------------------------------------------------------------------------------


def test_sample_never_uses_a_real_batch_or_list(hrss):
    """A real batch of the sample's year with a real list: the sample letter shows neither."""
    from applications.models import Batch
    from review.screening.documents import SAMPLE_YEAR
    from tests.applications.factories import BatchFactory

    from .conftest import make_submitted

    real_batch = BatchFactory(year=SAMPLE_YEAR, state="open")
    real_application = make_submitted(real_batch, state=ApplicationState.RECOMMENDED)
    real_list = county_list_for(batch=real_batch, region=hrss.region)
    recommendation_entry_add(
        recommendation=real_list, actor=hrss, application=real_application, opinion="真实名单的推荐意见"
    )
    pdf = recommendation_letter_sample()
    text = "".join(assert_pdf_fonts_cover_text(pdf).text.split())
    assert real_application.unit.name not in text
    assert "真实名单的推荐意见" not in text
    assert "绍兴市越城区示范职业技术学校" in text  # the sample's own candidates
    assert list(real_list.entries.values_list("application_id", flat=True)) == [real_application.pk]
    real_batch.refresh_from_db()
    assert real_batch.state == "open"
    assert Batch.objects.count() == 1


# --- number, contact, the stamped scan -----------------------------------------------------------


def test_letter_carries_its_number_and_the_county_contact(submitted_list):
    year = submitted_list.submitted_at.astimezone().year
    assert submitted_list.letter_number == f"越人社〔{year}〕1号"
    render_recommendation_letter_task(recommendation_id=submitted_list.pk)
    submitted_list.refresh_from_db()
    text = "".join(assert_pdf_fonts_cover_text(submitted_list.letter.read()).text.split())
    assert f"越人社〔{year}〕1号" in text
    assert "联系人：王丽" in text
    assert "0575-85120000" in text
    assert "以下简称《实施办法》" in text
    assert "联合初审" in text


def test_the_next_list_of_the_county_that_year_takes_the_next_number(
    submitted_list, hrss, finance, submitted
):
    from .conftest import make_screening_batch

    later = make_screening_batch()
    recommendation = county_list_for(batch=later, region=hrss.region)
    from applications.models import Application

    application = submitted(state=ApplicationState.RECOMMENDED)
    Application.objects.filter(pk=application.pk).update(batch=later)
    application.refresh_from_db()
    recommendation_entry_add(
        recommendation=recommendation, actor=hrss, application=application, opinion="同意"
    )
    recommendation_request_cosign(recommendation=recommendation, actor=hrss)
    recommendation_cosign(recommendation=recommendation, actor=finance)
    recommendation_submit(recommendation=recommendation, actor=hrss)
    recommendation.refresh_from_db()
    year = recommendation.submitted_at.astimezone().year
    assert recommendation.letter_number == f"越人社〔{year}〕2号"


def test_a_list_cannot_be_reported_before_the_county_sets_its_contact(batch, hrss, finance, submitted):
    from django.core.exceptions import ValidationError

    Region.objects.filter(pk=hrss.region_id).update(contact_name="", contact_phone="")
    recommendation = county_list_for(batch=batch, region=hrss.region)
    recommendation_entry_add(
        recommendation=recommendation,
        actor=hrss,
        application=submitted(state=ApplicationState.RECOMMENDED),
        opinion="同意",
    )
    with pytest.raises(ValidationError, match="区县设置"):
        recommendation_request_cosign(recommendation=recommendation, actor=hrss)


def _scan(content=b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("推荐函盖章.pdf", content, content_type="application/pdf")


def test_county_uploads_the_stamped_scan_and_the_city_downloads_it(client, submitted_list, hrss, city_hrss):
    client.force_login(hrss)
    response = client.post(reverse("review:signed_scan_upload", args=[submitted_list.pk]), {"scan": _scan()})
    assert response.status_code == 302
    submitted_list.refresh_from_db()
    assert submitted_list.signed_scan
    assert len(submitted_list.signed_scan_sha256) == 64
    client.force_login(city_hrss)
    assert (
        "盖章扫描件"
        in client.get(reverse("review:city_overview"), {"batch": submitted_list.batch_id}).content.decode()
    )
    download = client.get(reverse("review:signed_scan", args=[submitted_list.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_scan_that_is_not_a_pdf_is_refused_whatever_its_name(client, submitted_list, hrss):
    client.force_login(hrss)
    response = client.post(
        reverse("review:signed_scan_upload", args=[submitted_list.pk]),
        {"scan": _scan(b"<html>not a pdf</html>")},
    )
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    submitted_list.refresh_from_db()
    assert not submitted_list.signed_scan


def test_no_scan_before_the_list_is_at_the_city_and_none_for_another_county(
    client, batch, hrss, other_hrss, submitted_list
):
    client.force_login(other_hrss)
    assert (
        client.post(
            reverse("review:signed_scan_upload", args=[submitted_list.pk]), {"scan": _scan()}
        ).status_code
        == 404
    )
    assert client.get(reverse("review:signed_scan", args=[submitted_list.pk])).status_code == 404
    draft = county_list_for(batch=batch, region=other_hrss.region)
    response = client.post(
        reverse("review:signed_scan_upload", args=[draft.pk]), {"scan": _scan()}, follow=True
    )
    assert "报送市人力社保局后" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.signed_scan


# --- the letter is an issued, signed document ------------------------------------------------------


def test_letter_is_signed_by_the_county_hrss_bureau_and_verifies(client, submitted_list, hrss):
    from shaoxing_bases.documents.models import IssuedDocument
    from shaoxing_bases.documents.signing import document_verify_pdf

    render_recommendation_letter_task(recommendation_id=submitted_list.pk)
    submitted_list.refresh_from_db()
    issued = IssuedDocument.objects.get(kind="recommendation_letter", object_id=submitted_list.pk)
    assert issued.signer == "county_hrss_330602"  # 越城区's own certificate, not the city's
    assert issued.number == submitted_list.letter_number
    assert issued.sha256 == submitted_list.letter_sha256
    pdf = submitted_list.letter.read()
    result = document_verify_pdf(pdf)
    assert result.genuine
    assert "绍兴市越城区人力资源和社会保障局" in result.issuer
    text = "".join(PdfReader(BytesIO(pdf)).pages[0].extract_text().split())
    assert issued.display_code in text  # the 校验码 is printed on the letter
    client.force_login(hrss)
    page = client.get(reverse("review:recommendation", args=[submitted_list.pk])).content.decode()
    assert issued.display_code in page
