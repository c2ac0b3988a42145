"""Production settings. Refuse to start without SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and the audit
trail's AUDIT_HMAC_KEY, with single sign-on turned on but no real 政务服务网 client configured, and
with a demo document-signing certificate."""

from django.core.exceptions import ImproperlyConfigured

from shaoxing_bases.documents.certificates import check_production_signers

from .base import *  # noqa: F403
from .base import DATABASES, DOCUMENT_SIGNERS, MIDDLEWARE, STORAGES, ZWFW_SSO_CLIENT, ZWFW_SSO_ENABLED, env

DEBUG = False

# gunicorn serves the static files itself through WhiteNoise (hashed names, compressed).
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}


def _required(name: str) -> str:
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production")
    return value


SECRET_KEY = _required("DJANGO_SECRET_KEY")
# Signs the audit trail (see settings/base.py). Long and random, kept apart from the database and its
# backups; changing it means moving the old one to AUDIT_HMAC_OLD_KEYS (docs/operations.md).
AUDIT_HMAC_KEY = _required("AUDIT_HMAC_KEY")
if len(AUDIT_HMAC_KEY) < 32:
    raise ImproperlyConfigured("AUDIT_HMAC_KEY must be at least 32 characters (a long random string)")
ALLOWED_HOSTS = [host.strip() for host in _required("DJANGO_ALLOWED_HOSTS").split(",") if host.strip()]
_required("DATABASE_URL")
# The bureau's contact phone is on every page, the lockout page and e-mails: never the demo's
# placeholder in production.
BUREAU_CONTACT_PHONE = _required("BUREAU_CONTACT_PHONE")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
# Opt-in: includeSubDomains would force HTTPS on every other service under the portal's host name
# and preload is close to irreversible, both decisions for whoever runs the domain, not this app.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    *(["security.W005"] if not SECURE_HSTS_INCLUDE_SUBDOMAINS else []),  # off by choice, see above
    *(["security.W021"] if not SECURE_HSTS_PRELOAD else []),  # off by choice, see above
]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
# Links in e-mails: the first public host name unless PORTAL_BASE_URL says otherwise.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="") or f"https://{ALLOWED_HOSTS[0]}"
# docker-compose.yml and the README put one TLS-terminating reverse proxy in front of gunicorn.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)

# The mock client signs anyone in as any linked account: never in production. (A string compare:
# importing accounts.sso here would need the app registry, which is not ready while settings load.)
if ZWFW_SSO_ENABLED and (
    not ZWFW_SSO_CLIENT or ZWFW_SSO_CLIENT == "shaoxing_bases.accounts.sso.MockZwfwClient"
):
    raise ImproperlyConfigured(
        "ZWFW_SSO_ENABLED is set but ZWFW_SSO_CLIENT names no real 政务服务网 client "
        "(the mock client is for development only)"
    )

DEMO_DATA_ALLOWED = False

# Official documents must never go out under the demo CA: a demo certificate (or one its passphrase
# does not open) stops the start. A bureau without a file yet cannot issue until it has one.
DOCUMENT_DEMO_PASSPHRASE = None
check_production_signers(DOCUMENT_SIGNERS)
