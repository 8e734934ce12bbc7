#!/usr/bin/env bash
# `make cluster`: the platform in cluster mode on this machine. Runs inside
# scripts/with-postgres.sh and scripts/with-redis.sh (which start a throwaway PostgreSQL 15 and
# Redis 7 on loopback), seeds the demo into PostgreSQL, starts CLUSTER_NODES nodes (default 2)
# on loopback ports and nginx in front of them on LISTEN (default 127.0.0.1:8080): round robin,
# WebSocket upgrades passed through, the client's address in X-Forwarded-For. Prints the URL and
# each node's, and serves until interrupted; everything it started stops, and its files go, on exit.
# A node that dies is left dead (nginx sends its requests to the others); the cluster stops when
# nginx does. CLUSTER_NODE_ARGS adds settings to every node (the tests lift the vote budgets).
#   scripts/with-postgres.sh scripts/with-redis.sh scripts/run-cluster.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${AIMOVIEZ_BIN:-build/aimoviez}
LISTEN=${LISTEN:-127.0.0.1:8080}
NODES=${CLUSTER_NODES:-2}
read -r -a NODE_ARGS <<<"${CLUSTER_NODE_ARGS:-}"
DATABASE_URL=${AIMOVIEZ_TEST_POSTGRES_URL:?run through scripts/with-postgres.sh}
REDIS_URL=${AIMOVIEZ_TEST_REDIS_URL:?run through scripts/with-redis.sh}

dir=$(mktemp -d "${TMPDIR:-/tmp}/aimoviez-cluster-XXXXXX")
chmod 755 "$dir"
pids=()
stop() {
  for pid in "${pids[@]+"${pids[@]}"}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]+"${pids[@]}"}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 0' INT TERM

# One data directory for every node: on one machine it is the shared media store and holds the
# secrets every node must share (on several machines: S3 and copied secrets, docs/DEPLOYMENT.md).
"$BIN" seed-demo --data-dir "$dir/data" --database-url "$DATABASE_URL" >/dev/null

# The address a node prints once it listens (it was given port 0).
node_address() {
  local log=$1 pid=$2
  for _ in $(seq 1 600); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "run-cluster: a node exited; its log:" >&2
      cat "$log" >&2
      return 1
    fi
    local line
    line=$(grep -om1 'listening on http://[^ ]*' "$log" || true)
    if [[ -n "$line" ]]; then
      echo "${line#listening on http://}"
      return 0
    fi
    sleep 0.05
  done
  echo "run-cluster: a node did not start within 30 s; its log:" >&2
  cat "$log" >&2
  return 1
}

addresses=()
node_lines=()
for i in $(seq 1 "$NODES"); do
  "$BIN" serve --data-dir "$dir/data" --database-url "$DATABASE_URL" --redis-url "$REDIS_URL" \
    --listen 127.0.0.1:0 --trusted-proxies 127.0.0.1 --dev-login "${NODE_ARGS[@]+"${NODE_ARGS[@]}"}" \
    >"$dir/node$i.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  address=$(node_address "$dir/node$i.log" "$pid")
  addresses+=("$address")
  node_lines+=("node $i: http://$address pid $pid")
done

scripts/nginx-balancer.sh "$dir/nginx" "$LISTEN" "${addresses[@]}" &
pids+=($!)
for _ in $(seq 1 200); do
  if curl -fsS -o /dev/null "http://$LISTEN/api/health" 2>/dev/null; then break; fi
  if ! kill -0 "${pids[-1]}" 2>/dev/null; then
    echo "run-cluster: nginx did not start; its log:" >&2
    cat "$dir/nginx/error.log" >&2 || true
    exit 1
  fi
  sleep 0.05
done

printf '%s\n' "${node_lines[@]}"
echo "PostgreSQL: ${DATABASE_URL} (data ${AIMOVIEZ_TEST_POSTGRES_DATA:-?})  Redis: ${REDIS_URL}  logs: $dir"
echo "aimoviez cluster: ${NODES} nodes behind nginx on http://$LISTEN (Ctrl-C stops everything)"
wait "${pids[-1]}" || true
echo "run-cluster: nginx exited; stopping" >&2
exit 1
