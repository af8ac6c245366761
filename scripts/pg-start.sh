#!/usr/bin/env bash
# Start a throwaway PostgreSQL on loopback for the storage tests, from Debian's packages.
# Prints the URL to use as GONGKAI_TEST_PG. Usage: eval "$(scripts/pg-start.sh)"
set -euo pipefail
PORT="${GONGKAI_PG_PORT:-55432}"
DIR="${GONGKAI_PG_DIR:-/tmp/gongkai-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$BIN" ]; then
  echo "scripts/pg-start.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi
# PostgreSQL refuses to run as root: run it as the postgres user the package creates
AS=()
if [ "$(id -u)" = 0 ]; then AS=(runuser -u postgres --); fi
if ! "${AS[@]}" "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"
  "${AS[@]}" "$BIN/initdb" -D "$DIR" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  "${AS[@]}" "$BIN/pg_ctl" -D "$DIR" -l "$DIR/log" -w \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DIR -c fsync=off -c synchronous_commit=off" start >/dev/null
fi
echo "export GONGKAI_TEST_PG=postgres://postgres@127.0.0.1:$PORT/postgres"
