"""Demo of the annual reports, through the services at the times the steps happened (`demo_clock`).

Acts on the training bases the decision's seeder created (none yet: nothing to do). The oldest bases
get two earlier years of reports filed in December, approved by their county and received by the
city; this year's reporting is opened by hand by city HRSS (today may be before 1 December) and the
reports are left in every state — draft, submitted, returned, county-approved — so that each role
finds work.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from shaoxing_bases.accounts.demo import COUNTY_SLUGS
from shaoxing_bases.accounts.models import User
from shaoxing_bases.accounts.selectors import unit_members_of
from shaoxing_bases.core.demo import demo_clock, register_demo

from ..models import TrainingBase
from .enums import ReportState
from .models import AnnualReport
from .services import (
    annual_report_city_decide,
    annual_report_review,
    annual_report_section_update,
    annual_report_submit,
    annual_reporting_open,
    annual_reports_sweep,
    deadline,
    opens_at,
)
from .services.timers import REPORTING_STATES

#: The states this year's reports are left in, round-robin over the bases.
CURRENT_STATES = (ReportState.DRAFT, ReportState.SUBMITTED, ReportState.RETURNED, ReportState.COUNTY_APPROVED)
OLDEST_BASES = 4


def _figures(base: TrainingBase, year: int) -> dict[str, dict[str, object]]:
    """Plausible figures that differ by base and year; every fifth base falls short of 1500."""
    seed = (base.pk * 37 + year) % 400
    total = 1100 + seed if base.pk % 5 == 0 else 1520 + seed * 2
    return {
        "functions": {
            "trainees_total": total,
            "trainees_senior_worker": 300 + seed // 4,
            "trainees_technician": 90 + seed // 10,
            "trainees_senior_technician": 15 + seed // 40,
            "evaluations": 1500 + seed,
            "competitions_held": 1 + seed % 4,
            "competition_participants": 80 + seed,
            "courses_developed": 2 + seed % 5,
            "materials_developed": seed % 3,
            "exchanges_held": 1 + seed % 3,
            "work_summary": f"{year}年围绕{base.specialties or '特色专业'}开展技能研修和提升培训，"
            "承办市、区县职业技能竞赛，组织技能评价，开发研修课程并举办成果交流展示。",
        },
        "trainings": {
            "trained_teachers": 20 + seed % 30,
            "trained_managers": 10 + seed % 15,
            "trained_assessors": 15 + seed % 25,
            "trained_supervisors": 3 + seed % 8,
        },
        "funds": {
            "funds_received": 500000 + seed * 1000,
            "funds_equipment": 300000 + seed * 500,
            "funds_infrastructure": 100000,
            "funds_teacher_training": 60000 + seed * 100,
            "funds_other": 10000,
        },
        "problems": {"problems": "高级技师研修规模偏小；部分实训设备需更新改造。"},
        "plan": {
            "plan_summary": f"{year + 1}年扩大技师、高级技师研修规模，新增一个紧缺职业（工种）培训项目。",
            "target_trainees": total + 100,
            "target_senior_trainees": 450,
            "target_evaluations": 1600,
            "target_competitions": 3,
            "target_courses": 4,
        },
    }


def _member(base: TrainingBase) -> User | None:
    return unit_members_of(base.unit_id).order_by("pk").first()


def _county_hrss(base: TrainingBase) -> User | None:
    slug = COUNTY_SLUGS.get(base.region.code)
    return User.objects.filter(username=f"{slug}_hrss").first() if slug else None


def _fill(report: AnnualReport, member: User) -> None:
    for section, values in _figures(report.base, report.year).items():
        annual_report_section_update(report=report, actor=member, section=section, values=values)


def _at(year: int, month: int, day: int, hour: int) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


def _earlier_year(year: int, city: User) -> int:
    with demo_clock(opens_at(year) + timedelta(hours=9)):
        annual_reporting_open(year=year, actor=None)  # what the 1 December timer did
    filed = 0
    reports = AnnualReport.objects.filter(year=year, state=ReportState.DRAFT).select_related(
        "base", "base__region"
    )
    for index, report in enumerate(reports.order_by("base__approved_at", "pk")[:OLDEST_BASES]):
        member, hrss = _member(report.base), _county_hrss(report.base)
        if member is None or hrss is None:
            continue
        with demo_clock(_at(year, 12, 8 + index, 10)):
            _fill(report, member)
            annual_report_submit(report=report, actor=member)
        with demo_clock(_at(year, 12, 18 + index, 15)):
            annual_report_review(
                report=report, actor=hrss, decision="approve", comment="经审核，同意报送市人力社保局。"
            )
        with demo_clock(_at(year, 12, 28, 10)):
            annual_report_city_decide(report=report, actor=city, decision="receive", note="已备案。")
        filed += 1
    # The bases that did not report that year: the 1 January timer marked them overdue and told
    # their county and the city.
    with demo_clock(deadline(year) + timedelta(minutes=1)):
        annual_reports_sweep()
    return filed


def _current_year(year: int, city: User) -> list[str]:
    annual_reporting_open(year=year, actor=city)
    counts: dict[str, int] = {}
    reports = AnnualReport.objects.filter(year=year).select_related("base", "base__region", "base__unit")
    for index, report in enumerate(reports.order_by("base__region__sort_order", "pk")):
        target = CURRENT_STATES[index % len(CURRENT_STATES)]
        member, hrss = _member(report.base), _county_hrss(report.base)
        if member is None or hrss is None:
            continue
        if target == ReportState.DRAFT:
            # Half filled in, as a base at work on it.
            annual_report_section_update(
                report=report,
                actor=member,
                section="functions",
                values=_figures(report.base, year)["functions"],
            )
        else:
            _fill(report, member)
            annual_report_submit(report=report, actor=member)
            if target == ReportState.RETURNED:
                annual_report_review(
                    report=report,
                    actor=hrss,
                    decision="return",
                    comment="请补充本年度承办竞赛的名称和参赛人数，并说明资金使用超出部分的来源。",
                )
            elif target == ReportState.COUNTY_APPROVED:
                annual_report_review(
                    report=report, actor=hrss, decision="approve", comment="经审核，同意报送市人力社保局。"
                )
        counts[ReportState(target).label] = counts.get(ReportState(target).label, 0) + 1
    return [f"{year}年度报告：" + "，".join(f"{label} {count} 份" for label, count in counts.items())]


@register_demo("annual_reports", order=65)
@transaction.atomic
def seed_demo_annual_reports() -> list[str]:
    if not TrainingBase.objects.filter(state__in=REPORTING_STATES).exists():
        return ["年度报告：暂无实训基地（认定发文后生成），未生成年度报告。"]
    city = User.objects.filter(username="city_hrss").first()
    if city is None:
        return ["年度报告：缺少演示账号 city_hrss，未生成。"]
    year = timezone.localdate().year
    if AnnualReport.objects.filter(year=year).exists():
        return []  # seeded by an earlier run
    lines = []
    for earlier in (year - 2, year - 1):
        if not TrainingBase.objects.filter(approved_at__lt=opens_at(earlier)).exists():
            continue
        filed = _earlier_year(earlier, city)
        lines.append(f"{earlier}年度报告：{filed} 份已备案")
    return lines + _current_year(year, city)
