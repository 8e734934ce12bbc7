#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "realtime/hub.h"
#include "realtime/live_client.h"

namespace aimoviez::realtime {
namespace {

struct Recorder final : Subscriber {
  std::vector<Payload> got;
  int closed_with = 0;
  void Deliver(const Payload& message) override { got.push_back(message); }
  void Disconnect(int code, std::string_view) override { closed_with = code; }
};

using Clock = std::chrono::steady_clock;

std::string Field(const std::string& json, const char* name) {
  const auto v = boost::json::parse(json);
  const auto* f = v.as_object().if_contains(name);
  return f && f->is_string() ? std::string(f->as_string()) : "";
}

std::string Sub(std::string_view channel) {
  return std::string(R"({"type":"subscribe","channel":")") + std::string(channel) + "\"}";
}

TEST(LiveHub, EverySubscriberSharesOnePayloadAndUnsubscribedOnesGetNothing) {
  LocalHub hub;
  auto a = std::make_shared<Recorder>();
  auto b = std::make_shared<Recorder>();
  hub.Subscribe("tallies", a);
  hub.Subscribe("tallies", b);
  hub.Subscribe("tallies", b);  // twice is still once
  EXPECT_EQ(hub.SubscriberCount("tallies"), 2u);
  const auto payload = MakePayload("x");
  hub.Publish("tallies", payload);
  ASSERT_EQ(a->got.size(), 1u);
  ASSERT_EQ(b->got.size(), 1u);
  EXPECT_EQ(a->got[0].get(), b->got[0].get());  // the same bytes, not copies
  hub.Unsubscribe("tallies", b.get());
  hub.Publish("tallies", payload);
  hub.Publish("season", payload);
  EXPECT_EQ(a->got.size(), 2u);
  EXPECT_EQ(b->got.size(), 1u);
  hub.Unsubscribe("tallies", a.get());
  EXPECT_EQ(hub.SubscriberCount("tallies"), 0u);
}

TEST(LiveClient, ResolvesChannelsAndRefusesUnknownOnes) {
  LocalHub hub;
  auto self = std::make_shared<Recorder>();
  const auto now = Clock::now();
  LiveClient anonymous(hub, std::nullopt, "", LiveLimits{}, now);
  EXPECT_EQ(Field(anonymous.OnMessage(Sub("tallies"), self, now).reply, "type"), "subscribed");
  EXPECT_EQ(Field(anonymous.OnMessage(Sub("comments:42"), self, now).reply, "type"), "subscribed");
  EXPECT_EQ(hub.SubscriberCount("comments:42"), 1u);
  EXPECT_EQ(Field(anonymous.OnMessage(Sub("comments:042"), self, now).reply, "code"),
            "UNKNOWN_CHANNEL");
  EXPECT_EQ(Field(anonymous.OnMessage(Sub("comments:-1"), self, now).reply, "code"),
            "UNKNOWN_CHANNEL");
  EXPECT_EQ(Field(anonymous.OnMessage(Sub("user:1"), self, now).reply, "code"), "UNKNOWN_CHANNEL");
  EXPECT_EQ(Field(anonymous.OnMessage(Sub("me"), self, now).reply, "code"), "AUTH_REQUIRED");
  EXPECT_EQ(Field(anonymous.OnMessage("[1,2]", self, now).reply, "code"), "BAD_MESSAGE");
  EXPECT_EQ(Field(anonymous.OnMessage(R"({"type":"dance"})", self, now).reply, "code"),
            "BAD_MESSAGE");

  LiveClient signed_in(hub, Id{7}, "hash-7", LiveLimits{}, now);
  EXPECT_EQ(Field(signed_in.OnMessage(Sub("me"), self, now).reply, "channel"), "me");
  EXPECT_EQ(hub.SubscriberCount(UserChannel(7)), 1u);
  signed_in.Detach();
  EXPECT_EQ(hub.SubscriberCount(UserChannel(7)), 0u);
}

TEST(LiveClient, LimitsSubscriptionsAndLeavesEveryChannelOnDetach) {
  LocalHub hub;
  auto self = std::make_shared<Recorder>();
  const auto now = Clock::now();
  LiveLimits limits;
  limits.max_subscriptions = 2;
  {
    LiveClient client(hub, std::nullopt, "", limits, now);
    client.OnMessage(Sub("comments:1"), self, now);
    client.OnMessage(Sub("comments:2"), self, now);
    EXPECT_EQ(Field(client.OnMessage(Sub("comments:3"), self, now).reply, "code"),
              "SUBSCRIPTION_LIMIT");
    EXPECT_EQ(Field(client.OnMessage(Sub("comments:2"), self, now).reply, "type"), "subscribed");
    client.OnMessage(R"({"type":"unsubscribe","channel":"comments:1"})", self, now);
    EXPECT_EQ(hub.SubscriberCount("comments:1"), 0u);
    EXPECT_EQ(Field(client.OnMessage(Sub("comments:3"), self, now).reply, "type"), "subscribed");
  }
  // Destroyed without an explicit Detach: the hub holds nothing of it.
  EXPECT_EQ(hub.SubscriberCount("comments:2"), 0u);
  EXPECT_EQ(hub.SubscriberCount("comments:3"), 0u);
  EXPECT_EQ(self.use_count(), 1);
}

TEST(LiveClient, AFloodClosesWith1008ButASteadyPaceDoesNot) {
  LocalHub hub;
  auto self = std::make_shared<Recorder>();
  auto now = Clock::now();
  LiveLimits limits;
  limits.burst = 10;
  limits.per_second = 2;
  LiveClient client(hub, std::nullopt, "", limits, now);
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(client.OnMessage(R"({"type":"ping"})", self, now).close_code, 0);
  EXPECT_EQ(client.OnMessage(R"({"type":"ping"})", self, now).close_code, 1008);

  LiveClient steady(hub, std::nullopt, "", limits, now);
  for (int i = 0; i < 100; ++i) {
    now += std::chrono::milliseconds(500);
    EXPECT_EQ(steady.OnMessage(R"({"type":"ping"})", self, now).close_code, 0);
  }
}

}  // namespace
}  // namespace aimoviez::realtime

