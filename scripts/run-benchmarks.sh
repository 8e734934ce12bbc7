#!/usr/bin/env bash
# `make bench`: the vote path under a real HTTP load (wrk on loopback), side by side with nginx
# serving a fixed JSON (the machine's ceiling) and the spec's original PostgreSQL design, plus the
# feed, the fairness simulation and the restart time with 1 000 000 votes. Every server started
# here listens on 127.0.0.1, is bounded in time, and is stopped by PID. Prints a figures table.
set -euo pipefail
cd "$(dirname "$0")/.."
AIMOVIEZ_WITH_BENCH_TOOLS=1 bash scripts/install-deps.sh

DURATION=${BENCH_DURATION:-10}
# BENCH_SECTIONS picks parts, e.g. BENCH_SECTIONS="a f" (b nginx, c PostgreSQL, d feed, e fairness,
# g WebSocket fan-out, h upload probe + normalise, k cluster mode, l Lighthouse and first clip
# playing, m Google Benchmark micro figures).
SECTIONS=${BENCH_SECTIONS:-a b c d e f g h k l m}
want() { [[ " $SECTIONS " == *" $1 "* ]]; }
BIN=$PWD/build/aimoviez
WORK=$(mktemp -d /tmp/aimoviez-bench.XXXXXX)
chmod 755 "$WORK"  # the PostgreSQL server runs as the postgres user
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ -n "${PGDATA_DIR:-}" ]]; then su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $PGDATA_DIR -m immediate stop" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
RESULTS=$WORK/results.txt
: > "$RESULTS"

# wrk_run NAME CONNECTIONS THREADS URL [SCRIPT [script args...]] → one result line
wrk_run() {
  local name=$1 conns=$2 threads=$3 url=$4; shift 4
  local out script=()
  if [[ $# -gt 0 ]]; then script=(-s "$1"); shift; fi
  out=$(wrk -t"$threads" -c"$conns" -d"${DURATION}s" --latency "${script[@]}" "$url" -- "$@" 2>&1)
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '%-52s %10s req/s  p50 %-8s p99 %-8s non-2xx %s\n' "$name" "$rps" "$p50" "$p99" "${non2xx:-0}" | tee -a "$RESULTS"
  LAST_RPS=$rps
}
declare -A RPS  # figures the ratio lines of the summary divide
ratio() {  # ratio LABEL NUMERATOR DENOMINATOR
  [[ -n "${RPS[$2]:-}" && -n "${RPS[$3]:-}" ]] || return 0
  printf '    %-48s %5.2f x\n' "$1" "$(echo "${RPS[$2]} / ${RPS[$3]}" | bc -l)" | tee -a "$RESULTS"
}

echo "== machine: $(nproc) cores; wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'); $(date -u +%FT%TZ)"

# ---- (b) nginx fixed JSON: the ceiling -------------------------------------------------------
# nginx answers every path and method with the same JSON. It is measured twice: with wrk's plain
# GET (no script: the cheapest load wrk can generate), and below, once aimoviez is set up, with the
# very scripts and arguments of (a) and (d) — the same requests, so the load generator costs the
# same on both sides of the ratio.
NGINX_PID=
if want b; then
NGINX_PORT=18181
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { default_type application/json; return 200 '{"success":true,"clipId":42,"newScore":1234,"voteCount":1234,"totalVotesToday":17,"remainingVotes":{"standard":183}}'; }
  }
}
NGINX
nginx -c "$WORK/nginx/nginx.conf"
sleep 0.5
NGINX_PID=$(cat "$WORK/nginx/nginx.pid")
PIDS+=("$NGINX_PID")
wrk_run "(b) nginx fixed 120-byte JSON, -c64" 64 1 "http://127.0.0.1:$NGINX_PORT/vote"
RPS[b64]=$LAST_RPS
wrk_run "(b) nginx fixed 120-byte JSON, -c256" 256 2 "http://127.0.0.1:$NGINX_PORT/vote"
RPS[b256]=$LAST_RPS
fi

