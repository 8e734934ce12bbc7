#!/usr/bin/env bash
# The HTTP integration suite's cluster pass: every test file run again with each server it starts
# being two nodes behind nginx on PostgreSQL and Redis (tests/http/cluster_server.mjs), inside a
# throwaway PostgreSQL (scripts/with-postgres.sh). `make test-http-cluster` runs it; extra
# arguments name test files (default: all of them but the ones below).
#
# Left to the embedded pass, with the reason:
#   cluster, postgres, redis  start their own PostgreSQL, Redis and nodes
#   backup                    the SQLite online backup and restore
#   crash, process_hygiene    one process's crash recovery and descriptors on its SQLite file
set -euo pipefail
cd "$(dirname "$0")/.."
export AIMOVIEZ_BIN=${AIMOVIEZ_BIN:-$PWD/build-debug/aimoviez}
export AIMOVIEZ_TEST_CLUSTER=1 AIMOVIEZ_REQUIRE_POSTGRES=1
if [[ -z ${AIMOVIEZ_DEMO_CACHE:-} ]]; then
  AIMOVIEZ_DEMO_CACHE=$(mktemp -d)
  trap 'rm -rf "$AIMOVIEZ_DEMO_CACHE"' EXIT
  export AIMOVIEZ_DEMO_CACHE
fi
if [[ $# -gt 0 ]]; then
  files=("$@")
else
  mapfile -t files < <(ls tests/http/*.test.mjs |
    grep -vE '/(cluster|postgres|redis|backup|crash|process_hygiene)\.test\.mjs$')
fi
scripts/with-postgres.sh node --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
