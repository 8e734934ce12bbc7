#!/usr/bin/env bash
# Installs every system and npm dependency the build and the tests need. Idempotent: a package
# already present is not installed again, so `make run` / `make test` can call it every time.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libpq-dev libhiredis-dev libssl-dev libjemalloc-dev zlib1g-dev
  libspdlog-dev libfmt-dev libtomlplusplus-dev libcli11-dev prometheus-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  ffmpeg fonts-dejavu-core nodejs npm curl
)
# The browser tests need Debian's Chromium and an emoji font (comment reactions are emoji); the
# PostgreSQL store's tests need a PostgreSQL 15 server and the cluster's shared state a Redis 7
# server (both started on loopback by the tests).
if [[ "${AIMOVIEZ_WITH_TEST_TOOLS:-0}" == "1" || "${CI:-}" == "true" ]]; then
  APT_PACKAGES+=(chromium fonts-noto-color-emoji systemd nginx openssl postgresql redis-server)
fi
# libFuzzer needs clang and its runtime (make fuzz, and the short fuzz runs of make test).
if [[ "${AIMOVIEZ_WITH_FUZZ_TOOLS:-0}" == "1" || "${AIMOVIEZ_WITH_TEST_TOOLS:-0}" == "1" || "${CI:-}" == "true" ]]; then
  APT_PACKAGES+=(clang-14 libclang-rt-14-dev)
fi
# make cluster runs PostgreSQL, Redis and nginx on loopback.
if [[ "${AIMOVIEZ_WITH_CLUSTER_TOOLS:-0}" == "1" ]]; then
  APT_PACKAGES+=(nginx postgresql redis-server)
fi
if [[ "${AIMOVIEZ_WITH_BENCH_TOOLS:-0}" == "1" ]]; then
  APT_PACKAGES+=(wrk nginx postgresql redis-server bc procps)
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
# Node and npm may come from outside Debian's packages on some machines; accept them if present.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for pkg in "${missing[@]}"; do [[ "$pkg" == nodejs || "$pkg" == npm ]] || filtered+=("$pkg"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing packages (${missing[*]}) and not root; install them first" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages: the HTTP integration tests, the web app, and Lighthouse (tests and bench).
for dir in tests/http web tests/lighthouse; do
  if [[ -f "$dir/package-lock.json" ]]; then
    stamp="$dir/node_modules/.install-stamp"
    if [[ ! -f "$stamp" || "$dir/package-lock.json" -nt "$stamp" ]]; then
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
      touch "$stamp"
    fi
  fi
done
