#include "app/push_sender.h"

#include <spdlog/spdlog.h>

#include <boost/url/parse.hpp>

#include "common/crypto.h"
#include "common/net_address.h"
#include "common/thread_name.h"
#include "common/web_push_crypto.h"

namespace aimoviez {

namespace {

constexpr int kBatch = 50;
constexpr std::int64_t kJwtLifetimeSeconds = 12 * 3600;
constexpr std::chrono::seconds kRequestTimeout{10};

// The JWT audience: the push service's origin.
std::string OriginOf(std::string_view endpoint) {
  auto url = boost::urls::parse_absolute_uri(endpoint);
  if (!url) return "";
  return std::string(url->scheme()) + "://" + std::string(url->encoded_authority());
}

}  // namespace

PushSender::PushSender(Store& store, const Clock& clock, net::HttpFetcher& fetcher,
                       PushSenderSettings settings)
    : store_(store), clock_(clock), fetcher_(fetcher), settings_(std::move(settings)) {
  const auto key = webpush::PublicKeyOf(settings_.vapid_private_pem);
  if (!key) throw std::runtime_error("the VAPID key is not a P-256 private key");
  public_key_ = crypto::Base64UrlEncode(*key);
}

PushSender::~PushSender() {
  Stop();
}

void PushSender::Start() {
  thread_ = std::thread([this] {
    NameThisThread("push");
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      try {
        while (DeliverDue(kBatch) == kBatch) {
        }
      } catch (const std::exception& e) {
        spdlog::error(R"({{"msg":"push delivery failed","error":"{}"}})", e.what());
      }
      lock.lock();
      cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    }
  });
}

void PushSender::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int PushSender::DeliverDue(int limit) {
  // Claimed for long enough to send the whole batch, each request at its timeout; a node that
  // dies meanwhile leaves its claims to be retried by any sender once they lapse.
  const EpochMs lease_ms = (limit + 6) * std::chrono::milliseconds(kRequestTimeout).count();
  const auto due = store_.ClaimDuePushDeliveries(clock_.NowMs(), lease_ms, limit);
  for (const auto& d : due) Deliver(d);
  return static_cast<int>(due.size());
}

void PushSender::Deliver(const PushDelivery& d) {
  const EpochMs now = clock_.NowMs();
  const std::int64_t age_seconds = (now - d.created_at) / 1000;
  if (age_seconds >= settings_.ttl_seconds) {
    store_.DeletePushDelivery(d.id);  // too old to be worth showing
    return;
  }
  const auto p256dh = crypto::Base64UrlDecode(d.subscription.p256dh);
  const auto auth = crypto::Base64UrlDecode(d.subscription.auth);
  std::optional<std::string> body;
  if (p256dh && auth) body = webpush::EncryptPayload(*p256dh, *auth, d.payload);
  const auto jwt = webpush::VapidJwt(settings_.vapid_private_pem, OriginOf(d.subscription.endpoint),
                                     now / 1000 + kJwtLifetimeSeconds, settings_.subject);
  if (!body || !jwt) {
    store_.DeletePushSubscriptionById(d.subscription.id);  // keys no browser could use
    return;
  }
  net::FetchRequest request;
  request.method = "POST";
  request.url = d.subscription.endpoint;
  request.body = std::move(*body);
  request.timeout = kRequestTimeout;
  request.max_response_bytes = 16 * 1024;
  request.headers = {
      {"Content-Type", "application/octet-stream"},
      {"Content-Encoding", "aes128gcm"},
      // What is left of the TTL, so a retried message expires when the first would have.
      {"TTL", std::to_string(settings_.ttl_seconds - age_seconds)},
      {"Urgency", d.urgency},
      {"Authorization", "vapid t=" + *jwt + ", k=" + public_key_},
  };
  const bool loopback_ok = settings_.allow_loopback;
  request.allow_address = [loopback_ok](std::string_view ip) {
    return net::IsPublicAddress(ip) || (loopback_ok && net::IsLoopbackAddress(ip));
  };
  const auto response = fetcher_.Fetch(request);
  if (response.status >= 200 && response.status < 300) {
    store_.DeletePushDelivery(d.id);
  } else if (response.status == 404 || response.status == 410) {
    spdlog::info(R"({{"msg":"push subscription gone","status":{}}})", response.status);
    store_.DeletePushSubscriptionById(d.subscription.id);
  } else if (response.status == 400 || response.status == 403 || response.status == 413) {
    spdlog::warn(R"({{"msg":"push refused","status":{}}})", response.status);
    store_.DeletePushDelivery(d.id);
  } else {
    Retry(d, response.status == 0 ? response.error : std::to_string(response.status));
  }
}

void PushSender::Retry(const PushDelivery& d, std::string_view why) {
  const int attempts = d.attempts + 1;
  if (attempts >= settings_.max_attempts) {
    store_.DeletePushDelivery(d.id);
    return;
  }
  EpochMs delay = settings_.first_retry_ms;
  for (int i = 1; i < attempts; ++i) delay *= 4;
  spdlog::info(R"({{"msg":"push retry","attempt":{},"delay_ms":{},"why":"{}"}})", attempts, delay,
               why.substr(0, 120));
  store_.ReschedulePushDelivery(d.id, attempts, clock_.NowMs() + delay);
}

}  // namespace aimoviez