# ---- (a) and (d): aimoviez ----------------------------------------------------------------------
# shellcheck source=bench/lifted_limits.sh
source bench/lifted_limits.sh
start_server() {
  local data=$1; shift
  "$BIN" serve --data-dir "$data" --listen 127.0.0.1:0 --dev-login --log-level "${LOG_LEVEL:-warn}" \
    "${LIFTED_LIMITS[@]}" \
    "$@" > "$data.out" 2> "$data.err" &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  for _ in $(seq 100); do
    grep -q "listening on" "$data.out" 2>/dev/null && break
    sleep 0.1
  done
  SERVER_URL=$(grep -o 'http://[0-9.:]*' "$data.out" | head -1)
}

if want a || want d; then
DATA=$WORK/data
mkdir -p "$DATA"
start_server "$DATA"
SETUP=$(AIMOVIEZ_BIN=$BIN node bench/setup_vote_bench.mjs "$SERVER_URL" "$DATA" 50)
CLIPS=$(node -e 'const s=JSON.parse(process.argv[1]);console.log(s.clipIds.join(","))' "$SETUP")
ONE_CLIP=${CLIPS%%,*}
# Every vote of (a) is a new voter, the engine's worst case: the device cookie's MAC is spoiled,
# so the voter is the request's fingerprint (vote.lua gives each request its own User-Agent);
# the cookie's id still binds the CSRF token. The network budgets, like the rate limits above,
# are raised out of the way (all the load comes from one address) but still checked per vote.
DEVICE=$(node -e 'console.log(JSON.parse(process.argv[1]).device.split(".")[0] + ".unsigned")' "$SETUP")
CSRF=$(node -e 'console.log(JSON.parse(process.argv[1]).csrf)' "$SETUP")
NGINX_URL=${NGINX_PID:+http://127.0.0.1:$NGINX_PORT}
for conns in 64 256; do
  want a || break
  threads=$(( conns > 64 ? 2 : 1 ))
  if [[ -n "$NGINX_URL" ]]; then
    wrk_run "(b) nginx, the requests of (a), -c$conns" "$conns" "$threads" "$NGINX_URL" bench/vote.lua "$CLIPS" "$DEVICE" "$CSRF" "$SERVER_URL"
    RPS[bvote$conns]=$LAST_RPS
  fi
  wrk_run "(a) POST /api/vote, 50 clips, -c$conns" "$conns" "$threads" "$SERVER_URL" bench/vote.lua "$CLIPS" "$DEVICE" "$CSRF" "$SERVER_URL"
  RPS[spread$conns]=$LAST_RPS
  wrk_run "(a) POST /api/vote, one clip, -c$conns" "$conns" "$threads" "$SERVER_URL" bench/vote.lua "$ONE_CLIP" "$DEVICE" "$CSRF" "$SERVER_URL"
  RPS[one$conns]=$LAST_RPS
done
if want d; then
  if [[ -n "$NGINX_URL" ]]; then
    wrk_run "(b) nginx, the requests of (d), -c64" 64 1 "$NGINX_URL/api/vote" bench/feed.lua
    RPS[bfeed]=$LAST_RPS
  fi
  wrk_run "(d) GET /api/vote (feed of 8), -c64" 64 1 "$SERVER_URL/api/vote" bench/feed.lua
  RPS[feed]=$LAST_RPS
fi
STORED=$(sqlite3 "$DATA/aimoviez.db" "SELECT COUNT(*) FROM votes")
ROWS_ONE=$(sqlite3 "$DATA/aimoviez.db" "SELECT COUNT(*) FROM votes WHERE clip_id = $ONE_CLIP")
SHOWN_ONE=$(curl -s "$SERVER_URL/api/clip/$ONE_CLIP" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).clip.vote_count))')
echo "    votes stored during the runs: $STORED; clip $ONE_CLIP shows $SHOWN_ONE and has $ROWS_ONE rows" | tee -a "$RESULTS"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
fi
if [[ -n "$NGINX_PID" ]]; then kill "$NGINX_PID"; NGINX_PID=; fi

