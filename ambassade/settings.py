"""Django settings, read only from the environment (see .env.example).

Each value goes through ``ambassade.core.config`` so that a bad value stops the
process with one clear line naming the variable.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from ambassade.core import config

PACKAGE_DIR = Path(__file__).resolve().parent
TESTING = "pytest" in sys.modules or config.boolean("AMBASSADE_TESTING", False)

# Tests never touch the developer's var/ folder: they get a temporary one, removed at the
# end of the run (ambassade/testing/leftovers.py).
DATA_DIR_IS_TEMPORARY = TESTING and not config.text("DATA_DIR", "")
if DATA_DIR_IS_TEMPORARY:
    DATA_DIR = Path(tempfile.mkdtemp(prefix="ambassade-test-"))
else:
    DATA_DIR = Path(config.text("DATA_DIR", "var")).resolve()
DEBUG = config.boolean("DEBUG", False)
SECRET_KEY = config.secret_key("SECRET_KEY", DATA_DIR)
# Address and port `ambassade run` and `ambassade web` listen on; BASE_URL follows them.
HOST = config.text("HOST", "127.0.0.1")
PORT = config.integer("PORT", 8000, minimum=1, maximum=65535)
BASE_URL = config.base_url("BASE_URL", HOST, PORT)
HTTPS = BASE_URL.startswith("https://")

ALLOWED_HOSTS = config.string_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
_base_host = BASE_URL.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[0]
if _base_host not in ALLOWED_HOSTS and "*" not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_base_host)
CSRF_TRUSTED_ORIGINS = [BASE_URL.split("/", 3)[0] + "//" + BASE_URL.split("/", 3)[2]]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Before allauth, so that its templates (in our layout) override allauth's.
    "ambassade.accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "ambassade.core",
    "ambassade.people",
    "ambassade.programs",
    "ambassade.content",
    "ambassade.tracking",
    "ambassade.sharing",
    "ambassade.analytics",
    "ambassade.contributions",
    "ambassade.notifications",
    "ambassade.push",
    "ambassade.webhooks",
    "ambassade.chat_channels",
    "ambassade.digests",
    "ambassade.coaching",
    "ambassade.delegation",
    "ambassade.learning",
    "ambassade.incidents",
    "ambassade.crisis",
    "ambassade.identity",
    "ambassade.provisioning",
    "ambassade.recognition",
    "ambassade.field",
    "ambassade.referrals",
    "ambassade.alumni",
    "ambassade.autopilot",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ambassade.core.static_middleware.StaticFilesMiddleware",  # WhiteNoise (see the module)
    # Pages, API answers and exports compressed (core/compression.py); static files are
    # answered by WhiteNoise above, before this runs.
    "ambassade.core.compression.CompressTextMiddleware",
    # After WhiteNoise (static files keep their own caching), before everything else so
    # that it also sees the answers of the middleware below (CSRF refusals, redirects).
    "ambassade.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ambassade.accounts.middleware.UserPreferencesMiddleware",
    "ambassade.people.middleware.CurrentPersonMiddleware",
    # "Last seen" for the nudges: one write a day per person at most.
    "ambassade.notifications.middleware.LastSeenMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the person is known and messages work: sends an overdue console role to enrol.
    "ambassade.accounts.middleware.TwoFactorPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "ambassade.urls"
WSGI_APPLICATION = "ambassade.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ambassade.people.context_processors.navigation",
                "ambassade.programs.context_processors.attention",
                "ambassade.accounts.context_processors.two_factor",
                "ambassade.notifications.context_processors.bell",
                "ambassade.crisis.context_processors.crisis",
            ],
        },
    }
]

# --- Data -------------------------------------------------------------------------------
DATABASES = {
    "default": config.database("DATABASE_URL", f"sqlite:///{DATA_DIR / 'ambassade.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server, the worker and the scheduler share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # Under the ASGI server each page runs in a thread of its own, so a connection kept
    # "for CONN_MAX_AGE" would be left behind in a finished thread: Django's docs ask for
    # its connection pool instead (psycopg-pool), one per process, shared by its threads.
    # The test suite keeps the plain connections its fixtures expect unless told otherwise.
    DATABASE_POOL_SIZE = config.integer(
        "DATABASE_POOL_SIZE", 0 if TESTING else 10, minimum=0, maximum=200
    )
    if DATABASE_POOL_SIZE:
        DATABASES["default"]["OPTIONS"] = {
            "pool": {"min_size": 1, "max_size": DATABASE_POOL_SIZE, "timeout": 10}
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = config.integer(
            "DATABASE_CONN_MAX_AGE", 60, minimum=0
        )
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = config.redis_url("REDIS_URL")
if TESTING and REDIS_URL:
    # Tests never write into the configured database: they use database 15 - n of the same
    # server, emptied at the start and end of the run (ambassade/testing/leftovers.py).
    REDIS_URL = config.redis_test_url(REDIS_URL, config.test_process_number())
TASK_BACKEND = config.choice("TASK_BACKEND", "database", ("database", "redis"))
if TASK_BACKEND == "redis" and not REDIS_URL:
    raise config.ConfigError("TASK_BACKEND=redis needs REDIS_URL to be set")

_DATABASE_TASKS = {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
_REDIS_TASKS = {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
TASKS = {"default": _REDIS_TASKS if TASK_BACKEND == "redis" else _DATABASE_TASKS}
if REDIS_URL:
    # Both backends stay addressable by name ("database", "redis") so that a deployment
    # can move between them and the tests can exercise both.
    TASKS.update({"database": _DATABASE_TASKS, "redis": _REDIS_TASKS})
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    INSTALLED_APPS.append("django_rq")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ambassade",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tracked links' codes (tracking/redirect.py): a cache of their own, so that thousands of
# codes are not culled with the default cache's 300 entries.
_links_cache: dict[str, Any] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "ambassade-links",
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ambassade-links",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
)
CACHES["links"] = _links_cache

# --- Mail -------------------------------------------------------------------------------
globals().update(config.email("EMAIL_URL", "outbox"))
MAIL_OUTBOX_DIR = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = config.text("DEFAULT_FROM_EMAIL", "Ambassade <ambassade@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Languages and time -----------------------------------------------------------------
LANGUAGE_CODE = config.choice("LANGUAGE_CODE", "en", ("en", "fr"))
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = config.text("TIME_ZONE", "Europe/Paris")
LANGUAGE_COOKIE_NAME = "ambassade_language"
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
SERVE_MEDIA = config.boolean("SERVE_MEDIA", True)
WHITENOISE_USE_FINDERS = TESTING or DEBUG
if TESTING:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing

# --- Security ---------------------------------------------------------------------------
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = config.integer("SESSION_COOKIE_AGE", 14 * 24 * 3600, minimum=300)
SECURE_SSL_REDIRECT = HTTPS and config.boolean("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = config.integer("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# The preload directive is only a header; listing in browsers still needs a manual submission.
SECURE_HSTS_PRELOAD = config.boolean("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if config.boolean("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Our own pages load nothing from elsewhere: no CDN, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The installable app: its manifest and service worker (core/app_views.py).
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Accounts (django-allauth; docs/decisions/0015-accounts-on-allauth.md) ------------
# Django's backend stays for code that signs a person in after proving who they are another
# way (an invitation's one-time link); passwords are only typed into allauth's forms.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "ambassade.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Accounts come from invitations and the setup command, not from a public sign-up form;
# a new address is confirmed before it replaces the old one.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = True  # sessions last SESSION_COOKIE_AGE, as before
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Ambassade · "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
# Failed sign-ins: 10 per account (the address typed, known or not) and 30 per source
# (a daily-salted hash of the address, see accounts/adapter.py) in 15 minutes.
SIGNIN_LOCKOUT_MINUTES = config.integer("SIGNIN_LOCKOUT_MINUTES", 15, minimum=1, maximum=1440)
# Referrals: how long a referred candidate's name and address are kept while they have
# not confirmed (docs/referrals.md); then the referral is erased.
REFERRAL_UNCONFIRMED_DAYS = config.integer("REFERRAL_UNCONFIRMED_DAYS", 7, minimum=1, maximum=30)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"30/{SIGNIN_LOCKOUT_MINUTES}m/ip,10/{SIGNIN_LOCKOUT_MINUTES}m/key",
    "login": "60/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_email": "5/m/user",
    "manage_email": "10/m/user",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
# API tokens: wrong tokens from one source (core/api.py).
API_TOKEN_FAILURES = f"30/{SIGNIN_LOCKOUT_MINUTES}m/ip"
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Ambassade"
MFA_FORMS = {"add_webauthn": "ambassade.accounts.forms.AddPasskeyForm"}
# WebAuthn needs HTTPS except on a developer's machine or the tests' live server.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not HTTPS
USERSESSIONS_TRACK_ACTIVITY = False
# Console roles that an organisation may require to use a second factor (accounts/policy.py).
TWO_FACTOR_ROLES = ("admin", "marketing", "hr", "internal_comms")

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Web server and scheduler -----------------------------------------------------------
WEB_WORKERS = config.integer("WEB_WORKERS", 2, minimum=1, maximum=64)
# `ambassade redirect`: the same server on a port of its own, where the reverse proxy sends
# the short links (/r/ and the organisations' short domains).
REDIRECT_PORT = config.integer("REDIRECT_PORT", 8001, minimum=1, maximum=65535)
REDIRECT_WORKERS = config.integer("REDIRECT_WORKERS", 2, minimum=1, maximum=64)
SCHEDULER_TICK_SECONDS = config.integer("SCHEDULER_TICK_SECONDS", 15, minimum=1, maximum=3600)
TASK_RESULT_RETENTION_DAYS = config.integer("TASK_RESULT_RETENTION_DAYS", 14, minimum=1)
HEALTH_MAX_TASK_AGE_SECONDS = config.integer("HEALTH_MAX_TASK_AGE_SECONDS", 900, minimum=10)

# --- Logging ----------------------------------------------------------------------------
LOG_LEVEL = config.choice("LOG_LEVEL", "info", ("debug", "info", "warning", "error")).upper()
LOG_FORMAT = config.choice("LOG_FORMAT", "text" if DEBUG else "json", ("json", "text"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django_tasks": {"level": LOG_LEVEL},
        # pysaml2 logs a person's NameID (an e-mail address) at INFO and whole SAML
        # messages at DEBUG: personal data that has no place in the logs.
        "saml2": {"level": "WARNING"},
        "xmlschema": {"level": "WARNING"},  # pysaml2's schema loading, line by line
        # httpx logs every request's full address at INFO; some networks' documented
        # token calls carry a token or an app secret in the query (Meta's Graph API).
        "httpx": {"level": "WARNING"},
    },
}

# --- Outbound HTTP (core/outbound.py) ---------------------------------------------------
# Intranet hosts that may be fetched although they resolve to private addresses, each with
# its port ("intranet.example.com:8080"). Everything else private, loopback, link-local or
# reserved is refused; an organisation's own list can never open such an address.
OUTBOUND_ALLOWED_HOSTS = config.host_port_list("OUTBOUND_ALLOWED_HOSTS")
OUTBOUND_TIMEOUT_SECONDS = config.integer("OUTBOUND_TIMEOUT_SECONDS", 10, minimum=1, maximum=120)
OUTBOUND_MAX_BYTES = config.integer("OUTBOUND_MAX_BYTES", 5_000_000, minimum=10_000)

# --- Tracked links (tracking/) ---------------------------------------------------------
# Where the web processes hand click events over: "spool" (files in DATA_DIR/clicks, the
# default) or "redis" (a Redis stream; needs REDIS_URL). See docs/decisions/0007.
CLICK_BUFFER = config.choice("CLICK_BUFFER", "spool", ("spool", "redis"))
if CLICK_BUFFER == "redis" and not REDIS_URL:
    raise config.ConfigError("CLICK_BUFFER=redis needs REDIS_URL to be set")
CLICK_SPOOL_DIR = DATA_DIR / "clicks"
# Clicks from one visitor (same network address and browser) above this many a minute are
# flagged as a flood and not counted; 0 turns the limit off.
CLICK_FLOOD_LIMIT = config.integer("CLICK_FLOOD_LIMIT", 30, minimum=0)
# Behind a reverse proxy: take the visitor's address from the last X-Forwarded-For entry.
TRUST_X_FORWARDED_FOR = config.boolean("TRUST_X_FORWARDED_FOR", False)
# The same source for the sign-in limits (django-allauth reads the last entry too).
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if TRUST_X_FORWARDED_FOR else 0
# Optional MaxMind/DB-IP country database (.mmdb); without it no country is recorded.
GEOIP_DATABASE = config.text("GEOIP_DATABASE", "")
if GEOIP_DATABASE and not Path(GEOIP_DATABASE).is_file():
    raise config.ConfigError(f"GEOIP_DATABASE={GEOIP_DATABASE!r} is not a readable file")

# --- Product ----------------------------------------------------------------------------
API_PAGE_SIZE = 50
API_TOKEN_PREFIX = "amb_"  # noqa: S105 (a prefix that makes leaked tokens recognisable)

# --- Sharing (sharing/) -----------------------------------------------------------------
# Fernet keys that encrypt the social accounts' secrets; the first encrypts, all decrypt.
# Empty: one key generated once into DATA_DIR/sharing_keys. See sharing/crypto.py.
from ambassade.sharing.crypto import load_keys as _load_sharing_keys  # noqa: E402

SHARING_KEYS = _load_sharing_keys(config.text("SHARING_KEYS", ""), DATA_DIR)

# --- Web push (push/) -------------------------------------------------------------------
# The VAPID key pair that signs our messages to the browsers' push services: generated
# once into DATA_DIR/vapid_private_key.pem (mode 0600) on first use, like the SECRET_KEY.
# A new key makes every device subscribe again. See push/vapid.py.
VAPID_PRIVATE_KEY_FILE = Path(
    config.text("VAPID_PRIVATE_KEY_FILE", str(DATA_DIR / "vapid_private_key.pem"))
)
# Who the push services may contact about our messages (mailto: or https:); empty: the
# address mails are sent from.
VAPID_SUBJECT = config.text("VAPID_SUBJECT", "")
