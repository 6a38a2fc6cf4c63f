#!/usr/bin/env bash
# Project-local throwaway PostgreSQL + Redis for Ion development and tests.
#
#   scripts/services.sh start    install (if missing) + start both; prints env lines
#   scripts/services.sh stop     stop both (idempotent)
#   scripts/services.sh status   exit 0 if both are up, 3 otherwise
#   scripts/services.sh env      print env lines without starting anything
#   scripts/services.sh pgbin    print the PostgreSQL bin directory
#
# `start` and `env` print exactly three KEY=VALUE lines on stdout (everything
# else goes to stderr), so this works:
#   export $(scripts/services.sh start | grep =)
#
# Environment:
#   ION_DATA_DIR    state directory (default: <repo>/.data)
#   ION_PG_PORT     PostgreSQL port (default: 54329)
#   ION_REDIS_PORT  Redis port (default: 63799)
#   ION_REDIS_APPENDONLY  yes: Redis keeps an append-only file in the data dir, so a restart keeps
#                   the sessions (the fault tests; default: no)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="${ION_DATA_DIR:-$ROOT/.data}"
case "$DATA_DIR" in /*) ;; *) DATA_DIR="$PWD/$DATA_DIR" ;; esac
PG_PORT="${ION_PG_PORT:-54329}"
REDIS_PORT="${ION_REDIS_PORT:-63799}"

PG_DATA="$DATA_DIR/postgres"
PG_LOG="$DATA_DIR/postgres.log"
REDIS_DIR="$DATA_DIR/redis"
REDIS_PID="$DATA_DIR/redis.pid"
REDIS_LOG="$DATA_DIR/redis.log"
LOCK_FILE="$DATA_DIR/services.lock"

log() { printf 'services: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Don't let the caller's libpq environment leak into our psql/pg_isready calls.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS PGSSLMODE 2>/dev/null || true

pg_bin_dir() {
  local d
  # shellcheck disable=SC2012
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [[ -n "$d" && -x "$d/postgres" ]] || return 1
  printf '%s\n' "$d"
}

print_env() {
  printf 'DATABASE_URL=postgres://postgres@127.0.0.1:%s/ion\n' "$PG_PORT"
  printf 'TEST_DATABASE_URL=postgres://postgres@127.0.0.1:%s/ion_test\n' "$PG_PORT"
  printf 'REDIS_URL=redis://127.0.0.1:%s\n' "$REDIS_PORT"
}

# ---------------------------------------------------------------- install ---

have_packages() {
  pg_bin_dir >/dev/null && command -v redis-server >/dev/null && command -v redis-cli >/dev/null \
    && { [[ $EUID -ne 0 ]] || id postgres >/dev/null 2>&1; }
}

# If another process on this machine is running apt (it logs to /tmp/apt.log and
# writes "done" as the last line when finished), give it a chance to finish.
wait_for_foreign_apt() {
  local f=/tmp/apt.log i
  [[ -f "$f" ]] || return 0
  for ((i = 0; i < 600; i++)); do
    [[ "$(tail -n 1 "$f" 2>/dev/null)" == "done" ]] && return 0
    if ((i % 30 == 0)); then log "waiting for another apt run to finish (/tmp/apt.log)..."; fi
    sleep 1
  done
  log "apt log never said 'done'; continuing (dpkg lock timeout still applies)"
}

install_packages() {
  have_packages && return 0
  wait_for_foreign_apt
  have_packages && return 0
  [[ $EUID -eq 0 ]] || die "postgresql/redis-server are missing and we are not root; install them: apt-get install postgresql redis-server"
  log "installing postgresql and redis-server (apt)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq postgresql redis-server </dev/null >&2
  have_packages || die "packages installed but postgres/redis binaries not found"
}

# --------------------------------------------------------------- postgres ---

# Run a command as the postgres OS user when we are root (initdb/postgres refuse
# root). cd / first so postgres doesn't complain about an unreadable cwd.
# fd 9 (our lock) is closed so daemons don't inherit and hold the lock forever.
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@") 9>&-
  else
    "$@" 9>&-
  fi
}

# postgres must be able to traverse every parent of the data dir.
ensure_traversable() {
  [[ $EUID -eq 0 ]] || return 0
  chmod o+x "$DATA_DIR"
  local d="$DATA_DIR"
  while [[ "$d" != "/" ]]; do
    d="$(dirname "$d")"
    if ! runuser -u postgres -- test -x "$d" 2>/dev/null; then
      log "chmod o+x $d (so the postgres user can reach $PG_DATA)"
      chmod o+x "$d"
    fi
  done
}

pg_running() {
  [[ -f "$PG_DATA/PG_VERSION" ]] || return 1
  as_pg "$PG_BIN/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1
}

psql_pg() {
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"
}

start_postgres() {
  mkdir -p "$PG_DATA"
  ensure_traversable
  if [[ $EUID -eq 0 ]]; then
    chown -R postgres:postgres "$PG_DATA"
  fi
  chmod 700 "$PG_DATA"

  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    log "initdb $PG_DATA"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$DATA_DIR/initdb.log" 2>&1 \
      || { cat "$DATA_DIR/initdb.log" >&2; die "initdb failed"; }
  fi

  if pg_running; then
    log "postgres already running on 127.0.0.1:$PG_PORT"
  else
    touch "$PG_LOG"
    [[ $EUID -ne 0 ]] || chown postgres:postgres "$PG_LOG"
    log "starting postgres on 127.0.0.1:$PG_PORT"
    if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -t 30 -l "$PG_LOG" \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >&2; then
      tail -n 30 "$PG_LOG" >&2 || true
      die "postgres failed to start (log: $PG_LOG)"
    fi
  fi

  local i
  for ((i = 0; i < 60; i++)); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break
    sleep 0.5
  done
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" || {
    tail -n 30 "$PG_LOG" >&2 || true
    die "postgres is not accepting connections on 127.0.0.1:$PG_PORT (is another server on that port?)"
  }

  local db
  for db in ion ion_test; do
    if [[ -z "$(psql_pg -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]]; then
      log "creating database $db"
      psql_pg -c "CREATE DATABASE $db" >&2
    fi
  done
}

stop_postgres() {
  if pg_running; then
    log "stopping postgres"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >&2
  else
    log "postgres not running"
  fi
}

# ------------------------------------------------------------------ redis ---

redis_up() {
  [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == "PONG" ]]
}

start_redis() {
  if redis_up; then
    log "redis already running on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  mkdir -p "$REDIS_DIR"
  log "starting redis on 127.0.0.1:$REDIS_PORT"
  # redis-server chdirs to --dir, so every path must be absolute.
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes \
    --dir "$REDIS_DIR" --pidfile "$REDIS_PID" --logfile "$REDIS_LOG" \
    --save '' --appendonly "${ION_REDIS_APPENDONLY:-no}" >&2 9>&- \
    || die "redis-server failed to start (log: $REDIS_LOG)"
  local i
  for ((i = 0; i < 100; i++)); do
    redis_up && return 0
    sleep 0.1
  done
  tail -n 30 "$REDIS_LOG" >&2 || true
  die "redis did not answer PING on 127.0.0.1:$REDIS_PORT"
}

stop_redis() {
  if redis_up; then
    log "stopping redis"
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    local i
    for ((i = 0; i < 100; i++)); do
      [[ -f "$REDIS_PID" ]] || break
      sleep 0.1
    done
  else
    log "redis not running"
  fi
  # Clean up after a redis that died without removing its pidfile.
  if [[ -f "$REDIS_PID" ]]; then
    local pid
    pid="$(cat "$REDIS_PID" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && grep -q redis "/proc/$pid/comm" 2>/dev/null; then
      log "redis (pid $pid) still alive; sending SIGTERM"
      kill "$pid" 2>/dev/null || true
      sleep 1
    fi
    rm -f "$REDIS_PID"
  fi
}

# ------------------------------------------------------------------- main ---

with_lock() {
  mkdir -p "$DATA_DIR"
  exec 9>"$LOCK_FILE"
  flock -w 120 9 || die "timed out waiting for $LOCK_FILE"
}

cmd="${1:-}"
case "$cmd" in
  start)
    install_packages
    PG_BIN="$(pg_bin_dir)"
    with_lock
    start_postgres
    start_redis
    print_env
    ;;
  stop)
    if PG_BIN="$(pg_bin_dir)"; then
      [[ -d "$DATA_DIR" ]] || { log "nothing to stop ($DATA_DIR does not exist)"; exit 0; }
      with_lock
      stop_redis
      stop_postgres
    else
      [[ -d "$DATA_DIR" ]] && command -v redis-cli >/dev/null && { with_lock; stop_redis; }
      log "postgres not installed; nothing to stop"
    fi
    ;;
  status)
    rc=0
    if PG_BIN="$(pg_bin_dir)" && pg_running && "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
      echo "postgres: running (127.0.0.1:$PG_PORT, data $PG_DATA)"
    else
      echo "postgres: not running"; rc=3
    fi
    if command -v redis-cli >/dev/null && redis_up; then
      echo "redis: running (127.0.0.1:$REDIS_PORT)"
    else
      echo "redis: not running"; rc=3
    fi
    exit "$rc"
    ;;
  env)
    print_env
    ;;
  pgbin)
    pg_bin_dir || die "no PostgreSQL found under /usr/lib/postgresql (run: $0 start)"
    ;;
  *)
    echo "usage: $0 start|stop|status|env|pgbin" >&2
    exit 2
    ;;
esac
