"""The expert review's pages in `make bench`, and the ranking's cost against one SQL aggregate."""

from shaoxing_bases.core.benchmarking import Target, register_targets
from shaoxing_bases.core.cost_benchmarks import CostRatio, _median_seconds_pair, register_cost

register_targets(
    Target("我的评审（评审专家）", "/review/my/", "expert1"),
    Target("评审组（市人社局）", "/review/panels/", "city_hrss"),
)


def _largest_panel():
    from django.db.models import Count

    from .models import Panel

    return Panel.objects.annotate(n=Count("sheets")).order_by("-n").first()


def scoring_page_path() -> str | None:
    """The scoring page of one declared sheet of expert1 (the demo) or of the largest panel."""
    from .enums import SheetState
    from .models import ScoreSheet

    sheet = (
        ScoreSheet.objects.filter(
            state__in=(SheetState.DECLARED, SheetState.SUBMITTED), member__expert__user__username="expert1"
        )
        .order_by("pk")
        .first()
    )
    return f"/review/sheets/{sheet.pk}/" if sheet else None


@register_cost
def measure_ranking(repeats: int = 3) -> CostRatio | None:
    """`panel_ranking` of the largest panel against one raw SQL aggregate over the same score rows
    (SUM of points per application): the ranking must stay within 3× of it."""
    from django.db import connection

    from .selectors import panel_ranking

    panel = _largest_panel()
    if panel is None or not panel.n:
        return None

    def bare() -> list:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.application_id, SUM(p.points), COUNT(*) FROM review_score p "
                "JOIN review_scoresheet s ON s.id = p.sheet_id WHERE s.panel_id = %s "
                "GROUP BY s.application_id",
                [panel.pk],
            )
            return cursor.fetchall()

    ours, bare_seconds = _median_seconds_pair(lambda: panel_ranking(panel), bare, repeats)
    rows = len(bare())
    return CostRatio(
        "评审排名计算（对比单条 SQL 聚合）", ours, bare_seconds, f"{panel.n} 份评分表，{rows} 个申报"
    )
