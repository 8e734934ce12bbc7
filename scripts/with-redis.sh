#!/usr/bin/env bash
# Runs a command beside a throwaway Redis 7 server: no persistence, listening on 127.0.0.1 only,
# stopped when the command ends. The command finds it in AIMOVIEZ_TEST_REDIS_URL.
#   scripts/with-redis.sh build-debug/unit_tests --gtest_filter='*Redis*'
set -euo pipefail
REDIS_SERVER=${REDIS_SERVER:-/usr/bin/redis-server}
if [[ ! -x "$REDIS_SERVER" ]]; then
  echo "with-redis: $REDIS_SERVER not found (apt-get install redis-server)" >&2
  exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/aimoviez-redis-XXXXXX")
pid=
stop() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap stop EXIT

answers_ping() {
  node -e 'const s = require("net").connect(+process.argv[1], "127.0.0.1", () => s.write("PING\r\n"));
    s.on("data", (d) => process.exit(String(d).startsWith("+PONG") ? 0 : 1));
    s.on("error", () => process.exit(1));' "$1"
}
# A free port: the kernel picks one for a listening socket that is closed again at once; if
# another process takes it in between, the server exits and the next try picks again.
for _ in 1 2 3 4 5; do
  port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
  "$REDIS_SERVER" --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no \
    --protected-mode yes --logfile "$dir/server.log" &
  pid=$!
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    answers_ping "$port" && break 2
    sleep 0.05
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
done
if [[ -z "$pid" ]]; then
  echo "with-redis: the server did not start; its log:" >&2
  cat "$dir/server.log" >&2 || true
  exit 1
fi

export AIMOVIEZ_TEST_REDIS_URL="redis://127.0.0.1:$port"
"$@"
