"""Forming the panel: manual additions, the review mode, the rubric, and opening the scoring with
its automatic same-employer recusal (conflicts block the assignment)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_fsm_log.models import StateLog

from applications.models import Batch
from review.panels.enums import DrawPurpose, MemberKind, PanelState, RecusalReason, SheetState
from review.panels.models import Draw, PanelMember, RubricIndicator, ScoreSheet
from review.panels.rubric import DEFAULT_RUBRIC
from review.panels.services import (
    IndicatorRow,
    panel_member_add,
    panel_member_remove,
    panel_open_scoring,
    panel_set_mode,
    rubric_save,
)
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.models import Notification

from .conftest import make_expert, make_panel

pytestmark = pytest.mark.django_db


def test_the_default_rubric_has_100_points_from_the_clause_map(panel):
    indicators = list(panel.indicators.all())
    assert sum(indicator.max_points for indicator in indicators) == Decimal(100)
    assert [indicator.key for indicator in indicators] == [item.key for item in DEFAULT_RUBRIC]
    assert {indicator.key for indicator in indicators if indicator.training_scale} == {
        "training_scale",
        "senior_training",
    }
    assert all(indicator.clauses and indicator.guidance for indicator in indicators)


def test_manual_additions_are_marked(panel, city_hrss, city_finance):
    expert = make_expert("手选")
    member = panel_member_add(panel=panel, actor=city_hrss, expert=expert)
    assert member.manual
    assert member.how_joined == "人工添加"
    staff = panel_member_add(panel=panel, actor=city_hrss, user=city_finance)
    assert staff.kind == MemberKind.CITY_FINANCE
    with pytest.raises(AlreadyHandled):
        panel_member_add(panel=panel, actor=city_hrss, expert=expert)
    assert AuditEntry.objects.filter(summary="人工添加评审组成员").count() == 2


def test_only_city_staff_join_as_staff(panel, city_hrss, make_user):
    with pytest.raises(ValidationError):
        panel_member_add(panel=panel, actor=city_hrss, user=make_user(Role.COUNTY_HRSS))


def test_member_removed_while_forming(panel, city_hrss):
    member = panel.members.filter(kind=MemberKind.EXPERT).first()
    panel_member_remove(member=member, actor=city_hrss)
    assert not PanelMember.objects.filter(pk=member.pk).exists()


def test_mode_and_rubric_change_while_forming(panel, city_hrss):
    panel_set_mode(panel=panel, actor=city_hrss, mode="vote")
    panel.refresh_from_db()
    assert panel.votes
    first, *rest = panel.indicators.all()
    rows = [
        IndicatorRow(
            pk=first.pk, name="管理制度", clauses="3.1.1", max_points=Decimal(20), training_scale=False
        ),
        *[
            IndicatorRow(
                pk=item.pk,
                name=item.name,
                clauses=item.clauses,
                max_points=item.max_points,
                delete=index == 0,
            )
            for index, item in enumerate(rest)
        ],
        IndicatorRow(pk=None, name="新增指标", clauses="2", max_points=Decimal("5.5")),
    ]
    rubric_save(panel=panel, actor=city_hrss, rows=rows)
    names = list(panel.indicators.values_list("name", flat=True))
    assert names[0] == "管理制度"
    assert names[-1] == "新增指标"
    assert len(names) == len(DEFAULT_RUBRIC)  # one removed, one added
    assert AuditEntry.objects.filter(summary="修改评分细则").exists()


def test_rubric_refuses_bad_rows(panel, city_hrss):
    with pytest.raises(ValidationError):
        rubric_save(panel=panel, actor=city_hrss, rows=[])
    row = IndicatorRow(pk=None, name="重复", clauses="", max_points=Decimal(5))
    with pytest.raises(ValidationError):
        rubric_save(panel=panel, actor=city_hrss, rows=[row, row])
    with pytest.raises(ValidationError):
        rubric_save(panel=panel, actor=city_hrss, rows=[IndicatorRow(None, "太多", "", Decimal(101))])


def test_rubric_is_locked_once_scoring_opens(open_panel, city_hrss):
    indicator = open_panel.indicators.first()
    with pytest.raises(AlreadyHandled, match="已锁定"):
        rubric_save(
            panel=open_panel,
            actor=city_hrss,
            rows=[IndicatorRow(indicator.pk, "改名", "", Decimal(10))],
        )
    with pytest.raises(AlreadyHandled):
        panel_set_mode(panel=open_panel, actor=city_hrss, mode="vote")
    assert RubricIndicator.objects.get(pk=indicator.pk).name == indicator.name


def test_open_scoring_assigns_every_expert_every_application(panel, city_hrss):
    panel = panel_open_scoring(panel=panel, actor=city_hrss)
    assert panel.state == PanelState.SCORING
    assert ScoreSheet.objects.filter(panel=panel, state=SheetState.ASSIGNED).count() == 6
    assert StateLog.objects.for_(panel).get().transition == "open_scoring"
    experts = [member.expert.user for member in panel.members.filter(kind=MemberKind.EXPERT)]
    assert Notification.objects.filter(recipient__in=experts).count() == 3


def test_open_scoring_refuses_every_problem_at_once(city_hrss):
    panel = make_panel(experts=2, applications=0, staff=False)
    Batch.objects.filter(pk=panel.batch_id).update(scoring_deadline=timezone.now() - timedelta(minutes=1))
    panel.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        panel_open_scoring(panel=panel, actor=city_hrss)
    text = " ".join(error.value.messages)
    for expected in (
        "至少应有 3 名业务专家",
        "市人力社保局人员",
        "市财政局人员",
        "没有进入专家评审的申报",
        "已过",
    ):
        assert expected in text
    panel.refresh_from_db()
    assert panel.state == PanelState.FORMING


def test_open_scoring_twice_is_already_handled(open_panel, city_hrss):
    with pytest.raises(AlreadyHandled):
        panel_open_scoring(panel=open_panel, actor=city_hrss)
    assert ScoreSheet.objects.filter(panel=open_panel).count() == 6


@pytest.mark.parametrize("role", [Role.CITY_FINANCE, Role.ADMIN, Role.EXPERT])
def test_open_scoring_unauthorised(panel, make_user, role):
    with pytest.raises(PermissionDenied):
        panel_open_scoring(panel=panel, actor=make_user(role))


def test_same_employer_blocks_the_assignment_and_draws_a_replacement(panel, city_hrss):
    application = panel.batch.applications.select_related("unit").first()
    conflicted = panel.members.filter(kind=MemberKind.EXPERT).first().expert
    conflicted.employer_credit_code = application.unit.credit_code
    conflicted.save()
    spare = make_expert("替补")
    panel_open_scoring(panel=panel, actor=city_hrss)
    blocked = ScoreSheet.objects.get(member__expert=conflicted, application=application)
    assert blocked.state == SheetState.RECUSED
    assert blocked.recusal_reason == RecusalReason.SAME_EMPLOYER
    replacement = ScoreSheet.objects.get(member__expert=spare, application=application)
    assert replacement.state == SheetState.ASSIGNED
    assert replacement.member.for_application_id == application.pk
    assert Draw.objects.get(purpose=DrawPurpose.REPLACEMENT).drawn == [spare.pk]
    assert not ScoreSheet.objects.filter(member__expert=spare).exclude(application=application).exists()
    assert AuditEntry.objects.filter(summary="系统自动回避（同一单位）").exists()


def test_a_replacement_is_never_from_the_applicant_itself(panel, city_hrss):
    application = panel.batch.applications.select_related("unit").first()
    conflicted = panel.members.filter(kind=MemberKind.EXPERT).first().expert
    conflicted.employer_credit_code = application.unit.credit_code
    conflicted.save()
    make_expert("同单位", employer_credit_code=application.unit.credit_code)
    panel_open_scoring(panel=panel, actor=city_hrss)
    record = Draw.objects.get(purpose=DrawPurpose.REPLACEMENT)
    assert record.drawn == []
    assert record.pool == []
    assert AuditEntry.objects.filter(summary__contains="已无可替补的专家").exists()
