"""Access rules of the decision pages (review/decisions/urls.py, clause 4.3).

City HRSS drafts and issues, city finance co-signs or sends back, city staff release the held
notifications, city staff and administrators read the page. A unit reads the issued notice of a
decision it is on and its own approval letter; everyone else gets 404 for those (official documents).
"""

from django.core.files.base import ContentFile

from review.decisions.models import ApprovalLetter, Decision
from review.decisions.services import decision_issue
from shaoxing_bases.accounts.enums import Role
from tests.access.matrix import CITY_AND_ADMIN, Rule
from tests.review.decisions.conftest import cosigned, draft, make_publicity_batch

CITY_HRSS = frozenset({Role.CITY_HRSS})
CITY_FINANCE = frozenset({Role.CITY_FINANCE})
CITY_STAFF = CITY_HRSS | CITY_FINANCE
READERS = CITY_AND_ADMIN | {Role.APPLICANT}
PDF = b"%PDF-1.7\n%%EOF\n"


def _batch(user, users):
    return {"batch_pk": make_publicity_batch(applications=1).pk}


def _draft(user, users):
    return {"pk": draft(make_publicity_batch(applications=1), users[Role.CITY_HRSS]).pk}


def _cosigned(user, users):
    batch = make_publicity_batch(applications=1)
    return {"pk": cosigned(batch, users[Role.CITY_HRSS], users[Role.CITY_FINANCE]).pk}


def _issued(users) -> Decision:
    """An issued decision whose one approved unit is the matrix applicant's unit."""
    batch = make_publicity_batch(applications=1)
    decision = decision_issue(
        decision=cosigned(batch, users[Role.CITY_HRSS], users[Role.CITY_FINANCE]), actor=users[Role.CITY_HRSS]
    )
    applicant = users[Role.APPLICANT]
    applicant.unit = decision.items.get().application.unit
    applicant.save(update_fields=["unit"])
    return decision


def _issued_decision(user, users):
    return {"pk": _issued(users).pk}


def _issued_with_pdf(user, users):
    decision = _issued(users)
    decision.pdf.save("notice.pdf", ContentFile(PDF), save=True)
    return {"pk": decision.pk}


def _letter(user, users):
    letter = ApprovalLetter.objects.get(decision=_issued(users))
    letter.pdf.save("letter.pdf", ContentFile(PDF), save=True)
    return {"pk": letter.pk}


def _draft_data() -> dict:
    from django.utils import timezone

    return {
        "title": "关于公布实训基地名单的通知",
        "body": "现确定附件所列单位为实训基地。",
        "decision_date": timezone.localdate().isoformat(),
    }


class _DraftData(dict):
    """Today's date, read when the rule is used (the matrix is collected once per run)."""

    def __init__(self) -> None:
        super().__init__(_draft_data())


DRAFT_DATA = _DraftData()

RULES: dict[str, Rule] = {
    "review:decision_list": Rule(CITY_AND_ADMIN),
    "review:decision": Rule(CITY_AND_ADMIN, kwargs=_batch),
    "review:decision_draft": Rule(
        CITY_HRSS, method="post", ok=302, kwargs=_batch, effect="done", data=DRAFT_DATA
    ),
    "review:decision_cosign": Rule(
        CITY_FINANCE, method="post", ok=302, kwargs=_draft, effect="done", data={"comment": "同意。"}
    ),
    "review:decision_decline": Rule(
        CITY_FINANCE, method="post", ok=302, kwargs=_draft, effect="done", data={"reason": "请修改正文。"}
    ),
    "review:decision_issue": Rule(CITY_HRSS, method="post", ok=302, kwargs=_cosigned, effect="done"),
    "review:decision_release": Rule(
        CITY_STAFF, method="post", ok=302, kwargs=_issued_decision, effect="done"
    ),
    "review:decision_notice": Rule(READERS, denied=404, kwargs=_issued_decision),
    "review:decision_pdf": Rule(READERS, denied=404, kwargs=_issued_with_pdf),
    "review:approval_letter": Rule(READERS, denied=404, kwargs=_letter),
}
