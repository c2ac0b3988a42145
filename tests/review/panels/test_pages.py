"""The pages of the expert review: fixed query counts, what each shows, the exports and the PDF."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from applications.models import Attachment
from review.panels.documents import panel_summary_sample, summary_pdf_bytes
from review.panels.services import panel_close, panel_open_scoring, sheet_declare
from shaoxing_bases.accounts.enums import Role
from tests.pdf_fonts import assert_pdf_fonts_cover_text

from .conftest import ALL_STATEMENTS, make_panel, score_all, sheets_of

pytestmark = pytest.mark.django_db


def _scoring_panel(city_hrss, applications):
    panel = make_panel(applications=applications)
    return panel_open_scoring(panel=panel, actor=city_hrss)


@pytest.mark.parametrize("rows", [1, 5])
def test_my_sheets_runs_a_fixed_number_of_queries(client, city_hrss, rows, django_assert_num_queries):
    panel = _scoring_panel(city_hrss, rows)
    expert = sheets_of(panel)[0].member.expert.user
    client.force_login(expert)
    with django_assert_num_queries(9):  # the page, plus the paginator's count and the open count
        response = client.get(reverse("review:my_sheets"))
    assert response.content.decode().count('data-testid="sheet-row"') == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_the_scoring_page_runs_a_fixed_number_of_queries(client, city_hrss, rows, django_assert_num_queries):
    """``rows`` attachments and judgements do not change the count (indicators are fixed at 8)."""
    panel = _scoring_panel(city_hrss, 1)
    sheet = sheets_of(panel)[0]
    sheet = sheet_declare(sheet=sheet, actor=sheet.member.expert.user, statements=ALL_STATEMENTS)
    for index in range(rows):
        Attachment.objects.create(
            application=sheet.application,
            section="training",
            file=f"evidence/x{index}.pdf",
            original_name=f"培训台账{index}.pdf",
            content_type="application/pdf",
            size=100,
            sha256="0" * 64,
            uploaded_by=sheet.member.expert.user,
        )
    client.force_login(sheet.member.expert.user)
    with django_assert_num_queries(16):
        response = client.get(reverse("review:sheet", args=[sheet.pk]))
    page = response.content.decode()
    assert page.count("培训台账") == rows * 3  # beside each of the three indicators that read it


@pytest.mark.parametrize("rows", [1, 5])
def test_progress_runs_a_fixed_number_of_queries(client, city_hrss, rows, django_assert_num_queries):
    panel = _scoring_panel(city_hrss, rows)
    client.force_login(city_hrss)
    with django_assert_num_queries(10):
        response = client.get(reverse("review:progress", args=[panel.pk]))
    assert response.content.decode().count('data-testid="progress-row"') == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_ranking_runs_a_fixed_number_of_queries(client, city_hrss, rows, django_assert_num_queries):
    panel = _scoring_panel(city_hrss, rows)
    score_all(panel)
    panel_close(panel=panel, actor=city_hrss)
    client.force_login(city_hrss)
    with django_assert_num_queries(11):
        response = client.get(reverse("review:ranking", args=[panel.pk]))
    assert response.content.decode().count('data-testid="ranking-row"') == rows


def test_ranking_is_hidden_until_the_panel_closes(client, city_hrss):
    panel = _scoring_panel(city_hrss, 1)
    client.force_login(city_hrss)
    page = client.get(reverse("review:ranking", args=[panel.pk])).content.decode()
    assert 'data-testid="ranking-hidden"' in page
    assert 'data-testid="ranking-row"' not in page


def test_an_expert_reads_the_ranking_of_their_own_closed_panel_only(client, city_hrss, make_user):
    panel = _scoring_panel(city_hrss, 1)
    expert = sheets_of(panel)[0].member.expert.user
    client.force_login(expert)
    assert client.get(reverse("review:ranking", args=[panel.pk])).status_code == 403  # still scoring
    score_all(panel)
    panel_close(panel=panel, actor=city_hrss)
    assert client.get(reverse("review:ranking", args=[panel.pk])).status_code == 200
    client.force_login(make_user(Role.EXPERT))
    assert client.get(reverse("review:ranking", args=[panel.pk])).status_code == 404


def test_the_export_has_every_sheet_and_the_ranking(client, city_hrss):
    panel = _scoring_panel(city_hrss, 2)
    score_all(panel)
    panel_close(panel=panel, actor=city_hrss)
    client.force_login(city_hrss)
    response = client.get(reverse("review:panel_export", args=[panel.pk]))
    assert response["Cache-Control"] == "private, no-store"
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["评分表", "评审排名"]
    assert workbook["评分表"].max_row == 1 + 6
    assert workbook["评审排名"].max_row == 1 + 2


def test_the_summary_pdf_embeds_fonts_for_its_text(city_hrss):
    panel = _scoring_panel(city_hrss, 2)
    score_all(panel)
    panel = panel_close(panel=panel, actor=city_hrss)
    pdf = summary_pdf_bytes(panel)
    assert pdf.startswith(b"%PDF")
    assert_pdf_fonts_cover_text(pdf)


def test_the_summary_sample_renders():
    assert_pdf_fonts_cover_text(panel_summary_sample())


def test_expert_phones_are_masked_for_city_finance(client, city_hrss, make_user):
    make_panel()
    client.force_login(make_user(Role.CITY_FINANCE))
    page = client.get(reverse("review:expert_list")).content.decode()
    assert "138****2345" in page
    assert "13857512345" not in page
    client.force_login(city_hrss)
    assert "13857512345" in client.get(reverse("review:expert_list")).content.decode()
