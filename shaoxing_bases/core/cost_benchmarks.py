"""Cost of our documents and exports as a ratio to the bare library doing the same work (DESIGN §10).

- PDF: rendering an official document through our templates (GB/T 9704 layout, CJK fonts) against a
  bare WeasyPrint render of the same text in one plain paragraph.
- Excel: the city's batch export through django-import-export against writing the same rows with
  openpyxl directly.

Each pair is timed alternately, several times, and the medians are compared; a ratio of 2.0 means
our way takes twice as long as the bare library.
"""

from __future__ import annotations

import html
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook

from shaoxing_bases.documents.rendering import html_to_pdf, render_html
from shaoxing_bases.documents.samples import specimen_context


@dataclass(frozen=True)
class CostRatio:
    label: str
    ours_seconds: float
    bare_seconds: float
    size: str

    @property
    def ratio(self) -> float:
        return self.ours_seconds / self.bare_seconds if self.bare_seconds else float("inf")


def _median_seconds_pair(
    ours: Callable[[], object], bare: Callable[[], object], repeats: int
) -> tuple[float, float]:
    ours(), bare()  # warm caches (templates, fonts) before timing either
    ours_times: list[float] = []
    bare_times: list[float] = []
    for _ in range(repeats):
        for run, times in ((ours, ours_times), (bare, bare_times)):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
    return statistics.median(ours_times), statistics.median(bare_times)


def document_text(document_html: str) -> str:
    """The characters a reader sees in ``document_html`` (styles and tags removed)."""
    without_styles = re.sub(r"<style.*?</style>", " ", document_html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", without_styles)).strip()


def bare_pdf_html(document_html: str) -> str:
    """The same text and length as ``document_html`` in one plain paragraph: what WeasyPrint alone costs."""
    return (
        '<html lang="zh-CN"><body><p style="font-family: \'Noto Serif CJK SC\'; font-size: 16pt">'
        f"{html.escape(document_text(document_html))}</p></body></html>"
    )


def pdf_page_count(pdf: bytes) -> int:
    """Pages of a PDF, read with pyHanko's reader (already a dependency, for the signatures)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(BytesIO(pdf)).root["/Pages"]["/Count"])


def measure_pdf_pair(label: str, make_html: Callable[[], str], bare_html: str, repeats: int = 3) -> CostRatio:
    """Our document (its context, template and PDF: ``html_to_pdf(make_html())``) against the bare
    render of ``bare_html``; the size column gives the characters, pages and bytes of ours."""
    ours_pdf = html_to_pdf(make_html())
    ours, bare = _median_seconds_pair(
        lambda: html_to_pdf(make_html()), lambda: html_to_pdf(bare_html), repeats
    )
    pages = pdf_page_count(ours_pdf)
    characters = len(document_text(make_html()))
    return CostRatio(label, ours, bare, f"{characters} 字，{pages} 页，{len(ours_pdf) // 1024} KB")


def measure_pdf(repeats: int = 3) -> CostRatio:
    """The GB/T 9704 specimen notice against the same characters in a bare WeasyPrint document."""
    context = specimen_context()
    document_html = render_html("documents/gbt9704_specimen.html", context)
    return measure_pdf_pair(
        "公文 PDF（GB/T 9704 样张）",
        lambda: render_html("documents/gbt9704_specimen.html", context),
        bare_pdf_html(document_html),
        repeats,
    )


def measure_excel(rows: list[list[object]], export: Callable[[], bytes], repeats: int = 3) -> CostRatio:
    """`export()` (our batch export) against openpyxl writing the same `rows` (header first)."""

    def bare() -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for row in rows:
            sheet.append(row)
        buffer = BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    ours, bare_seconds = _median_seconds_pair(export, bare, repeats)
    return CostRatio("申报汇总 Excel 导出", ours, bare_seconds, f"{len(rows) - 1} 行 × {len(rows[0])} 列")


def cost_table(results: list[CostRatio]) -> str:
    lines = ["| 项目 | 规模 | 本平台（秒） | 裸库（秒） | 相对裸库 |", "|---|---|---:|---:|---:|"]
    lines += [
        f"| {r.label} | {r.size} | {r.ours_seconds:.3f} | {r.bare_seconds:.3f} | {r.ratio:.2f} |"
        for r in results
    ]
    return "\n".join(lines)


#: Cost measures the areas register (their exports, their documents): ``(repeats) -> CostRatio | None``.
_costs: list[Callable[[int], CostRatio | None]] = []


def register_cost(measure: Callable[[int], CostRatio | None]) -> Callable[[int], CostRatio | None]:
    """Decorator: add a cost measure (None from it means "nothing to measure at this data size")."""
    if measure not in _costs:
        _costs.append(measure)
    return measure


def measure_costs(repeats: int = 3) -> list[CostRatio]:
    results = [measure_pdf(repeats=repeats)]
    for measure in _costs:
        result = measure(repeats)
        if result is not None:
            results.append(result)
    return results
