#!/usr/bin/env bash
# `make run`: migrate, load the demo data, and serve the app with a Celery worker and beat.
# Without DATABASE_URL / REDIS_URL it needs no server: SQLite and a filesystem broker under var/.
# Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=config.settings.dev
PY=.venv/bin/python
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
$PY manage.py runserver "${PORT:-127.0.0.1:8000}" --noreload &
pids+=($!)

cat <<TXT

  Credit insurance administration: http://${PORT:-127.0.0.1:8000}/
  Users (password demo-pass-2026): insured, underwriter, claims, admin
  API docs: http://${PORT:-127.0.0.1:8000}/api/docs/    Ctrl-C stops everything.

TXT
wait -n "${pids[@]}"
