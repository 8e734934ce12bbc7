#!/usr/bin/env bash
# Runs every test suite against the sanitizer (debug) build: GoogleTest unit tests through ctest,
# the HTTP integration tests (node:test) that start the real binary, embedded and as a cluster,
# the web app's component tests (Vitest), the browser tests (Debian's Chromium) and Lighthouse.
# Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export AIMOVIEZ_BIN="$PWD/build-debug/aimoviez"

# Files git does not track, outside the build directories and installed packages: the tests must
# not add any (they write only to temporary directories; a data directory was committed once).
untracked_files() {
  git status --porcelain --ignored --untracked-files=all 2>/dev/null | grep -E '^(\?\?|!!) ' |
    grep -vE '^.. (build|build-debug|build-fuzz|web/dist)/|node_modules/' | sort
}
UNTRACKED_BEFORE=$(mktemp)
# The demo seed is made once per run and copied by every test file that starts from it
# (tests/http/demo_seed.mjs): it costs about 20 s of ffmpeg each time, and 15 files use it.
AIMOVIEZ_DEMO_CACHE=$(mktemp -d)
export AIMOVIEZ_DEMO_CACHE
SUITE_LOGS=$(mktemp -d)  # each suite's output, for the failure summary at the end
trap 'rm -rf "$UNTRACKED_BEFORE" "$AIMOVIEZ_DEMO_CACHE" "$SUITE_LOGS"' EXIT
untracked_files > "$UNTRACKED_BEFORE"
export -f untracked_files

ran_suites=()
failed_suites=()
# Runs one suite: its name, then the command. The closing line counts the suites that ran.
suite() {
  local name=$1
  shift
  echo "== $name =="
  ran_suites+=("$name")
  if ! "$@" 2>&1 | tee "$SUITE_LOGS/$name.log"; then failed_suites+=("$name"); fi
}
# Why a suite failed, short enough to sit in the last lines of a CI log: node's list of failing
# tests with their errors (stack frames left out), or else the lines that name a failure.
why_failed() {
  local log="$SUITE_LOGS/$1.log"
  echo "== why $1 failed =="
  if grep -q 'failing tests:' "$log"; then
    sed -n '/failing tests:/,$p' "$log" | grep -vE '^\s+at |^\s*$' | head -40
  else
    sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -iE 'fail|error' | head -20
  fi
}

# The unit suite beside a throwaway PostgreSQL and Redis on loopback: the PostgreSQL store's and
# the cluster adapters' tests must run (scripts/with-postgres.sh starts PostgreSQL as the postgres
# user; both servers stop after the suite).
suite unit env AIMOVIEZ_REQUIRE_POSTGRES=1 AIMOVIEZ_REQUIRE_REDIS=1 scripts/with-postgres.sh scripts/with-redis.sh bash -c 'cd build-debug && ctest --output-on-failure -j2'
# The HTTP suite too (tests/http/postgres.test.mjs serves the platform from PostgreSQL).
suite http env AIMOVIEZ_REQUIRE_POSTGRES=1 scripts/with-postgres.sh node --test --test-concurrency=1 --test-reporter=spec tests/http/
# The HTTP suite again in cluster mode: each server a test starts is two nodes behind nginx on a
# PostgreSQL schema and a Redis of its own (scripts/test-http-cluster.sh names the files about one
# embedded process that it leaves out, and why).
suite http-cluster bash scripts/test-http-cluster.sh
suite web-unit bash -c 'cd web && npx vitest run'
suite browser bash -c 'cd web && node --test --test-concurrency=1 --test-reporter=spec e2e/'
# Lighthouse on a phone: accessibility and best practices at least 95 (performance: make bench).
suite lighthouse node --test --test-reporter=spec tests/lighthouse/
# A short run of every libFuzzer harness from its seed corpus (make fuzz runs them longer).
suite fuzz env FUZZ_SECONDS="${FUZZ_SECONDS:-10}" bash scripts/run-fuzz.sh
echo "screenshots: ${AIMOVIEZ_ARTIFACTS:-${TMPDIR:-/tmp}/aimoviez-test-artifacts/screenshots}/"
# Tests write only to temporary directories: any file they left in the checkout is named here.
suite repository-clean bash -c '! diff "$1" <(untracked_files) | grep "^>"' _ "$UNTRACKED_BEFORE"

failed=${#failed_suites[@]}
passed=$((${#ran_suites[@]} - failed))
if [[ $failed -gt 0 ]]; then
  for name in "${failed_suites[@]}"; do why_failed "$name"; done
  echo "FAILED suites: ${failed_suites[*]}"
  echo "suites: $passed passed, $failed failed (ran: ${ran_suites[*]})"
  exit 1
fi
echo "suites: $passed passed, 0 failed (ran: ${ran_suites[*]})"
