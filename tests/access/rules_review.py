"""Access rules of the county screening pages (review/urls.py, clause 4.1).

County HRSS screens and assembles the list; county finance co-signs it; city staff and
administrators read every county's list and letter. The matrix's county users sit in 越城区, where
the factories register units. The letter answers 404 (not 403) to everyone outside its scope.
"""

from django.core.files.base import ContentFile

from applications.enums import ApplicationState
from review.screening.enums import RecommendationState
from review.screening.models import Recommendation, RecommendationEntry
from shaoxing_bases.accounts.enums import Role
from tests.access.matrix import CITY_AND_ADMIN, Rule
from tests.applications.factories import ApplicationFactory, BatchFactory
from tests.factories import county_list_for, region

HRSS = frozenset({Role.COUNTY_HRSS})
FINANCE = frozenset({Role.COUNTY_FINANCE})
COUNTY = frozenset(Role.county_roles())
COUNTY_CITY_ADMIN = COUNTY | CITY_AND_ADMIN


def _submitted(user, users):
    return {"pk": ApplicationFactory(state=ApplicationState.SUBMITTED).pk}


def _batch(user, users):
    return {"batch_pk": BatchFactory(state="open").pk}


def _recommendation(state=RecommendationState.DRAFT):
    recommendation = county_list_for(batch=BatchFactory(state="open"), region=region("330602"))
    Recommendation.objects.filter(pk=recommendation.pk).update(state=state)
    recommendation.refresh_from_db()
    return recommendation


def _draft_list(user, users):
    return {"pk": _recommendation().pk}


def _entry(user, users):
    recommendation = _recommendation()
    application = ApplicationFactory(batch=recommendation.batch, state=ApplicationState.RECOMMENDED)
    entry = RecommendationEntry.objects.create(
        recommendation=recommendation, application=application, rank=1, opinion="同意推荐"
    )
    return {"pk": entry.pk}


def _second_entry(user, users):
    """The second of two candidates (moving it up changes the order)."""
    first = RecommendationEntry.objects.get(pk=_entry(user, users)["pk"])
    application = ApplicationFactory(batch=first.recommendation.batch, state=ApplicationState.RECOMMENDED)
    entry = RecommendationEntry.objects.create(
        recommendation=first.recommendation, application=application, rank=2, opinion="同意推荐"
    )
    return {"pk": entry.pk}


def _step(user, users):
    return {"pk": _recommendation().pk, "action": "request_cosign"}


def _letter(user, users):
    recommendation = _recommendation(RecommendationState.SUBMITTED_TO_CITY)
    recommendation.letter.save("letter.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=False)
    recommendation.save(update_fields=["letter"])
    return {"pk": recommendation.pk}


RULES: dict[str, Rule] = {
    "review:queue": Rule(HRSS),
    "review:screen": Rule(HRSS, kwargs=_submitted),
    # Judgements only ("仅保存判断"): the empty factory application has nothing to judge, so nothing
    # is written, and the page says the judgements are saved.
    "review:decide": Rule(
        HRSS,
        method="post",
        ok=302,
        kwargs=_submitted,
        data={"decision": "return", "reason": "请补充材料"},
        effect="done",
    ),
    "review:finance_queue": Rule(FINANCE),
    "review:finance_opinion": Rule(FINANCE, kwargs=_submitted),
    "review:recommendations": Rule(COUNTY),
    # Before a list exists: a page saying so (a GET creates nothing).
    "review:recommendation_for_batch": Rule(COUNTY, kwargs=_batch),
    "review:recommendation_start": Rule(HRSS, method="post", ok=302, kwargs=_batch, effect="done"),
    "review:recommendation": Rule(COUNTY_CITY_ADMIN, kwargs=_draft_list),
    # An empty form re-renders the list page with the error.
    "review:entry_add": Rule(HRSS, method="post", kwargs=_draft_list),
    "review:entry_update": Rule(
        HRSS, method="post", ok=302, kwargs=_entry, data={"opinion": "同意推荐，已补充说明"}, effect="done"
    ),
    "review:entry_move": Rule(
        HRSS, method="post", ok=302, kwargs=_second_entry, data={"direction": "up"}, effect="done"
    ),
    "review:entry_remove": Rule(HRSS, method="post", ok=302, kwargs=_entry, effect="done"),
    # 提请会签 of an empty list: refused with a message on the page (county finance: 403 from the service).
    "review:transition": Rule(HRSS, method="post", kwargs=_step, perm="review.compile_recommendation"),
    "review:letter": Rule(COUNTY_CITY_ADMIN, denied=404, kwargs=_letter),
    # No file chosen: the list page comes back with the error beside the file input.
    "review:signed_scan_upload": Rule(HRSS, method="post", kwargs=_letter),
    "review:signed_scan": Rule(COUNTY_CITY_ADMIN, denied=404, kwargs=_letter, ok=302),
    "review:city_overview": Rule(CITY_AND_ADMIN),
}
