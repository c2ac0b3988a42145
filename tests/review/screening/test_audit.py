"""Every business action of the county screening lands in the audit trail with who, from where and
through which path; a probe of another county's ids leaves a permission-denied entry."""

import pytest
from django.urls import reverse

from applications.enums import ApplicationState
from review.screening.enums import JudgementOutcome, ScreeningDecision
from review.screening.models import Recommendation
from review.screening.services import clause_judge, recommendation_entry_add
from shaoxing_bases.audit.models import AuditAction, AuditEntry, AuditOutcome
from tests.factories import county_list_for

from .conftest import judge_all, needs_judgement_keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(screening_batch):
    return screening_batch


def _state_changes(after: int = 0):
    return AuditEntry.objects.filter(action=AuditAction.STATE_CHANGE, pk__gt=after).order_by("pk")


def _mark() -> int:
    """The newest entry so far: set-up through the services writes entries of its own."""
    last = AuditEntry.objects.order_by("-pk").first()
    return last.pk if last else 0


def _assert_from_the_request(entry, user, path):
    assert entry.actor == user
    assert entry.outcome == AuditOutcome.SUCCESS
    assert entry.ip_address == "127.0.0.1"
    assert entry.path == path


@pytest.mark.parametrize(
    ("decision", "reason"),
    [
        (ScreeningDecision.RECOMMEND, ""),
        (ScreeningDecision.RETURN, "请补充材料"),
        (ScreeningDecision.REJECT, "不符合条件"),
    ],
)
def test_decision_is_audited_with_ip_and_path(client, submitted, hrss, decision, reason):
    application = submitted()
    judge_all(application, hrss)
    mark = _mark()
    client.force_login(hrss)
    url = reverse("review:decide", args=[application.pk])
    assert client.post(url, {"decision": decision, "reason": reason}).status_code == 302
    entry, *listed = _state_changes(mark)
    _assert_from_the_request(entry, hrss, url)
    assert entry.summary == f"初审结论：{ScreeningDecision(decision).label}"
    assert (entry.detail["model"], entry.detail["pk"]) == ("applications.Application", application.pk)
    assert entry.detail["decision"] == decision
    assert application.unit.name in entry.object_repr
    if decision == ScreeningDecision.RECOMMEND:
        # Recommended means on the county's draft list at once: its own entry, same request.
        (put_on_the_list,) = listed
        _assert_from_the_request(put_on_the_list, hrss, url)
        assert put_on_the_list.detail["application"] == application.pk
    else:
        assert listed == []


def test_refused_decision_is_not_audited_as_a_change(client, submitted, hrss):
    application = submitted()
    mark = _mark()
    client.force_login(hrss)
    response = client.post(reverse("review:decide", args=[application.pk]), {"decision": "recommend"})
    assert response.status_code == 200  # judgements missing
    assert not _state_changes(mark).exists()


def test_clause_judgement_is_audited_with_the_previous_call(client, submitted, hrss):
    application = submitted()
    key = needs_judgement_keys(application)[0]
    mark = _mark()
    client.force_login(hrss)
    url = reverse("review:decide", args=[application.pk])
    client.post(url, {"save_only": "1", f"{key}-outcome": "confirmed"})
    client.post(url, {"save_only": "1", f"{key}-outcome": "overridden", f"{key}-note": "制度文件未盖章"})
    entries = list(_state_changes(mark))
    assert [entry.detail["outcome"] for entry in entries] == ["confirmed", "overridden"]
    for entry in entries:
        _assert_from_the_request(entry, hrss, url)
        assert entry.detail["key"] == key
        assert entry.summary.startswith("条款判断")
    assert entries[0].detail["previous"] is None
    assert entries[1].detail["previous"]["outcome"] == "confirmed"
    assert entries[1].detail["note"] == "制度文件未盖章"


def test_the_service_audits_itself_even_without_a_request(submitted, hrss):
    """Auditing is the service's job, not the view's: called from anywhere, it leaves its entry
    (with no IP or path outside a request)."""
    application = submitted()
    mark = _mark()
    clause_judge(
        application=application,
        actor=hrss,
        key=needs_judgement_keys(application)[0],
        outcome=JudgementOutcome.CONFIRMED,
    )
    entry = _state_changes(mark).get()
    assert entry.actor == hrss
    assert (entry.ip_address, entry.path) == (None, "")


