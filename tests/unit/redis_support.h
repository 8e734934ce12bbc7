// Unit tests against a real Redis server: scripts/with-redis.sh starts one on loopback and names
// it in AIMOVIEZ_TEST_REDIS_URL. Tests keep apart by random key prefixes and bus names. Without a
// server they are skipped, unless AIMOVIEZ_REQUIRE_REDIS is set (make test sets it): then they
// fail.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace aimoviez::testing {

inline std::optional<std::string> RedisServerUrl() {
  const char* url = std::getenv("AIMOVIEZ_TEST_REDIS_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

#define AIMOVIEZ_NEED_REDIS()                                                       \
  do {                                                                              \
    if (!::aimoviez::testing::RedisServerUrl()) {                                   \
      if (std::getenv("AIMOVIEZ_REQUIRE_REDIS") != nullptr) {                       \
        FAIL() << "AIMOVIEZ_TEST_REDIS_URL is not set (run through with-redis.sh)"; \
      }                                                                             \
      GTEST_SKIP() << "no Redis server: run through scripts/with-redis.sh";         \
    }                                                                               \
  } while (false)

}  // namespace aimoviez::testing
