from django.urls import path

from shaoxing_bases.permissions import public

from . import county_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", public(views.LoginView.as_view()), name="login"),
    path("logout/", public(views.LogoutView.as_view()), name="logout"),
    path("sso/start/", public(views.sso_start), name="sso_start"),
    path("sso/callback/", public(views.sso_callback), name="sso_callback"),
    # Development only: stands in for the province's sign-in page (404 unless the mock is set).
    path("sso/mock/", public(views.sso_mock), name="sso_mock"),
    path("county/", county_views.county_settings, name="county_settings"),
]
