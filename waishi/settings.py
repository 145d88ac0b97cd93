"""Settings for Waishi, read from environment variables.

Development defaults are safe to run locally; with WAISHI_ENV=production the
process refuses to start without a real secret key and allowed hosts.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WAISHI_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    return int(os.environ.get(name, default))


ENVIRONMENT = os.environ.get("WAISHI_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
DEV_SECRET = "dev-only-insecure-secret-key-change-me"
SECRET_KEY = os.environ.get("WAISHI_SECRET_KEY", DEV_SECRET)
DEBUG = env_bool("WAISHI_DEBUG", not PRODUCTION)
ALLOWED_HOSTS = [h for h in os.environ.get("WAISHI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

if PRODUCTION and (SECRET_KEY == DEV_SECRET or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured("WAISHI_SECRET_KEY must be set to a long random value in production.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "geo",
    "twinning",
    "atlas",
    "eservices",
    "trips",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "waishi.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.security.LoginPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "accounts.audit.AuditMiddleware",
    # Last, as django-axes asks: it turns lock-outs into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

ROOT_URLCONF = "waishi.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "waishi.context.site",
            ],
        },
    },
]

WSGI_APPLICATION = "waishi.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'waishi.sqlite3'}"),
        conn_max_age=env_int("WAISHI_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "twinning:partnership_list"  # only a fallback: accounts/landing.py decides by role
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]

# Identity (docs/security.md): lock an account after failed logins (django-axes), require a second
# factor for accounts that approve or administer (django-otp, TOTP).
AXES_ENABLED = env_bool("WAISHI_LOCKOUT_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("WAISHI_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("WAISHI_LOCKOUT_MINUTES", 15))
# Accounts are locked, not addresses: offices sit behind one NAT address and must not lock each other out.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_IPWARE_PROXY_COUNT = env_int("WAISHI_PROXY_COUNT", 0)
WAISHI_REQUIRE_2FA = env_bool("WAISHI_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = os.environ.get("WAISHI_OTP_ISSUER", "Waishi")
# Audit records are kept at least this long (the purge refuses less than 180 days).
WAISHI_AUDIT_RETENTION_DAYS = env_int("WAISHI_AUDIT_RETENTION_DAYS", 365)
# Records of official trips are kept this many years after return; a person's data is not erased before.
WAISHI_TRIP_RECORD_YEARS = env_int("WAISHI_TRIP_RECORD_YEARS", 5)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("WAISHI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# Uploaded files live outside the static tree and are served only through views
# that check permissions.
MEDIA_ROOT = Path(os.environ.get("WAISHI_MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_BYTES = env_int("WAISHI_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = FILE_UPLOAD_MAX_BYTES

SESSION_COOKIE_AGE = env_int("WAISHI_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts only from this site, never inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # style attributes (colour swatches); no inline script
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("WAISHI_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("WAISHI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Mail goes to the console in development; in production set WAISHI_EMAIL_BACKEND to
# django.core.mail.backends.smtp.EmailBackend and the WAISHI_EMAIL_* variables below.
_EMAIL_BACKEND = os.environ.get(
    "WAISHI_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND}}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("WAISHI_EMAIL_HOST", "localhost"),
        "port": env_int("WAISHI_EMAIL_PORT", 25),
        "username": os.environ.get("WAISHI_EMAIL_USER", ""),
        "password": os.environ.get("WAISHI_EMAIL_PASSWORD", ""),
        "use_tls": env_bool("WAISHI_EMAIL_TLS", False),
    }
DEFAULT_FROM_EMAIL = os.environ.get("WAISHI_EMAIL_FROM", "waishi@localhost")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ScopedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.tokens.HasScope", "rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Waishi API",
    "DESCRIPTION": "智慧外事 — friendship-city registry and open data",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # A date's precision (day / month / year) is one choice set, for a signing date and a layer item's date alike.
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "twinning.models.Precision"},
}

AUDITLOG_INCLUDE_ALL_MODELS = False

# --- Waishi domain configuration -------------------------------------------
# The home jurisdiction: the province or city whose foreign affairs office runs
# this instance (GB/T 2260 code). 430000 = Hunan; 330100 would be Hangzhou.
WAISHI_HOME_CODE = os.environ.get("WAISHI_HOME_CODE", "430000")
# Vitality of a partnership (see docs/statistics.md#vitality).
WAISHI_VITALITY_WINDOW_YEARS = env_int("WAISHI_VITALITY_WINDOW_YEARS", 3)
WAISHI_VITALITY_ACTIVE_MIN = env_int("WAISHI_VITALITY_ACTIVE_MIN", 3)
WAISHI_VITALITY_UNSTABLE_MIN = env_int("WAISHI_VITALITY_UNSTABLE_MIN", 1)
# Official trips (docs/trips.md): the approval number's prefix, days after return for the
# report, working days of pre-trip publicity, days a passport may be overdue before the unit is locked.
WAISHI_APPROVAL_PREFIX = os.environ.get("WAISHI_APPROVAL_PREFIX", "湘外审")
WAISHI_TRIP_REPORT_DAYS = env_int("WAISHI_TRIP_REPORT_DAYS", 30)
WAISHI_PUBLICITY_WORKING_DAYS = env_int("WAISHI_PUBLICITY_WORKING_DAYS", 5)
WAISHI_PASSPORT_LOCK_DAYS = env_int("WAISHI_PASSPORT_LOCK_DAYS", 30)
# The plan's key countries for the trip statistics: a country group code (data/geo/groups.csv).
WAISHI_KEY_COUNTRY_GROUP = os.environ.get("WAISHI_KEY_COUNTRY_GROUP", "bri_route")
# Imports above this many rows run in the background with a progress bar.
WAISHI_IMPORT_BACKGROUND_ROWS = env_int("WAISHI_IMPORT_BACKGROUND_ROWS", 200)
# The largest file an import takes (a list of 100,000 partnerships is about 5 MB as .xlsx).
WAISHI_IMPORT_MAX_BYTES = env_int("WAISHI_IMPORT_MAX_BYTES", 10 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WAISHI_LOG_LEVEL", "WARNING")},
}
# Run long imports in a background thread (off in tests on SQLite in memory).
WAISHI_IMPORT_THREADS = env_bool("WAISHI_IMPORT_THREADS", True)

# django-filter: the empty choice of a filter means "any", in the user's language.
FILTERS_EMPTY_CHOICE_LABEL = _("(any)")
