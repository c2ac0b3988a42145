import pytest
from django.core.management import call_command

from applications.demo import demo_units_of
from applications.enums import ApplicationState
from applications.models import Application
from shaoxing_bases.accounts.demo import DEMO_PASSWORD, demo_accounts
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import User
from shaoxing_bases.core.demo import demo_batch_plans

DASHBOARD_HEADINGS = {
    Role.APPLICANT: "申报单位工作台",
    Role.COUNTY_HRSS: "区县人力社保局工作台",
    Role.COUNTY_FINANCE: "区县财政局工作台",
    Role.CITY_HRSS: "市人力社保局工作台",
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
    unit_accounts = {
        unit.username for index, plan in enumerate(demo_batch_plans()) for unit in demo_units_of(plan, index)
    }
    usernames = {account.username for account in demo_accounts()} | unit_accounts
    assert User.objects.count() == count == len(usernames)
    for username in sorted(usernames):
        response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        client.logout()
    assert User.objects.filter(role=Role.COUNTY_HRSS).count() == 6
    assert User.objects.filter(role=Role.COUNTY_FINANCE).count() == 6


@pytest.mark.django_db
def test_seed_demo_leaves_work_at_every_stage_of_the_screening(django_capture_on_commit_callbacks):
    """Units filling in and handed in (next year's batch); in this year's batch a list at finance, a
    list and its letter at the city, and counties with applications still to screen."""
    from review.screening.enums import RecommendationState
    from review.screening.models import Recommendation

    with django_capture_on_commit_callbacks(execute=True):  # the letters' tasks, after the commit
        call_command("seed_demo")
    years = {plan.stage: plan.year for plan in demo_batch_plans()}
    open_batch, screening = years["open"], years["screening"]
    states = dict(
        Application.objects.filter(batch__year=open_batch).values_list("unit__members__username", "state")
    )
    assert states["applicant"] == ApplicationState.DRAFT
    assert states["unit_yc_training"] == ApplicationState.SUBMITTED
    lists = dict(Recommendation.objects.filter(batch__year=screening).values_list("region__code", "state"))
    assert lists == {
        "330602": RecommendationState.AWAITING_COSIGN,
        "330603": RecommendationState.SUBMITTED_TO_CITY,
    }
    assert Recommendation.objects.get(batch__year=screening, region__code="330603").letter
    pending = Application.objects.filter(batch__year=screening, state=ApplicationState.SUBMITTED)
    assert set(pending.values_list("unit__region__code", flat=True)) == {"330604", "330681"}


def test_scoped_lookup_outside_scope_is_404_and_audited(rf, make_user):
    """Outside the scope: a 404 that says nothing, recorded as a denial by the 404 handler."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from shaoxing_bases.accounts.models import User
    from shaoxing_bases.audit.models import AuditAction, AuditEntry
    from shaoxing_bases.core.views import page_not_found
    from shaoxing_bases.permissions import HiddenObject, get_object_for

    viewer, other = make_user(Role.APPLICANT), make_user(Role.APPLICANT)
    request = rf.get("/x/", REMOTE_ADDR="10.3.3.3")
    request.user = viewer
    mine = User.objects.filter(pk=viewer.pk)
    assert get_object_for(request, "core.view_dashboard", mine, pk=viewer.pk) == viewer
    with pytest.raises(HiddenObject) as hidden:
        get_object_for(request, "core.view_dashboard", mine, pk=other.pk)
    assert page_not_found(request, hidden.value).status_code == 404
    entry = AuditEntry.objects.get(action=AuditAction.PERMISSION_DENIED)
    assert entry.ip_address == "10.3.3.3"
    assert entry.detail["model"] == "accounts.User"
    with pytest.raises(Http404) as missing:
        get_object_for(request, "core.view_dashboard", mine, pk=999999)
    assert not isinstance(missing.value, HiddenObject)  # nothing there: nothing to record
    # In scope but not the user's to act on: 403 (the 403 handler audits it).
    with pytest.raises(PermissionDenied):
        get_object_for(request, "core.use_admin_site", mine, pk=viewer.pk)


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
    call_command("seed_demo", "--allow-production", verbosity=0, stages="open")
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
