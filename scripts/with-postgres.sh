#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL 15 server: a fresh cluster in a temporary
# directory, listening on 127.0.0.1 only, stopped and deleted when the command ends. The command
# finds it in AIMOVIEZ_TEST_POSTGRES_URL. PostgreSQL refuses to run as root, so as root the
# server runs as the unprivileged postgres user.
#   scripts/with-postgres.sh build-debug/unit_tests --gtest_filter='*Postgres*'
set -euo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [[ ! -x "$PG_BIN/pg_ctl" ]]; then
  echo "with-postgres: $PG_BIN/pg_ctl not found (apt-get install postgresql)" >&2
  exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/aimoviez-pg-XXXXXX")
chmod 755 "$dir"
as_server_user() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[[ $(id -u) -eq 0 ]] && chown postgres "$dir"
stop() {
  as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

as_server_user "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres --no-sync >/dev/null
# A free port: the kernel picks one for a listening socket that is closed again at once; a
# clash with another process in between makes pg_ctl fail, and the next try picks again.
started=0
for _ in 1 2 3 4 5; do
  port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
  # fsync off: a test cluster is thrown away; a killed server process still keeps every commit
  # (the kernel holds the writes), which is what the fault tests kill.
  if as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" \
      start >/dev/null; then
    started=1
    break
  fi
done
if [[ $started -ne 1 ]]; then
  echo "with-postgres: the server did not start; its log:" >&2
  cat "$dir/server.log" >&2 || true
  exit 1
fi

export AIMOVIEZ_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres"
# For fault tests that restart the server (pg_ctl restart as the server's user).
export AIMOVIEZ_TEST_POSTGRES_DATA="$dir/data"
"$@"
