#!/usr/bin/env bash
# `make bench` section (k): the vote path in embedded mode, in cluster mode with one node and
# with two nodes (PostgreSQL + Redis), under the same wrk load as section (a): every request a new
# anonymous voter, spread over the demo's open round. For each it prints votes/s, p50/p99 and
# the CPU time each process spent per stored vote (node, PostgreSQL, Redis), read from /proc
# before and after the run. Runs inside scripts/with-postgres.sh and scripts/with-redis.sh;
# prints result lines on stdout, one per run. Arguments: the release binary, a work directory,
# the seconds per run.
set -euo pipefail
BIN=$1 WORK=$2 DURATION=$3
DB=${AIMOVIEZ_TEST_POSTGRES_URL:?run through scripts/with-postgres.sh}
REDIS=${AIMOVIEZ_TEST_REDIS_URL:?run through scripts/with-redis.sh}
PG_DATA=${AIMOVIEZ_TEST_POSTGRES_DATA:?}
CONNS=64
TICKS=$(getconf CLK_TCK)
PIDS=()
trap 'for p in "${PIDS[@]+"${PIDS[@]}"}"; do kill "$p" 2>/dev/null || true; done' EXIT

# shellcheck source=bench/lifted_limits.sh
source "$(dirname "$0")/lifted_limits.sh"
LIFTED=("${LIFTED_LIMITS[@]}" --log-level warn --tally-refresh-ms 500)
# BENCH_SPREAD_NETWORKS=1: every vote from its own address (many networks, as real voters), where
# by default they all come from the loopback (one network, every anonymous vote on one budget).
SPREAD=
if [[ "${BENCH_SPREAD_NETWORKS:-0}" == "1" ]]; then
  SPREAD=spread
  LIFTED+=(--trusted-proxies 127.0.0.1)
fi

# start_node DATA_DIR LOG [ARGS...]: sets NODE_URL and NODE_PID.
start_node() {
  local data=$1 log=$2
  shift 2
  "$BIN" serve --data-dir "$data" --listen 127.0.0.1:0 "${LIFTED[@]}" "$@" >"$log" 2>&1 &
  NODE_PID=$!
  PIDS+=("$NODE_PID")
  for _ in $(seq 1 300); do
    grep -q "listening on" "$log" && break
    sleep 0.1
  done
  NODE_URL=$(grep -om1 'http://[0-9.:]*' "$log")
}

# CPU seconds (user + system) of the given processes, as clock ticks.
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] || continue
    # Fields 14 and 15 count after the command name, which may hold spaces: cut at its ')'.
    read -r -a f <<<"$(sed 's/.*) //' "/proc/$pid/stat")"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}
postgres_pids() {
  local main
  main=$(head -1 "$PG_DATA/postmaster.pid")
  echo "$main" $(pgrep -P "$main" || true)
}
redis_pid() { pgrep -f "redis-server 127.0.0.1:${REDIS##*:}" | head -1; }

# The demo's open round, and a device cookie with its CSRF token, as section (a) uses them.
voting_setup() {
  node --input-type=module -e '
    import { Client } from "./tests/http/helpers.mjs";
    const url = process.argv[1];
    const clips = (await new Client(url).get("/api/vote?limit=20")).body.clips.map((c) => c.id);
    const visitor = new Client(url);
    await visitor.refreshCsrf();
    console.log([clips.join(","), visitor.cookies.get("aimoviez_device").split(".")[0] + ".unsigned", visitor.csrf].join(" "));
  ' "$1"
}

