// Runtime configuration. One table of keys; each key can come from (lowest to highest
// precedence) the embedded default, a TOML file (--config), an AIMOVIEZ_<KEY> environment
// variable, or a command-line flag --<key-with-dashes>.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/oidc_rules.h"

namespace aimoviez {

// A URL with its password, if any, replaced by "***" (for logs and config dumps).
std::string RedactedUrl(const std::string& url);

struct Config {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  std::string data_dir = "./data";
  // Empty: the embedded SQLite database in data_dir. postgresql://…: cluster mode's PostgreSQL.
  std::string database_url;
  int database_pool_size = 16;  // PostgreSQL connections per process
  // Empty: request budgets and live push in this process. redis://…: shared by every node.
  std::string redis_url;
  int redis_pool_size = 16;    // Redis connections per process (besides the live relay's two)
  int redis_timeout_ms = 500;  // connecting and each reply; past it a limit fails closed
  // Cluster mode: how often a node reads the vote tallies every node has stored.
  int tally_refresh_ms = 500;
  bool dev_login = false;
  // Web Push: loopback endpoints (plain http allowed) for tests and development only.
  bool push_allow_loopback_endpoints = false;
  std::string push_subject = "mailto:webpush@aimoviez.invalid";  // the VAPID "sub" claim
  int push_ttl_seconds = 86'400;
  int push_retry_base_seconds = 30;  // first retry after this, then 4x longer each time
  std::string public_url;  // e.g. https://aimoviez.example; empty: derived from the Host header
  std::string web_dir;     // SPA build directory; empty: auto-detected (web/dist)
  int threads = 2;
  std::string log_level = "info";
  std::int64_t max_body_bytes = 1 << 20;
  int read_timeout_seconds = 30;
  int max_connections_per_ip = 256;
  int drain_seconds = 10;  // after SIGTERM, how long open requests may finish
  int job_interval_seconds = 60;
  int default_total_slots = 75;
  int max_total_slots = 200;
  std::int64_t voting_window_seconds = 86'400;
  // Shifts the server's clock; for demos and tests that need to step past a voting deadline.
  std::int64_t clock_offset_seconds = 0;
  int daily_vote_limit = 200;
  // XP per event (spec section 11); the level curve is fixed (domain/progression_rules.h).
  int xp_per_vote = 10;
  int xp_clip_approved = 50;
  int xp_clip_won = 500;
  int xp_streak_day = 5;
  int xp_streak_day_cap = 7;
  int xp_badge_unlocked = 25;
  // XP for reaching each referral tier: 1, 5, 10, 25 and 100 people brought in (spec section 12).
  int xp_referral_connector = 50;
  int xp_referral_networker = 100;
  int xp_referral_influencer = 200;
  int xp_referral_ambassador = 500;
  int xp_referral_legend = 1000;
  int vote_rate_per_minute = 30;
  int vote_ip_rate_per_minute = 120;
  // Anonymous-vote budgets per network (an IPv4 address or an IPv6 /64) per UTC day.
  int anon_votes_per_clip_per_network = 20;
  int unverified_votes_per_clip_per_network = 5;  // voters without the signed device cookie
  int anon_votes_per_network_per_day = 2000;
  int new_readers_per_network_per_day = 200;
  // Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or CIDRs).
  std::string trusted_proxies;
  int vote_batch_max = 2048;
  int impression_flush_ms = 100;
  int impression_flush_answers = 512;
  int captcha_difficulty = 14;
  int session_idle_minutes = 30;
  int auth_rate_per_minute = 5;  // sign-in attempts per client IP (spec 21.5 "auth")
  // The rest of spec 21.5's table, per signed-in user or else per client address.
  int rate_read_per_minute = 120;
  int rate_api_per_minute = 60;
  int rate_comment_per_minute = 15;
  int rate_admin_sensitive_per_minute = 5;
  int rate_contact_per_minute = 3;
  // OpenID Connect providers, from [oidc.<name>] tables; secrets may come from the environment.
  std::vector<oidc::ProviderConfig> oidc_providers;
  int csrf_ttl_minutes = 60;
  int ws_max_connections = 20000;
  std::int64_t ws_max_message_bytes = 4096;
  std::int64_t ws_send_queue_bytes = 256 * 1024;
  std::int64_t ws_socket_send_buffer_bytes = 0;
  int ws_idle_seconds = 60;
  int ws_max_subscriptions = 32;
  int ws_messages_per_second = 5;
  int ws_tally_interval_ms = 200;
  std::int64_t upload_max_bytes = 50LL * 1024 * 1024;
  int uploads_per_minute = 5;
  int upload_timeout_seconds = 600;
  int media_job_timeout_seconds = 180;
  int upload_grace_minutes = 60;
  std::string storage = "local";  // "local" or "s3"
  std::string s3_endpoint;  // e.g. https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:4569
  std::string s3_region = "us-east-1";
  std::string s3_bucket;
  std::string s3_access_key;
  std::string s3_secret_key;
  bool s3_path_style = true;
  std::string s3_public_url;  // where browsers read media; default: the bucket's own URL

  std::string DatabasePath() const;
  std::string MediaDir() const;
  std::string SecretPath() const;
  std::string VapidKeyPath() const;
};

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ConfigKey {
  std::string name;         // "listen", "data_dir", ...
  std::string description;  // for --help and the README table
  std::function<void(Config&, const std::string&)> apply;
  std::function<std::string(const Config&)> show;
};

const std::vector<ConfigKey>& ConfigKeys();

// Builds the configuration from the layers; `flags` maps key names to values given on the
// command line. Throws ConfigError naming the key and the layer on any bad value.
Config LoadConfig(const std::optional<std::string>& toml_path,
                  const std::function<const char*(const char*)>& getenv,
                  const std::map<std::string, std::string>& flags);

}  // namespace aimoviez