def test_each_step_of_the_list_is_audited_with_ip_and_path(client, batch, submitted, hrss, finance):
    recommendation = county_list_for(batch=batch, region=hrss.region)
    recommendation_entry_add(
        recommendation=recommendation,
        actor=hrss,
        application=submitted(state=ApplicationState.RECOMMENDED),
        opinion="同意推荐",
    )
    steps = [
        (hrss, "request_cosign", {}, "提请财政会签"),
        (finance, "send_back", {"comment": "请补充经费说明"}, "财政退回推荐名单"),
        (hrss, "request_cosign", {}, "提请财政会签"),
        (hrss, "recall", {}, "撤回会签申请"),
        (hrss, "request_cosign", {}, "提请财政会签"),
        (finance, "cosign", {"comment": "同意"}, "财政会签"),
        (hrss, "submit", {}, "报送市人力社保局"),
    ]
    mark = _mark()
    for user, action, data, _summary in steps:
        client.force_login(user)
        response = client.post(reverse("review:transition", args=[recommendation.pk, action]), data)
        assert response.status_code == 302, action
    # The letter is rendered by the (eager) task after the report: the system's own entry, last.
    entries = [entry for entry in _state_changes(mark) if entry.actor is not None]
    assert [entry.summary for entry in entries] == [summary for *_, summary in steps]
    for entry, (user, action, data, _summary) in zip(entries, steps, strict=True):
        _assert_from_the_request(entry, user, reverse("review:transition", args=[recommendation.pk, action]))
        assert (entry.detail["model"], entry.detail["pk"]) == ("review.Recommendation", recommendation.pk)
        if data.get("comment"):
            assert entry.detail["comment"] == data["comment"]
    assert entries[-1].detail["state"] == "submitted_to_city"


def test_refused_step_is_not_audited_as_a_change(client, batch, hrss):
    recommendation = county_list_for(batch=batch, region=hrss.region)
    mark = _mark()
    client.force_login(hrss)
    response = client.post(reverse("review:transition", args=[recommendation.pk, "request_cosign"]))
    assert response.status_code == 200  # empty list
    assert not _state_changes(mark).exists()


# --- probing another county's ids ----------------------------------------------------------------


def _denials():
    return AuditEntry.objects.filter(action=AuditAction.PERMISSION_DENIED, outcome=AuditOutcome.DENIED)


def test_another_county_list_is_404_and_audited(client, batch, hrss, other_hrss, other_finance):
    recommendation = county_list_for(batch=batch, region=hrss.region)
    urls = [
        ("get", reverse("review:recommendation", args=[recommendation.pk])),
        ("get", reverse("review:letter", args=[recommendation.pk])),
        ("post", reverse("review:entry_add", args=[recommendation.pk])),
        ("post", reverse("review:transition", args=[recommendation.pk, "request_cosign"])),
    ]
    client.force_login(other_hrss)
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, url
    assert sorted(_denials().values_list("path", flat=True)) == sorted(url for _, url in urls)
    assert all(entry.actor == other_hrss for entry in _denials())
    assert all(entry.detail["model"] == "review.Recommendation" for entry in _denials())


def test_another_county_entry_and_application_are_404_and_audited(client, batch, submitted, hrss, other_hrss):
    recommendation = county_list_for(batch=batch, region=hrss.region)
    application = submitted(state=ApplicationState.RECOMMENDED)
    entry = recommendation_entry_add(
        recommendation=recommendation, actor=hrss, application=application, opinion="同意推荐"
    )
    pending = submitted()
    client.force_login(other_hrss)
    requests = [
        ("post", reverse("review:entry_update", args=[entry.pk]), {"opinion": "改"}),
        ("post", reverse("review:entry_move", args=[entry.pk]), {"direction": "up"}),
        ("post", reverse("review:entry_remove", args=[entry.pk]), {}),
        ("get", reverse("review:screen", args=[pending.pk]), {}),
        ("post", reverse("review:decide", args=[pending.pk]), {"save_only": "1"}),
        ("post", reverse("review:decide", args=[pending.pk]), {"decision": "return", "reason": "x"}),
    ]
    for method, url, data in requests:
        assert getattr(client, method)(url, data).status_code == 404, url
    assert _denials().count() == len(requests)
    assert Recommendation.objects.get(pk=recommendation.pk).entries.get().opinion == "同意推荐"


def test_an_id_that_does_not_exist_is_404_without_a_denial(client, hrss):
    client.force_login(hrss)
    assert client.get(reverse("review:recommendation", args=[987654])).status_code == 404
    assert not _denials().exists()
