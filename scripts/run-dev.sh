#!/usr/bin/env bash
# `make run`: migrate, load the demo data, and serve the app with a Celery worker and beat.
# Without DATABASE_URL / REDIS_URL it needs no server: SQLite and a filesystem broker under var/.
# Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=config.settings.dev
PY=.venv/bin/python
# The address runserver binds ("[host:]port"); links in emails (SITE_URL) point at it unless
# SITE_URL is set, and its host is allowed unless ALLOWED_HOSTS is set.
ADDR="${PORT:-127.0.0.1:8000}"
if [[ -z "${SITE_URL:-}" ]]; then
  SITE_URL=$($PY -c 'import sys; from config.settings.env import site_url_for_bind as f; print(f(sys.argv[1]))' "$ADDR")
fi
export SITE_URL
if [[ -z "${ALLOWED_HOSTS:-}" ]]; then
  site_host=$($PY -c 'import sys; from urllib.parse import urlsplit; print(urlsplit(sys.argv[1]).hostname)' "$SITE_URL")
  export ALLOWED_HOSTS="127.0.0.1,localhost,[::1],${site_host}"
fi
mkdir -p "${VAR_DIR:-var}/media"

$PY manage.py migrate --no-input -v 0
$PY manage.py demo_data

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping…"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/bin/celery -A config worker --beat --loglevel=WARNING --concurrency=2 \
  --schedule "${VAR_DIR:-var}/celerybeat-schedule" &
pids+=($!)
$PY manage.py runserver "$ADDR" --noreload &
pids+=($!)

cat <<TXT

  Credit insurance administration: ${SITE_URL}/   (emails link here: SITE_URL)
  Users (password demo-pass-2026): insured, underwriter, claims, claims2, admin
  API docs: ${SITE_URL}/api/docs/    Ctrl-C stops everything.

TXT
wait -n "${pids[@]}"
