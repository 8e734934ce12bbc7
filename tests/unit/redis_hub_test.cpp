// The cluster hub: what one node publishes, or disconnects, reaches the other node's subscribers
// through a real Redis, once; its own subscribers hear it once, without the round trip.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "cluster/redis_hub.h"
#include "common/crypto.h"
#include "redis_support.h"

namespace aimoviez {
namespace {

using namespace std::chrono_literals;

class RecordingSubscriber final : public realtime::Subscriber {
 public:
  void Deliver(const realtime::Payload& message) override {
    std::lock_guard lock(mutex_);
    messages_.push_back(*message);
  }
  void Disconnect(int code, std::string_view reason) override {
    std::lock_guard lock(mutex_);
    closes_.push_back(std::to_string(code) + " " + std::string(reason));
  }
  std::vector<std::string> messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  std::vector<std::string> closes() const {
    std::lock_guard lock(mutex_);
    return closes_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> messages_;
  std::vector<std::string> closes_;
};

template <typename Condition>
bool WaitFor(Condition condition, std::chrono::milliseconds limit = 5000ms) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

class RedisHubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AIMOVIEZ_NEED_REDIS();
    const auto endpoint = redis::Endpoint::Parse(*testing::RedisServerUrl());
    const std::string bus = "test:live:" + crypto::ToHex(crypto::RandomBytes(6));
    node_a_ = std::make_unique<cluster::RedisHub>(endpoint, 2000ms, bus);
    node_b_ = std::make_unique<cluster::RedisHub>(endpoint, 2000ms, bus);
    ASSERT_TRUE(WaitFor([&] { return node_a_->relaying() && node_b_->relaying(); }));
  }

  std::unique_ptr<cluster::RedisHub> node_a_;
  std::unique_ptr<cluster::RedisHub> node_b_;
};

TEST_F(RedisHubTest, APublicationReachesTheOtherNodesSubscribersOnce) {
  auto on_a = std::make_shared<RecordingSubscriber>();
  auto on_b = std::make_shared<RecordingSubscriber>();
  auto elsewhere = std::make_shared<RecordingSubscriber>();
  node_a_->Subscribe("season", on_a);
  node_b_->Subscribe("season", on_b);
  node_b_->Subscribe("clip:9", elsewhere);

  node_a_->Publish("season", realtime::MakePayload(R"({"type":"tally","votes":64})"));
  ASSERT_TRUE(WaitFor([&] { return on_b->messages().size() == 1; }));
  EXPECT_EQ(on_b->messages()[0], R"({"type":"tally","votes":64})");
  // Give a duplicate time to arrive: none may.
  node_b_->Publish("season", realtime::MakePayload("second"));
  ASSERT_TRUE(WaitFor([&] { return on_a->messages().size() == 2; }));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(on_a->messages(),
            (std::vector<std::string>{R"({"type":"tally","votes":64})", "second"}));
  EXPECT_EQ(on_b->messages(),
            (std::vector<std::string>{R"({"type":"tally","votes":64})", "second"}));
  EXPECT_TRUE(elsewhere->messages().empty());
}

TEST_F(RedisHubTest, DisconnectingAChannelClosesItsSocketsOnEveryNode) {
  auto on_a = std::make_shared<RecordingSubscriber>();
  auto on_b = std::make_shared<RecordingSubscriber>();
  node_a_->Subscribe("session:abc", on_a);
  node_b_->Subscribe("session:abc", on_b);
  node_a_->DisconnectAll("session:abc", 4001, "signed out\nelsewhere");
  ASSERT_TRUE(WaitFor([&] { return on_b->closes().size() == 1; }));
  EXPECT_EQ(on_b->closes()[0], "4001 signed out\nelsewhere");
  EXPECT_EQ(on_a->closes().size(), 1u);
}

TEST(RedisHubOutage, WithoutRedisTheNodeStillServesItsOwnSubscribers) {
  cluster::RedisHub hub(redis::Endpoint::Parse("redis://127.0.0.1:1"), 300ms, "test:live:none");
  auto local = std::make_shared<RecordingSubscriber>();
  hub.Subscribe("season", local);
  hub.Publish("season", realtime::MakePayload("hello"));
  EXPECT_EQ(local->messages(), std::vector<std::string>{"hello"});
  EXPECT_TRUE(WaitFor([&] { return hub.dropped() == 1; }));
  EXPECT_FALSE(hub.relaying());
}

}  // namespace
}  // namespace aimoviez