# measure NAME COUNT_SQL NODE_URL... : wrk against each node at once (CONNS shared out), then one
# line: votes/s, p50/p99 (the worst node's), and CPU µs per stored vote for each process.
measure() {
  local name=$1 count=$2
  shift 2
  local urls=("$@") per=$((CONNS / $#)) before after setup clips device csrf i
  read -r clips device csrf <<<"$(voting_setup "${urls[0]}")"
  local node_pids=("${MEASURED_NODE_PIDS[@]}")
  before=$(eval "$count")
  local n0 p0 r0
  n0=$(cpu_ticks "${node_pids[@]}")
  p0=$(cpu_ticks $( [[ $name == *cluster* ]] && postgres_pids))
  r0=$(cpu_ticks $( [[ $name == *cluster* ]] && redis_pid))
  local loads=()
  for i in "${!urls[@]}"; do
    wrk -t1 -c"$per" -d"${DURATION}s" --latency -s bench/vote.lua "${urls[$i]}" -- \
      "$clips" "$device" "$csrf" "${urls[$i]}" "n$i-" $SPREAD >"$WORK/wrk-$i.out" 2>&1 &
    loads+=($!)
  done
  wait "${loads[@]}"
  after=$(eval "$count")
  local n1 p1 r1
  n1=$(cpu_ticks "${node_pids[@]}")
  p1=$(cpu_ticks $( [[ $name == *cluster* ]] && postgres_pids))
  r1=$(cpu_ticks $( [[ $name == *cluster* ]] && redis_pid))
  local votes=$((after - before)) rps=0 p50="" p99="" non2xx=0
  for i in "${!urls[@]}"; do
    rps=$(echo "$rps + $(awk '/Requests\/sec/ {print $2}' "$WORK/wrk-$i.out")" | bc -l)
    p50+="$(awk '$1=="50%" {print $2}' "$WORK/wrk-$i.out") "
    p99+="$(awk '$1=="99%" {print $2}' "$WORK/wrk-$i.out") "
    local refused
    refused=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk-$i.out")
    non2xx=$((non2xx + ${refused:-0}))
  done
  per_vote() { [[ $votes -gt 0 ]] && echo "$((($2 - $1) * 1000000 / TICKS / votes))" || echo "-"; }
  printf '%-44s %9.0f votes/s  p50 %-14s p99 %-14s non-2xx %s; stored %s; CPU µs/vote: node %s, PostgreSQL %s, Redis %s\n' \
    "$name" "$rps" "$p50" "$p99" "$non2xx" "$votes" "$(per_vote "$n0" "$n1")" \
    "$([[ $name == *cluster* ]] && per_vote "$p0" "$p1" || echo -)" \
    "$([[ $name == *cluster* ]] && per_vote "$r0" "$r1" || echo -)"
}

# Embedded mode: SQLite in the data directory.
"$BIN" seed-demo --data-dir "$WORK/embedded" >/dev/null 2>&1
start_node "$WORK/embedded" "$WORK/embedded.log"
MEASURED_NODE_PIDS=("$NODE_PID")
measure "(k) embedded (SQLite), 1 node, -c$CONNS" "sqlite3 '$WORK/embedded/aimoviez.db' 'SELECT COUNT(*) FROM votes'" "$NODE_URL"
kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true

# Cluster mode: PostgreSQL and Redis, one node, then two nodes sharing one data directory.
"$BIN" seed-demo --data-dir "$WORK/cluster" --database-url "$DB" >/dev/null 2>&1
PG_COUNT="psql '$DB' -Atqc 'SELECT COUNT(*) FROM votes'"
start_node "$WORK/cluster" "$WORK/node1.log" --database-url "$DB" --redis-url "$REDIS"
A_URL=$NODE_URL A_PID=$NODE_PID
MEASURED_NODE_PIDS=("$A_PID")
measure "(k) cluster, 1 node, -c$CONNS" "$PG_COUNT" "$A_URL"
start_node "$WORK/cluster" "$WORK/node2.log" --database-url "$DB" --redis-url "$REDIS"
MEASURED_NODE_PIDS=("$A_PID" "$NODE_PID")
measure "(k) cluster, 2 nodes, -c$((CONNS / 2)) each" "$PG_COUNT" "$A_URL" "$NODE_URL"
