#!/usr/bin/env bash
# A private PostgreSQL cluster on a loopback port, for the store's tests.
#
#   tools/pg.sh start   initdb (first time) and start; prints the URL to use as SCRIM_TEST_PG_URL
#   tools/pg.sh stop    stop it
#   tools/pg.sh url     print the URL
#
# initdb and pg_ctl run as the `postgres` user when run as root (PostgreSQL refuses root).
# The cluster lives in $SCRIM_PG_DIR (default: /tmp/scrim-pg-UID, where the postgres user can reach it) and listens on $SCRIM_PG_PORT
# (default 55432) on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${SCRIM_PG_DIR:-${TMPDIR:-/tmp}/scrim-pg-$(id -u)}"
PORT="${SCRIM_PG_PORT:-55432}"
URL="postgres://scrim@127.0.0.1:$PORT/scrim_test"

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$d" ] && command -v pg_ctl >/dev/null 2>&1 && command -v psql >/dev/null 2>&1; then
    d=$(dirname "$(command -v pg_ctl)")
  fi
  if [ -z "$d" ]; then
    echo "PostgreSQL is not installed: apt-get install postgresql (Debian) first" >&2
    exit 1
  fi
  echo "$d"
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  start)
    BIN=$(bindir)
    PSQL="$BIN/psql"; [ -x "$PSQL" ] || PSQL=$(command -v psql)
    mkdir -p "$(dirname "$DIR")"
    if [ ! -f "$DIR/PG_VERSION" ]; then
      mkdir -p "$DIR"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
      as_pg "$BIN/initdb" -D "$DIR" -U scrim --auth=trust --no-sync -E UTF8 >/dev/null
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
      as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/log" -w \
        -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    fi
    as_pg "$PSQL" -h 127.0.0.1 -p "$PORT" -U scrim -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'scrim_test'" | grep -q 1 ||
      as_pg "$PSQL" -h 127.0.0.1 -p "$PORT" -U scrim -d postgres -qc "CREATE DATABASE scrim_test"
    echo "$URL"
    ;;
  stop)
    BIN=$(bindir)
    if [ -f "$DIR/PG_VERSION" ]; then
      as_pg "$BIN/pg_ctl" -D "$DIR" -m fast stop >/dev/null 2>&1 || true
    fi
    ;;
  url)
    echo "$URL"
    ;;
  *)
    echo "usage: tools/pg.sh start|stop|url" >&2
    exit 2
    ;;
esac
