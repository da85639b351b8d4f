#!/usr/bin/env bash
# A throwaway PostgreSQL (Debian's postgresql package) for the tests: a fresh cluster on every start.
# Usage: scripts/pg-test-server.sh start|stop   (start prints the DATABASE_URL)
set -euo pipefail
PGPORT="${PGPORT:-54329}"
PGDATA_DIR="${PGDATA_DIR:-$PWD/.data/pg-test}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
# PostgreSQL refuses to run as root: run its tools as the postgres user then.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-start}" in
  start)
    if [ ! -x "$PGBIN/postgres" ]; then
      echo "PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install postgresql" >&2
      exit 1
    fi
    if [ -f "$PGDATA_DIR/postmaster.pid" ]; then as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m immediate stop >/dev/null 2>&1 || true; fi
    rm -rf "$PGDATA_DIR"
    mkdir -p "$PGDATA_DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDATA_DIR"
    as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # fsync off: a throwaway cluster trades durability for speed
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w \
      -o "-p $PGPORT -k $PGDATA_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
    as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres meetscope
    echo "postgresql://postgres@127.0.0.1:$PGPORT/meetscope"
    ;;
  stop)
    [ -f "$PGDATA_DIR/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast stop >/dev/null || true
    rm -rf "$PGDATA_DIR"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
