#include "app/application.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <thread>

#include "app/avatar_importer.h"
#include "app/demo_seeder.h"
#include "app/engine_metrics.h"
#include "app/media_pipeline.h"
#include "app/push_sender.h"
#include "app/round_log_metrics.h"
#include "app/shared_state.h"
#include "app/system_of_record.h"
#include "common/crypto.h"
#include "common/thread_name.h"
#include "common/web_push_crypto.h"
#include "domain/admin_service.h"
#include "domain/catalog_service.h"
#include "domain/comment_service.h"
#include "domain/community_service.h"
#include "domain/identity_service.h"
#include "domain/job_lease.h"
#include "domain/notification_service.h"
#include "domain/progression_service.h"
#include "domain/push_service.h"
#include "domain/report_service.h"
#include "domain/round_log_service.h"
#include "domain/season_service.h"
#include "domain/social_service.h"
#include "domain/vote_service.h"
#include "engine/cluster/cluster_vote_engine.h"
#include "engine/local/local_vote_engine.h"
#include "http/handlers.h"
#include "http/live_endpoint.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "http/share_pages.h"
#include "http/upload_endpoint.h"
#include "net/beast_http_fetcher.h"
#include "realtime/hub.h"
#include "realtime/live_publisher.h"
#include "storage/s3/s3_media_store.h"

namespace aimoviez {

namespace fs = std::filesystem;

namespace {

// Writes a secret file readable only by the owner (created 0600, never a moment more open),
// on disk before it is used: a temporary file, synced, renamed, and the directory synced.
void WriteSecretFile(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + tmp);
  const bool written =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!written) throw std::runtime_error("cannot write " + tmp);
  fs::rename(tmp, path);
  const int dir = ::open(fs::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

// The content of a secret file, or a new one from `generate` when it is missing or `valid`
// rejects it.
std::string LoadOrCreateSecretFile(const std::string& path,
                                   const std::function<std::string()>& generate,
                                   const std::function<bool(const std::string&)>& valid) {
  if (std::ifstream in{path, std::ios::binary}) {
    std::string content((std::istreambuf_iterator<char>(in)), {});
    if (valid(content)) return content;
  }
  const std::string content = generate();
  WriteSecretFile(path, content);
  return content;
}

// The server secret keys device fingerprints and CSRF tokens. Generated once per data
// directory. Losing it only invalidates anonymous keys and tokens.
std::string LoadOrCreateSecret(const std::string& path) {
  return LoadOrCreateSecretFile(
      path, [] { return crypto::RandomBytes(32); },
      [](const std::string& s) { return s.size() >= 32; });
}

// The VAPID key signs every Web Push request; browsers subscribed with its public half, so it
// is kept for the life of the data directory (a new one would orphan every subscription).
std::string LoadOrCreateVapidKey(const std::string& path) {
  return LoadOrCreateSecretFile(path, webpush::GenerateVapidKeyPem, [](const std::string& pem) {
    return webpush::PublicKeyOf(pem).has_value();
  });
}

// Finds a project file either below the working directory or beside the binary (build/../),
// so the server works when started from the checkout or from anywhere else.
std::string FindBesideBinary(const std::string& relative) {
  std::error_code ec;
  const auto exe_dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
  for (const auto& candidate :
       {fs::path(relative), exe_dir / ".." / relative, exe_dir / relative}) {
    if (fs::exists(candidate, ec)) return candidate.lexically_normal().string();
  }
  return "";
}

std::string JobHolderName() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + crypto::RandomToken(6);
}

// Runs the auto-advance job (and session cleanup) every interval until stopped.
class JobRunner {
 public:
  // The media cleanup (abandoned uploads, stale temporary files) runs with the other jobs.
  struct MediaCleanup {
    UploadService& uploads;
    const LocalMediaStore& media;
    EpochMs grace_ms;
  };
  JobRunner(SeasonService& seasons, Store& store, const Clock& clock, int interval_seconds,
            EpochMs session_idle_ms, VoteEngine& engine, LiveEvents& live, MediaCleanup cleanup,
            ProgressionService& progression, BroadcastService& broadcasts)
      : seasons_(seasons),
        store_(store),
        clock_(clock),
        interval_(interval_seconds),
        session_idle_ms_(session_idle_ms),
        engine_(engine),
        live_(live),
        cleanup_(cleanup),
        progression_(progression),
        broadcasts_(broadcasts),
        holder_(JobHolderName()) {}
  ~JobRunner() { Stop(); }

