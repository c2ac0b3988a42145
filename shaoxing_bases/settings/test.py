"""Settings for pytest. SQLite unless DATABASE_URL is set (CI sets PostgreSQL and Redis)."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, INSTALLED_APPS, MIDDLEWARE, env

DEBUG = False
SECRET_KEY = "test-key-only-for-the-test-suite-0123456789abcdef"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each test starts with an empty cache (tests/conftest.py clears it): never the shared Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = Path(env.str("TEST_MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-uploads")))
# Tasks run in-process at on_commit; tests/integration starts a real worker against the broker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
ZWFW_SSO_CLIENT = "shaoxing_bases.accounts.sso.MockZwfwClient"
DEMO_DATA_ALLOWED = True
AUDIT_HMAC_KEY = "test-audit-key-only-for-the-test-suite-0123456789"
# django-zeal watches every request the test client (or the live server) handles: a lazy relation
# loaded once per row of a list raises NPlusOneError and fails the test.
INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]
MIDDLEWARE = ["zeal.middleware.zeal_middleware", *MIDDLEWARE]
ZEAL_RAISE = True
ZEAL_ALLOWLIST = [
    # Each audit entry locks the chain head once by design (a request that records a failed login
    # and the lockout it causes appends twice); that is one row, not one query per listed row.
    {"model": "audit.AuditChainHead", "field": "get()"},
    # Likewise each 发文字号 takes its sequence row under a lock: the decision numbers itself and each
    # approval letter in one transaction — one row per prefix and year, not one query per listed row.
    {"model": "documents.DocumentNumberSequence", "field": "get()"},
]
# tests/conftest.py makes a fresh demo CA and bureau certificates per run in a temporary folder.
DOCUMENT_DEMO_PASSPHRASE = "test-only-passphrase"  # noqa: S105
# The page tests count every query of a request, the session's read included: they keep the database
# engine so that their counts do not depend on the cache (production reads sessions from Redis,
# `cached_db` in base; tests/core/test_sessions.py covers that engine).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
