"""Closing the panel, the ranking and confirming the shortlist; the read the publicity stage uses."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm_log.models import StateLog

from applications.enums import ApplicationState
from applications.models import Application, Batch
from review.panels.enums import PanelState
from review.panels.models import RankingEntry
from review.panels.selectors import confirmed_shortlist, panel_ranking
from review.panels.services import (
    panel_close,
    panel_open_scoring,
    panel_set_mode,
    sheet_declare,
    sheet_submit,
    shortlist_confirm,
)
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.models import Notification

from .conftest import ALL_STATEMENTS, full_points, make_panel, score_all, sheets_of

pytestmark = pytest.mark.django_db


def test_close_refuses_while_sheets_are_outstanding(open_panel, city_hrss):
    with pytest.raises(ValidationError, match="还有 6 份评分表未提交"):
        panel_close(panel=open_panel, actor=city_hrss)
    open_panel.refresh_from_db()
    assert open_panel.state == PanelState.SCORING


def test_close_when_every_sheet_is_in_then_twice(open_panel, city_hrss):
    score_all(open_panel)
    panel = panel_close(panel=open_panel, actor=city_hrss)
    assert panel.state == PanelState.CLOSED
    assert panel.closed_at
    assert Notification.objects.filter(title__contains="专家评审已结束").count() == 3
    with pytest.raises(AlreadyHandled):
        panel_close(panel=panel, actor=city_hrss)


def test_confirm_before_every_sheet_is_in_is_refused(open_panel, city_hrss):
    with pytest.raises(ValidationError) as error:
        shortlist_confirm(panel=open_panel, actor=city_hrss, comment="同意")
    assert "还有 6 份评分表未提交" in error.value.message_dict["comment"][0]
    assert not RankingEntry.objects.exists()


def test_confirm_of_a_forming_panel_is_refused(panel, city_hrss):
    with pytest.raises(ValidationError, match="评审尚未结束"):
        shortlist_confirm(panel=panel, actor=city_hrss, comment="同意")


def _closed_panel(city_hrss, *, applications=3, quota=2, shares=()):
    """A closed panel of 3 experts; ``shares[i]``: the share of the points the i-th application gets."""
    panel = make_panel(applications=applications)
    Batch.objects.filter(pk=panel.batch_id).update(quota=quota, pass_mark=Decimal(60))
    panel.refresh_from_db()
    panel_open_scoring(panel=panel, actor=city_hrss)
    order = list(Application.objects.filter(batch=panel.batch).order_by("pk").values_list("pk", flat=True))
    for sheet in sheets_of(panel):
        user = sheet.member.expert.user
        sheet = sheet_declare(sheet=sheet, actor=user, statements=ALL_STATEMENTS)
        index = order.index(sheet.application_id)
        share = shares[index] if index < len(shares) else Decimal("0.8")
        sheet_submit(sheet=sheet, actor=user, points=full_points(panel, share), comment="意见")
    return panel_close(panel=panel, actor=city_hrss)


def test_ranking_with_equal_scores_goes_by_first_submission(city_hrss):
    panel = _closed_panel(city_hrss, applications=3, quota=2)
    applications = Application.objects.filter(batch=panel.batch)
    rows = panel_ranking(panel)
    assert [row.position for row in rows] == [1, 2, 3]
    assert all(row.score == Decimal("80.00") for row in rows)
    assert sum(row.proposed for row in rows) == 2  # the quota
    expected = sorted(applications, key=lambda application: (application.first_submitted_at, application.pk))
    assert [row.application.pk for row in rows] == [application.pk for application in expected]


def test_pass_mark_keeps_a_low_score_off_the_shortlist(city_hrss):
    panel = _closed_panel(city_hrss, applications=2, quota=5, shares=(Decimal("0.5"), Decimal("0.9")))
    rows = panel_ranking(panel)
    low = Application.objects.filter(batch=panel.batch).order_by("pk").first()
    assert rows[-1].application.pk == low.pk
    assert rows[-1].score < 60
    assert not rows[-1].proposed
    assert rows[0].proposed
    assert rows[0].score == Decimal("90.00")


def test_confirm_moves_the_applications_and_freezes_the_ranking(city_hrss):
    panel = _closed_panel(city_hrss, applications=3, quota=2)
    panel = shortlist_confirm(panel=panel, actor=city_hrss, comment="同意评审组意见。")
    assert panel.state == PanelState.CONFIRMED
    assert panel.confirmation_comment == "同意评审组意见。"
    states = sorted(Application.objects.filter(batch=panel.batch).values_list("state", flat=True))
    assert states == [
        ApplicationState.NOT_SELECTED,
        ApplicationState.SHORTLISTED,
        ApplicationState.SHORTLISTED,
    ]
    shortlisted = Application.objects.filter(state=ApplicationState.SHORTLISTED).first()
    assert StateLog.objects.for_(shortlisted).get().transition == "shortlist"
    entries = confirmed_shortlist(panel.batch)
    assert [entry.position for entry in entries] == [1, 2]
    assert entries[0].final_score == Decimal("80.00")
    # Units hear of it only when the result is published.
    assert not Notification.objects.filter(recipient__unit__isnull=False, title__contains="初选").exists()
    with pytest.raises(AlreadyHandled, match="不能重复确认"):
        shortlist_confirm(panel=panel, actor=city_hrss, comment="再确认")
    assert RankingEntry.objects.filter(panel=panel).count() == 3


def test_confirm_needs_a_comment(city_hrss):
    panel = _closed_panel(city_hrss)
    with pytest.raises(ValidationError) as error:
        shortlist_confirm(panel=panel, actor=city_hrss, comment="  ")
    assert "确认意见" in error.value.message_dict["comment"][0]


@pytest.mark.parametrize("role", [Role.CITY_FINANCE, Role.ADMIN, Role.EXPERT])
def test_confirm_unauthorised(city_hrss, make_user, role):
    panel = _closed_panel(city_hrss)
    with pytest.raises(PermissionDenied):
        shortlist_confirm(panel=panel, actor=make_user(role), comment="同意")


def test_confirmed_shortlist_is_empty_before_confirmation(open_panel):
    assert confirmed_shortlist(open_panel.batch) == []


def test_vote_mode_shortlists_two_thirds(city_hrss):
    panel = make_panel(applications=2)
    panel_set_mode(panel=panel, actor=city_hrss, mode="vote")
    panel_open_scoring(panel=panel, actor=city_hrss)
    first = Application.objects.filter(batch=panel.batch).order_by("pk").first()
    for index, sheet in enumerate(sheets_of(panel)):
        user = sheet.member.expert.user
        sheet = sheet_declare(sheet=sheet, actor=user, statements=ALL_STATEMENTS)
        # The first application: 2 of 3 agree (carries); the second: 1 of 3 (does not).
        agree = (sheet.application_id == first.pk and index % 3 != 2) or (
            sheet.application_id != first.pk and index % 3 == 0
        )
        sheet_submit(
            sheet=sheet, actor=user, points={}, comment="表决", vote="agree" if agree else "disagree"
        )
    panel = panel_close(panel=panel, actor=city_hrss)
    rows = panel_ranking(panel)
    by_pk = {row.application.pk: row for row in rows}
    assert by_pk[first.pk].proposed
    assert sum(row.proposed for row in rows) == 1


def test_dispersion_is_flagged(city_hrss):
    panel = make_panel(experts=5, applications=1)
    panel_open_scoring(panel=panel, actor=city_hrss)
    for index, sheet in enumerate(sheets_of(panel)):
        user = sheet.member.expert.user
        sheet = sheet_declare(sheet=sheet, actor=user, statements=ALL_STATEMENTS)
        share = Decimal("0.4") if index == 0 else Decimal("0.9")
        sheet_submit(sheet=sheet, actor=user, points=full_points(panel, share), comment="意见")
    panel = panel_close(panel=panel, actor=city_hrss)
    (row,) = panel_ranking(panel, with_sheets=True)
    # 40, 90, 90, 90, 90: the mean is 80; only the 40 lies more than 15 points from it. Trimmed
    # mean of five: (90 + 90 + 90) / 3.
    assert row.score == Decimal("90.00")
    assert row.dispersed_count == 1
    assert "评分离散" in row.flags[0]
