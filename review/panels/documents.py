"""评审结果汇总表 (clause 4.2): the panel's ranking signed by its members, and its sample for
``render_samples``."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from shaoxing_bases.documents.registry import register_sample
from shaoxing_bases.documents.rendering import render_pdf

from .enums import MemberKind, ReviewMode
from .models import Panel
from .selectors import panel_members, panel_ranking

SUMMARY_TEMPLATE = "review/panels/documents/summary.html"


def summary_context(panel: Panel, rows=None, members=None) -> dict:
    """What the template reads; ``rows`` and ``members`` default to the panel's own."""
    batch = panel.batch
    rows = panel_ranking(panel) if rows is None else rows
    members = panel_members(panel) if members is None else members
    return {
        "title_lines": [f"{batch.year}年度绍兴市市级高技能人才", "公共实训基地建设项目评审结果汇总表"],
        "issuers": ["绍兴市人力资源和社会保障局", "绍兴市财政局"],
        "batch": batch,
        "votes": panel.votes,
        "mode_label": ReviewMode(panel.mode).label,
        "rows": rows,
        "members": members,
        "expert_count": sum(1 for member in members if member.kind == MemberKind.EXPERT),
        "submitted": sum(row.submitted_count for row in rows),
        "recused": sum(row.recused_count for row in rows),
        "confirmed": timezone.localdate(panel.confirmed_at) if panel.confirmed_at else None,
        "date": timezone.localdate(panel.closed_at or timezone.now()),
    }


def summary_pdf_bytes(panel: Panel) -> bytes:
    return render_pdf(SUMMARY_TEMPLATE, summary_context(panel))


@register_sample("panel_summary", "评审结果汇总表")
def panel_summary_sample() -> bytes:
    """A ranking of six units by a panel of five experts and two officials, rendered from rows made
    in memory (nothing is written to the database)."""
    from applications.models import Batch
    from shaoxing_bases.accounts.models import User

    from .models import Expert, PanelMember
    from .selectors import RankedApplication, RankedRegion, RankedUnit, RankingRow

    now = timezone.now()
    batch = Batch(
        year=2026,
        title="2026年度绍兴市市级高技能人才公共实训基地申报",
        quota=4,
        pass_mark=Decimal(60),
        opens_at=now - timedelta(days=90),
        submission_deadline=now - timedelta(days=60),
        screening_deadline=now - timedelta(days=40),
        scoring_deadline=now - timedelta(days=5),
    )
    panel = Panel(batch=batch, closed_at=now)
    names = [
        ("绍兴市越城区示范职业技术学校", "越城区", Decimal("88.40")),
        ("浙江越城智能装备制造有限公司", "越城区", Decimal("85.27")),
        ("绍兴柯桥纺织印染职业培训学校", "柯桥区", Decimal("81.93")),
        ("浙江上虞精细化工股份有限公司", "上虞区", Decimal("78.60")),
        ("诸暨市五金机械技工学校", "诸暨市", Decimal("74.33")),
        ("嵊州市厨具电器职业培训中心", "嵊州市", Decimal("58.67")),
    ]
    rows = []
    for position, (name, region, score) in enumerate(names, start=1):
        application = RankedApplication(position, RankedUnit(name, "", RankedRegion(region)), now, now)
        rows.append(
            RankingRow(
                application=application,
                position=position,
                score=score,
                submitted_count=5,
                proposed=position <= 4 and score >= 60,
            )
        )
    members = [
        PanelMember(kind=MemberKind.CITY_HRSS, user=User(username="sample_hrss", display_name="周建华")),
        PanelMember(
            kind=MemberKind.CITY_FINANCE, user=User(username="sample_finance", display_name="钱丽萍")
        ),
        *[
            PanelMember(kind=MemberKind.EXPERT, expert=Expert(name=expert, employer=employer))
            for expert, employer in (
                ("王建国", "绍兴职业技术学院"),
                ("李秀英", "浙江工业职业技术学院"),
                ("陈志强", "绍兴市技师学院"),
                ("赵红梅", "浙江越秀外国语学院"),
                ("孙立新", "绍兴市职业技能鉴定指导中心"),
            )
        ],
    ]
    return render_pdf(SUMMARY_TEMPLATE, summary_context(panel, rows, members))
