// What a handler sees: the request, the resolved caller (Actor), route parameters, and the
// application's services. Also the narrow helpers handlers share (JSON body, ids, cookies).
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "common/work_queue.h"
#include "domain/account_service.h"
#include "domain/actor.h"
#include "domain/admin_service.h"
#include "domain/broadcast_service.h"
#include "domain/catalog_service.h"
#include "domain/comment_service.h"
#include "domain/community_service.h"
#include "domain/contact_service.h"
#include "domain/csrf.h"
#include "domain/film_service.h"
#include "domain/identity_service.h"
#include "domain/notification_service.h"
#include "domain/oidc_sign_in.h"
#include "domain/progression_service.h"
#include "domain/push_service.h"
#include "domain/referral_service.h"
#include "domain/report_service.h"
#include "domain/round_log_service.h"
#include "domain/search_service.h"
#include "domain/season_service.h"
#include "domain/social_service.h"
#include "domain/upload_service.h"
#include "domain/vote_service.h"
#include "http/http_types.h"
#include "http/route_rate_limits.h"

namespace aimoviez::http {

class HttpMetrics;

struct HttpSettings {
  bool dev_login = false;
  std::string public_url;  // origin accepted for mutations besides the request's own Host
  std::string web_dir;
  std::string media_dir;
  std::string openapi_path;
  bool secure_cookies = false;
  std::int64_t max_body_bytes = 1 << 20;
  EpochMs session_idle_ms = 30 * 60 * 1000;
  RateLimitSettings rate_limits;
};

struct AppServices {
  const Clock& clock;
  Store& store;  // read models for admin listings; mutations go through the services
  IdentityService& identity;
  SeasonService& seasons;
  AdminService& admin;
  CatalogService& catalog;
  VoteService& votes;
  CommunityService& community;
  CommentService& comments;
  UploadService& uploads;
  FilmService& films;
  oidc::OidcSignIn& oidc;
  AccountService& accounts;
  NotificationService& notifications;
  ProgressionService& progression;
  SocialService& social;
  ReportService& reports;
  PushService& push;
  ReferralService& referrals;
  BroadcastService& broadcasts;
  SearchService& search;
  ContactService& contact;
  RoundLogService& rounds;
  ProofOfWorkCaptcha& captcha;
  FeatureFlags& flags;
  CsrfTokens& csrf;
  RateWindows& rate_windows;  // the route budgets: this process's, or the cluster's (Redis)
  HttpMetrics& metrics;
  WorkQueue& blocking;  // for work that would stall an HTTP thread (ffprobe)
  HttpSettings settings;
  std::function<bool()> ready;
};

inline constexpr std::string_view kSessionCookie = "aimoviez_session";
// Anonymous visitors' CSRF tokens are bound to this random cookie (set by GET /api/csrf).
inline constexpr std::string_view kDeviceCookie = "aimoviez_device";

class RequestContext {
 public:
  RequestContext(HttpRequest req, AppServices& services);

  HttpRequest request;
  AppServices& services;
  std::map<std::string, std::string> params;
  Actor actor;
  std::string session_token;  // the caller's valid session token, empty when anonymous
  std::string device_cookie;  // the anonymous CSRF binding cookie, when present
  std::string request_id;
  std::vector<std::string> set_cookies;
  std::vector<std::pair<std::string, std::string>> response_headers;  // added to the answer
  std::optional<RateDecision> route_budget;  // the route budget counted, told in the answer
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  boost::json::object JsonBody() const;
  Id ParamId(const std::string& name) const;
  std::optional<std::string> Query(const std::string& name) const;
  int QueryInt(const std::string& name, int fallback, int lo, int hi) const;
  // An id-valued query parameter such as a page cursor: nullopt when absent or empty,
  // VALIDATION_ERROR naming it when it is not an id.
  std::optional<Id> QueryId(const std::string& name) const;
  const User& user() const;  // only on routes that require sign-in
  AuditActor audit_actor() const;
  // The identity a CSRF token is bound to: the session when signed in, else the device cookie.
  std::string CsrfBinding() const;
  // Makes sure an anonymous caller has a device cookie to bind a CSRF token to.
  void EnsureDeviceCookie();

  void SetSessionCookie(const std::string& token);
  void ClearSessionCookie();
  // After the caller's session ended (sign-out, deletion): this request continues anonymous, the
  // browser drops the cookie, and the returned CSRF token is bound to its device instead.
  std::string ContinueSignedOut();
};

std::string CookieValue(const std::string& cookie_header, std::string_view name);

// Same-origin proof for a mutation or a WebSocket handshake: the browser's Origin equals our
// own origin (the configured public URL, or this request's Host), or the browser says
// Sec-Fetch-Site: same-origin.
bool IsSameOrigin(const HttpRequest& req, const HttpSettings& settings);

}  // namespace aimoviez::http