  void Start() {
    thread_ = std::thread([this] {
      NameThisThread("jobs");
      Loop();
    });
  }
  void Stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  // Every second: notice round changes made by other processes, apply pending progression (XP,
  // badges, notifications) and deliver broadcast notifications. Every interval: auto-advance and
  // session cleanup.
  void Loop() {
    std::unique_lock lock(mutex_);
    auto next_job = std::chrono::steady_clock::now();
    while (!stopping_) {
      lock.unlock();
      try {
        // A round changed by another process reaches this node's clients as a reset: they
        // refetch the feed and the story.
        if (engine_.ReloadIfRoundChanged()) {
          if (auto round = engine_.Round()) live_.SeasonReset(round->season_id, "round_changed");
        }
        // Small passes, so the vote writer never waits long for the database; a backlog drains
        // at up to kProgressPasses full passes a second.
        for (int pass = 0; pass < kProgressPasses; ++pass) {
          if (progression_.ApplyPending(kProgressBatch) < kProgressBatch) break;
        }
        // Notifications to everyone go out the same way: a batch of accounts per transaction.
        for (int pass = 0; pass < kProgressPasses; ++pass) {
          if (broadcasts_.DeliverPending(kProgressBatch) < kProgressBatch) break;
        }
        if (interval_ > 0 && std::chrono::steady_clock::now() >= next_job) {
          next_job = std::chrono::steady_clock::now() + std::chrono::seconds(interval_);
          if (const int n = seasons_.RunAutoAdvance(holder_); n > 0) {
            spdlog::info(R"({{"msg":"auto-advance","slots_advanced":{}}})", n);
          }
          int removed = 0;
          // Shared rows (sessions, abandoned uploads and their objects) are swept by one node a
          // round; each node's own temporary files by that node.
          if (auto lease = JobLease::TryTake(store_, clock_, "cleanup", holder_, kCleanupLeaseMs)) {
            store_.DeleteSessionsIdleSince(clock_.NowMs() - session_idle_ms_);
            removed = cleanup_.uploads.RemoveAbandoned(cleanup_.grace_ms);
          }
          const int stale = cleanup_.media.RemoveStaleIncoming(
              std::chrono::seconds(std::max<EpochMs>(cleanup_.grace_ms / 1000, 3600)));
          if (removed + stale > 0) {
            spdlog::info(
                R"({{"msg":"media cleanup","uploads_removed":{},"temp_files_removed":{}}})",
                removed, stale);
          }
        }
      } catch (const std::exception& e) {
        spdlog::error(R"({{"msg":"background job failed","error":"{}"}})", e.what());
      }
      lock.lock();
      cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    }
  }

  SeasonService& seasons_;
  Store& store_;
  const Clock& clock_;
  int interval_;
  EpochMs session_idle_ms_;
  VoteEngine& engine_;
  LiveEvents& live_;
  MediaCleanup cleanup_;
  ProgressionService& progression_;
  BroadcastService& broadcasts_;
  static constexpr int kProgressBatch = 500;
  static constexpr EpochMs kCleanupLeaseMs = 10 * 60'000;
  static constexpr int kProgressPasses = 20;
  std::string holder_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

}  // namespace

struct Application::Parts {
  explicit Parts(Config c)
      : config(std::move(c)),
        records(SystemOfRecord::Open(config)),
        store(records->store()),
        season_limits{config.max_total_slots, config.default_total_slots,
                      config.voting_window_seconds},
        seasons(store, clock, season_limits),
        admin(store, clock, seasons),
        catalog(store, clock) {
    clock.AdvanceMs(config.clock_offset_seconds * 1000);
    fs::create_directories(config.MediaDir());
    secret = LoadOrCreateSecret(config.SecretPath());
    // Every path that closes rounds (serving, the auto-advance job, the demo seed) publishes
    // their logs.
    rounds.emplace(store, clock, secret);
    seasons.SetRoundLogs(*rounds);
  }

