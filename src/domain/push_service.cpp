#include "domain/push_service.h"

#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include "common/crypto.h"
#include "common/net_address.h"
#include "common/web_push_crypto.h"

namespace aimoviez {

namespace {

Error BadEndpoint(std::string message) {
  return Error::InvalidInput(std::move(message), "INVALID_PUSH_ENDPOINT").With("field", "endpoint");
}

}  // namespace

Status CheckPushEndpoint(std::string_view text, bool allow_loopback) {
  if (text.size() > 2048) return BadEndpoint("The endpoint is too long");
  auto url = boost::urls::parse_absolute_uri(text);
  if (!url || url->host().empty() || url->has_userinfo()) {
    return BadEndpoint("The endpoint is not an absolute URL");
  }
  const std::string host = url->host_address();
  const bool literal = url->host_type() == boost::urls::host_type::ipv4 ||
                       url->host_type() == boost::urls::host_type::ipv6;
  const bool loopback = host == "localhost" || (literal && net::IsLoopbackAddress(host));
  if (loopback) {
    if (!allow_loopback) return BadEndpoint("Push endpoints on this machine are not accepted");
    if (url->scheme() != "https" && url->scheme() != "http") {
      return BadEndpoint("The endpoint must be an http(s) URL");
    }
    return Ok{};
  }
  if (url->scheme() != "https") return BadEndpoint("The endpoint must use https");
  if (literal && !net::IsPublicAddress(host)) {
    return BadEndpoint("The endpoint must be a public address");
  }
  return Ok{};
}

Result<PushSubscription> PushService::Subscribe(const User& user, std::string_view endpoint,
                                                std::string_view p256dh, std::string_view auth) {
  if (auto ok = CheckPushEndpoint(endpoint, policy_.allow_loopback); !ok) return ok.error();
  const auto point = crypto::Base64UrlDecode(p256dh);
  if (!point || !webpush::IsValidP256Point(*point)) {
    return Error::InvalidInput("keys.p256dh is not a P-256 public key", "INVALID_PUSH_KEYS")
        .With("field", "keys.p256dh");
  }
  const auto secret = crypto::Base64UrlDecode(auth);
  if (!secret || secret->size() != 16) {
    return Error::InvalidInput("keys.auth must be 16 bytes", "INVALID_PUSH_KEYS")
        .With("field", "keys.auth");
  }
  PushSubscription s;
  s.user_id = user.id;
  s.endpoint = std::string(endpoint);
  s.p256dh = crypto::Base64UrlEncode(*point);
  s.auth = crypto::Base64UrlEncode(*secret);
  s.created_at = clock_.NowMs();
  return store_.SavePushSubscription(s, policy_.subscriptions_per_user);
}

Status PushService::Unsubscribe(const User& user, std::string_view endpoint) {
  if (!store_.DeletePushSubscription(user.id, endpoint)) return Error::NotFound("Subscription");
  return Ok{};
}

void PushService::Enqueue(const Notification& n) {
  const std::string payload = boost::json::serialize(boost::json::object{
      {"id", n.id}, {"type", n.type}, {"title", n.title}, {"body", n.body}, {"link", n.link}});
  // A win is worth waking a phone for; the rest can wait for the next good moment.
  const std::string_view urgency = n.type == "clip_won" ? "high" : "normal";
  store_.EnqueuePush(n.user_id, payload, urgency, clock_.NowMs(), policy_.pending_per_subscription);
}

}  // namespace aimoviez
