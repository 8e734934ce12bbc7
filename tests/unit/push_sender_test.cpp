// The Web Push worker's decisions on each push service answer, against a real store: delivered
// (2xx) is removed, a gone subscription (404/410) is removed with its deliveries, a refused
// message (400/403/413) is dropped, anything else is retried 30 s, 2 min, 8 min … later until
// max_attempts, and a message past its TTL is never sent. The push service is a scripted fetcher
// here; tests/http/webpush.test.mjs delivers to a real one over HTTP.
#include <gtest/gtest.h>

#include <deque>

#include "app/push_sender.h"
#include "common/crypto.h"
#include "common/web_push_crypto.h"
#include "test_support.h"

namespace aimoviez {
namespace {

class ScriptedPushService final : public net::HttpFetcher {
 public:
  net::FetchResponse Fetch(const net::FetchRequest& request) override {
    requests.push_back(request);
    net::FetchResponse response;
    if (!answers.empty()) {
      response.status = answers.front();
      answers.pop_front();
    }
    if (response.status == 0) response.error = "connection refused";
    return response;
  }
  std::deque<int> answers;  // statuses in order; 0 is "no answer"
  std::vector<net::FetchRequest> requests;
};

class PushSenderTest : public testing::StoreTest {
 protected:
  PushSenderTest() {
    const auto user = store_->CreateUser("push@example.com", "pushed", clock_.NowMs());
    user_id_ = user.value().id;
    PushSubscription s;
    s.user_id = user_id_;
    s.endpoint = "https://push.example.net/send/abc";
    s.p256dh = crypto::Base64UrlEncode(*webpush::PublicKeyOf(webpush::GenerateVapidKeyPem()));
    s.auth = crypto::Base64UrlEncode(crypto::RandomBytes(16));
    s.created_at = clock_.NowMs();
    subscription_ = store_->SavePushSubscription(s, 5);
    settings_.vapid_private_pem = webpush::GenerateVapidKeyPem();
    settings_.subject = "mailto:ops@example.com";
    settings_.ttl_seconds = 3600;
    settings_.max_attempts = 3;
  }

  void Enqueue() {
    store_->EnqueuePush(user_id_, R"({"title":"Won"})", "high", clock_.NowMs(), 10);
  }
  std::size_t Pending(EpochMs at) { return store_->DuePushDeliveries(at, 100).size(); }

  Id user_id_ = 0;
  PushSubscription subscription_;
  PushSenderSettings settings_;
  ScriptedPushService service_;
};

TEST_F(PushSenderTest, ADeliveredMessageIsSentOnceWithItsHeaders) {
  Enqueue();
  service_.answers = {201};
  PushSender sender(*store_, clock_, service_, settings_);
  EXPECT_EQ(sender.DeliverDue(10), 1);
  ASSERT_EQ(service_.requests.size(), 1u);
  const auto& request = service_.requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, subscription_.endpoint);
  auto header = [&](std::string_view name) {
    for (const auto& [k, v] : request.headers) {
      if (k == name) return v;
    }
    return std::string();
  };
  EXPECT_EQ(header("Content-Encoding"), "aes128gcm");
  EXPECT_EQ(header("Urgency"), "high");
  EXPECT_EQ(header("TTL"), "3600");
  EXPECT_TRUE(header("Authorization").starts_with("vapid t="));
  EXPECT_FALSE(request.allow_address("127.0.0.1")) << "loopback only when allowed";
  EXPECT_TRUE(request.allow_address("8.8.8.8"));
  EXPECT_EQ(Pending(clock_.NowMs() + 86'400'000), 0u);
  EXPECT_EQ(sender.DeliverDue(10), 0);
}

TEST_F(PushSenderTest, AGoneSubscriptionIsRemoved) {
  Enqueue();
  Enqueue();
  service_.answers = {410};
  PushSender sender(*store_, clock_, service_, settings_);
  sender.DeliverDue(1);
  EXPECT_TRUE(store_->ListPushSubscriptions(user_id_).empty());
  EXPECT_EQ(Pending(clock_.NowMs()), 0u) << "its other deliveries went with it";
}

TEST_F(PushSenderTest, ARefusedMessageIsDroppedAndTheSubscriptionKept) {
  Enqueue();
  service_.answers = {413};
  PushSender sender(*store_, clock_, service_, settings_);
  sender.DeliverDue(10);
  EXPECT_EQ(Pending(clock_.NowMs() + 86'400'000), 0u);
  EXPECT_EQ(store_->ListPushSubscriptions(user_id_).size(), 1u);
}

TEST_F(PushSenderTest, FailuresAreRetriedWithGrowingDelaysUpToMaxAttempts) {
  Enqueue();
  service_.answers = {503, 0, 429};
  PushSender sender(*store_, clock_, service_, settings_);
  EXPECT_EQ(sender.DeliverDue(10), 1);  // 503: again in 30 s
  EXPECT_EQ(Pending(clock_.NowMs() + 29'999), 0u);
  clock_.Advance(30'000);
  EXPECT_EQ(sender.DeliverDue(10), 1);  // no answer: again in 2 min
  EXPECT_EQ(Pending(clock_.NowMs() + 119'999), 0u);
  clock_.Advance(120'000);
  // The TTL sent is what is left of the first one.
  EXPECT_EQ(sender.DeliverDue(10), 1);  // 429 on the third attempt: max_attempts, dropped
  ASSERT_EQ(service_.requests.size(), 3u);
  for (const auto& [k, v] : service_.requests[2].headers) {
    if (k == "TTL") EXPECT_EQ(v, "3450");
  }
  EXPECT_EQ(Pending(clock_.NowMs() + 86'400'000), 0u);
  EXPECT_EQ(store_->ListPushSubscriptions(user_id_).size(), 1u);
}

TEST_F(PushSenderTest, AMessagePastItsTtlIsNeverSent) {
  Enqueue();
  clock_.Advance(3600 * 1000);
  PushSender sender(*store_, clock_, service_, settings_);
  sender.DeliverDue(10);
  EXPECT_TRUE(service_.requests.empty());
  EXPECT_EQ(Pending(clock_.NowMs() + 86'400'000), 0u);
}

}  // namespace
}  // namespace aimoviez
