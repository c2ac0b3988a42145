"""Access rules of the publicity pages (review/publicity/urls.py and public_urls.py, clause 4.3).

The notice pages, the objection form, the receipt and the lookup are public (no personal data);
city HRSS publishes the notice and handles objections; city finance and administrators read them;
an expert opens only the objections assigned to them (their evidence answers 404 to anyone else).
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from review.panels.enums import MemberKind
from review.panels.models import Expert, PanelMember
from review.publicity.services import objection_assign, objection_file, publicity_render_pdf
from shaoxing_bases.accounts.enums import Role
from tests.access.matrix import CITY_AND_ADMIN, PUBLIC, Rule
from tests.review.panels.conftest import make_expert
from tests.review.publicity.conftest import confirmed_batch, objection_input, publish

CITY_HRSS = frozenset({Role.CITY_HRSS})
EXPERT = frozenset({Role.EXPERT})
CITY_ADMIN_EXPERT = CITY_AND_ADMIN | EXPERT


def _notice(user, users):
    return {"pk": publish(applications=1).pk}


def _notice_with_pdf(user, users):
    publicity = publish(applications=1)
    publicity_render_pdf(publicity_id=publicity.pk)
    return {"pk": publicity.pk}


def _ready_batch(user, users):
    batch, _manager = confirmed_batch(applications=1)
    return {"batch_pk": batch.pk}


def _objection(users, *, assigned: bool = False, evidence: bool = False):
    """An objection on a fresh notice; assigned to the matrix expert (a member of the panel)."""
    publicity = publish(applications=1)
    upload = (
        SimpleUploadedFile("证明.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
        if evidence
        else None
    )
    # A phone and an address of its own, so that the matrix's many filings stay under the rate limits.
    objection = objection_file(
        publicity=publicity,
        data=objection_input(publicity, phone=f"139{publicity.pk:08d}"),
        evidence=upload,
        client_ip=f"192.0.{publicity.pk // 250 % 250}.{publicity.pk % 250}",
    )
    if assigned:
        matrix_expert = users[Role.EXPERT]
        expert = Expert.objects.filter(user=matrix_expert).first()
        if expert is None:
            expert = make_expert("矩阵专家")
            expert.user = matrix_expert
            expert.save()
        PanelMember.objects.create(panel=publicity.batch.panel, kind=MemberKind.EXPERT, expert=expert)
        objection = objection_assign(objection=objection, actor=users[Role.CITY_HRSS], reviewer=matrix_expert)
    return objection


def _received(user, users):
    return {"pk": _objection(users).pk}


def _assigned(user, users):
    return {"pk": _objection(users, assigned=True).pk}


def _assigned_with_evidence(user, users):
    return {"pk": _objection(users, assigned=True, evidence=True).pk}


RULES: dict[str, Rule] = {
    "gongshi:list": Rule(PUBLIC),
    "gongshi:notice": Rule(PUBLIC, kwargs=_notice),
    # Nothing typed: the notice again with the form's errors.
    "gongshi:file_objection": Rule(PUBLIC, method="post", kwargs=_notice),
    "gongshi:notice_pdf": Rule(PUBLIC, kwargs=_notice_with_pdf),
    # No objection filed in this session: on to the lookup.
    "gongshi:receipt": Rule(PUBLIC, ok=302),
    "gongshi:lookup": Rule(PUBLIC),
    "review:publicity_list": Rule(CITY_AND_ADMIN),
    "review:publicity_start": Rule(CITY_HRSS, kwargs=_ready_batch),
    "review:publicity": Rule(CITY_AND_ADMIN, kwargs=_notice),
    "review:my_objections": Rule(EXPERT),
    "review:objection": Rule(CITY_ADMIN_EXPERT, kwargs=_assigned),
    # No expert chosen: city HRSS re-examines itself.
    "review:objection_assign": Rule(CITY_HRSS, method="post", ok=302, kwargs=_received, effect="done"),
    "review:objection_opinion": Rule(
        EXPERT,
        method="post",
        ok=302,
        kwargs=_assigned,
        data={"opinion": "经查阅材料，异议不成立。"},
        effect="done",
    ),
    "review:objection_decide": Rule(
        CITY_HRSS,
        method="post",
        ok=302,
        kwargs=_assigned,
        data={"outcome": "dismissed", "findings": "经核实，该单位培训台账真实完整，异议不成立。"},
        effect="done",
    ),
    "review:objection_evidence": Rule(CITY_ADMIN_EXPERT, denied=404, kwargs=_assigned_with_evidence),
}
