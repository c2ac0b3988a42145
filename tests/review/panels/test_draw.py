"""The random draw: reproducible from its recorded seed and pool, fair to the pool, audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from review.panels import draws
from review.panels.enums import DrawPurpose, MemberKind
from review.panels.models import Draw, PanelMember
from review.panels.selectors import panel_draws
from review.panels.services import panel_draw
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.core.exceptions import AlreadyHandled

from .conftest import make_expert, make_panel


def test_the_same_seed_and_pool_give_the_same_draw():
    pool = list(range(1, 40))
    assert draws.draw("abc", pool, 5) == draws.draw("abc", reversed(pool), 5)
    assert draws.draw("abc", pool, 5) != draws.draw("abd", pool, 5)
    assert len(set(draws.draw("abc", pool, 5))) == 5
    assert draws.draw("abc", [1, 2], 5) == draws.draw("abc", [2, 1], 5)  # a small pool: everyone


def test_the_draw_order_is_the_documented_sha256():
    import hashlib

    pool = [3, 14, 15, 92]
    expected = sorted(pool, key=lambda pk: hashlib.sha256(f"seed:{pk}".encode()).hexdigest())
    assert draws.draw_order("seed", pool) == expected


@pytest.mark.django_db
def test_panel_draw_records_seed_and_pool_and_replays(city_hrss):
    panel = make_panel(experts=0)
    experts = [make_expert(f"池{index}", specialties="数控技术、机械制造") for index in range(8)]
    make_expert("别的专业", specialties="财务管理")
    record = panel_draw(panel=panel, actor=city_hrss, specialty="数控技术", count=3)
    assert record.purpose == DrawPurpose.INITIAL
    assert sorted(record.pool) == sorted(expert.pk for expert in experts)
    assert record.drawn == draws.draw(record.seed, record.pool, 3)
    members = PanelMember.objects.filter(panel=panel, kind=MemberKind.EXPERT)
    assert sorted(members.values_list("expert_id", flat=True)) == sorted(record.drawn)
    assert not members.filter(manual=True).exists()
    (row,) = panel_draws(panel)
    assert row.replays is True
    assert AuditEntry.objects.filter(summary="随机抽取评审专家", detail__seed=record.seed).exists()


@pytest.mark.django_db
def test_a_tampered_draw_record_does_not_replay(city_hrss):
    panel = make_panel(experts=0)
    for index in range(6):
        make_expert(f"池{index}")
    record = panel_draw(panel=panel, actor=city_hrss, count=2)
    Draw.objects.filter(pk=record.pk).update(drawn=list(reversed(record.drawn)))
    assert panel_draws(panel)[0].replays is False


@pytest.mark.django_db
def test_the_pool_excludes_members_inactive_experts_and_experts_without_an_account(city_hrss):
    panel = make_panel(experts=1)
    inactive = make_expert("停用", active=False)
    no_account = make_expert("无账号")
    no_account.user = None
    no_account.save()
    available = make_expert("可抽")
    record = panel_draw(panel=panel, actor=city_hrss, count=1)
    assert record.pool == [available.pk]
    assert inactive.pk not in record.pool


@pytest.mark.django_db
def test_draw_refuses_more_than_the_pool_holds_and_an_empty_specialty(city_hrss):
    panel = make_panel(experts=0)
    make_expert("唯一")
    with pytest.raises(ValidationError) as error:
        panel_draw(panel=panel, actor=city_hrss, count=2)
    assert "只有 1 人" in str(error.value.message_dict["count"])
    with pytest.raises(ValidationError) as error:
        panel_draw(panel=panel, actor=city_hrss, specialty="航天", count=1)
    assert "航天" in error.value.message_dict["specialty"][0]
    assert not Draw.objects.exists()


@pytest.mark.django_db
def test_draw_once_scoring_opened_is_already_handled(open_panel, city_hrss):
    make_expert("后来")
    with pytest.raises(AlreadyHandled):
        panel_draw(panel=open_panel, actor=city_hrss, count=1)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CITY_FINANCE, Role.EXPERT, Role.ADMIN, Role.COUNTY_HRSS])
def test_only_city_hrss_draws(make_user, role):
    panel = make_panel(experts=0)
    make_expert("池")
    with pytest.raises(PermissionDenied):
        panel_draw(panel=panel, actor=make_user(role), count=1)
