// The Web Push delivery worker: drains the durable queue once a second, encrypting each payload
// for its browser (RFC 8291), signing a VAPID JWT (RFC 8292) and POSTing it to the push service
// (RFC 8030) with TTL and Urgency. 2xx: delivered. 404/410: the subscription is gone and removed.
// 429, 5xx or no answer: retried with exponential backoff until max_attempts or the TTL runs
// out. Requests go only to public addresses (loopback too when allowed), checked after DNS.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/time.h"
#include "domain/ports.h"
#include "net/http_fetcher.h"

namespace aimoviez {

struct PushSenderSettings {
  std::string vapid_private_pem;
  std::string subject;  // the VAPID "sub" claim
  std::int64_t ttl_seconds = 86'400;
  bool allow_loopback = false;
  int max_attempts = 6;
  EpochMs first_retry_ms = 30'000;  // then 4x each attempt: 30 s, 2 min, 8 min, ...
};

class PushSender {
 public:
  PushSender(Store& store, const Clock& clock, net::HttpFetcher& fetcher,
             PushSenderSettings settings);
  ~PushSender();

  // Sends up to `limit` due deliveries; returns how many were attempted.
  int DeliverDue(int limit);
  void Start();
  void Stop();

 private:
  void Deliver(const PushDelivery& d);
  void Retry(const PushDelivery& d, std::string_view why);

  Store& store_;
  const Clock& clock_;
  net::HttpFetcher& fetcher_;
  PushSenderSettings settings_;
  std::string public_key_;  // base64url
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

}  // namespace aimoviez
