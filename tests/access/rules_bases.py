"""Access rules of the training bases, their funding and assessments (reporting/bases/urls.py).

The public list, the statistics and their Excel downloads are open to everyone. Government staff
list the bases (a county its own); a unit opens its own base; county finance of the base's county
records funding; county HRSS of the base's county and city HRSS record assessments; only city HRSS
decides an exit. Evidence and exit notices answer 404 outside the base's audience.
"""

from django.utils import timezone

from reporting.assessments.services import AssessmentInput, assessment_decide_exit, assessment_record
from shaoxing_bases.accounts.enums import Role
from tests.access.matrix import PUBLIC, Rule
from tests.applications.factories import pdf_file
from tests.reporting.bases.conftest import make_base

from .rules_workflow import _unit_of

STAFF = frozenset(Role.staff_roles())
VIEWERS = STAFF | {Role.APPLICANT}
FUNDING_READERS = STAFF
COUNTY_FINANCE = frozenset({Role.COUNTY_FINANCE})
ASSESSORS = frozenset({Role.COUNTY_HRSS, Role.CITY_HRSS})
CITY_HRSS = frozenset({Role.CITY_HRSS})


def _base_for(user):
    """A base in 越城区 (the matrix's county); the acting applicant's own when it is one."""
    if user is not None and user.role == Role.APPLICANT:
        unit = _unit_of(user)
        # A unit applies once per batch: each of its bases comes from a batch of another year.
        taken = set(unit.applications.values_list("batch__year", flat=True))
        year = next(year for year in range(2022, 2100) if year not in taken)
        return make_base(unit=unit, year=year)
    return make_base()


def _base(user, users):
    return {"pk": _base_for(user).pk}


def _assessment(user, users, *, result="passed", evidence=False, decided=False):
    base = _base_for(user)
    data = AssessmentInput(
        assessed_on=timezone.localdate(),
        scope="年度考核",
        findings="培训规模不达标。",
        result=result,
        reasons="连续两年未达标。" if result == "exit" else "",
    )
    assessment = assessment_record(
        base=base,
        actor=users[Role.COUNTY_HRSS],
        data=data,
        evidence=pdf_file("考核记录.pdf") if evidence else None,
    )
    if decided:
        assessment = assessment_decide_exit(assessment=assessment, actor=users[Role.CITY_HRSS], approve=True)
    return {"pk": assessment.pk}


def _proposal(user, users):
    return _assessment(user, users, result="exit")


def _with_evidence(user, users):
    return _assessment(user, users, evidence=True)


def _decided_exit(user, users):
    return _assessment(user, users, result="exit", decided=True)


FUNDING = {
    "year": str(timezone.localdate().year),
    "amount": "300000.00",
    "purpose": "equipment",
    "document_reference": "越财社〔2026〕3号",
}
ASSESSMENT = {
    "assessed_on": timezone.localdate().isoformat(),
    "scope": "年度考核",
    "findings": "达标",
    "result": "passed",
}

RULES: dict[str, Rule] = {
    "bases:public_list": Rule(PUBLIC),
    "bases:statistics": Rule(PUBLIC),
    "bases:statistics_export": Rule(PUBLIC, kwargs=lambda user, users: {"chart": "by_county"}),
    "bases:list": Rule(STAFF),
    "bases:mine": Rule(frozenset({Role.APPLICANT})),
    "bases:detail": Rule(VIEWERS, kwargs=_base),
    "bases:funding": Rule(FUNDING_READERS),
    "bases:funding_export": Rule(FUNDING_READERS),
    "bases:funding_create": Rule(
        COUNTY_FINANCE, method="post", ok=302, kwargs=_base, data=FUNDING, effect="done"
    ),
    "bases:assessment_create": Rule(
        ASSESSORS, method="post", ok=302, kwargs=_base, data=ASSESSMENT, effect="done"
    ),
    "bases:exit_decide": Rule(
        CITY_HRSS, method="post", ok=302, kwargs=_proposal, data={"decision": "approve"}, effect="done"
    ),
    "bases:assessment_evidence": Rule(VIEWERS, denied=404, kwargs=_with_evidence),
    "bases:exit_notice": Rule(VIEWERS, denied=404, kwargs=_decided_exit),
}
