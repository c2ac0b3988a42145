"""Production settings: refuse to start without secrets, and pass check --deploy cleanly."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "shaoxing_bases.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "jidi.sxhrss.gov.cn",
    "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
    "AUDIT_HMAC_KEY": "a-long-random-audit-key-" + "k" * 40,
    "BUREAU_CONTACT_PHONE": "0575-85201234",
    # Not the checkout's var/certs, where `make run` leaves demo certificates production refuses
    # (tests/documents/test_certificates.py covers the certificates).
    "DOCUMENT_CERT_DIR": "/nonexistent/shaoxing-bases-certs",
}


def _manage(*args, env):
    base = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    base.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_passes_check_deploy_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "missing",
    ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "AUDIT_HMAC_KEY", "BUREAU_CONTACT_PHONE"],
)
def test_production_refuses_to_start_without(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_a_short_audit_key():
    result = _manage("check", env={**PRODUCTION_ENV, "AUDIT_HMAC_KEY": "short"})
    assert result.returncode != 0
    assert "AUDIT_HMAC_KEY must be at least 32 characters" in result.stderr


def test_debug_is_off_outside_local_settings(settings):
    assert settings.DEBUG is False


@pytest.mark.parametrize("client_path", ["", "shaoxing_bases.accounts.sso.MockZwfwClient"])
def test_production_refuses_single_sign_on_without_a_real_client(client_path):
    env = {**PRODUCTION_ENV, "ZWFW_SSO_ENABLED": "true", "ZWFW_SSO_CLIENT": client_path}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ZWFW_SSO_CLIENT" in result.stderr


def test_production_accepts_single_sign_on_with_a_real_client():
    env = {**PRODUCTION_ENV, "ZWFW_SSO_ENABLED": "true", "ZWFW_SSO_CLIENT": "province.sso.ZwfwClient"}
    result = _manage("check", env=env)
    assert result.returncode == 0, result.stderr


def test_production_defaults_trust_one_proxy_and_leave_hsts_extensions_opt_in():
    script = (
        "from django.conf import settings as s; "
        "print(s.TRUSTED_PROXY_COUNT, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.DEMO_DATA_ALLOWED, repr(s.ZWFW_SSO_CLIENT), s.EMAIL_TIMEOUT)"
    )
    result = _manage("shell", "--no-imports", "-c", script, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "False", "False", "False", "''", "20"]


def test_production_hsts_extensions_can_be_turned_on():
    env = {
        **PRODUCTION_ENV,
        "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "DJANGO_SECURE_HSTS_PRELOAD": "true",
    }
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    script = "from django.conf import settings as s; "
    script += "print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    assert _manage("shell", "--no-imports", "-c", script, env=env).stdout.split() == ["True", "True"]


def test_local_settings_default_to_the_mock_client_and_no_proxy():
    script = (
        "from django.conf import settings as s; "
        "print(s.ZWFW_SSO_CLIENT, s.TRUSTED_PROXY_COUNT, s.DEMO_DATA_ALLOWED, s.ZWFW_SSO_ENABLED)"
    )
    result = _manage(
        "shell", "--no-imports", "-c", script, env={"DJANGO_SETTINGS_MODULE": "shaoxing_bases.settings.local"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["shaoxing_bases.accounts.sso.MockZwfwClient", "0", "True", "False"]


def test_production_loads_with_the_environment_docker_compose_passes():
    """Every variable compose passes through (empty unless set) must still give working settings."""
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.skip("docker-compose is not installed")
    yaml = pytest.importorskip("yaml")  # PyYAML comes with bandit (dev extra)
    required = {
        "DJANGO_SECRET_KEY": "s" * 50,
        "DJANGO_ALLOWED_HOSTS": "jidi.sxhrss.gov.cn",
        "POSTGRES_PASSWORD": "pw1",
        "AUDIT_HMAC_KEY": "a" * 40,
        "BUREAU_CONTACT_PHONE": "0575-85201234",
    }
    rendered = subprocess.run(  # noqa: S603 - fixed arguments
        [compose, "config"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **required},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    environment = yaml.safe_load(rendered.stdout)["services"]["web"]["environment"]
    assert {
        "PORTAL_BASE_URL",
        "TRUSTED_PROXY_COUNT",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "DEFAULT_FROM_EMAIL",
    } <= set(environment)
    script = (
        "from django.conf import settings as s; "
        "print(s.PORTAL_BASE_URL, s.TRUSTED_PROXY_COUNT, s.EMAIL_PORT, s.EMAIL_TIMEOUT, s.DEFAULT_FROM_EMAIL)"
    )
    result = _manage("shell", "--no-imports", "-c", script, env={k: str(v) for k, v in environment.items()})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:4] == ["https://jidi.sxhrss.gov.cn", "1", "25", "20"]
    assert "noreply@" in result.stdout
