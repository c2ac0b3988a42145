"""Publishing the notice (clause 4.3): from the confirmed shortlist, frozen, opened and closed on time,
concluded only when the window has ended and every objection is resolved."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from applications.batches.services import batch_transition, batch_transition_not_due
from applications.enums import ApplicationState, BatchState
from review.publicity.enums import PublicityState
from review.publicity.models import Publicity
from review.publicity.selectors import decision_blockers
from review.publicity.services import (
    objection_assign,
    objection_decide,
    publicity_conclude,
    publicity_render_pdf,
    publicity_start,
    publicity_sweep,
)
from review.publicity.services.publishing import DEFAULT_CONTACT
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.notifications.models import Notification
from tests.factories import UserFactory

from .conftest import confirmed_batch, file_objection, publish, settings_for, the_day_after

pytestmark = pytest.mark.django_db


def test_publishing_moves_the_shortlist_into_publicity_and_freezes_the_list(publicity):
    batch = publicity.batch
    assert batch.state == BatchState.PUBLICITY
    entries = list(publicity.entries.select_related("application__unit__region"))
    assert len(entries) == 2
    for entry in entries:
        assert entry.application.state == ApplicationState.IN_PUBLICITY
        assert entry.unit_name == entry.application.unit.name
        assert entry.county_name == entry.application.unit.region.name
        assert entry.score is not None
    assert publicity.state == PublicityState.OPEN  # starts today
    assert publicity.notice_sha256 == hashlib.sha256(publicity.notice_html.encode()).hexdigest()
    assert entries[0].unit_name in publicity.notice_html
    assert "0575-85201234" in publicity.notice_html


def test_the_notice_pdf_is_rendered_once_from_the_frozen_html(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publicity = publish()
    publicity.refresh_from_db()
    assert publicity.notice_pdf  # rendered after commit by the task
    data = publicity.notice_pdf.read()
    assert data.startswith(b"%PDF-")
    assert publicity.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert publicity_render_pdf(publicity_id=publicity.pk) is False  # a second run stores nothing


def test_the_units_are_told(publicity):
    entry = publicity.entries.select_related("application").first()
    assert Notification.objects.filter(
        recipient__unit_id=entry.application.unit_id, title__contains="列入"
    ).exists()


def test_publishing_twice_is_already_handled(publicity):
    from shaoxing_bases.core.exceptions import AlreadyHandled

    with pytest.raises(AlreadyHandled):
        publicity_start(
            batch=publicity.batch,
            actor=publicity.published_by,
            settings=settings_for(timezone.localdate()),
        )


def test_only_city_hrss_publishes(db):
    batch, _manager = confirmed_batch()
    with pytest.raises(PermissionDenied):
        publicity_start(
            batch=batch,
            actor=UserFactory(role=Role.CITY_FINANCE),
            settings=settings_for(timezone.localdate()),
        )


def test_a_start_date_in_the_past_or_a_bad_phone_is_refused_by_field(db):
    batch, manager = confirmed_batch()
    bad = settings_for(timezone.localdate() - timedelta(days=1))
    bad = bad.__class__(bad.starts_on, bad.contact_department, "12345", bad.contact_address)
    with pytest.raises(ValidationError) as caught:
        publicity_start(batch=batch, actor=manager, settings=bad)
    assert set(caught.value.message_dict) == {"starts_on", "contact_phone"}
    assert not Publicity.objects.filter(batch=batch).exists()


def test_the_batch_page_button_publishes_with_defaults_from_tomorrow(db):
    batch, manager = confirmed_batch()
    batch_transition(batch=batch, actor=manager, name="start_publicity")
    publicity = Publicity.objects.get(batch=batch)
    assert publicity.starts_on == timezone.localdate() + timedelta(days=1)
    assert publicity.state == PublicityState.SCHEDULED
    assert publicity.contact_phone == DEFAULT_CONTACT["contact_phone"]
    assert not publicity.accepts_objections()


def test_the_sweep_opens_and_closes_on_time_and_a_second_run_moves_nothing(db):
    publicity = publish(starts_on=timezone.localdate() + timedelta(days=1))
    assert publicity.state == PublicityState.SCHEDULED
    assert publicity_sweep(publicity.starts_at - timedelta(seconds=1)) == 0
    assert publicity_sweep(publicity.starts_at) == 1
    assert publicity_sweep(publicity.starts_at) == 0
    publicity.refresh_from_db()
    assert publicity.state == PublicityState.OPEN
    assert publicity_sweep(publicity.ends_at - timedelta(seconds=1)) == 0
    assert publicity_sweep(publicity.ends_at) == 1
    publicity.refresh_from_db()
    assert publicity.state == PublicityState.CLOSED


def test_the_clock_decides_even_if_the_sweep_has_not_run(publicity):
    assert publicity.state == PublicityState.OPEN
    assert publicity.accepts_objections(publicity.ends_at - timedelta(seconds=1))
    assert not publicity.accepts_objections(publicity.ends_at)


def test_conclude_waits_for_the_window_then_for_every_objection(publicity, city_hrss):
    reasons = decision_blockers(publicity.batch)
    assert any("期满后才能发文" in reason for reason in reasons)
    assert "公示期为" in batch_transition_not_due(publicity.batch, "conclude")
    objection = file_objection(publicity)
    with pytest.raises(ValidationError, match="期满"):
        publicity_conclude(publicity=publicity, actor=city_hrss)
    after = the_day_after(publicity)
    with time_machine.travel(after, tick=False):
        reasons = decision_blockers(publicity.batch)
        assert reasons == [f"尚有 1 件异议未复核办结（{objection.receipt_no}），办结后才能发文"]
        with pytest.raises(ValidationError, match="异议未复核办结"):
            publicity_conclude(publicity=publicity, actor=city_hrss)
        objection = objection_assign(objection=objection, actor=city_hrss, reviewer=None)
        assert decision_blockers(publicity.batch)  # under review still blocks
        objection_decide(
            objection=objection, actor=city_hrss, upheld=False, findings="经核实，该单位培训台账真实完整。"
        )
        assert decision_blockers(publicity.batch) == []
        concluded = publicity_conclude(publicity=publicity, actor=city_hrss)  # the sweep had not closed it
        assert concluded.state == PublicityState.CONCLUDED
        assert publicity_conclude(publicity=publicity, actor=city_hrss).state == PublicityState.CONCLUDED


def test_the_batch_conclude_concludes_the_notice(publicity, city_hrss):
    with time_machine.travel(the_day_after(publicity), tick=False):
        publicity_sweep()
        batch = batch_transition(batch=publicity.batch, actor=city_hrss, name="conclude")
    assert batch.state == BatchState.CONCLUDED
    publicity.refresh_from_db()
    assert publicity.state == PublicityState.CONCLUDED


def test_a_batch_without_a_notice_cannot_conclude(db):
    batch, _manager = confirmed_batch()
    assert decision_blockers(batch) == ["尚未发布评审结果公示，公示期满后才能发文"]
