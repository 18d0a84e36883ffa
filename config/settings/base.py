"""Settings shared by every environment. Everything that differs comes from the environment."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "core",
    "accounts",
    "policies",
    "debtors",
    "limits",
    "exposure",
    "claims",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.api.ApiNotFoundMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "portal.context_processors.navigation",
                "core.context_processors.insurer",
            ],
        },
    },
]

# Database: DATABASE_URL, or the embedded SQLite file under var/ when it is not set.
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
else:
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "db.sqlite3"}
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web and worker write at once in `make run`: take the write lock at BEGIN, and wait for it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the app's queries are short, and a set-based one with correlated
    # subqueries (exposure over 50 000 invoices) is estimated dear enough to spend 3 s
    # compiling what runs in 0.3 s.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Repeated failed logins: lock the username + address pair out for a while.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Trusted proxies: how many reverse proxies in front of the app append to X-Forwarded-For.
# 0 (the default): the header is ignored and the client is REMOTE_ADDR. DRF's throttles and
# django-axes both take the client's address from core.throttling.client_ip, which reads it.
NUM_PROXIES = env_int("NUM_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "core.throttling.client_ip"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site only,
# no inline scripts, inline style attributes or event handlers in any template. A page that
# cannot do without an inline block (the API docs) marks it with `request.csp_nonce`; the
# nonce is in the header only on such pages. Bootstrap's stylesheet draws icons as data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Internationalisation: English, Swedish and Dutch ship.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("sv", _("Svenska")), ("nl", _("Nederlands"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as a European reads them (Django's "en" formats are American).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Stockholm")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages installed from npm at install time (scripts/vendor-assets.sh).
    ("vendor", BASE_DIR / "build" / "vendor"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The insurer this deployment runs for: every page header, PDF and email takes its identity
# from here (through core.insurer). The defaults are the demo's.
INSURER_NAME = env_str("INSURER_NAME", "Demo Credit Insurance AB")
# Lines separated by ";" or newlines.
INSURER_ADDRESS = env_str("INSURER_ADDRESS", "Box 1234; 111 22 Stockholm; Sweden")
INSURER_REGISTRATION = env_str("INSURER_REGISTRATION", "559000-0005")
INSURER_EMAIL = env_str("INSURER_EMAIL", "service@insurer.example")
INSURER_PHONE = env_str("INSURER_PHONE", "+46 70 174 06 05")
INSURER_WEBSITE = env_str("INSURER_WEBSITE", "")
# Where documents are signed (the schedule's "Place and date").
INSURER_PLACE = env_str("INSURER_PLACE", "Stockholm")
# The logo: a static file name, or the absolute path of an SVG/PNG file, whose folder is then
# served as static/insurer/ (give the logo a folder of its own). Empty: no logo.
INSURER_LOGO = env_str("INSURER_LOGO", "img/insurer-logo.svg")
INSURER_LOGO_STATIC = INSURER_LOGO
if INSURER_LOGO and Path(INSURER_LOGO).is_absolute():
    if not Path(INSURER_LOGO).is_file():
        raise ImproperlyConfigured(f"INSURER_LOGO: no such file {INSURER_LOGO}")
    STATICFILES_DIRS.append(("insurer", str(Path(INSURER_LOGO).parent)))
    INSURER_LOGO_STATIC = f"insurer/{Path(INSURER_LOGO).name}"

# Email
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Where the app is served: links in emails start with it (`make run` sets it to the address
# it binds).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Credit information: a directory the file-based provider reads (<COUNTRY>/<number>.json).
CREDIT_INFO_PROVIDER_DIR = env_str("CREDIT_INFO_PROVIDER_DIR", "") or None
# Imports (core.imports): lines read and written per chunk, and the largest file accepted.
IMPORT_CHUNK_LINES = env_int("IMPORT_CHUNK_LINES", 2000)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 200 * 1024 * 1024)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{INSURER_NAME} <no-reply@localhost>")


# Celery: Redis when REDIS_URL is set, else kombu's filesystem transport under var/.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
else:
    _queue = VAR_DIR / "celery"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "out"),
        "data_folder_out": str(_queue / "out"),
        "processed_folder": str(_queue / "processed"),
        "control_folder": str(_queue / "control"),
        "store_processed": False,
    }
    for _folder in ("out", "processed", "control"):
        (_queue / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The one beat schedule of the project.
CELERY_BEAT_SCHEDULE = {
    "limits-risk-events-alert": {
        "task": "limits.tasks.risk_events_alert_task",
        "schedule": 60.0,
    },
    "policies-expire-ended": {
        "task": "policies.tasks.policies_expire_task",
        "schedule": crontab(minute=5, hour=0),
    },
    "exposure-deadlines": {
        "task": "exposure.tasks.deadlines_run_task",
        "schedule": crontab(minute=10),  # hourly; idempotent through its ledger
    },
    "claims-deadlines": {
        "task": "claims.tasks.claim_deadlines_run_task",
        "schedule": crontab(minute=15),  # hourly; idempotent through exposure's ledger
    },
    "limits-dates": {
        "task": "limits.tasks.limit_dates_apply_task",
        "schedule": crontab(minute=2, hour=0),
    },
    "policies-year-end-premium": {
        "task": "policies.tasks.policy_charges_settle_task",
        "schedule": crontab(minute=20, hour=0),
    },
}

# History rows keep the whole reason of a change (a TextField instead of 100 characters).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The API takes JSON only (API.md), so the schema declares one request content type;
    # JSON numbers with a fraction are refused, naming the field (core.api_input). The
    # browser pages are Django views with their own forms and never use these parsers.
    "DEFAULT_PARSER_CLASSES": ["core.api_input.StrictJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PAGINATION_CLASS": "core.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_str("API_RATE_USER", "6000/min")},
    "NUM_PROXIES": NUM_PROXIES,
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Credit insurance administration API",
    "DESCRIPTION": (
        "Policies, turnover declarations and their premium. Amounts are decimal strings in "
        "the policy's currency. Authenticate with `Authorization: Token <key>` from "
        "`/api/v1/auth/token/`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI's files come from the drf-spectacular-sidecar package, never a CDN.
    "ENUM_NAME_OVERRIDES": {
        "PolicyStatusEnum": "policies.models.PolicyStatus",
        "DocumentStatusEnum": "policies.models.DocumentStatus",
        "LimitRequestStatusEnum": "limits.models.RequestStatus",
        "LimitRequestKindEnum": "limits.models.RequestKind",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
