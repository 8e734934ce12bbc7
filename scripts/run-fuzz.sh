#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer harnesses (fuzz/, clang-14 with ASan + UBSan) and runs each
# for FUZZ_SECONDS (default 300) from its committed seed corpus. The corpus grows in a temporary
# copy, never in the repository; a crash's input is kept under FUZZ_ARTIFACTS (default a
# temporary directory, printed) and fails the run. `make test` runs each for 10 seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
AIMOVIEZ_WITH_FUZZ_TOOLS=1 bash scripts/install-deps.sh
SECONDS_EACH=${FUZZ_SECONDS:-300}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
WORK=$(mktemp -d /tmp/aimoviez-fuzz.XXXXXX)
ARTIFACTS=${FUZZ_ARTIFACTS:-$WORK/artifacts}
mkdir -p "$ARTIFACTS"
trap 'rm -rf "$WORK/corpus"' EXIT
failed=0
for harness in request_target json_reader live_message object_key upload_signature config; do
  mkdir -p "$WORK/corpus/$harness"
  cp fuzz/corpus/$harness/* "$WORK/corpus/$harness/"
  log=$WORK/$harness.log
  if ./build-fuzz/fuzz/${harness}_fuzz "$WORK/corpus/$harness" -max_total_time="$SECONDS_EACH" \
      -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
      -artifact_prefix="$ARTIFACTS/${harness}-" > "$log" 2>&1; then
    runs=$(awk '/stat::number_of_executed_units/ {print $NF}' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    printf 'fuzz %-15s ok   %6s s  %10s runs  %s  corpus %s inputs\n' "$harness" "$SECONDS_EACH" \
      "${runs:-?}" "${cov:-}" "$(ls "$WORK/corpus/$harness" | wc -l)"
  else
    failed=1
    printf 'fuzz %-15s FOUND A CRASH: input and log in %s\n' "$harness" "$ARTIFACTS"
    cp "$log" "$ARTIFACTS/"
    tail -40 "$log"
  fi
done
exit $failed
