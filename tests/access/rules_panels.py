"""Access rules of the expert review pages (review/panels/urls.py, clause 4.2).

City HRSS keeps the pool, forms the panel, opens and closes scoring and confirms the shortlist; city
finance and administrators read the panel (administrators also keep the pool); an expert opens only
the sheets assigned to them and the ranking of their own panel once it has closed. The summary PDF
and the evidence files answer 404 (not 403) outside their audience.
"""

from django.core.files.base import ContentFile

from applications.models import Attachment
from review.panels.enums import MemberKind
from review.panels.models import Expert, PanelMember
from review.panels.services import panel_close, panel_open_scoring, sheet_declare
from shaoxing_bases.accounts.enums import Role
from tests.access.matrix import CITY_AND_ADMIN, Rule
from tests.review.panels.conftest import ALL_STATEMENTS, make_expert, make_panel, score_all

CITY_HRSS = frozenset({Role.CITY_HRSS})
POOL_KEEPERS = frozenset({Role.CITY_HRSS, Role.ADMIN})
EXPERT = frozenset({Role.EXPERT})
CITY_ADMIN_EXPERT = CITY_AND_ADMIN | EXPERT


def _manager(users):
    return users[Role.CITY_HRSS]


def _matrix_expert(users) -> Expert:
    """The matrix's expert account in the pool (one entry, however often a rule asks for it)."""
    user = users[Role.EXPERT]
    expert = Expert.objects.filter(user=user).first()
    return expert or make_expert("矩阵专家", employer="绍兴市技师学院")


def _panel_with_matrix_expert(users, *, state="forming"):
    panel = make_panel(experts=2, applications=1)
    expert = Expert.objects.filter(user=users[Role.EXPERT]).first()
    if expert is None:
        expert = make_expert("矩阵专家")
        expert.user = users[Role.EXPERT]
        expert.save()
    PanelMember.objects.create(panel=panel, kind=MemberKind.EXPERT, expert=expert)
    if state != "forming":
        panel = panel_open_scoring(panel=panel, actor=_manager(users))
    if state == "closed":
        score_all(panel)
        panel = panel_close(panel=panel, actor=_manager(users))
    return panel, expert


def _expert(user, users):
    return {"pk": make_expert("待修改").pk}


def _forming(user, users):
    panel = make_panel(experts=3, applications=1)
    make_expert("库中专家")  # someone left to draw
    return {"pk": panel.pk}


def _member(user, users):
    panel = make_panel(experts=3, applications=1)
    return {"pk": panel.members.filter(kind=MemberKind.EXPERT).first().pk}


def _scoring(user, users):
    return {"pk": _panel_with_matrix_expert(users, state="scoring")[0].pk}


def _closed(user, users):
    return {"pk": _panel_with_matrix_expert(users, state="closed")[0].pk}


def _sheet(user, users, *, declared=False):
    panel, expert = _panel_with_matrix_expert(users, state="scoring")
    sheet = panel.sheets.select_related("member__expert__user", "application__unit").get(
        member__expert=expert
    )
    if declared:
        sheet = sheet_declare(sheet=sheet, actor=users[Role.EXPERT], statements=ALL_STATEMENTS)
    return sheet


def _assigned_sheet(user, users):
    return {"pk": _sheet(user, users).pk}


def _declared_sheet(user, users):
    return {"pk": _sheet(user, users, declared=True).pk}


def _evidence(user, users):
    sheet = _sheet(user, users, declared=True)
    attachment = Attachment(
        application=sheet.application,
        section="training",
        original_name="培训台账.pdf",
        content_type="application/pdf",
        size=15,
        sha256="0" * 64,
        uploaded_by=users[Role.EXPERT],
    )
    attachment.file.save("ledger.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    attachment.save()
    return {"pk": sheet.pk, "attachment_pk": attachment.pk}


RULES: dict[str, Rule] = {
    "review:expert_list": Rule(CITY_AND_ADMIN),
    "review:expert_create": Rule(POOL_KEEPERS),
    "review:expert_edit": Rule(POOL_KEEPERS, kwargs=_expert),
    "review:expert_import": Rule(POOL_KEEPERS),
    "review:expert_export": Rule(CITY_AND_ADMIN),
    "review:panel_list": Rule(CITY_AND_ADMIN),
    "review:panel": Rule(CITY_AND_ADMIN, kwargs=_forming),
    "review:panel_draw": Rule(
        CITY_HRSS, method="post", ok=302, kwargs=_forming, data={"count": "1"}, effect="done"
    ),
    # Neither an expert nor a member of staff chosen: the page again, with the service's message.
    "review:member_add": Rule(CITY_HRSS, method="post", kwargs=_forming),
    "review:member_remove": Rule(CITY_HRSS, method="post", ok=302, kwargs=_member, effect="done"),
    "review:panel_mode": Rule(
        CITY_HRSS, method="post", ok=302, kwargs=_forming, data={"mode": "vote"}, effect="done"
    ),
    "review:rubric": Rule(CITY_AND_ADMIN, kwargs=_forming),
    "review:panel_open": Rule(CITY_HRSS, method="post", ok=302, kwargs=_forming, effect="done"),
    "review:progress": Rule(CITY_AND_ADMIN, kwargs=_scoring),
    # Sheets are outstanding: refused with the message.
    "review:panel_close": Rule(CITY_HRSS, method="post", ok=302, kwargs=_scoring, effect="refused"),
    "review:ranking": Rule(CITY_ADMIN_EXPERT, kwargs=_closed),
    "review:confirm_shortlist": Rule(
        CITY_HRSS,
        method="post",
        ok=302,
        kwargs=_closed,
        data={"comment": "同意评审组意见。"},
        effect="done",
    ),
    "review:panel_export": Rule(CITY_AND_ADMIN, kwargs=_closed),
    "review:panel_summary": Rule(CITY_AND_ADMIN, denied=404, kwargs=_closed),
    "review:my_sheets": Rule(EXPERT),
    "review:sheet": Rule(EXPERT, kwargs=_assigned_sheet),
    "review:sheet_declare": Rule(
        EXPERT,
        method="post",
        ok=302,
        kwargs=_assigned_sheet,
        data={"statements": sorted(ALL_STATEMENTS)},
        effect="done",
    ),
    "review:sheet_recuse": Rule(
        EXPERT, method="post", ok=302, kwargs=_assigned_sheet, data={"reason": "board"}, effect="done"
    ),
    # The draft button answers the page again (a draft is no decision: nothing is audited).
    "review:sheet_save": Rule(EXPERT, method="post", kwargs=_declared_sheet),
    # Nothing scored: refused beside each field, the page again with what was typed.
    "review:sheet_submit": Rule(EXPERT, method="post", kwargs=_declared_sheet),
    "review:sheet_evidence": Rule(EXPERT, denied=404, kwargs=_evidence),
}
