import pytest
from django.core.management import CommandError, call_command

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditAction, AuditEntry, AuditOutcome
from shaoxing_bases.audit.services import audit_record


@pytest.mark.django_db
def test_audit_chain_verifies_and_detects_tampering():
    for index in range(3):
        audit_record(action=AuditAction.LOGIN_FAILED, outcome=AuditOutcome.FAILURE, username=f"u{index}")
    call_command("verify_audit_chain")
    AuditEntry.objects.filter(username="u1").update(username="someone-else")
    with pytest.raises(CommandError, match="哈希链断裂"):
        call_command("verify_audit_chain")


@pytest.mark.django_db
def test_audit_chain_detects_deleted_entry():
    for index in range(3):
        audit_record(action=AuditAction.LOGIN, outcome=AuditOutcome.SUCCESS, username=f"u{index}")
    AuditEntry.objects.filter(username="u1").delete()
    with pytest.raises(CommandError):
        call_command("verify_audit_chain")


def test_permission_denial_is_audited_with_ip(client, make_user):
    applicant = make_user(Role.APPLICANT)
    client.force_login(applicant)
    response = client.get("/audit/", REMOTE_ADDR="10.2.3.4")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    entry = AuditEntry.objects.get(action=AuditAction.PERMISSION_DENIED)
    assert entry.actor == applicant
    assert entry.ip_address == "10.2.3.4"
    assert entry.path == "/audit/"


def test_city_staff_reads_the_trail(client, make_user):
    audit_record(action=AuditAction.LOGIN_FAILED, outcome=AuditOutcome.FAILURE, username="intruder")
    client.force_login(make_user(Role.CITY_HRSS))
    body = client.get("/audit/", {"action": "login_failed"}).content.decode()
    assert "intruder" in body
    assert "登录失败" in body


def test_nobody_can_edit_the_trail_in_admin(client, make_user):
    entry = audit_record(action=AuditAction.LOGIN, outcome=AuditOutcome.SUCCESS, username="x")
    client.force_login(make_user(Role.ADMIN, is_staff=True, is_superuser=True))
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    # The admin's change view of a model one may only view answers a POST with 403.
    change = client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"username": "y"})
    assert change.status_code == 403
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.username == "x"


@pytest.mark.parametrize("rows", [1, 5])
def test_audit_trail_query_count_is_fixed(client, make_user, django_assert_num_queries, rows):
    for index in range(rows):
        audit_record(action=AuditAction.LOGIN, outcome=AuditOutcome.SUCCESS, username=f"u{index}")
    client.force_login(make_user(Role.CITY_HRSS))
    client.get("/dashboard/")  # first request stamps the idle timer; measure the steady state
    # session, user, unread count, count for pagination, page of entries
    with django_assert_num_queries(5):
        assert client.get("/audit/").status_code == 200


@pytest.mark.django_db(transaction=True)  # the delete commits: a foreign key constraint would fire
def test_deleting_a_user_leaves_the_audit_chain_intact(client, make_user):
    user = make_user(Role.CITY_HRSS)
    audit_record(action=AuditAction.LOGIN, outcome=AuditOutcome.SUCCESS, actor=user)
    audit_record(action=AuditAction.LOGOUT, outcome=AuditOutcome.SUCCESS, actor=user)
    actor_id = user.pk
    user.delete()
    call_command("verify_audit_chain")
    assert set(AuditEntry.objects.values_list("actor_id", flat=True)) == {actor_id}
    # The trail still shows the entries of the deleted account, by the name it had.
    client.force_login(make_user(Role.CITY_HRSS))
    body = client.get("/audit/").content.decode()
    assert body.count(user.username) == 2


def test_users_cannot_be_deleted_in_admin_only_deactivated(client, make_user):
    from shaoxing_bases.accounts.models import User

    target = make_user(Role.EXPERT)
    client.force_login(make_user(Role.ADMIN, is_staff=True, is_superuser=True))
    assert client.post(f"/admin/accounts/user/{target.pk}/delete/", {"post": "yes"}).status_code == 403
    changelist = client.post(
        "/admin/accounts/user/", {"action": "delete_selected", "_selected_action": [target.pk], "post": "yes"}
    )
    assert changelist.status_code == 200  # no such action: the admin says so and deletes nothing
    assert User.objects.filter(pk=target.pk).exists()
    form = client.get(f"/admin/accounts/user/{target.pk}/change/").content.decode()
    assert "账号不能删除" in form
    assert "取消勾选此项" in form


def test_trail_shows_the_object_and_the_detail(client, make_user):
    audit_record(
        action=AuditAction.STATE_CHANGE,
        outcome=AuditOutcome.SUCCESS,
        username="county",
        object_repr="越城区职业技能实训学院的申报",
        detail={"transition": "recommend", "reason": "材料齐全", "pk": 7},
    )
    client.force_login(make_user(Role.CITY_HRSS))
    body = client.get("/audit/").content.decode()
    assert "<th>对象</th><th>详情</th>" in body
    assert "越城区职业技能实训学院的申报" in body
    # PostgreSQL's jsonb keeps its own key order: check the pairs, not their sequence. Known keys
    # are shown with their Chinese label (audit/display.py).
    for pair in ("transition：</span>recommend", "原因：</span>材料齐全", "对象编号：</span>7"):
        assert pair in body
