#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL and Redis, started in a temporary directory
# on free loopback ports and stopped afterwards, whatever the command's exit status.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$PGBIN/initdb" ]] || { echo "PostgreSQL server binaries not found" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

TMP=$(mktemp -d /tmp/cia-services.XXXXXX)
chmod 755 "$TMP"
PGPORT=$(free_port)
REDISPORT=$(free_port)
PGDATA="$TMP/pg"
mkdir -p "$PGDATA" "$TMP/sock" "$TMP/redis" "$TMP/pglog"

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
[[ $(id -u) -eq 0 ]] && chown -R postgres:postgres "$PGDATA" "$TMP/sock" "$TMP/pglog"

cleanup() {
  as_pg "'$PGBIN/pg_ctl' -D '$PGDATA' -m immediate stop" >/dev/null 2>&1 || true
  redis-cli -p "$REDISPORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

as_pg "'$PGBIN/initdb' -D '$PGDATA' -U postgres -A trust -E UTF8 --locale=C.UTF-8" >"$TMP/initdb.log" 2>&1 \
  || { cat "$TMP/initdb.log"; exit 1; }
as_pg "'$PGBIN/pg_ctl' -D '$PGDATA' -l '$TMP/pglog/pg.log' -w start -o \"-p $PGPORT -k $TMP/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\"" >/dev/null \
  || { cat "$TMP/pglog/pg.log"; exit 1; }
redis-server --bind 127.0.0.1 --port "$REDISPORT" --daemonize yes --save '' --appendonly no \
  --dir "$TMP/redis" --pidfile "$TMP/redis/redis.pid" --logfile "$TMP/redis/redis.log"
for _ in $(seq 50); do redis-cli -p "$REDISPORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/cia"
export REDIS_URL="redis://127.0.0.1:$REDISPORT/0"
echo "services: PostgreSQL on :$PGPORT, Redis on :$REDISPORT"
set +e
"$@"
status=$?
set -e
exit $status