# ---- (a') before/after: the same vote load on a baseline build, alternating with this one ---------
# BENCH_BASELINE_BIN=/path/to/an/older/aimoviez runs (a) at 50 clips, -c64, on fresh data with each
# binary in turn (baseline, this build, baseline, this build), so both are measured in one run on
# the same machine state. The issue's guard: this build's ratio to nginx within 5 % of the baseline.
if want a && [[ -n "${BENCH_BASELINE_BIN:-}" ]]; then
  declare -A CMP=([baseline]=0 [current]=0)
  rounds=${BENCH_BASELINE_ROUNDS:-2}
  for round in $(seq "$rounds"); do
    for who in baseline current; do
      saved_bin=$BIN
      [[ $who == baseline ]] && BIN=$BENCH_BASELINE_BIN
      d=$WORK/compare-$who-$round
      mkdir -p "$d"
      start_server "$d"
      setup=$(AIMOVIEZ_BIN=$BIN node bench/setup_vote_bench.mjs "$SERVER_URL" "$d" 50)
      BIN=$saved_bin
      clips=$(node -e 'const s=JSON.parse(process.argv[1]);console.log(s.clipIds.join(","))' "$setup")
      device=$(node -e 'console.log(JSON.parse(process.argv[1]).device.split(".")[0] + ".unsigned")' "$setup")
      csrf=$(node -e 'console.log(JSON.parse(process.argv[1]).csrf)' "$setup")
      wrk_run "(a') $who, 50 clips, -c64, round $round" 64 1 "$SERVER_URL" bench/vote.lua "$clips" "$device" "$csrf" "$SERVER_URL"
      CMP[$who]=$(echo "${CMP[$who]} + $LAST_RPS" | bc -l)
      kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
    done
  done
  RPS[cmp_baseline]=$(echo "${CMP[baseline]} / $rounds" | bc -l)
  RPS[cmp_current]=$(echo "${CMP[current]} / $rounds" | bc -l)
  printf '    %-48s %s\n' "(a') baseline binary" "$BENCH_BASELINE_BIN" | tee -a "$RESULTS"
fi

# ---- (c) the spec's original design on PostgreSQL --------------------------------------------
if want c; then
PGDATA_DIR=$WORK/pg
mkdir -p "$PGDATA_DIR" && chown postgres "$PGDATA_DIR"
su postgres -c "/usr/lib/postgresql/15/bin/initdb -D $PGDATA_DIR -A trust" >/dev/null
su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $PGDATA_DIR -o '-k /tmp -p 15433 -c listen_addresses=127.0.0.1 -c max_connections=300' -l $PGDATA_DIR/log -w start" >/dev/null
PGCMD=(psql -h 127.0.0.1 -p 15433 -U postgres -q)
"${PGCMD[@]}" <<'SQL'
CREATE TABLE tournament_clips (id int PRIMARY KEY, vote_count int NOT NULL DEFAULT 0, weighted_score int NOT NULL DEFAULT 0);
INSERT INTO tournament_clips (id) SELECT g FROM generate_series(1, 50) g;
CREATE TABLE votes (id bigserial PRIMARY KEY, clip_id int NOT NULL, voter_key text NOT NULL, vote_weight int NOT NULL DEFAULT 1,
                    created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (clip_id, voter_key));
CREATE FUNCTION bump() RETURNS trigger AS $$ BEGIN
  UPDATE tournament_clips SET vote_count = vote_count + 1, weighted_score = weighted_score + NEW.vote_weight WHERE id = NEW.clip_id;
  RETURN NEW; END $$ LANGUAGE plpgsql;