namespace aimoviez::realtime {
namespace {

TEST(LiveClient, ASignedInConnectionClosesWhenItsSessionOrAccountEnds) {
  LocalHub hub;
  const auto now = Clock::now();
  auto phone = std::make_shared<Recorder>();
  auto laptop = std::make_shared<Recorder>();
  auto visitor = std::make_shared<Recorder>();
  LiveClient phone_client(hub, Id{7}, "hash-phone", LiveLimits{}, now);
  LiveClient laptop_client(hub, Id{7}, "hash-laptop", LiveLimits{}, now);
  LiveClient visitor_client(hub, std::nullopt, "", LiveLimits{}, now);
  phone_client.Attach(phone);
  laptop_client.Attach(laptop);
  visitor_client.Attach(visitor);
  // Control channels are not the client's subscriptions and cannot be asked for.
  EXPECT_EQ(phone_client.subscription_count(), 0u);
  const auto refused =
      phone_client.OnMessage(Sub(SessionControlChannel("hash-laptop")), phone, now);
  EXPECT_NE(refused.reply.find("error"), std::string::npos);

  hub.DisconnectAll(SessionControlChannel("hash-phone"), kCloseSessionEnded, "signed out");
  EXPECT_EQ(phone->closed_with, kCloseSessionEnded);
  EXPECT_EQ(laptop->closed_with, 0);
  hub.DisconnectAll(AccountControlChannel(7), kCloseSessionEnded, "signed out");
  EXPECT_EQ(laptop->closed_with, kCloseSessionEnded);
  EXPECT_EQ(visitor->closed_with, 0);

  laptop_client.Detach();
  EXPECT_EQ(hub.SubscriberCount(AccountControlChannel(7)), 1u);  // the phone's, until it detaches
}

}  // namespace
}  // namespace aimoviez::realtime
