"""The decision in `make bench`: the city's decision list, and the decision notice's render cost
against a bare WeasyPrint render of the same characters (the issue asks for ≤ 3×)."""

import html
import re

from django.db import transaction

from shaoxing_bases.core.benchmarking import Target, register_targets
from shaoxing_bases.core.cost_benchmarks import CostRatio, _median_seconds_pair, register_cost
from shaoxing_bases.documents.rendering import html_to_pdf

register_targets(Target("认定发文（市人力社保局）", "/review/decisions/", "city_hrss"))


@register_cost
def measure_decision_notice(repeats: int = 3) -> CostRatio | None:
    """The sample notice (eight bases, GB/T 9704) against one plain CJK paragraph of its text."""
    from .documents import _sample_decision, render_decision_notice_html

    with transaction.atomic():
        document_html = render_decision_notice_html(_sample_decision())
        transaction.set_rollback(True)
    text = re.sub(r"\s+", " ", re.sub(r"<style.*?</style>|<[^>]+>", " ", document_html, flags=re.S)).strip()
    bare_html = (
        '<html lang="zh-CN"><body><p style="font-family: \'Noto Serif CJK SC\'; font-size: 16pt">'
        f"{html.escape(text)}</p></body></html>"
    )
    ours, bare = _median_seconds_pair(
        lambda: html_to_pdf(document_html), lambda: html_to_pdf(bare_html), repeats
    )
    return CostRatio("认定文件 PDF", ours, bare, f"{len(text)} 字")
