#include <gtest/gtest.h>

#include <fstream>

#include "app/config.h"
#include "test_support.h"

namespace aimoviez {
namespace {

TEST(Config, DefaultsMatchTheSpec) {
  const auto c = LoadConfig(std::nullopt, [](const char*) -> const char* { return nullptr; }, {});
  EXPECT_EQ(c.listen_host, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 8080);
  EXPECT_EQ(c.data_dir, "./data");
  EXPECT_FALSE(c.dev_login);
  EXPECT_EQ(c.daily_vote_limit, 200);
  EXPECT_EQ(c.vote_rate_per_minute, 30);
  EXPECT_EQ(c.default_total_slots, 75);
  EXPECT_EQ(c.voting_window_seconds, 86400);
  EXPECT_EQ(c.job_interval_seconds, 60);
  EXPECT_EQ(c.impression_flush_ms, 100);
  EXPECT_EQ(c.impression_flush_answers, 512);
}

TEST(Config, FlagsBeatEnvironmentBeatFileBeatDefaults) {
  testing::TempDir dir;
  const auto path = dir.File("aimoviez.toml");
  std::ofstream(path)
      << "listen = \"0.0.0.0:9000\"\ndaily_vote_limit = 50\nvote_rate_per_minute = 10\n"
         "dev_login = true\n";
  auto env = [](const char* name) -> const char* {
    if (std::string(name) == "AIMOVIEZ_DAILY_VOTE_LIMIT") return "60";
    if (std::string(name) == "AIMOVIEZ_VOTE_RATE_PER_MINUTE") return "20";
    return nullptr;
  };
  const auto c = LoadConfig(path, env, {{"vote_rate_per_minute", "5"}});
  EXPECT_EQ(c.listen_host, "0.0.0.0");   // file
  EXPECT_EQ(c.listen_port, 9000);        // file
  EXPECT_TRUE(c.dev_login);              // file
  EXPECT_EQ(c.daily_vote_limit, 60);     // environment over file
  EXPECT_EQ(c.vote_rate_per_minute, 5);  // flag over environment
}

TEST(Config, BadValuesNameTheKeyAndLayer) {
  auto none = [](const char*) -> const char* { return nullptr; };
  try {
    LoadConfig(std::nullopt, none, {{"threads", "many"}});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("--threads"), std::string::npos);
  }
  EXPECT_THROW(LoadConfig(std::nullopt, none, {{"listen", "nohostport"}}), ConfigError);
  EXPECT_THROW(LoadConfig(std::nullopt, none, {{"voting_window_seconds", "5"}}), ConfigError);
  EXPECT_THROW(LoadConfig(std::nullopt, none, {{"impression_flush_ms", "-1"}}), ConfigError);
  EXPECT_THROW(LoadConfig(std::nullopt, none, {{"impression_flush_answers", "0"}}), ConfigError);
  EXPECT_EQ(LoadConfig(std::nullopt, none, {{"impression_flush_ms", "0"}}).impression_flush_ms, 0);
  testing::TempDir dir;
  const auto path = dir.File("bad.toml");
  std::ofstream(path) << "unknown_key = 1\n";
  EXPECT_THROW(LoadConfig(path, none, {}), ConfigError);
  // A float where a number is expected is refused, not converted (beyond the integer range the
  // conversion was undefined behaviour; found by the config fuzzer).
  for (const char* text : {"threads = 2.5\n", "listen = 7.7e40\n", "daily_vote_limit = -1e300\n",
                           "[oidc.google]\nclient_id = 1.5e99\n"}) {
    std::ofstream(path) << text;
    EXPECT_THROW(LoadConfig(path, none, {}), ConfigError) << text;
  }
  // Proxies must be addresses or CIDR blocks.
  std::ofstream(path) << "trusted_proxies = \"10.0.0.0/8, example.com\"\n";
  EXPECT_THROW(LoadConfig(path, none, {}), ConfigError);
}

TEST(Config, Ipv6Listen) {
  const auto c = LoadConfig(std::nullopt, [](const char*) -> const char* { return nullptr; },
                            {{"listen", "[::1]:8081"}});
  EXPECT_EQ(c.listen_host, "::1");
  EXPECT_EQ(c.listen_port, 8081);
}

}  // namespace
}  // namespace aimoviez

namespace aimoviez {
namespace {

TEST(Config, OidcProvidersFromTablesAndEnvironment) {
  testing::TempDir dir;
  const auto path = dir.File("oidc.toml");
  std::ofstream(path) << "[oidc.google]\nclient_id = \"g-id\"\n"
                         "[oidc.local]\nissuer = \"http://127.0.0.1:9000\"\nclient_id = \"l-id\"\n"
                         "client_secret = \"l-secret\"\ndisplay_name = \"Company SSO\"\n";
  auto env = [](const char* name) -> const char* {
    if (std::string(name) == "AIMOVIEZ_OIDC_GOOGLE_CLIENT_SECRET") return "g-secret";
    return nullptr;
  };
  const auto c = LoadConfig(path, env, {});
  ASSERT_EQ(c.oidc_providers.size(), 2u);
  EXPECT_EQ(c.oidc_providers[0].issuer, "https://accounts.google.com");
  EXPECT_EQ(c.oidc_providers[0].display_name, "Google");
  EXPECT_EQ(c.oidc_providers[0].client_secret, "g-secret");
  EXPECT_EQ(c.oidc_providers[1].display_name, "Company SSO");
  EXPECT_EQ(c.oidc_providers[1].client_secret, "l-secret");
}

TEST(Config, TheEarlierPlatformsGoogleVariablesWork) {
  auto env = [](const char* name) -> const char* {
    if (std::string(name) == "GOOGLE_CLIENT_ID") return "old-id";
    if (std::string(name) == "GOOGLE_CLIENT_SECRET") return "old-secret";
    return nullptr;
  };
  const auto c = LoadConfig(std::nullopt, env, {});
  ASSERT_EQ(c.oidc_providers.size(), 1u);
  EXPECT_EQ(c.oidc_providers[0].name, "google");
  EXPECT_EQ(c.oidc_providers[0].client_id, "old-id");
  EXPECT_EQ(c.oidc_providers[0].client_secret, "old-secret");
}

TEST(Config, OidcProvidersAreChecked) {
  testing::TempDir dir;
  auto none = [](const char*) -> const char* { return nullptr; };
  auto load = [&](const std::string& text) {
    const auto path = dir.File("bad.toml");
    std::ofstream(path) << text;
    return LoadConfig(path, none, {});
  };
  EXPECT_THROW(load("[oidc.x]\nissuer = \"http://idp.example\"\nclient_id = \"a\"\n"
                    "client_secret = \"b\"\n"),
               ConfigError);  // plain http off loopback
  EXPECT_THROW(load("[oidc.x]\nissuer = \"https://idp.example\"\nclient_id = \"a\"\n"),
               ConfigError);  // no secret
  EXPECT_THROW(load("[oidc.x]\nissuer = \"https://idp.example\"\nclient_id = \"a\"\n"
                    "client_secret = \"b\"\nscope = \"x\"\n"),
               ConfigError);  // unknown key
  EXPECT_THROW(load("[oidc.Bad_Name]\nissuer = \"https://idp.example\"\nclient_id = \"a\"\n"
                    "client_secret = \"b\"\n"),
               ConfigError);
}

}  // namespace
}  // namespace aimoviez
