"""The first-run settings behind `make run`: DEBUG on, embedded SQLite, console e-mail, localhost only."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="local-development-key-not-for-production-use-0123456789")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
ZWFW_SSO_CLIENT = env.str("ZWFW_SSO_CLIENT", default="shaoxing_bases.accounts.sso.MockZwfwClient")
DEMO_DATA_ALLOWED = True
# A fixed key so that the first run's audit trail verifies across restarts; never used in production.
AUDIT_HMAC_KEY = env.str("AUDIT_HMAC_KEY", default="local-development-audit-key-not-for-production-use")
# The demo certificates made by `manage.py demo_certificates` (make run) are locked with this.
DOCUMENT_DEMO_PASSPHRASE = env.str("DOCUMENT_SIGNER_PASSPHRASE", default="") or "demo-only-not-a-secret"
