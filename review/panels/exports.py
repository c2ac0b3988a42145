"""The panel's Excel export: every score sheet (each indicator's points) and the ranking."""

from io import BytesIO

from openpyxl import Workbook

from applications.spreadsheets import excel_safe

from .models import Panel, ScoreSheet
from .resources import ScoreSheetResource
from .selectors import panel_ranking, ranking_experts


def panel_workbook(panel: Panel) -> bytes:
    """Two sheets: 评分表 (one row per sheet) and 评审排名 (one row per application)."""
    indicators = list(panel.indicators.all())
    sheets = (
        ScoreSheet.objects.filter(panel=panel)
        .select_related("application__unit", "member__expert")
        .prefetch_related("scores")
        .order_by("application__unit__name", "member__expert__name")
    )
    dataset = ScoreSheetResource(indicators=indicators).export(sheets, force_native_type=True)
    workbook = Workbook(write_only=True)
    first = workbook.create_sheet(title="评分表")
    first.append([excel_safe(header) for header in dataset.headers or []])
    for row in dataset:
        first.append([excel_safe(value) for value in row])
    experts = ranking_experts(panel)
    second = workbook.create_sheet(title="评审排名")
    score_label = "同意票数" if panel.votes else "最终得分"
    second.append(
        ["名次", "申报单位", "所在区县", score_label, *[member.name for member in experts], "提示", "拟入选"]
    )
    for row in panel_ranking(panel, with_sheets=True):
        cells = [row.cells.get(member.pk) for member in experts]
        second.append(
            [
                row.position,
                excel_safe(row.application.unit.name),
                row.application.unit.region.name,
                row.votes_for if panel.votes else row.score,
                *[
                    ("回避" if cell.recused else (cell.vote_label if panel.votes else cell.total))
                    if cell
                    else None
                    for cell in cells
                ],
                "；".join(row.flags),
                "是" if row.proposed else "否",
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