CREATE TRIGGER votes_bump AFTER INSERT ON votes FOR EACH ROW EXECUTE FUNCTION bump();
SQL
echo "INSERT INTO votes (clip_id, voter_key) VALUES (1, md5(random()::text || clock_timestamp()::text));" > "$WORK/one.sql"
echo "INSERT INTO votes (clip_id, voter_key) VALUES (1 + (random() * 49)::int, md5(random()::text || clock_timestamp()::text));" > "$WORK/spread.sql"
pg_run() {
  local name=$1 file=$2
  local out
  out=$(pgbench -h 127.0.0.1 -p 15433 -U postgres -n -M prepared -c 32 -j 2 -T "$DURATION" -r -f "$file" postgres 2>&1)
  local tps lat
  tps=$(awk '/^tps/ {print $3}' <<<"$out")
  lat=$(awk '/latency average/ {print $4 $5}' <<<"$out")
  printf '%-52s %10s votes/s  mean latency %s\n' "$name" "$tps" "$lat" | tee -a "$RESULTS"
  LAST_RPS=$tps
}
pg_run "(c) spec design on PostgreSQL 15, one clip, -c32" "$WORK/one.sql"
RPS[pgone]=$LAST_RPS
pg_run "(c) spec design on PostgreSQL 15, 50 clips, -c32" "$WORK/spread.sql"
RPS[pgspread]=$LAST_RPS
su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $PGDATA_DIR -m fast stop" >/dev/null
PGDATA_DIR=
fi

# ---- (k) cluster mode: embedded, one node and two nodes on PostgreSQL + Redis, CPU per vote -------
# Beside (c) in the same run: the spec's naive design on the same PostgreSQL build.
if want k; then
  mkdir -p "$WORK/cluster"
  scripts/with-postgres.sh scripts/with-redis.sh bench/cluster_bench.sh "$BIN" "$WORK/cluster" "$DURATION" |
    tee -a "$RESULTS"
fi

# ---- (e) fairness simulation ---------------------------------------------------------------------
if want e; then ./build/fairness_sim | tee -a "$RESULTS"; fi

# ---- (m) micro figures of the hot paths (bench/*_benchmark.cpp, Google Benchmark) --------------
if want m; then
  ./build/micro_benchmarks --benchmark_min_time=0.2 2>/dev/null | grep -E '^(BM_|-|Benchmark)' | tee -a "$RESULTS"
fi

# ---- (f) restart with 1 000 000 votes in the open slot ---------------------------------------------
if want f; then
DATA2=$WORK/restart
mkdir -p "$DATA2"
start_server "$DATA2"
SETUP=$(node bench/setup_vote_bench.mjs "$SERVER_URL" "$DATA2" 50)
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
sqlite3 "$DATA2/aimoviez.db" <<'SQL'
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000),
     s AS (SELECT id, slot_position FROM story_slots WHERE status = 'voting' LIMIT 1),
     c AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM tournament_clips WHERE status = 'active')
INSERT INTO votes (clip_id, voter_key, vote_weight, vote_type, season_id, slot_position, created_at)
SELECT c.id, 'device_' || lower(hex(randomblob(16))), 1, 'standard', (SELECT season_id FROM story_slots WHERE id = (SELECT id FROM s)),
       (SELECT slot_position FROM s), CAST(strftime('%s','now') AS INTEGER) * 1000 - (n.i % 3600000)
FROM n JOIN c ON c.k = n.i % 50;
SQL
echo "    votes in the open slot: $(sqlite3 "$DATA2/aimoviez.db" 'SELECT COUNT(*) FROM votes')" | tee -a "$RESULTS"
for run in 1 2 3; do
  t0=$(date +%s.%N)
  LOG_LEVEL=info start_server "$DATA2"
  t1=$(date +%s.%N)
  load=$(grep -o '"seconds":[0-9.]*' "$DATA2.err" | tail -1 | cut -d: -f2)
  rss=$(awk '/VmRSS/ {print $2 " " $3}' "/proc/$SERVER_PID/status")
  printf '%-52s %8.2f s to listening (engine load %s s, RSS %s)\n' "(f) restart with 1 000 000 votes, run $run" "$(echo "$t1 - $t0" | bc)" "$load" "$rss" | tee -a "$RESULTS"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
