"""Production: `make serve` (gunicorn + Celery worker + beat). Refuses to start without a
real secret key or without a cache that every worker shares; passes `manage.py check --deploy`
with no warnings."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, DATABASE_URL, DATABASES, REDIS_URL
from .env import env_bool, env_int, env_str

SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

DEBUG = False

# Keep database connections open between requests: a 4–5× difference in throughput here.
if DATABASE_URL:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Idempotency keys, throttles and lockouts live in the cache, so every gunicorn worker (and
# every web machine) must see the same one: Redis (REDIS_URL), or the database's cache table
# (DATABASE_CACHE=true; `make serve` runs createcachetable). A per-process memory cache would
# let a retry reach a worker that never saw the key, and create twice.
DATABASE_CACHE = env_bool("DATABASE_CACHE", False)
if DATABASE_CACHE and not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }
if CACHES["default"]["BACKEND"] not in (
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.db.DatabaseCache",
):
    raise ImproperlyConfigured(
        "Production needs a cache shared by every worker (idempotency keys, throttles): set "
        "REDIS_URL, or DATABASE_CACHE=true to use the database's cache table (created by "
        "`manage.py createcachetable`, which `make serve` runs)."
    )

# HTTPS. Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
