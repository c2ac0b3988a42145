"""The expert review's pages in `make bench`, and the ranking's cost against one SQL aggregate."""

from shaoxing_bases.core.benchmarking import Target, register_targets
from shaoxing_bases.core.cost_benchmarks import CostRatio, _median_seconds_pair, register_cost


class _LazyTarget:
    """A page whose address depends on the data (a sheet, a panel): found when the bench runs."""

    expected_status = 200

    def __init__(self, label: str, username: str, find, fallback: str) -> None:
        self.label, self.username, self._find, self._fallback = label, username, find, fallback

    @property
    def path(self) -> str:
        """The page, or (no such data yet) the list it is reached from."""
        return self._find() or self._fallback

    @property
    def identity(self) -> str:
        return self.username


def _largest_panel(*, finished: bool = False):
    from django.db.models import Count

    from .enums import PanelState
    from .models import Panel

    panels = Panel.objects.annotate(n=Count("sheets")).order_by("-n", "pk")
    if finished:
        panels = panels.filter(state__in=PanelState.finished())
    return panels.first()


def scoring_page_path() -> str | None:
    """The scoring page of one of expert1's declared sheets."""
    from .enums import SheetState
    from .models import ScoreSheet

    sheet = (
        ScoreSheet.objects.filter(
            state__in=(SheetState.DECLARED, SheetState.SUBMITTED), member__expert__user__username="expert1"
        )
        .order_by("state", "pk")
        .first()
    )
    return f"/review/sheets/{sheet.pk}/" if sheet else None


def ranking_page_path() -> str | None:
    panel = _largest_panel(finished=True)
    return f"/review/panels/{panel.pk}/ranking/" if panel else None


register_targets(
    Target("我的评审（评审专家）", "/review/my/", "expert1"),
    Target("评审组（市人力社保局）", "/review/panels/", "city_hrss"),
    _LazyTarget("评分页（评审专家）", "expert1", scoring_page_path, "/review/my/"),  # type: ignore[arg-type]
    _LazyTarget("评审排名（市人力社保局）", "city_hrss", ranking_page_path, "/review/panels/"),  # type: ignore[arg-type]
)


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
