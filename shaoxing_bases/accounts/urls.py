from django.urls import path

from shaoxing_bases.permissions import public

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", public(views.LoginView.as_view()), name="login"),
    path("logout/", public(views.LogoutView.as_view()), name="logout"),
    path("password-reset/", public(views.PasswordResetView.as_view()), name="password_reset"),
    path("password-reset/sent/", public(views.PasswordResetDoneView.as_view()), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        public(views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        public(views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/unlock/", views.unlock, name="unlock"),
    path("sso/start/", public(views.sso_start), name="sso_start"),
    path("sso/callback/", public(views.sso_callback), name="sso_callback"),
    # Development only: stands in for the province's sign-in page (404 unless the mock is set).
    path("sso/mock/", public(views.sso_mock), name="sso_mock"),
]
