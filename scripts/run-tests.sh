#!/usr/bin/env bash
# Runs every test suite against the sanitizer (debug) build: GoogleTest unit tests through ctest,
# the HTTP integration tests (node:test) that start the real binary, the web app's component
# tests (Vitest) and the browser tests (Debian's Chromium). Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export AIMOVIEZ_BIN="$PWD/build-debug/aimoviez"

failed_suites=()
echo "== unit tests (ctest) =="
if ! (cd build-debug && ctest --output-on-failure -j2); then failed_suites+=(unit); fi

echo "== HTTP integration tests (node --test) =="
if ! node --test --test-concurrency=1 --test-reporter=spec tests/http/; then failed_suites+=(http); fi

echo "== web component tests (vitest) =="
if ! (cd web && npx vitest run); then failed_suites+=(web-unit); fi

echo "== browser tests (Chromium via playwright-core) =="
if ! (cd web && node --test --test-concurrency=1 --test-reporter=spec e2e/); then failed_suites+=(browser); fi
echo "screenshots: test-artifacts/screenshots/"

total_suites=5
failed=${#failed_suites[@]}
if [[ $failed -gt 0 ]]; then
  echo "FAILED suites: ${failed_suites[*]}"
  echo "suites: $((total_suites - failed)) passed, $failed failed"
  exit 1
fi
echo "suites: $total_suites passed, 0 failed"
