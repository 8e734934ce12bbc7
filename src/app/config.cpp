#include "app/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "common/net_address.h"

namespace aimoviez {

namespace {

std::int64_t ParseInt(const std::string& v, std::int64_t lo, std::int64_t hi) {
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size()) throw ConfigError("not an integer: " + v);
  if (n < lo || n > hi) {
    throw ConfigError(v + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) +
                      "]");
  }
  return n;
}

bool ParseBool(const std::string& v) {
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  throw ConfigError("not a boolean: " + v);
}

template <typename T>
ConfigKey IntKey(std::string name, std::string desc, T Config::*field, std::int64_t lo,
                 std::int64_t hi) {
  return ConfigKey{
      std::move(name), std::move(desc),
      [=](Config& c, const std::string& v) { c.*field = static_cast<T>(ParseInt(v, lo, hi)); },
      [=](const Config& c) { return std::to_string(c.*field); }};
}

ConfigKey StringKey(std::string name, std::string desc, std::string Config::*field) {
  return ConfigKey{std::move(name), std::move(desc),
                   [=](Config& c, const std::string& v) { c.*field = v; },
                   [=](const Config& c) { return c.*field; }};
}

std::string EnvName(const std::string& key) {
  std::string out = "AIMOVIEZ_";
  for (char ch : key)
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  return out;
}

std::string UpperName(std::string_view name) {
  std::string out;
  for (char ch : name) {
    out.push_back(ch == '-' ? '_'
                            : static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  }
  return out;
}

// [oidc.<name>] tables: issuer, client_id, client_secret, display_name.
void ReadOidcTables(const toml::table& oidc, const std::string& file,
                    std::vector<oidc::ProviderConfig>& out) {
  for (const auto& [k, node] : oidc) {
    const std::string name(k.str());
    const auto* table = node.as_table();
    if (!table) throw ConfigError("config file " + file + ": oidc." + name + " must be a table");
    oidc::ProviderConfig provider;
    provider.name = name;
    for (const auto& [field, value] : *table) {
      const auto text = value.is_string() ? value.value<std::string>() : std::nullopt;
      if (!text) {
        throw ConfigError("config file " + file + ": oidc." + name + "." +
                          std::string(field.str()) + " must be a string");
      }
      if (field == "issuer") {
        provider.issuer = *text;
      } else if (field == "client_id") {
        provider.client_id = *text;
      } else if (field == "client_secret") {
        provider.client_secret = *text;
      } else if (field == "display_name") {
        provider.display_name = *text;
      } else {
        throw ConfigError("config file " + file + ": unknown key oidc." + name + "." +
                          std::string(field.str()));
      }
    }
    out.push_back(std::move(provider));
  }
}

// Secrets from the environment (AIMOVIEZ_OIDC_<NAME>_CLIENT_SECRET, and the earlier platform's
// GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET), then defaults and checks.
void FinishOidcProviders(std::vector<oidc::ProviderConfig>& providers,
                         const std::function<const char*(const char*)>& getenv) {
  const char* google_id = getenv("GOOGLE_CLIENT_ID");
  const char* google_secret = getenv("GOOGLE_CLIENT_SECRET");
  auto google = std::find_if(providers.begin(), providers.end(),
                             [](const auto& p) { return p.name == "google"; });
  if (google == providers.end() && google_id && *google_id) {
    providers.push_back(oidc::ProviderConfig{"google", "", "", "", ""});
    google = providers.end() - 1;
  }
  if (google != providers.end()) {
    if (google_id && *google_id && google->client_id.empty()) google->client_id = google_id;
    if (google_secret && *google_secret && google->client_secret.empty())
      google->client_secret = google_secret;
  }
  for (auto& p : providers) {
    const std::string prefix = "AIMOVIEZ_OIDC_" + UpperName(p.name) + "_";
    if (const char* v = getenv((prefix + "CLIENT_ID").c_str())) p.client_id = v;
    if (const char* v = getenv((prefix + "CLIENT_SECRET").c_str())) p.client_secret = v;
    if (p.name == "google") {
      if (p.issuer.empty()) p.issuer = "https://accounts.google.com";
      if (p.display_name.empty()) p.display_name = "Google";
    }
    if (p.display_name.empty()) p.display_name = p.name;
    const bool name_ok =
        !p.name.empty() && p.name.size() <= 32 &&
        std::all_of(p.name.begin(), p.name.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        });
    const std::string where = "oidc." + p.name + ": ";
    if (!name_ok) throw ConfigError(where + "a provider's name is 1-32 of a-z, 0-9, - and _");
    if (p.issuer.empty()) throw ConfigError(where + "issuer is required");
    if (auto ok = oidc::CheckEndpointUrl(p.issuer, "issuer"); !ok) {
      throw ConfigError(where + ok.error().message + " (plain http only on loopback)");
    }
    if (p.client_id.empty()) throw ConfigError(where + "client_id is required");
    if (p.client_secret.empty()) {
      throw ConfigError(where + "client_secret is required (or " + "AIMOVIEZ_OIDC_" +
                        UpperName(p.name) + "_CLIENT_SECRET)");
    }
  }
}

}  // namespace

