"""The expert's sheet: declaration or recusal, drafts, submission — and every bad input refused with a
Chinese message while nothing typed is lost."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from applications.models import Batch
from review.panels.enums import RecusalReason, SheetState
from review.panels.models import Score, ScoreSheet
from review.panels.services import (
    panel_set_mode,
    score_field,
    sheet_declare,
    sheet_recuse,
    sheet_save,
    sheet_submit,
)
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditAction, AuditEntry
from shaoxing_bases.core.exceptions import AlreadyHandled

from .conftest import ALL_STATEMENTS, full_points, make_expert, make_panel, sheets_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(open_panel):
    return sheets_of(open_panel)[0]


@pytest.fixture
def declared(sheet):
    return sheet_declare(sheet=sheet, actor=sheet.member.expert.user, statements=ALL_STATEMENTS)


def _owner(sheet):
    return sheet.member.expert.user


# --- declaration and recusal ---------------------------------------------------------------------


def test_declare_from_assigned_stores_the_declaration(sheet):
    declared = sheet_declare(sheet=sheet, actor=_owner(sheet), statements=ALL_STATEMENTS)
    assert declared.state == SheetState.DECLARED
    assert declared.declared_at is not None
    assert len(declared.declaration["statements"]) == 3
    assert AuditEntry.objects.filter(summary="声明无利害关系（回避声明）").exists()


def test_declare_needs_every_statement(sheet):
    with pytest.raises(ValidationError) as error:
        sheet_declare(sheet=sheet, actor=_owner(sheet), statements={"no_employment"})
    assert "请申请回避" in error.value.message_dict["statements"][0]
    assert ScoreSheet.objects.get(pk=sheet.pk).state == SheetState.ASSIGNED


def test_declare_twice_is_already_handled(declared):
    with pytest.raises(AlreadyHandled):
        sheet_declare(sheet=declared, actor=_owner(declared), statements=ALL_STATEMENTS)


def test_another_expert_may_not_touch_the_sheet(open_panel, sheet):
    other = next(s for s in sheets_of(open_panel) if s.member_id != sheet.member_id)
    with pytest.raises(PermissionDenied):
        sheet_declare(sheet=sheet, actor=_owner(other), statements=ALL_STATEMENTS)


@pytest.mark.parametrize("role", [Role.CITY_HRSS, Role.ADMIN])
def test_staff_may_not_score(sheet, make_user, role):
    with pytest.raises(PermissionDenied):
        sheet_declare(sheet=sheet, actor=make_user(role), statements=ALL_STATEMENTS)


def test_recusal_draws_a_replacement_for_that_application(sheet):
    spare = make_expert("替补专家")
    recused = sheet_recuse(sheet=sheet, actor=_owner(sheet), reason=RecusalReason.RELATIVE)
    assert recused.state == SheetState.RECUSED
    assert recused.recused_at is not None
    replacement = ScoreSheet.objects.get(member__expert=spare)
    assert replacement.application_id == sheet.application_id
    assert replacement.state == SheetState.ASSIGNED


def test_recusal_needs_a_reason_and_a_note_for_other(sheet):
    with pytest.raises(ValidationError):
        sheet_recuse(sheet=sheet, actor=_owner(sheet), reason="")
    with pytest.raises(ValidationError) as error:
        sheet_recuse(sheet=sheet, actor=_owner(sheet), reason=RecusalReason.OTHER)
    assert "note" in error.value.message_dict


def test_a_declared_sheet_can_no_longer_recuse(declared):
    with pytest.raises(AlreadyHandled):
        sheet_recuse(sheet=declared, actor=_owner(declared), reason=RecusalReason.BOARD)


def test_an_expert_with_a_conflict_cannot_score(sheet):
    recused = sheet_recuse(sheet=sheet, actor=_owner(sheet), reason=RecusalReason.EMPLOYMENT)
    with pytest.raises(AlreadyHandled, match="回避"):
        sheet_save(sheet=recused, actor=_owner(recused), points={})


# --- drafts and submission -----------------------------------------------------------------------


def test_draft_saves_partial_scores(declared):
    indicator = declared.panel.indicators.first()
    saved = sheet_save(
        sheet=declared, actor=_owner(declared), points={indicator.pk: Decimal("7.5")}, comment="草稿"
    )
    assert saved.saved_at is not None
    assert Score.objects.get(sheet=declared).points == Decimal("7.5")
    # Clearing the field removes the score.
    sheet_save(sheet=declared, actor=_owner(declared), points={indicator.pk: None})
    assert not Score.objects.filter(sheet=declared).exists()


def test_scores_outside_the_range_are_refused_and_nothing_is_written(declared):
    first, second = list(declared.panel.indicators.all())[:2]
    points = {first.pk: first.max_points + 1, second.pk: Decimal("-1")}
    with pytest.raises(ValidationError) as error:
        sheet_save(sheet=declared, actor=_owner(declared), points=points)
    assert set(error.value.message_dict) == {score_field(first), score_field(second)}
    assert f"0—{first.points_label} 分之间" in error.value.message_dict[score_field(first)][0]
    assert not Score.objects.exists()


def test_more_than_two_decimals_are_refused(declared):
    indicator = declared.panel.indicators.first()
    with pytest.raises(ValidationError):
        sheet_save(sheet=declared, actor=_owner(declared), points={indicator.pk: Decimal("1.125")})


def test_scoring_before_the_declaration_is_refused(sheet):
    with pytest.raises(ValidationError) as error:
        sheet_save(sheet=sheet, actor=_owner(sheet), points={})
    assert "回避声明" in error.value.messages[0]


def test_submit_computes_totals_and_locks(declared):
    points = full_points(declared.panel)
    submitted = sheet_submit(sheet=declared, actor=_owner(declared), points=points, comment="同意")
    assert submitted.state == SheetState.SUBMITTED
    assert submitted.total == sum(points.values())
    scale = sum(points[indicator.pk] for indicator in declared.panel.indicators.filter(training_scale=True))
    assert submitted.training_scale_total == scale
    with pytest.raises(AlreadyHandled, match="已提交"):
        sheet_save(sheet=submitted, actor=_owner(submitted), points=points)
    with pytest.raises(AlreadyHandled):
        sheet_submit(sheet=submitted, actor=_owner(submitted), points=points, comment="再交一次")


def test_an_incomplete_sheet_is_refused_but_kept_as_a_draft(declared):
    indicator = declared.panel.indicators.first()
    with pytest.raises(ValidationError) as error:
        sheet_submit(sheet=declared, actor=_owner(declared), points={indicator.pk: Decimal(8)}, comment="")
    assert "comment" in error.value.message_dict
    assert len(error.value.message_dict) == declared.panel.indicators.count()  # 7 unscored + comment
    assert ScoreSheet.objects.get(pk=declared.pk).state == SheetState.DECLARED
    assert Score.objects.get(sheet=declared).points == Decimal(8)  # what was typed is on the server


def test_scoring_closes_at_the_deadline_itself(declared):
    deadline = timezone.now() + timedelta(hours=1)
    Batch.objects.filter(pk=declared.panel.batch_id).update(scoring_deadline=deadline)
    fresh = ScoreSheet.objects.get(pk=declared.pk)
    sheet_save(sheet=fresh, actor=_owner(fresh), points={}, now=deadline - timedelta(seconds=1))
    with pytest.raises(AlreadyHandled, match="截止"):
        sheet_save(sheet=fresh, actor=_owner(fresh), points={}, now=deadline)


def test_vote_mode_needs_a_vote(city_hrss):
    from review.panels.services import panel_open_scoring

    panel = make_panel()
    panel_set_mode(panel=panel, actor=city_hrss, mode="vote")
    panel_open_scoring(panel=panel, actor=city_hrss)
    sheet = sheets_of(panel)[0]
    sheet = sheet_declare(sheet=sheet, actor=_owner(sheet), statements=ALL_STATEMENTS)
    with pytest.raises(ValidationError) as error:
        sheet_submit(sheet=sheet, actor=_owner(sheet), points={}, comment="同意")
    assert "vote" in error.value.message_dict
    submitted = sheet_submit(sheet=sheet, actor=_owner(sheet), points={}, comment="同意", vote="agree")
    assert submitted.vote == "agree"
    assert submitted.total is None


# --- through the pages ---------------------------------------------------------------------------


def _post(client, declared, name, data):
    client.force_login(_owner(declared))
    return client.post(reverse(f"review:{name}", args=[declared.pk]), data)


def test_a_non_number_is_refused_on_the_page_with_what_was_typed(client, declared):
    indicator = declared.panel.indicators.first()
    response = _post(
        client, declared, "sheet_submit", {score_field(indicator): "八分", "comment": "意见保留"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "的得分应为数字" in page
    assert 'value="八分"' in page
    assert "意见保留" in page
    assert ScoreSheet.objects.get(pk=declared.pk).state == SheetState.DECLARED


def test_an_out_of_range_score_comes_back_beside_its_field(client, declared):
    indicator = declared.panel.indicators.first()
    response = _post(client, declared, "sheet_save", {score_field(indicator): "99"})
    page = response.content.decode()
    assert f"0—{indicator.points_label} 分之间" in page
    assert 'value="99"' in page


def test_the_autosave_answers_the_status_line(client, declared):
    indicator = declared.panel.indicators.first()
    client.force_login(_owner(declared))
    url = reverse("review:sheet_save", args=[declared.pk])
    response = client.post(url, {score_field(indicator): "6"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "草稿已于" in response.content.decode()
    assert "<html" not in response.content.decode()
    response = client.post(url, {score_field(indicator): "600"}, HTTP_HX_REQUEST="true")
    assert "未能保存" in response.content.decode()
    assert Score.objects.get(sheet=declared).points == Decimal(6)


def test_an_unassigned_application_answers_404(client, open_panel, sheet):
    other = next(s for s in sheets_of(open_panel) if s.member_id != sheet.member_id)
    client.force_login(_owner(sheet))
    assert client.get(reverse("review:sheet", args=[other.pk])).status_code == 404
    assert client.post(reverse("review:sheet_save", args=[other.pk]), {}).status_code == 404
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.PERMISSION_DENIED, detail__model="review.ScoreSheet"
        ).count()
        == 2
    )


def test_the_application_opens_only_after_the_declaration(client, sheet):
    client.force_login(_owner(sheet))
    page = client.get(reverse("review:sheet", args=[sheet.pk])).content.decode()
    assert "回避声明" in page
    assert 'data-testid="sheet-form"' not in page
    sheet_declare(sheet=sheet, actor=_owner(sheet), statements=ALL_STATEMENTS)
    page = client.get(reverse("review:sheet", args=[sheet.pk])).content.decode()
    assert 'data-testid="sheet-form"' in page
    assert 'data-testid="indicator"' in page
