#!/usr/bin/env bash
# `make serve`: production mode on one machine: gunicorn (web), a Celery worker and Celery
# beat, all with config.settings.production. Ctrl-C stops everything.
#
# SECRET_KEY: taken from the environment; for a local try-out one is generated once into
# var/secret_key. Without DATABASE_URL/REDIS_URL it uses the embedded SQLite + filesystem
# broker, and the database's cache table as the cache the workers share (DATABASE_CACHE);
# set both for PostgreSQL and Redis. Without TLS in front (a local try-out), run
#   SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false make serve
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=config.settings.production
mkdir -p "${VAR_DIR:-var}/media"
if [[ -z "${SECRET_KEY:-}" ]]; then
  [[ -s var/secret_key ]] || python3 -c 'import secrets; print(secrets.token_urlsafe(64))' > var/secret_key
  SECRET_KEY=$(cat var/secret_key)
  export SECRET_KEY
fi
if [[ -z "${REDIS_URL:-}" ]]; then
  export DATABASE_CACHE="${DATABASE_CACHE:-true}"
fi
PY=.venv/bin/python
$PY manage.py check --deploy --fail-level ERROR
$PY manage.py migrate --no-input -v 0
$PY manage.py createcachetable
$PY manage.py collectstatic --no-input -v 0

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT
.venv/bin/gunicorn config.wsgi --bind "${BIND:-127.0.0.1:8000}" --workers "${WEB_WORKERS:-2}" \
  --access-logfile - &
pids+=($!)
.venv/bin/celery -A config worker --loglevel=INFO --concurrency "${CELERY_CONCURRENCY:-2}" &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO --schedule "${VAR_DIR:-var}/celerybeat-schedule" &
pids+=($!)
echo "Serving on http://${BIND:-127.0.0.1:8000}/ (gunicorn, Celery worker and beat). Ctrl-C stops."
wait -n "${pids[@]}"
