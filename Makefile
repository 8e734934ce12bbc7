# aimoviez — the two set-up commands are `make run` and `make test`; both install what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := run

DATA_DIR ?= ./data
LISTEN ?= 127.0.0.1:8080
RELEASE_BIN := build/aimoviez
DEBUG_BIN := build-debug/aimoviez
CLANG_FORMAT ?= clang-format
SOURCES := $(shell find src tests bench fuzz -name '*.cpp' -o -name '*.h' 2>/dev/null)

.PHONY: deps build build-debug web run cluster test test-unit test-http test-http-cluster test-web bench fuzz fmt fmt-check clean

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release

build-debug: deps
	@cmake --preset debug >/dev/null
	@cmake --build --preset debug

# The single-page app (web/), served by the server from web/dist.
web: deps
	@cd web && npm run build --silent

test-web: web
	@cd web && npx vitest run && AIMOVIEZ_BIN=$(CURDIR)/$(DEBUG_BIN) node --test --test-concurrency=1 e2e/

run: build web
	@if [[ ! -f "$(DATA_DIR)/aimoviez.db" ]]; then $(RELEASE_BIN) seed-demo --data-dir "$(DATA_DIR)"; fi
	$(RELEASE_BIN) serve --data-dir "$(DATA_DIR)" --listen "$(LISTEN)" --dev-login

# Cluster mode on this machine: PostgreSQL, Redis, two nodes and nginx on loopback, seeded with the
# demo, all thrown away when it stops (scripts/run-cluster.sh).
cluster: export AIMOVIEZ_WITH_CLUSTER_TOOLS := 1
cluster: build web
	@AIMOVIEZ_BIN=$(CURDIR)/$(RELEASE_BIN) LISTEN="$(LISTEN)" scripts/with-postgres.sh scripts/with-redis.sh scripts/run-cluster.sh

test: export AIMOVIEZ_WITH_TEST_TOOLS := 1
test: build-debug web
	@bash scripts/run-tests.sh

test-unit: build-debug
	@AIMOVIEZ_REQUIRE_POSTGRES=1 AIMOVIEZ_REQUIRE_REDIS=1 scripts/with-postgres.sh scripts/with-redis.sh bash -c "cd build-debug && ctest --output-on-failure -j2"

test-http: build-debug
	@AIMOVIEZ_BIN=$(CURDIR)/$(DEBUG_BIN) AIMOVIEZ_REQUIRE_POSTGRES=1 scripts/with-postgres.sh node --test --test-concurrency=1 tests/http/

# The HTTP suite again, each server two nodes behind nginx on PostgreSQL and Redis (#18).
test-http-cluster: build-debug
	@bash scripts/test-http-cluster.sh

bench: build
	@bash scripts/run-benchmarks.sh

# libFuzzer harnesses under ASan + UBSan, FUZZ_SECONDS each (default 300).
fuzz:
	@bash scripts/run-fuzz.sh

fmt:
	@$(CLANG_FORMAT) -i $(SOURCES)

fmt-check:
	@$(CLANG_FORMAT) --dry-run --Werror $(SOURCES)

clean:
	rm -rf build build-debug build-fuzz
