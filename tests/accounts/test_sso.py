import pytest
from django.contrib.auth import authenticate

from shaoxing_bases.accounts.enums import Role


@pytest.fixture
def sso_enabled(settings):
    settings.ZWFW_SSO_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "shaoxing_bases.accounts.sso.ZwfwSSOBackend",
    ]


def test_sso_mock_ticket_links_and_signs_in_existing_account(client, make_user, sso_enabled):
    user = make_user(Role.CITY_HRSS, username="zhangsan")
    response = client.get("/accounts/sso/callback/", {"ticket": "mock-zhangsan"})
    assert response.status_code == 302
    assert response.url == "/dashboard/"
    user.refresh_from_db()
    assert user.sso_subject == "zwfw-zhangsan"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sso_unknown_identity_is_refused_with_chinese_message(client, db, sso_enabled):
    response = client.get("/accounts/sso/callback/", {"ticket": "mock-nobody"}, follow=True)
    assert "政务服务网登录失败" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sso_bad_ticket_authenticates_nobody(db, rf, sso_enabled):
    assert authenticate(rf.get("/accounts/sso/callback/"), ticket="forged") is None


def test_sso_callback_is_404_when_disabled(client, db):
    assert client.get("/accounts/sso/callback/", {"ticket": "mock-x"}).status_code == 404
