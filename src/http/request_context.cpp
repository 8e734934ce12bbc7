#include "http/request_context.h"

#include "common/crypto.h"
#include "common/json.h"

namespace aimoviez::http {

const std::string& HttpRequest::Header(std::string_view lower_name) const {
  static const std::string kEmpty;
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return kEmpty;
}

bool HttpResponse::Has(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return true;
    }
  }
  return false;
}

RequestContext::RequestContext(HttpRequest req, AppServices& svc)
    : request(std::move(req)), services(svc) {}

boost::json::object RequestContext::JsonBody() const {
  const auto& type = request.Header("content-type");
  if (type.rfind("application/json", 0) != 0) {
    throw ApiError(Error{ErrorKind::kUnsupportedMedia,
                         "UNSUPPORTED_MEDIA_TYPE",
                         "Send the body as application/json",
                         {}});
  }
  return json::ParseObject(request.body);
}

Id RequestContext::ParamId(const std::string& name) const {
  auto it = params.find(name);
  auto id = it == params.end() ? std::nullopt : json::ParseId(it->second);
  if (!id)
    throw ApiError(Error::InvalidInput(name + " must be a positive integer id")
                       .With("field", boost::json::string(name)));
  return *id;
}

std::optional<std::string> RequestContext::Query(const std::string& name) const {
  auto it = request.query.find(name);
  if (it == request.query.end()) return std::nullopt;
  return it->second;
}

int RequestContext::QueryInt(const std::string& name, int fallback, int lo, int hi) const {
  auto v = Query(name);
  if (!v || v->empty()) return fallback;
  auto n = json::ParseId(*v);
  if (*v == "0") n = 0;
  if (!n || *n < lo || *n > hi) {
    throw ApiError(Error::InvalidInput(name + " must be an integer between " + std::to_string(lo) +
                                       " and " + std::to_string(hi))
                       .With("field", boost::json::string(name)));
  }
  return static_cast<int>(*n);
}

std::optional<Id> RequestContext::QueryId(const std::string& name) const {
  auto v = Query(name);
  if (!v || v->empty()) return std::nullopt;
  auto id = json::ParseId(*v);
  if (!id) {
    throw ApiError(
        Error::InvalidInput(name + " is not valid").With("field", boost::json::string(name)));
  }
  return id;
}

const User& RequestContext::user() const {
  if (!actor.user) throw ApiError(Error::AuthRequired());
  return *actor.user;
}

AuditActor RequestContext::audit_actor() const {
  const auto& u = user();
  return AuditActor{u.id, u.email};
}

std::string RequestContext::CsrfBinding() const {
  if (!session_token.empty()) return "s:" + IdentityService::HashToken(session_token);
  // The device id (before the MAC): the binding is what the browser holds, whether or not the
  // server still vouches for it as a voter.
  if (!device_cookie.empty()) return "c:" + device_cookie.substr(0, device_cookie.find('.'));
  return "d:" + actor.device_key;
}

std::string RequestContext::ContinueSignedOut() {
  ClearSessionCookie();
  session_token.clear();
  actor.user.reset();
  EnsureDeviceCookie();
  return services.csrf.Issue(CsrfBinding(), services.clock.NowMs());
}

void RequestContext::EnsureDeviceCookie() {
  // A cookie this server did not sign (an old one, or tampered with) is replaced.
  if (!session_token.empty() || actor.device_verified) return;
  device_cookie = services.identity.IssueDeviceCookie();
  if (auto key = services.identity.DeviceKeyForCookie(device_cookie)) {
    actor.device_key = std::move(*key);
    actor.device_verified = true;
  }
  std::string cookie = std::string(kDeviceCookie) + "=" + device_cookie +
                       "; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000";
  if (services.settings.secure_cookies) cookie += "; Secure";
  set_cookies.push_back(std::move(cookie));
}

void RequestContext::SetSessionCookie(const std::string& token) {
  std::string cookie = std::string(kSessionCookie) + "=" + token +
                       "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                       std::to_string(services.settings.session_idle_ms / 1000 * 48);
  if (services.settings.secure_cookies) cookie += "; Secure";
  set_cookies.push_back(std::move(cookie));
}

void RequestContext::ClearSessionCookie() {
  std::string cookie = std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";
  if (services.settings.secure_cookies) cookie += "; Secure";
  set_cookies.push_back(std::move(cookie));
}

std::string CookieValue(const std::string& header, std::string_view name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    while (pos < header.size() && (header[pos] == ' ' || header[pos] == ';')) ++pos;
    const auto eq = header.find('=', pos);
    if (eq == std::string::npos) break;
    const auto end = header.find(';', eq);
    if (std::string_view(header).substr(pos, eq - pos) == name) {
      return header.substr(eq + 1, (end == std::string::npos ? header.size() : end) - eq - 1);
    }
    pos = end == std::string::npos ? header.size() : end + 1;
  }
  return "";
}

bool IsSameOrigin(const HttpRequest& req, const HttpSettings& settings) {
  const auto& origin = req.Header("origin");
  if (!origin.empty()) {
    if (!settings.public_url.empty() && origin == settings.public_url) return true;
    const auto& host = req.Header("host");
    return !host.empty() && (origin == "http://" + host || origin == "https://" + host);
  }
  return req.Header("sec-fetch-site") == "same-origin";
}

}  // namespace aimoviez::http