// A URL with its password, if any, replaced by "***" (user:secret@host → user:***@host).
std::string RedactedUrl(const std::string& url) {
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::string Config::DatabasePath() const {
  return data_dir + "/aimoviez.db";
}
std::string Config::MediaDir() const {
  return data_dir + "/media";
}
std::string Config::SecretPath() const {
  return data_dir + "/server.secret";
}

std::string Config::VapidKeyPath() const {
  return data_dir + "/vapid_private.pem";
}

const std::vector<ConfigKey>& ConfigKeys() {
  static const std::vector<ConfigKey> kKeys = {
      ConfigKey{"listen", "Address to serve on, HOST:PORT (IPv6 as [::1]:PORT)",
                [](Config& c, const std::string& v) {
                  const auto colon = v.rfind(':');
                  if (colon == std::string::npos) throw ConfigError("expected HOST:PORT: " + v);
                  std::string host = v.substr(0, colon);
                  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
                    host = host.substr(1, host.size() - 2);
                  }
                  if (host.empty()) throw ConfigError("empty host in " + v);
                  c.listen_host = host;
                  c.listen_port =
                      static_cast<std::uint16_t>(ParseInt(v.substr(colon + 1), 0, 65535));
                },
                [](const Config& c) {
                  const bool v6 = c.listen_host.find(':') != std::string::npos;
                  return (v6 ? "[" + c.listen_host + "]" : c.listen_host) + ":" +
                         std::to_string(c.listen_port);
                }},
      StringKey("data_dir", "Directory for the database, media and the server secret",
                &Config::data_dir),
      ConfigKey{"database_url",
                "PostgreSQL URL (postgresql://user@host/db) for cluster mode; empty: SQLite in "
                "data_dir",
                [](Config& c, const std::string& v) {
                  if (!v.empty() && !v.starts_with("postgresql://") &&
                      !v.starts_with("postgres://")) {
                    throw ConfigError("database_url must start with postgresql:// (or be empty)");
                  }
                  c.database_url = v;
                },
                // Shown without its password (config dumps and logs).
                [](const Config& c) { return RedactedUrl(c.database_url); }},
      IntKey("database_pool_size", "PostgreSQL connections per process (cluster mode)",
             &Config::database_pool_size, 1, 500),
      ConfigKey{"redis_url",
                "Redis URL (redis://[:password@]host:port[/db]) shared by a cluster's nodes for "
                "request budgets and live push; empty: kept in this process",
                [](Config& c, const std::string& v) {
                  // The rest of the URL is read when the server starts (redis::Endpoint).
                  if (!v.empty() && !v.starts_with("redis://")) {
                    throw ConfigError("redis_url must start with redis:// (or be empty)");
                  }
                  c.redis_url = v;
                },
                [](const Config& c) { return RedactedUrl(c.redis_url); }},
      IntKey("redis_pool_size", "Redis connections per process (cluster mode)",
             &Config::redis_pool_size, 1, 500),
      IntKey("redis_timeout_ms",
             "How long to wait for Redis (connect, each reply) before a limit fails closed",
             &Config::redis_timeout_ms, 10, 10'000),
      IntKey("tally_refresh_ms",
             "PostgreSQL mode: how often a node reads the vote counts all nodes have stored",
             &Config::tally_refresh_ms, 10, 60'000),
      ConfigKey{"dev_login", "Enable POST /api/auth/dev-login (local development only)",
                [](Config& c, const std::string& v) { c.dev_login = ParseBool(v); },
                [](const Config& c) { return std::string(c.dev_login ? "true" : "false"); }},
      ConfigKey{
          "push_allow_loopback_endpoints",
          "Accept Web Push endpoints on loopback, over http too (tests and development)",
          [](Config& c, const std::string& v) { c.push_allow_loopback_endpoints = ParseBool(v); },
          [](const Config& c) {
            return std::string(c.push_allow_loopback_endpoints ? "true" : "false");
          }},
      StringKey("push_subject", "VAPID contact (mailto: or https: URL) sent to push services",
                &Config::push_subject),
      IntKey("push_ttl_seconds", "How long a push service keeps an undelivered notification",
             &Config::push_ttl_seconds, 0, 28 * 86'400),
      IntKey("push_retry_base_seconds",
             "Delay before the first retry of a failed push (then 4x longer each time)",
             &Config::push_retry_base_seconds, 1, 86'400),
      StringKey("public_url", "Public origin (scheme://host[:port]); sets Secure cookies on https",
                &Config::public_url),
      StringKey("web_dir", "Directory of the built web app (default: web/dist if present)",
                &Config::web_dir),
      IntKey("threads", "HTTP worker threads", &Config::threads, 1, 64),
      StringKey("log_level", "trace, debug, info, warn, error", &Config::log_level),
      IntKey("max_body_bytes", "Largest accepted JSON request body", &Config::max_body_bytes, 1024,
             64LL << 20),
      IntKey("read_timeout_seconds", "Time allowed to receive one request",
             &Config::read_timeout_seconds, 1, 3600),
      IntKey("max_connections_per_ip",
             "Connections one client address may hold open (HTTP and WebSocket; trusted proxies "
             "exempt); more are closed at accept",
             &Config::max_connections_per_ip, 1, 1'000'000),
      IntKey("drain_seconds",
             "After SIGTERM, how long requests in progress may finish before they are cut",
             &Config::drain_seconds, 0, 3600),
      IntKey("job_interval_seconds", "How often the auto-advance job runs (0 disables it)",
             &Config::job_interval_seconds, 0, 86'400),
      IntKey("default_total_slots", "Slots in a new season when not given",
             &Config::default_total_slots, 1, 1000),
      IntKey("max_total_slots", "Largest allowed season", &Config::max_total_slots, 1, 1000),
      IntKey("voting_window_seconds", "Default voting window of a new season",
             &Config::voting_window_seconds, 60, 30LL * 86'400),
      IntKey("clock_offset_seconds", "Shift the server clock (demos and tests)",
             &Config::clock_offset_seconds, -10LL * 365 * 86'400, 10LL * 365 * 86'400),
      IntKey("daily_vote_limit", "Votes per voter per UTC day", &Config::daily_vote_limit, 1,
             1'000'000),
      IntKey("xp_per_vote", "XP for a signed-in vote (once per clip and round)",
             &Config::xp_per_vote, 0, 1'000'000),
      IntKey("xp_clip_approved", "XP for a clip approved", &Config::xp_clip_approved, 0, 1'000'000),
      IntKey("xp_clip_won", "XP for a clip locked in as a winner", &Config::xp_clip_won, 0,
             1'000'000),
      IntKey("xp_streak_day", "Streak bonus XP per day of the streak", &Config::xp_streak_day, 0,
             1'000'000),
      IntKey("xp_streak_day_cap", "Streak days counted for the bonus at most",
             &Config::xp_streak_day_cap, 1, 3650),
      IntKey("xp_badge_unlocked", "XP for a badge unlocked", &Config::xp_badge_unlocked, 0,
             1'000'000),
      IntKey("xp_referral_connector", "XP for the first person brought in",
             &Config::xp_referral_connector, 0, 1'000'000),
      IntKey("xp_referral_networker", "XP on reaching 5 people brought in",
             &Config::xp_referral_networker, 0, 1'000'000),
      IntKey("xp_referral_influencer", "XP on reaching 10 people brought in",
             &Config::xp_referral_influencer, 0, 1'000'000),
      IntKey("xp_referral_ambassador", "XP on reaching 25 people brought in",
             &Config::xp_referral_ambassador, 0, 1'000'000),
      IntKey("xp_referral_legend", "XP on reaching 100 people brought in",
             &Config::xp_referral_legend, 0, 1'000'000),
      IntKey("vote_rate_per_minute", "Vote requests per voter per minute",
             &Config::vote_rate_per_minute, 1, 1'000'000'000),
      IntKey("vote_ip_rate_per_minute", "Vote requests per client IP per minute",
             &Config::vote_ip_rate_per_minute, 1, 1'000'000'000),
      IntKey("anon_votes_per_clip_per_network",
             "Anonymous votes one network (IPv4 address or IPv6 /64) may give one clip per day",
             &Config::anon_votes_per_clip_per_network, 1, 1'000'000'000),
      IntKey("unverified_votes_per_clip_per_network",
             "Of those, votes from clients without the signed device cookie",
             &Config::unverified_votes_per_clip_per_network, 0, 1'000'000'000),
      IntKey("anon_votes_per_network_per_day",
             "Anonymous votes one network may cast per day over all clips",
             &Config::anon_votes_per_network_per_day, 1, 1'000'000'000),
      IntKey("new_readers_per_network_per_day",
             "New anonymous feed readers one network may add to the vote engine's memory per day",
             &Config::new_readers_per_network_per_day, 0, 1'000'000'000),
      ConfigKey{"trusted_proxies",
                "Reverse proxies (addresses or CIDRs, comma-separated) whose X-Forwarded-For "
                "names the client",
                [](Config& c, const std::string& v) {
                  if (!net::ParseRanges(v)) throw ConfigError("not a list of addresses: " + v);
                  c.trusted_proxies = v;
                },
                [](const Config& c) { return c.trusted_proxies; }},
      IntKey("vote_batch_max", "Most votes committed in one transaction (group commit)",
             &Config::vote_batch_max, 1, 100'000),
      IntKey("impression_flush_ms",
             "Longest wait of feed impressions for a commit when no vote is pending",
             &Config::impression_flush_ms, 0, 10'000),
      IntKey("impression_flush_answers",
             "Feed answers whose impressions are committed at once without waiting",
             &Config::impression_flush_answers, 1, 100'000),
      IntKey("captcha_difficulty", "Proof-of-work captcha difficulty in leading zero bits",
             &Config::captcha_difficulty, 1, 28),
      IntKey("session_idle_minutes", "Idle time after which a session ends",
             &Config::session_idle_minutes, 1, 24 * 60),
      IntKey("auth_rate_per_minute", "Sign-in attempts per minute from one IP address",
             &Config::auth_rate_per_minute, 1, 10'000),
      IntKey("rate_read_per_minute",
             "API reads (GET) per minute per signed-in user, or else per client address",
             &Config::rate_read_per_minute, 1, 1'000'000'000),
      IntKey("rate_api_per_minute",
             "Other API calls per minute per signed-in user, or else per client address",
             &Config::rate_api_per_minute, 1, 1'000'000'000),
      IntKey("rate_comment_per_minute", "Comment actions (post, like, delete) per user per minute",
             &Config::rate_comment_per_minute, 1, 1'000'000'000),
      IntKey("rate_admin_sensitive_per_minute",
             "Sensitive admin operations (bans, grants, resets, deletions, flags) per admin per "
             "minute",
             &Config::rate_admin_sensitive_per_minute, 1, 1'000'000'000),
      IntKey("rate_contact_per_minute", "Contact messages and reports per client per minute",
             &Config::rate_contact_per_minute, 1, 1'000'000'000),
      IntKey("csrf_ttl_minutes", "Lifetime of a CSRF token", &Config::csrf_ttl_minutes, 1, 24 * 60),
      IntKey("ws_max_connections", "Most open WebSocket connections (more get 503)",
             &Config::ws_max_connections, 1, 1'000'000),
      IntKey("ws_max_message_bytes", "Largest client WebSocket message (larger closes with 1009)",
             &Config::ws_max_message_bytes, 256, 1 << 20),
      IntKey("ws_send_queue_bytes", "Bytes queued for one WebSocket client before it is dropped",
             &Config::ws_send_queue_bytes, 1024, 64LL << 20),
      IntKey(
          "ws_socket_send_buffer_bytes",
          "SO_SNDBUF of WebSocket sockets (0: kernel autotuning); bounds kernel memory per client",
          &Config::ws_socket_send_buffer_bytes, 0, 64LL << 20),
      IntKey("ws_idle_seconds", "Silence after which a WebSocket closes (pinged at half)",
             &Config::ws_idle_seconds, 2, 3600),
      IntKey("ws_max_subscriptions", "Channels one WebSocket connection may follow",
             &Config::ws_max_subscriptions, 1, 1000),
      IntKey("ws_messages_per_second", "Sustained client message rate (burst 6x) before 1008",
             &Config::ws_messages_per_second, 1, 10'000),
      IntKey("upload_max_bytes", "Largest clip upload (streamed to disk, never buffered)",
             &Config::upload_max_bytes, 1024, 4LL << 30),
      IntKey("uploads_per_minute", "Signed upload URLs per user per minute",
             &Config::uploads_per_minute, 1, 10'000),
      IntKey("upload_timeout_seconds", "Time allowed to receive one upload",
             &Config::upload_timeout_seconds, 5, 24 * 3600),
      IntKey("upload_grace_minutes",
             "Age after which unregistered or refused uploads are removed by the cleanup job",
             &Config::upload_grace_minutes, 0, 30 * 24 * 60),
      ConfigKey{"storage", "Media storage: local (under data_dir) or s3",
                [](Config& c, const std::string& v) {
                  if (v != "local" && v != "s3") throw ConfigError("must be local or s3");
                  c.storage = v;
                },
                [](const Config& c) { return c.storage; }},
      StringKey("s3_endpoint", "S3-compatible endpoint URL (scheme://host[:port])",
                &Config::s3_endpoint),
      StringKey("s3_region", "S3 region used in signatures", &Config::s3_region),
      StringKey("s3_bucket", "Bucket for uploads, clips, posters and films", &Config::s3_bucket),
      StringKey("s3_access_key", "S3 access key id", &Config::s3_access_key),
      StringKey("s3_secret_key", "S3 secret access key", &Config::s3_secret_key),
      ConfigKey{"s3_path_style", "Address the bucket in the path (true) or as a subdomain (false)",
                [](Config& c, const std::string& v) { c.s3_path_style = ParseBool(v); },
                [](const Config& c) { return std::string(c.s3_path_style ? "true" : "false"); }},
      StringKey("s3_public_url", "Base URL browsers read media from (default: the bucket URL)",
                &Config::s3_public_url),
      IntKey("media_job_timeout_seconds", "Wall-clock limit of one ffmpeg processing job",
             &Config::media_job_timeout_seconds, 10, 3600),
      IntKey("ws_tally_interval_ms", "Coalescing interval of live tally pushes",
             &Config::ws_tally_interval_ms, 10, 60'000),
  };
  return kKeys;
}

Config LoadConfig(const std::optional<std::string>& toml_path,
                  const std::function<const char*(const char*)>& getenv,
                  const std::map<std::string, std::string>& flags) {
  Config config;
  const auto& keys = ConfigKeys();
  auto apply = [&](const ConfigKey& key, const std::string& value, const std::string& layer) {
    try {
      key.apply(config, value);
    } catch (const ConfigError& e) {
      throw ConfigError(layer + ": " + key.name + ": " + e.what());
    }
  };
  if (toml_path) {
    toml::table table;
    try {
      table = toml::parse_file(*toml_path);
    } catch (const toml::parse_error& e) {
      throw ConfigError("config file " + *toml_path + ": " + std::string(e.description()));
    }
    for (const auto& [k, node] : table) {
      const std::string name(k.str());
      if (name == "oidc" && node.is_table()) {
        ReadOidcTables(*node.as_table(), *toml_path, config.oidc_providers);
        continue;
      }
      auto it =
          std::find_if(keys.begin(), keys.end(), [&](const auto& key) { return key.name == name; });
      if (it == keys.end())
        throw ConfigError("config file " + *toml_path + ": unknown key " + name);
      std::string value;
      // The type is checked before the value is read: toml++ converts a float to an integer on
      // request, which is undefined beyond the integer's range (found by the config fuzzer).
      if (node.is_string())
        value = *node.value<std::string>();
      else if (node.is_integer())
        value = std::to_string(*node.value<std::int64_t>());
      else if (node.is_boolean())
        value = *node.value<bool>() ? "true" : "false";
      else
        throw ConfigError("config file " + *toml_path + ": " + name + " has an unsupported type");
      apply(*it, value, "config file");
    }
  }
  for (const auto& key : keys) {
    if (const char* v = getenv(EnvName(key.name).c_str())) apply(key, v, EnvName(key.name));
  }
  for (const auto& flag : flags) {
    const std::string& name = flag.first;
    auto it =
        std::find_if(keys.begin(), keys.end(), [&](const auto& key) { return key.name == name; });
    if (it == keys.end()) throw ConfigError("unknown option " + name);
    apply(*it, flag.second, "--" + name);
  }
  FinishOidcProviders(config.oidc_providers, getenv);
  return config;
}

}  // namespace aimoviez
