"""Fixtures of the expert review tests: a batch in expert review with its panel, experts with
accounts, applications under review, and helpers that take a panel through scoring."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Max
from django.utils import timezone

from applications.enums import ApplicationState, BatchState
from applications.models import Batch
from review.panels.enums import MemberKind
from review.panels.models import Expert, Panel, PanelMember, ScoreSheet
from review.panels.services import panel_open_scoring, sheet_declare, sheet_submit
from review.panels.services.forming import default_rubric
from shaoxing_bases.accounts.enums import Role
from tests.applications.factories import ApplicationFactory
from tests.factories import UserFactory

ALL_STATEMENTS = {"no_employment", "no_board", "no_relative"}


def make_review_batch(**kwargs):
    """A batch in expert review: screening ended yesterday, scoring closes in 10 days.

    Made without BatchFactory, whose year sequence wraps after 75 batches: a panel needs a batch of
    its own and the access matrix makes many in one test, so these count up from 3001.
    """
    now = timezone.now()
    year = kwargs.pop("year", max(Batch.objects.aggregate(last=Max("year"))["last"] or 0, 3000) + 1)
    fields = {
        "title": f"{year}年度绍兴市市级高技能人才公共实训基地申报",
        "opens_at": now - timedelta(days=30),
        "submission_deadline": now - timedelta(days=15),
        "screening_deadline": now - timedelta(days=1),
        "scoring_deadline": now + timedelta(days=10),
        "quota": 10,
        **kwargs,
    }
    batch = Batch.objects.create(year=year, **fields)
    Batch.objects.filter(pk=batch.pk).update(state=BatchState.EXPERT_REVIEW)
    batch.refresh_from_db()
    return batch


def make_expert(
    name: str = "专家", *, employer_credit_code: str = "", specialties: str = "机械制造", **fields
):
    user = UserFactory(role=Role.EXPERT)
    return Expert.objects.create(
        name=name,
        employer=fields.pop("employer", "绍兴职业技术学院"),
        employer_credit_code=employer_credit_code,
        title="教授",
        specialties=specialties,
        phone="13857512345",
        user=user,
        **fields,
    )


def make_panel(batch=None, *, experts: int = 3, applications: int = 2, staff: bool = True):
    """A forming panel with ``experts`` experts, city staff and ``applications`` under review."""
    batch = batch or make_review_batch()
    panel = Panel.objects.create(batch=batch)
    default_rubric(panel)
    for index in range(experts):
        PanelMember.objects.create(
            panel=panel, kind=MemberKind.EXPERT, expert=make_expert(f"专家{index + 1}")
        )
    if staff:
        PanelMember.objects.create(
            panel=panel, kind=MemberKind.CITY_HRSS, user=UserFactory(role=Role.CITY_HRSS)
        )
        PanelMember.objects.create(
            panel=panel, kind=MemberKind.CITY_FINANCE, user=UserFactory(role=Role.CITY_FINANCE)
        )
    for _ in range(applications):
        ApplicationFactory(
            batch=batch,
            state=ApplicationState.UNDER_REVIEW,
        )
    return panel


def full_points(panel, share: Decimal = Decimal("0.8")) -> dict[int, Decimal]:
    return {
        indicator.pk: (indicator.max_points * share).quantize(Decimal("0.5"))
        for indicator in panel.indicators.all()
    }


def sheets_of(panel, expert=None):
    sheets = ScoreSheet.objects.filter(panel=panel).select_related(
        "member__expert__user", "application__unit"
    )
    if expert is not None:
        sheets = sheets.filter(member__expert=expert)
    return list(sheets.order_by("pk"))


def score_all(panel, share=Decimal("0.8")):
    """Every open sheet declared and submitted with ``share`` of each indicator's points."""
    for sheet in sheets_of(panel):
        if sheet.state == "assigned":
            sheet = sheet_declare(sheet=sheet, actor=sheet.member.expert.user, statements=ALL_STATEMENTS)
        if sheet.state == "declared":
            sheet_submit(
                sheet=sheet,
                actor=sheet.member.expert.user,
                points=full_points(panel, share),
                comment="条件符合，同意。",
                vote="agree" if panel.votes else "",
            )


@pytest.fixture
def city_hrss(make_user):
    return make_user(Role.CITY_HRSS, username="panel_city_hrss")


@pytest.fixture
def city_finance(make_user):
    return make_user(Role.CITY_FINANCE, username="panel_city_finance")


@pytest.fixture
def panel(db):
    return make_panel()


@pytest.fixture
def open_panel(panel, city_hrss):
    """The panel with scoring open: 3 experts × 2 applications = 6 assigned sheets."""
    return panel_open_scoring(panel=panel, actor=city_hrss)
