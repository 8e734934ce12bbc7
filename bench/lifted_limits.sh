# Sourced by the benchmark scripts: `serve` flags that lift every vote and read limit, so a
# benchmark measures the vote path and not the limiter refusing its load. One list, so a limit
# added to the server is lifted in every benchmark at once.
# shellcheck shell=bash
# shellcheck disable=SC2034  # used by the scripts that source this file
LIFTED_LIMITS=(--job-interval-seconds 0 --vote-rate-per-minute 1000000000
  --vote-ip-rate-per-minute 1000000000 --daily-vote-limit 1000000
  --anon-votes-per-clip-per-network 1000000000 --unverified-votes-per-clip-per-network 1000000000
  --anon-votes-per-network-per-day 1000000000 --rate-read-per-minute 1000000000
  --max-connections-per-ip 1000000)