  Config config;
  OffsetClock clock;
  std::unique_ptr<SystemOfRecord> records;  // SQLite or PostgreSQL, as configured
  Store& store;
  SeasonLimits season_limits;
  SeasonService seasons;
  AdminService admin;
  CatalogService catalog;
  std::string secret;
  std::optional<RoundLogService> rounds;  // made once the secret is loaded
};

Application::Application(Config config) : parts_(std::make_unique<Parts>(std::move(config))) {}
Application::~Application() = default;

int Application::Migrate() {
  const int applied = parts_->records->Migrate();
  std::cout << "migrations applied: " << applied << "\n";
  return 0;
}

int Application::SeedDemo() {
  parts_->records->Migrate();
  DemoSeeder seeder(parts_->store, parts_->seasons, parts_->clock, parts_->config.MediaDir());
  const auto report = seeder.SeedIfEmpty();
  if (report.seeded) {
    std::cout << "demo seeded: " << report.seasons << " seasons, " << report.clips << " clips, "
              << report.votes << " votes\n";
  } else {
    std::cout << "data directory already has seasons; demo not seeded again\n";
  }
  return 0;
}

int Application::SetAdmin(const std::string& email, bool is_admin) {
  parts_->records->Migrate();
  IdentityService identity(parts_->store, parts_->clock, parts_->secret);
  auto user = identity.SetAdminByEmail(email, is_admin);
  if (!user) {
    std::cerr << "error: " << user.error().message << "\n";
    return 1;
  }
  AuditTrail(parts_->store, parts_->clock)
      .Record(AuditActor{std::nullopt, "cli"}, is_admin ? "grant_admin" : "revoke_admin", "user",
              std::to_string(user->id), {{"email", user->email}});
  std::cout << (is_admin ? "granted" : "revoked") << " admin: " << user->email << "\n";
  return 0;
}

int Application::RunAutoAdvanceOnce() {
  parts_->records->Migrate();
  const int n = parts_->seasons.RunAutoAdvance(JobHolderName());
  std::cout << "slots advanced: " << n << "\n";
  return 0;
}

int Application::Serve() {
  // A file-size limit (RLIMIT_FSIZE) reached by a write must be an error that the write's caller
  // handles (a vote batch answers 503 and is retried later), not a signal that kills the server.
  std::signal(SIGXFSZ, SIG_IGN);
  auto& p = *parts_;
  p.records->Migrate();
  p.records->StartServing();
  p.records->ConfirmSharedSecret("server.secret", p.secret);
  const auto& cfg = p.config;
  IdentityService identity(
      p.store, p.clock, p.secret,
      SessionPolicy{static_cast<EpochMs>(cfg.session_idle_minutes) * 60'000, 60'000});
  CsrfTokens csrf(p.secret, static_cast<EpochMs>(cfg.csrf_ttl_minutes) * 60'000);
  VotePolicy policy;
  policy.daily_limit = cfg.daily_vote_limit;
  policy.per_minute_limit = cfg.vote_rate_per_minute;
  policy.per_ip_per_minute_limit = cfg.vote_ip_rate_per_minute;
  policy.anon_per_clip_per_network = cfg.anon_votes_per_clip_per_network;
  policy.unverified_per_clip_per_network = cfg.unverified_votes_per_clip_per_network;
  policy.anon_per_network_per_day = cfg.anon_votes_per_network_per_day;
  policy.new_readers_per_network_per_day = cfg.new_readers_per_network_per_day;
  policy.batch_max = cfg.vote_batch_max;
  policy.impression_flush_ms = cfg.impression_flush_ms;
  policy.impression_flush_answers = cfg.impression_flush_answers;
  auto shared = SharedState::Open(cfg);
  // Embedded mode decides votes in this process; on PostgreSQL the shared ledger decides them,
  // with the request limits in the shared state (Redis, when several nodes serve).
  std::unique_ptr<VoteEngine> engine_owner;
  engine::LocalVoteEngine* local_engine = nullptr;
  engine::ClusterVoteEngine* cluster_engine = nullptr;
  if (VoteLedger* ledger = p.records->vote_ledger()) {
    auto e = std::make_unique<engine::ClusterVoteEngine>(
        p.store, *ledger, shared->rate_windows(), p.clock, policy,
        engine::ClusterEngineOptions{cfg.tally_refresh_ms});
    cluster_engine = e.get();
    engine_owner = std::move(e);
  } else {
    auto e = std::make_unique<engine::LocalVoteEngine>(p.store, p.clock, policy);
    local_engine = e.get();
    engine_owner = std::move(e);
  }
  VoteEngine& vote_engine = *engine_owner;
  vote_engine.Load();
  p.seasons.SetRoundGate(vote_engine);
  p.catalog.SetVoteEngine(vote_engine);
  p.catalog.SetRateWindows(shared->rate_windows());
  FeatureFlags flags(p.store, p.clock);
  p.admin.SetFlagCache(flags);
  ProofOfWorkCaptcha captcha(p.secret, cfg.captcha_difficulty, 5 * 60'000, shared->spent_tokens());
  VoteService votes(vote_engine, flags, captcha, p.clock, p.secret);
  RoundLogService& rounds = *p.rounds;
  CommunityService community(p.store, p.clock);
  CommentService comments(p.store, p.clock);
  realtime::Hub& hub = shared->hub();
  realtime::LivePublisher live(hub, vote_engine, p.clock, cfg.ws_tally_interval_ms);
  p.catalog.SetLiveEvents(live);
  p.seasons.SetLiveEvents(live);
  votes.SetLiveEvents(live);
  comments.SetLiveEvents(live);
  identity.SetLiveEvents(live);
  p.admin.SetLiveEvents(live);
  p.admin.SetVoteService(votes);
  LocalMediaStore media_store(cfg.MediaDir());
  // Media objects: the local directory, or a bucket mirrored through it.
  std::optional<s3::S3Client> s3_client;
  std::optional<s3::S3MediaStore> s3_store;
  ObjectStorage* objects = &media_store;
  std::string media_origin;
  if (cfg.storage == "s3") {
    s3::S3Endpoint endpoint;
    const auto scheme_end = cfg.s3_endpoint.find("://");
    if (scheme_end == std::string::npos || cfg.s3_bucket.empty()) {
      throw ConfigError("storage = s3 needs s3_endpoint (scheme://host[:port]) and s3_bucket");
    }
    endpoint.scheme = cfg.s3_endpoint.substr(0, scheme_end);
    endpoint.host = cfg.s3_endpoint.substr(scheme_end + 3);
    while (!endpoint.host.empty() && endpoint.host.back() == '/') endpoint.host.pop_back();
    endpoint.region = cfg.s3_region;
    endpoint.bucket = cfg.s3_bucket;
    endpoint.access_key = cfg.s3_access_key;
    endpoint.secret_key = cfg.s3_secret_key;
    endpoint.path_style = cfg.s3_path_style;
    std::string public_base = cfg.s3_public_url;
    if (public_base.empty())
      public_base = endpoint.scheme + "://" + endpoint.HostFor() + endpoint.PathFor("");
    while (!public_base.empty() && public_base.back() == '/') public_base.pop_back();
    media_origin = endpoint.scheme + "://" + endpoint.HostFor();
    if (const auto pos = public_base.find('/', public_base.find("://") + 3);
        pos != std::string::npos) {
      if (public_base.substr(0, pos) != media_origin)
        media_origin += " " + public_base.substr(0, pos);
    }
    s3_client.emplace(endpoint, p.clock);
    s3_store.emplace(media_store, *s3_client, p.clock, public_base);
    objects = &*s3_store;
  }
  MediaJobLimits job_limits;
  job_limits.timeout_seconds = cfg.media_job_timeout_seconds;
  FfprobeInspector inspector(media_store, job_limits);
  MediaProcessor processor(p.store, p.clock, media_store, *objects, live, job_limits,
                           JobHolderName());
  MediaLimits media_limits;
  media_limits.max_upload_bytes = cfg.upload_max_bytes;
  media_limits.uploads_per_minute = cfg.uploads_per_minute;
  UploadService uploads(p.store, p.clock, p.secret, media_limits, inspector, processor, *objects,
                        shared->rate_windows());
  uploads.SetLiveEvents(live);
  FilmService films(p.store, p.clock, processor);
  http::HttpMetrics metrics;
  std::optional<EngineMetrics> engine_metrics;
  std::optional<ClusterEngineMetrics> cluster_engine_metrics;
  if (local_engine != nullptr) metrics.AddCollectable(engine_metrics.emplace(*local_engine));
  if (cluster_engine != nullptr) {
    metrics.AddCollectable(cluster_engine_metrics.emplace(*cluster_engine));
  }
  RoundLogMetrics round_log_metrics(rounds);
  metrics.AddCollectable(round_log_metrics);
  http::HttpSettings settings;
  settings.dev_login = cfg.dev_login;
  settings.public_url = cfg.public_url;
  while (!settings.public_url.empty() && settings.public_url.back() == '/')
    settings.public_url.pop_back();
  settings.web_dir = cfg.web_dir.empty() ? FindBesideBinary("web/dist") : cfg.web_dir;
  settings.media_dir = cfg.MediaDir();
  settings.secure_cookies = cfg.public_url.rfind("https://", 0) == 0;
  settings.max_body_bytes = cfg.max_body_bytes;
  settings.session_idle_ms = static_cast<EpochMs>(cfg.session_idle_minutes) * 60'000;
  settings.openapi_path = FindBesideBinary("docs/openapi.yaml");
  settings.rate_limits.auth_per_minute = cfg.auth_rate_per_minute;
  settings.rate_limits.read_per_minute = cfg.rate_read_per_minute;
  settings.rate_limits.api_per_minute = cfg.rate_api_per_minute;
  settings.rate_limits.comment_per_minute = cfg.rate_comment_per_minute;
  settings.rate_limits.admin_sensitive_per_minute = cfg.rate_admin_sensitive_per_minute;
  settings.rate_limits.contact_per_minute = cfg.rate_contact_per_minute;
  WorkQueue blocking(2, 64);
  net::BeastHttpFetcher fetcher;
  oidc::OidcSignIn oidc_sign_in(cfg.oidc_providers, fetcher, p.clock, p.secret);
  AvatarImporter avatars(fetcher, media_store, *objects);
  identity.SetPictureImporter(avatars);
  AccountService accounts(p.store, p.clock, vote_engine, *objects, processor);
  accounts.SetLiveEvents(live);
  NotificationService notifications(p.store, p.clock);
  notifications.SetLiveEvents(live);
  const std::string vapid_pem = LoadOrCreateVapidKey(cfg.VapidKeyPath());
  p.records->ConfirmSharedSecret("vapid_private.pem", vapid_pem);
  PushService push(p.store, p.clock,
                   crypto::Base64UrlEncode(webpush::PublicKeyOf(vapid_pem).value_or("")),
                   PushPolicy{cfg.push_allow_loopback_endpoints});
  notifications.SetPush(push);
  PushSender push_sender(p.store, p.clock, fetcher,
                         PushSenderSettings{vapid_pem, cfg.push_subject, cfg.push_ttl_seconds,
                                            cfg.push_allow_loopback_endpoints, 6,
                                            cfg.push_retry_base_seconds * EpochMs{1000}});
  XpRules xp_rules{
      cfg.xp_per_vote,
      cfg.xp_clip_approved,
      cfg.xp_clip_won,
      cfg.xp_streak_day,
      cfg.xp_streak_day_cap,
      cfg.xp_badge_unlocked,
      {cfg.xp_referral_connector, cfg.xp_referral_networker, cfg.xp_referral_influencer,
       cfg.xp_referral_ambassador, cfg.xp_referral_legend}};
  ProgressionService progression(p.store, p.clock, notifications, xp_rules, cfg.daily_vote_limit);
  SocialService social(p.store, p.clock, notifications);
  comments.SetNotifications(notifications);
  ReportService reports(p.store, p.clock, notifications, p.seasons, comments, p.admin);
  ReferralService referrals(p.store, p.clock, flags, xp_rules, settings.public_url);
  BroadcastService broadcasts(p.store, p.clock, notifications);
  SearchService search(p.store, p.clock, p.catalog);
  ContactService contact(p.store, p.clock);
  http::AppServices services{p.clock,   p.store,       identity,
                             p.seasons, p.admin,       p.catalog,
                             votes,     community,     comments,
                             uploads,   films,         oidc_sign_in,
                             accounts,  notifications, progression,
                             social,    reports,       push,
                             referrals, broadcasts,    search,
                             contact,   rounds,        captcha,
                             flags,     csrf,          shared->rate_windows(),
                             metrics,   blocking,      settings,
                             nullptr};
  http::Router router(services);
  http::RegisterSystemRoutes(router);
  http::RegisterAuthRoutes(router);
  http::RegisterOidcRoutes(router);
  http::RegisterAccountRoutes(router);
  http::RegisterPublicRoutes(router);
  http::RegisterAdminRoutes(router);
  http::RegisterVoteRoutes(router);
  http::RegisterCommunityRoutes(router);
  http::RegisterCommentRoutes(router);
  http::RegisterUploadRoutes(router);
  http::RegisterFilmRoutes(router);
  http::RegisterEngagementRoutes(router);
  http::RegisterSocialRoutes(router);
  http::RegisterReportRoutes(router);
  http::RegisterReferralRoutes(router);
  http::RegisterContactRoutes(router);
  http::RegisterRoundRoutes(router);
  http::RegisterSharePageRoutes(router);

  http::ServerOptions options;
  options.host = cfg.listen_host;
  options.port = cfg.listen_port;
  options.threads = cfg.threads;
  options.max_body_bytes = static_cast<std::uint64_t>(cfg.max_body_bytes);
  options.read_timeout_seconds = cfg.read_timeout_seconds;
  options.drain_seconds = cfg.drain_seconds;
  options.hsts = settings.secure_cookies;
  options.media_origin = media_origin;
  options.max_connections_per_ip = cfg.max_connections_per_ip;
  options.trusted_proxies =
      net::ParseRanges(cfg.trusted_proxies).value_or(std::vector<net::AddressRange>{});
  options.websocket.max_connections = cfg.ws_max_connections;
  options.websocket.max_message_bytes = static_cast<std::size_t>(cfg.ws_max_message_bytes);
  options.websocket.send_queue_bytes = static_cast<std::size_t>(cfg.ws_send_queue_bytes);
  options.websocket.idle_seconds = cfg.ws_idle_seconds;
  options.websocket.socket_send_buffer_bytes = static_cast<int>(cfg.ws_socket_send_buffer_bytes);
  realtime::LiveLimits live_limits;
  live_limits.max_subscriptions = static_cast<std::size_t>(cfg.ws_max_subscriptions);
  live_limits.per_second = cfg.ws_messages_per_second;
  live_limits.burst = 6.0 * cfg.ws_messages_per_second;
  http::LiveEndpoint live_endpoint(services, hub, live_limits);
  http::UploadEndpoint upload_endpoint(services, uploads, media_store, cfg.upload_timeout_seconds);
  http::HttpServer server(options, router, metrics, &live_endpoint, &upload_endpoint);
  const auto port = server.Listen();

  JobRunner jobs(p.seasons, p.store, p.clock, cfg.job_interval_seconds, settings.session_idle_ms,
                 vote_engine, live,
                 JobRunner::MediaCleanup{uploads, media_store,
                                         static_cast<EpochMs>(cfg.upload_grace_minutes) * 60'000},
                 progression, broadcasts);
  jobs.Start();
  live.Start();
  processor.Start();
  push_sender.Start();
  const bool v6 = cfg.listen_host.find(':') != std::string::npos;
  // Tests and scripts read this line to learn the port when listening on port 0.
  std::cout << "aimoviez listening on http://"
            << (v6 ? "[" + cfg.listen_host + "]" : cfg.listen_host) << ":" << port << std::endl;
  spdlog::info(
      R"({{"msg":"serving","port":{},"database":"{}","shared":"{}","data_dir":"{}","web_dir":"{}","dev_login":{}}})",
      port, p.records->Describe(), shared->Describe(), cfg.data_dir, settings.web_dir,
      cfg.dev_login);
  server.Run([&jobs] { jobs.Stop(); });
  jobs.Stop();
  blocking.Stop();
  push_sender.Stop();
  processor.Stop();
  live.Stop();
  shared->ReleaseSubscribers();  // connections still subscribed end while the server object exists
  // Everything accepted is committed before the process exits.
  vote_engine.Shutdown();
  spdlog::info(R"({"msg":"stopped"})");
  return 0;
}

}  // namespace aimoviez
