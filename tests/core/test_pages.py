import pytest
from django.core.management import call_command

from applications.demo import DEMO_UNITS
from applications.enums import ApplicationState
from applications.models import Application
from shaoxing_bases.accounts.demo import DEMO_PASSWORD, demo_accounts
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import User

DASHBOARD_HEADINGS = {
    Role.APPLICANT: "申报单位工作台",
    Role.COUNTY_HRSS: "区县人社局工作台",
    Role.COUNTY_FINANCE: "区县财政局工作台",
    Role.CITY_HRSS: "市人社局工作台",
    Role.CITY_FINANCE: "市财政局工作台",
    Role.EXPERT: "评审专家工作台",
    Role.ADMIN: "系统管理员工作台",
}


@pytest.mark.django_db
def test_home_page_is_public_and_chinese(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "公示公告" in response.content.decode()
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("role", list(Role.values))
def test_each_role_sees_its_dashboard(client, users_by_role, role):
    client.force_login(users_by_role[role])
    body = client.get("/dashboard/").content.decode()
    assert DASHBOARD_HEADINGS[role] in body


@pytest.mark.django_db
def test_unknown_url_is_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_every_account_logs_in(client):
    call_command("seed_demo")
    count = User.objects.count()
    call_command("seed_demo")
    usernames = {account.username for account in demo_accounts()} | {row[0] for row in DEMO_UNITS}
    assert User.objects.count() == count == len(usernames)
    for username in sorted(usernames):
        response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        client.logout()
    assert User.objects.filter(role=Role.COUNTY_HRSS).count() == 6
    assert User.objects.filter(role=Role.COUNTY_FINANCE).count() == 6


@pytest.mark.django_db
def test_seed_demo_leaves_work_for_every_county_reviewer_and_a_draft_for_the_applicant():
    call_command("seed_demo")
    states = dict(Application.objects.values_list("unit__members__username", "state"))
    assert states["applicant"] == ApplicationState.DRAFT
    assert states["unit_yc_training"] == ApplicationState.SUBMITTED
    assert (
        Application.objects.filter(state=ApplicationState.SUBMITTED, unit__region__code="330602").count() == 2
    )


def test_scoped_lookup_outside_scope_is_404_and_audited(rf, make_user):
    from django.http import Http404

    from shaoxing_bases.accounts.models import User
    from shaoxing_bases.audit.models import AuditAction, AuditEntry
    from shaoxing_bases.core.access import scoped_get_or_404

    viewer, other = make_user(Role.APPLICANT), make_user(Role.APPLICANT)
    request = rf.get("/x/", REMOTE_ADDR="10.3.3.3")
    request.user = viewer
    assert scoped_get_or_404(request, User.objects.filter(pk=viewer.pk), pk=viewer.pk) == viewer
    with pytest.raises(Http404):
        scoped_get_or_404(request, User.objects.filter(pk=viewer.pk), pk=other.pk)
    entry = AuditEntry.objects.get(action=AuditAction.PERMISSION_DENIED)
    assert entry.ip_address == "10.3.3.3"
    with pytest.raises(Http404):
        scoped_get_or_404(request, User.objects.filter(pk=viewer.pk), pk=999999)
    assert AuditEntry.objects.filter(action=AuditAction.PERMISSION_DENIED).count() == 1


@pytest.mark.django_db
def test_seed_demo_refuses_where_demo_data_is_not_allowed(settings):
    from django.core.management import CommandError

    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_runs_in_production_only_when_asked_explicitly(settings):
    settings.DEMO_DATA_ALLOWED = False
    call_command("seed_demo", "--allow-production", verbosity=0)
    assert User.objects.filter(username="city_hrss").exists()


@pytest.mark.django_db
def test_favicon_is_a_temporary_redirect_to_the_static_emblem(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302  # not 301: the hashed name changes with every release
    assert response.url == "/static/img/favicon.svg"


@pytest.mark.django_db
def test_empty_405_gets_a_chinese_page_and_keeps_allow(client):
    response = client.get("/accounts/logout/")
    assert response.status_code == 405
    assert "请求方式不正确" in response.content.decode()
    # The view's own Allow, less OPTIONS: the portal refuses OPTIONS everywhere (core/middleware.py).
    assert response["Allow"] == "POST"
    assert "Content-Security-Policy" in response.headers


def test_405_of_a_require_post_view_gets_the_chinese_page(client, make_user):
    client.force_login(make_user())
    response = client.get("/inbox/read-all/")
    assert response.status_code == 405
    assert "请求方式不正确" in response.content.decode()
    assert response["Allow"] == "POST"


def test_a_405_with_its_own_body_is_left_alone(rf):
    from django.http import HttpResponseNotAllowed

    from shaoxing_bases.core.middleware import MethodNotAllowedPageMiddleware

    own = HttpResponseNotAllowed(["POST"], content="自带说明")
    assert MethodNotAllowedPageMiddleware(lambda request: own)(rf.get("/")) is own
