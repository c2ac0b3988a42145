"""Dashboard panels of the decision: city HRSS (decisions to draft, issue or release), city finance
(drafts to co-sign), units (approval letters available)."""

from django.db.models import Count, Q

from applications.enums import BatchState
from applications.models import Batch
from shaoxing_bases.core.dashboard import Panel, register_panel

from . import rules  # noqa: F401  - the permissions the panels name
from .enums import DecisionState
from .selectors import decisions_awaiting_cosign, letters_of_unit


def _city_hrss(user) -> dict | None:
    batches = list(
        Batch.objects.filter(state__in=(BatchState.PUBLICITY, BatchState.CONCLUDED))
        .select_related("decision")
        .annotate(
            held=Count("decision__outbox", filter=Q(decision__outbox__released_at__isnull=True)),
        )
        .order_by("-year")[:5]
    )
    rows = []
    for batch in batches:
        decision = getattr(batch, "decision", None)
        if batch.state == BatchState.PUBLICITY:
            if decision is None:
                todo = "待起草认定文件"
            elif decision.state == DecisionState.DRAFT:
                todo = "待市财政局会签" if not decision.declined_reason else "市财政局已退回，待修改"
            else:
                todo = "已会签，待印发"
        elif batch.held:
            todo = f"已印发，{batch.held}条通知待发送"
        else:
            continue
        rows.append({"batch": batch, "todo": todo})
    return {"rows": rows} if rows else None


def _city_finance(user) -> dict | None:
    drafts = decisions_awaiting_cosign()
    return {"drafts": drafts} if drafts else None


def _unit(user) -> dict | None:
    letters = letters_of_unit(user)
    return {"letters": letters} if letters else None


register_panel(
    Panel(
        "decisions_city_hrss",
        "认定发文",
        "review.issue_decision",
        "review/decisions/panels/city_hrss.html",
        _city_hrss,
        order=27,
    )
)
register_panel(
    Panel(
        "decisions_city_finance",
        "认定文件会签",
        "review.cosign_decision",
        "review/decisions/panels/city_finance.html",
        _city_finance,
        order=27,
    )
)
register_panel(
    Panel(
        "decisions_unit",
        "认定通知书",
        "applications.view_own_applications",
        "review/decisions/panels/unit.html",
        _unit,
        order=15,
    )
)
