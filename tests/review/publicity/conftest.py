"""Fixtures of the publicity tests: a batch whose shortlist is confirmed, published through the
services, and helpers that file and resolve objections."""

import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from review.panels.services import panel_close, panel_open_scoring, shortlist_confirm
from review.publicity.models import Publicity
from review.publicity.services import ObjectionInput, PublicitySettings, objection_file, publicity_start
from shaoxing_bases.accounts.enums import Role
from tests.factories import UserFactory
from tests.review.panels.conftest import make_panel, score_all


def confirmed_batch(applications: int = 2):
    """A batch in expert review with its shortlist confirmed (every application shortlisted)."""
    panel = make_panel(experts=3, applications=applications)
    manager = UserFactory(role=Role.CITY_HRSS)
    panel = panel_open_scoring(panel=panel, actor=manager)
    score_all(panel)
    panel = panel_close(panel=panel, actor=manager)
    shortlist_confirm(panel=panel, actor=manager, comment="同意评审组意见。")
    panel.batch.refresh_from_db()
    return panel.batch, manager


def settings_for(starts_on) -> PublicitySettings:
    return PublicitySettings(
        starts_on=starts_on,
        contact_department="绍兴市人力资源和社会保障局职业能力建设处",
        contact_phone="0575-85201234",
        contact_address="绍兴市越城区洋江西路589号",
    )


def publish(applications: int = 2, starts_on=None) -> Publicity:
    """A notice published through the services, open now (starting today) unless told otherwise."""
    batch, manager = confirmed_batch(applications)
    return publicity_start(
        batch=batch, actor=manager, settings=settings_for(starts_on or timezone.localdate())
    )


def objection_input(publicity: Publicity, **overrides) -> ObjectionInput:
    entry = publicity.entries.order_by("position").first()
    fields = {
        "entry_id": entry.pk,
        "name": "张三",
        "phone": "13800138000",
        "organisation": "",
        "reasons": "该单位申报的年培训人数与实际不符，去年实际培训不足一千人。",
        "submission_key": str(uuid.uuid4()),
        **overrides,
    }
    return ObjectionInput(**fields)


def file_objection(publicity: Publicity, **overrides):
    return objection_file(
        publicity=publicity,
        data=objection_input(publicity, **overrides),
        client_ip=f"10.0.{uuid.uuid4().int % 250}.1",
    )


def the_day_after(publicity: Publicity):
    return publicity.ends_at + timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def publicity(db):
    return publish()


@pytest.fixture
def city_hrss(db):
    return UserFactory(role=Role.CITY_HRSS)
