"""The county screening's pages in `make bench`, and the county letter against bare WeasyPrint."""

from shaoxing_bases.core.benchmarking import Target, register_targets
from shaoxing_bases.core.cost_benchmarks import CostRatio, bare_pdf_html, measure_pdf_pair, register_cost


class _LazyTarget:
    """A page whose address depends on the data (a county's list): found when the bench runs."""

    expected_status = 200

    def __init__(self, label: str, username: str, find, fallback: str) -> None:
        self.label, self.username, self._find, self._fallback = label, username, find, fallback

    @property
    def path(self) -> str:
        return self._find() or self._fallback

    @property
    def identity(self) -> str:
        return self.username


def _newest_list(county: str):
    from .models import Recommendation

    return (
        Recommendation.objects.filter(region__code=county)
        .select_related("batch", "region")
        .order_by("-batch__year")
        .first()
    )


def _list_path(county: str):
    def find() -> str | None:
        found = _newest_list(county)
        return f"/review/recommendations/{found.pk}/" if found else None

    return find


register_targets(
    Target("区县初审队列（越城区人力社保局）", "/review/", "yuecheng_hrss"),
    Target("各区县推荐情况（市人力社保局）", "/review/city/", "city_hrss"),
    Target("申报单位列表（市人力社保局）", "/units/", "city_hrss"),
    _LazyTarget(  # type: ignore[arg-type]
        "推荐名单（越城区人力社保局）", "yuecheng_hrss", _list_path("330602"), "/review/recommendations/"
    ),
    _LazyTarget(  # type: ignore[arg-type]
        "推荐名单·长名单（柯桥区人力社保局）", "keqiao_hrss", _list_path("330603"), "/review/recommendations/"
    ),
)


@register_cost
def measure_long_letter(repeats: int = 3) -> CostRatio | None:
    """The county letter of the longest list (300 units at scale) against bare WeasyPrint."""
    from django.db.models import Count

    from shaoxing_bases.documents.rendering import render_html

    from .documents import LETTER_TEMPLATE, recommendation_letter_context
    from .models import Recommendation

    recommendation = (
        Recommendation.objects.annotate(n=Count("entries"))
        .filter(n__gt=0)
        .select_related("batch", "region")
        .order_by("-n", "pk")
        .first()
    )
    if recommendation is None:
        return None
    document_html = render_html(LETTER_TEMPLATE, recommendation_letter_context(recommendation))
    return measure_pdf_pair(
        f"区县推荐函 PDF（{recommendation.n} 个单位）",
        lambda: render_html(LETTER_TEMPLATE, recommendation_letter_context(recommendation)),
        bare_pdf_html(document_html),
        repeats,
    )
