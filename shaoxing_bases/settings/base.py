"""Settings shared by every environment. Read from the environment with django-environ.

Nothing secret lives here and nothing here opens the site to every host: local.py, test.py and
production.py each decide those for their own environment.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

from shaoxing_bases.documents.certificates import signer_entries

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "axes",
    "csp",
    "django_htmx",
    "template_partials",
    "django_fsm_log",
    "import_export",
    "django_celery_beat",
    "rules.apps.AutodiscoverRulesConfig",
    # ours
    "shaoxing_bases.accounts",
    "shaoxing_bases.audit",
    "shaoxing_bases.notifications",
    "shaoxing_bases.core",
    "shaoxing_bases.documents",
    "applications",
    "review",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that can answer on its own, so that every page, the guard's 400 included,
    # carries the policy header.
    "csp.middleware.CSPMiddleware",
    # Before the session: a NUL in the session cookie would otherwise reach PostgreSQL (a 500 whose
    # own error page fails too).
    "shaoxing_bases.core.middleware.NulCharacterGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Client IP and path of the request, for the audit entries the services write.
    "shaoxing_bases.audit.context.AuditRequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "shaoxing_bases.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Refuses TRACE and every method the portal does not serve, and gives each 405 the Chinese
    # page (inside the user's session, so the page shows who is signed in).
    "shaoxing_bases.core.middleware.MethodNotAllowedPageMiddleware",
    # axes last: it turns a lockout raised by the authentication backend into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shaoxing_bases.urls"
WSGI_APPLICATION = "shaoxing_bases.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "shaoxing_bases.core.context_processors.portal",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The worker, beat and web server share one file in the first-run setup: wait for locks.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # axes first so that a locked-out username+IP never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# 浙江政务服务网 single sign-on is a pluggable backend (shaoxing_bases.accounts.sso). No client by
# default: local.py and test.py default to the mock client, production refuses to start with it.
ZWFW_SSO_ENABLED = env.bool("ZWFW_SSO_ENABLED", default=False)
ZWFW_SSO_CLIENT = env.str("ZWFW_SSO_CLIENT", default="")
if ZWFW_SSO_ENABLED:
    AUTHENTICATION_BACKENDS.append("shaoxing_bases.accounts.sso.ZwfwSSOBackend")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "shaoxing_bases.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "shaoxing_bases.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# 等保2.0: lock a username+IP pair after 5 failures for 30 minutes. Keying on the pair, not the IP,
# keeps one office NAT address from locking out every colleague behind it.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "shaoxing_bases.accounts.views.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# The client address for the lockout and the audit trail. Behind TRUSTED_PROXY_COUNT reverse
# proxies (each appending to X-Forwarded-For) it is the entry the outermost proxy appended; with 0
# the header is ignored, so that nobody can choose their own address (see shaoxing_bases/client_ip.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "shaoxing_bases.client_ip.client_ip_address"

# Password reset by e-mail (accounts.services): the link expires after an hour; requests are
# limited per client address and per e-mail address typed, in an hour. The address limit is higher
# than the per-address one because a unit's office reaches the portal through one address.
PASSWORD_RESET_TIMEOUT = 60 * 60
PASSWORD_RESET_LIMIT_PER_ACCOUNT = 5
PASSWORD_RESET_LIMIT_PER_IP = 20
# The registration page's live hint says whether a credit code already has an account: per client
# address it answers that this many times per window, then asks to try later.
REGISTRATION_HINT_LIMIT_PER_IP = env.int("REGISTRATION_HINT_LIMIT_PER_IP", default=30)
REGISTRATION_HINT_WINDOW_SECONDS = 600

# Sessions end after 30 idle minutes (IdleTimeoutMiddleware tells the user why) and with the browser.
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions read from the cache (Redis when REDIS_URL is set) and written through to the database, so
# a signed-in request costs no session query and a Redis restart signs nobody out (docs/benchmarks.md).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "shaoxing_bases.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Strict CSP: no inline scripts or styles anywhere, every asset served from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Bootstrap and htmx come from the npm registry at install time (`make assets`), never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    # Uploads live outside the web root and are served only through permission-checked views.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "uploads")))
MEDIA_URL = "/media-not-served/"  # never routed: downloads go through views that check permissions
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Applicant-typed text (unit names, descriptions) must never become a live formula on a staff PC.
# applications.spreadsheets.PortalXLSX escapes by storing such text as text, whatever this says;
# it stays on for any other format import-export might be given.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# Bounds of an uploaded workbook (applications.spreadsheets.SpreadsheetLimits), checked before its
# rows are read: a few KB of .xlsx can declare a million rows or unpack to a 300 MB cell.
SPREADSHEET_IMPORT_LIMITS = {
    "max_bytes": 5 * 1024 * 1024,
    "max_uncompressed_bytes": 32 * 1024 * 1024,
    "max_rows": 10_000,
    "max_columns": 50,
    "max_cell_chars": 2_000,
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Seconds before an unresponsive SMTP server fails the send (the task retries); without it a hung
# server would hold a worker until the Celery time limit.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# An empty value (docker-compose passes every variable through) means the default.
DEFAULT_FROM_EMAIL = (
    env.str("DEFAULT_FROM_EMAIL", default="") or "绍兴市人力社保局实训基地平台 <noreply@sxhrss.example.cn>"
)
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="") or "http://127.0.0.1:8000"

# `seed_demo` resets every staff account to the published demo password: local and test only.
DEMO_DATA_ALLOWED = False

# Celery (DESIGN section 8). Redis when REDIS_URL is set, else kombu's filesystem transport, so
# the first run still has a real worker and beat without any service installed.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_QUEUE_DIR = BASE_DIR / "var" / "celery"
# The hard limit kills a task that runs longer (the PDF renders are the longest); the soft limit
# lets it clean up first. No task may set a longer limit of its own (tests/core/test_celery_config).
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
# The longest countdown, eta or retry backoff any task may use. DESIGN §8 caps it at 300 s; a
# minute is enough, since every deadline and every unsent e-mail has the minute sweep behind it.
TASK_MAX_COUNTDOWN = 60
# Redis hands an unacknowledged message to another worker once it has been out this long. With
# acks_late a message is unacknowledged from delivery (a countdown waits inside the worker) until
# the task ends, so the timeout must exceed the longest countdown plus the hard time limit, or a
# task still running would be run twice. Beyond that it is kept short: a worker killed mid-task
# (OOM, SIGKILL, a lost host) has its message redelivered after about five minutes, not an hour.
BROKER_VISIBILITY_TIMEOUT = TASK_MAX_COUNTDOWN + CELERY_TASK_TIME_LIMIT + 60
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "processed", "control"):
        (CELERY_QUEUE_DIR / _folder).mkdir(parents=True, exist_ok=True)
# The cache holds the password-reset counters: Redis when REDIS_URL is set (shared by every web
# process), else this process's memory (the single-process first run).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "shaoxing-bases",
        }
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 600 * 1024  # KiB: recycle a worker child above ~600 MB
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    # The one timer: every deadline lives in the database and this sweep moves what is due.
    "sweep-deadlines": {"task": "core.sweep_deadlines", "schedule": 60.0},
    # The audit trail's daily checkpoint: count and head, signed, logged and mailed to the city.
    "audit-checkpoint": {"task": "audit.write_checkpoint", "schedule": crontab(hour=0, minute=30)},
}

# The audit trail (shaoxing_bases/audit) signs entries, its head and its checkpoints with
# HMAC-SHA256 under this key. It lives in the environment, never in the database: whoever can only
# write the database cannot recompute a signature. local.py and test.py set a fixed development
# key; production refuses to start without one.
AUDIT_HMAC_KEY = env.str("AUDIT_HMAC_KEY", default="")
# Keys used before the current one (comma-separated), still needed to verify what they signed.
AUDIT_HMAC_OLD_KEYS = [key for key in env.list("AUDIT_HMAC_OLD_KEYS", default=[]) if key]
# Who receives the daily checkpoint by e-mail (the city's security officer): copies kept outside
# the portal, against which `verify_audit_chain --anchor` proves nothing was removed since.
AUDIT_CHECKPOINT_RECIPIENTS = [
    address for address in env.list("AUDIT_CHECKPOINT_RECIPIENTS", default=[]) if address
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # WeasyPrint's progress lines are noise; its own warnings (e.g. missing glyphs) stay visible.
        "weasyprint.progress": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}

# Names shown in the header, the footer and issued documents.
PORTAL_NAME = "绍兴市市级高技能人才公共实训基地管理平台"
BUREAU_NAME = "绍兴市人力资源和社会保障局"
FINANCE_BUREAU_NAME = "绍兴市财政局"
# Whom applicants and locked-out users call: the home page, the footer, the lockout page and the
# help pages show it. The defaults are placeholders for the demo; production requires the phone.
BUREAU_CONTACT_NAME = env.str("BUREAU_CONTACT_NAME", default="") or "绍兴市人力资源和社会保障局职业能力建设处"
BUREAU_CONTACT_PHONE = env.str("BUREAU_CONTACT_PHONE", default="") or "0575-8xxxxxxx"
BUREAU_CONTACT_HOURS = env.str("BUREAU_CONTACT_HOURS", default="") or "工作日 8:30—12:00，14:00—17:30"

# Official documents are signed with each issuing bureau's certificate (PKCS#12 files named
# <key>.p12 in DOCUMENT_CERT_DIR; passphrase from DOCUMENT_SIGNER_PASSPHRASE_<KEY> or the shared
# DOCUMENT_SIGNER_PASSPHRASE) and anyone can check them at /verify/ (docs/operations.md).
# `manage.py demo_certificates` makes demo ones for a first run; production refuses those.
DOCUMENT_CERT_DIR = Path(env.str("DOCUMENT_CERT_DIR", default=str(BASE_DIR / "var" / "certs")))
DOCUMENT_SIGNERS = signer_entries(DOCUMENT_CERT_DIR)
# Only local.py and test.py set one: the demo files' passphrase when the environment gives none.
DOCUMENT_DEMO_PASSPHRASE: str | None = None
# An RFC 3161 time-stamping service: signatures become PAdES B-T (B-B without one).
DOCUMENT_TSA_URL = env.str("DOCUMENT_TSA_URL", default="")
# /verify/: the largest PDF accepted, and how many checks one client address may make an hour.
DOCUMENT_VERIFY_MAX_BYTES = env.int("DOCUMENT_VERIFY_MAX_BYTES", default=10 * 1024 * 1024)
DOCUMENT_VERIFY_LIMIT_PER_IP = env.int("DOCUMENT_VERIFY_LIMIT_PER_IP", default=60)
# 年度报告 (clause 6.3): (month, day) in Asia/Shanghai. The reporting of year Y opens on OPENS of Y,
# the reminders go out on each REMINDERS day of Y to bases that have not submitted, and on OVERDUE
# of Y+1 the unsubmitted reports become overdue (escalated to the county and the city).
ANNUAL_REPORT_OPENS = (12, 1)
ANNUAL_REPORT_REMINDERS = ((12, 15), (12, 25))
ANNUAL_REPORT_OVERDUE = (1, 1)
