"""The one 办理记录 timeline shared by the batch, application and recommendation pages."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_fsm_log.models import StateLog

from applications.enums import BatchState
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.timeline import SYSTEM_ACTOR, TimelineEntry, role_of, transition_timeline
from tests.applications.factories import BatchFactory

LABELS = dict(BatchState.choices)


def _log(batch, *, by=None, transition="open", source=BatchState.DRAFT, state=BatchState.OPEN, **fields):
    return StateLog.objects.create(
        content_object=batch, transition=transition, source_state=source, state=state, by=by, **fields
    )


@pytest.mark.parametrize("rows", [1, 5])
def test_transition_timeline_reads_the_history_in_one_query(django_assert_num_queries, make_user, rows):
    batch = BatchFactory()
    for _ in range(rows):
        _log(batch, by=make_user(Role.COUNTY_HRSS))
    with django_assert_num_queries(1):
        entries = transition_timeline(batch, LABELS)
    assert len(entries) == rows
    assert {entry.actor_role for entry in entries} == {"越城区人力社保局"}


@pytest.mark.django_db
def test_transition_timeline_entries_in_order_with_labels_and_description():
    batch = BatchFactory()
    now = timezone.now()
    _log(batch, transition="close_submissions", source=BatchState.OPEN, state=BatchState.SCREENING)
    _log(batch, description="第一行\n第二行")
    StateLog.objects.filter(transition="open").update(timestamp=now - timedelta(hours=1))
    entries = transition_timeline(batch, LABELS, transition_labels={"open": "开始申报"})
    assert [(entry.source, entry.target) for entry in entries] == [
        ("筹备中", "申报中"),
        ("申报中", "区县初审"),
    ]
    assert [entry.action for entry in entries] == ["开始申报", "close_submissions"]
    assert entries[0].description == "第一行\n第二行"


@pytest.mark.django_db
def test_transition_timeline_without_a_user_names_the_system():
    batch = BatchFactory()
    _log(batch)
    assert transition_timeline(batch, LABELS)[0].actor == SYSTEM_ACTOR
    assert transition_timeline(batch, LABELS, system_actor="系统")[0].actor == "系统"
    assert transition_timeline(batch, LABELS)[0].actor_role == ""


@pytest.mark.django_db
def test_transition_timeline_starts_with_the_opening_entry(make_user):
    batch = BatchFactory()
    _log(batch, by=make_user(Role.CITY_HRSS))
    opening = TimelineEntry(
        at=batch.created_at, actor="", actor_role="", source="", target="筹备中", description=""
    )
    entries = transition_timeline(batch, LABELS, opening=opening)
    assert entries[0] is opening
    assert entries[1].actor_role == "市人力社保局"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "label"), [(Role.COUNTY_FINANCE, "越城区财政局"), (Role.APPLICANT, "申报单位")]
)
def test_role_of_names_the_county_of_county_staff(make_user, role, label):
    assert role_of(make_user(role)) == label
