#!/usr/bin/env bash
# Hostile-read soak (issue 19): the release server with the demo season is flooded for
# SOAK_SECONDS (default 600) with feed reads by identities that cost nothing — a unique
# User-Agent per request, and a fresh signed device cookie every third request (bench/
# feed_flood.lua), all from 127.0.0.1 — while its resident memory, the vote engine's voter
# count and the data directory are sampled every SAMPLE_SECONDS. The read budget per address is
# lifted so that every request reaches the feed. The figures go to stdout; the
# server listens on loopback only and is stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
AIMOVIEZ_WITH_BENCH_TOOLS=1 bash scripts/install-deps.sh >/dev/null
SOAK_SECONDS=${SOAK_SECONDS:-600}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-60}
BIN=$PWD/build/aimoviez
[[ -x "$BIN" ]] || { echo "build the release binary first (make build)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/aimoviez-soak.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" seed-demo --data-dir "$WORK/data" >/dev/null 2>&1
"$BIN" serve --data-dir "$WORK/data" --listen 127.0.0.1:0 --log-level warn --job-interval-seconds 0 \
  --rate-read-per-minute 1000000000 \
  > "$WORK/out" 2> "$WORK/err" &
SERVER=$!
PIDS+=("$SERVER")
for _ in $(seq 100); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.1; done
URL=$(grep -o 'http://[0-9.:]*' "$WORK/out" | head -1)

sample() {  # elapsed seconds → one line of figures
  local rss voters views size
  rss=$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$SERVER/status")
  voters=$(curl -s "$URL/metrics" | awk '/^aimoviez_vote_engine_voters / {print $2}')
  views=$(curl -s "$URL/metrics" | awk '/^aimoviez_vote_views_committed_total / {print $2}')
  size=$(du -sk "$WORK/data" | awk '{printf "%.1f", $1 / 1024}')
  printf '%6s s  RSS %7s MB  engine voters %8s  impressions stored %8s  data dir %7s MB\n' \
    "$1" "$rss" "$voters" "$views" "$size"
}

echo "feed flood: $SOAK_SECONDS s, wrk -t1 -c32, bench/feed_flood.lua, release build"
sample 0
wrk -t1 -c32 -d"${SOAK_SECONDS}s" -s bench/feed_flood.lua "$URL" > "$WORK/wrk.txt" 2>&1 &
WRK=$!
PIDS+=("$WRK")
for ((t = SAMPLE_SECONDS; t <= SOAK_SECONDS; t += SAMPLE_SECONDS)); do
  sleep "$SAMPLE_SECONDS"
  sample "$t"
done
wait "$WRK" || true
grep -E "requests in|Requests/sec|Non-2xx" "$WORK/wrk.txt" | sed 's/^/    /'
sleep 1
sample "after"
