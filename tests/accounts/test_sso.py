from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import authenticate

from shaoxing_bases.accounts.enums import Role

START = "/accounts/sso/start/"
CALLBACK = "/accounts/sso/callback/"
MOCK = "/accounts/sso/mock/"


@pytest.fixture
def sso_enabled(settings):
    settings.ZWFW_SSO_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "shaoxing_bases.accounts.sso.ZwfwSSOBackend",
    ]


def _start(client, **params):
    """Follows the login button to the mock province page; returns the state it carries."""
    response = client.get(START, params)
    assert response.status_code == 302
    target = urlsplit(response.url)
    assert target.path == MOCK
    return parse_qs(target.query)["state"][0]


def test_sso_linked_account_signs_in_through_start_mock_page_and_callback(client, make_user, sso_enabled):
    user = make_user(Role.CITY_HRSS, username="zhangsan", sso_subject="zwfw-zhangsan")
    state = _start(client)
    page = client.get(MOCK, {"state": state})
    assert "政务服务网登录（模拟）" in page.content.decode()
    to_callback = client.post(MOCK, {"username": "zhangsan", "state": state})
    assert to_callback.status_code == 302
    assert to_callback.url.startswith(CALLBACK)
    response = client.get(to_callback.url)
    assert response.status_code == 302
    assert response.url == "/dashboard/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sso_returns_to_the_page_the_login_was_for(client, make_user, sso_enabled):
    make_user(Role.CITY_HRSS, username="zhangsan", sso_subject="zwfw-zhangsan")
    state = _start(client, next="/inbox/")
    response = client.get(CALLBACK, {"ticket": "mock-zhangsan", "state": state})
    assert response.url == "/inbox/"


def test_sso_start_ignores_a_foreign_next(client, make_user, sso_enabled):
    make_user(Role.CITY_HRSS, username="zhangsan", sso_subject="zwfw-zhangsan")
    state = _start(client, next="https://evil.example.com/")
    assert client.get(CALLBACK, {"ticket": "mock-zhangsan", "state": state}).url == "/dashboard/"


def test_sso_same_username_without_admin_link_is_refused(client, make_user, sso_enabled):
    """No linking by user name: whoever controls a province account called `city_hrss` must not
    become our city_hrss. Only an administrator sets `sso_subject`."""
    user = make_user(Role.CITY_HRSS, username="zhangsan")
    state = _start(client)
    response = client.get(CALLBACK, {"ticket": "mock-zhangsan", "state": state}, follow=True)
    assert "政务服务网登录失败" in response.content.decode()
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.sso_subject is None


def test_sso_callback_without_state_is_refused(client, make_user, sso_enabled):
    make_user(Role.ADMIN, username="boss", sso_subject="zwfw-boss")
    response = client.get(CALLBACK, {"ticket": "mock-boss"}, follow=True)
    assert "登录请求已失效或来源不明" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sso_callback_with_a_state_from_another_session_is_refused(client, make_user, sso_enabled):
    make_user(Role.ADMIN, username="boss", sso_subject="zwfw-boss")
    _start(client)
    response = client.get(CALLBACK, {"ticket": "mock-boss", "state": "guessed"}, follow=True)
    assert "登录请求已失效或来源不明" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sso_state_is_good_for_one_callback_only(client, make_user, sso_enabled):
    make_user(Role.EXPERT, username="lisi", sso_subject="zwfw-lisi")
    state = _start(client)
    # The first callback consumes the state even though its ticket is bad.
    client.get(CALLBACK, {"ticket": "forged", "state": state})
    response = client.get(CALLBACK, {"ticket": "mock-lisi", "state": state}, follow=True)
    assert "登录请求已失效或来源不明" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sso_unknown_identity_is_refused_with_chinese_message(client, db, sso_enabled):
    state = _start(client)
    response = client.get(CALLBACK, {"ticket": "mock-nobody", "state": state}, follow=True)
    assert "政务服务网登录失败" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sso_inactive_linked_account_is_refused(client, make_user, sso_enabled):
    make_user(Role.CITY_HRSS, username="gone", sso_subject="zwfw-gone", is_active=False)
    state = _start(client)
    client.get(CALLBACK, {"ticket": "mock-gone", "state": state})
    assert "_auth_user_id" not in client.session


def test_sso_bad_ticket_authenticates_nobody(db, rf, sso_enabled):
    assert authenticate(rf.get(CALLBACK), ticket="forged") is None


@pytest.mark.parametrize("url", [START, CALLBACK, MOCK])
def test_sso_pages_are_404_when_disabled(client, db, url):
    assert client.get(url, {"ticket": "mock-x", "state": "x"}).status_code == 404


def test_sso_mock_page_is_404_with_a_real_client(client, db, settings, sso_enabled):
    settings.ZWFW_SSO_CLIENT = "tests.accounts.test_sso.ProvinceClient"
    assert client.get(MOCK, {"state": "x"}).status_code == 404
    assert client.post(MOCK, {"username": "admin", "state": "x"}).status_code == 404


def test_sso_start_sends_the_browser_to_the_configured_client(client, db, settings, sso_enabled):
    settings.ZWFW_SSO_CLIENT = "tests.accounts.test_sso.ProvinceClient"
    response = client.get(START)
    state = client.session["zwfw_sso_state"]
    assert response.url == f"https://zwfw.example.cn/authorize?state={state}&cb=http://testserver{CALLBACK}"


def test_sso_mock_page_rejects_an_empty_name_in_chinese(client, db, sso_enabled):
    body = client.post(MOCK, {"username": "", "state": "x"}).content.decode()
    assert "请输入用户名" in body


def test_login_page_shows_the_sso_button_only_when_enabled(client, db, settings):
    assert "政务服务网登录" not in client.get("/accounts/login/").content.decode()
    settings.ZWFW_SSO_ENABLED = True
    body = client.get("/accounts/login/", {"next": "/inbox/"}).content.decode()
    assert 'href="/accounts/sso/start/?next=/inbox/"' in body


class ProvinceClient:
    """Stands in for the real client in the tests above: only its authorize URL is used."""

    def authorize_url(self, *, state: str, callback: str) -> str:
        return f"https://zwfw.example.cn/authorize?state={state}&cb={callback}"