done
fi

# ---- (g) WebSocket fan-out: 1 000 and 10 000 subscribers while votes arrive ---------------------
if want g; then
DATA3=$WORK/ws
mkdir -p "$DATA3"
start_server "$DATA3" --ws-max-connections 20000 --ws-tally-interval-ms "${WS_TALLY_INTERVAL_MS:-200}"
SETUP=$(node bench/setup_vote_bench.mjs "$SERVER_URL" "$DATA3" 50)
CLIPS=$(node -e 'const s=JSON.parse(process.argv[1]);console.log(s.clipIds.join(","))' "$SETUP")
# Every vote of (a) is a new voter, the engine's worst case: the device cookie's MAC is spoiled,
# so the voter is the request's fingerprint (vote.lua gives each request its own User-Agent);
# the cookie's id still binds the CSRF token. The network budgets, like the rate limits above,
# are raised out of the way (all the load comes from one address) but still checked per vote.
DEVICE=$(node -e 'console.log(JSON.parse(process.argv[1]).device.split(".")[0] + ".unsigned")' "$SETUP")
CSRF=$(node -e 'console.log(JSON.parse(process.argv[1]).csrf)' "$SETUP")
PORT=${SERVER_URL##*:}
WS_VOTES_PER_SECOND=${WS_VOTES_PER_SECOND:-200}
for conns in 1000 10000; do
  # Each run opens its own connections; the server keeps running so RSS is measured against
  # the same process (the client reports the growth while its connections are idle).
  timeout 300 ./build/ws_fanout 127.0.0.1 "$PORT" "$SERVER_PID" "$conns" "$WS_VOTES_PER_SECOND" "$DURATION" \
    "$CLIPS" "$DEVICE" "$CSRF" | sed 's/^/(g) /' | tee -a "$RESULTS"
  sleep 2
done
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
fi

# ---- (h) upload pipeline: probe and normalise an 8 s clip ------------------------------------------
if want h; then node bench/media_bench.mjs 3 | tee -a "$RESULTS"; fi

# ---- (l) the web app on a phone: Lighthouse scores and the first clip playing ---------------------
if want l; then
DATA4=$WORK/web
mkdir -p "$DATA4"
"$BIN" seed-demo --data-dir "$DATA4" >/dev/null
(cd web && npm run build --silent >/dev/null)
start_server "$DATA4" --web-dir "$PWD/web/dist"
timeout 600 node bench/web_bench.mjs "$SERVER_URL" | tee -a "$RESULTS"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
fi

# ---- ratios the issue aims at ------------------------------------------------------------------
echo "== ratios" | tee -a "$RESULTS"
ratio "(a) 50 clips -c64 / (b) plain GET -c64" spread64 b64
ratio "(a) 50 clips -c64 / (b) same requests -c64" spread64 bvote64
ratio "(a) 50 clips -c256 / (b) same requests -c256" spread256 bvote256
ratio "(a) one clip / 50 clips, -c64" one64 spread64
ratio "(a) one clip / 50 clips, -c256" one256 spread256
ratio "(a) one clip -c64 / (c) one clip" one64 pgone
ratio "(a) 50 clips -c64 / (c) 50 clips" spread64 pgspread
ratio "(d) feed -c64 / (b) plain GET -c64" feed b64
ratio "(d) feed -c64 / (b) same requests -c64" feed bfeed
ratio "(a') baseline, mean / (b) same requests -c64" cmp_baseline bvote64
ratio "(a') this build, mean / (b) same requests -c64" cmp_current bvote64
ratio "(a') this build / baseline" cmp_current cmp_baseline

echo
echo "== summary"
cat "$RESULTS"
