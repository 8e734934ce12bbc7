// libFuzzer harness: WebSocket client messages through the live protocol, as one connection's
// stream: each input is split at newlines into messages, for a signed-in and an anonymous
// client. The subscription limit must hold whatever arrives.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "realtime/hub.h"
#include "realtime/live_client.h"

using namespace aimoviez;

namespace {

class NullSubscriber final : public realtime::Subscriber {
 public:
  void Deliver(const realtime::Payload&) override {}
  void Disconnect(int, std::string_view) override {}
};

void Feed(realtime::Hub& hub, std::optional<Id> user, std::string_view input) {
  const realtime::LiveLimits limits{4, 1000, 1000};
  const auto now = std::chrono::steady_clock::now();
  realtime::LiveClient client(hub, user, user ? "0123abcd" : "", limits, now);
  auto self = std::make_shared<NullSubscriber>();
  client.Attach(self);
  std::size_t pos = 0;
  while (pos <= input.size()) {
    const auto end = input.find('\n', pos);
    const auto message = input.substr(pos, end == std::string_view::npos ? end : end - pos);
    const auto action = client.OnMessage(message, self, now);
    if (client.subscription_count() > limits.max_subscriptions) std::abort();
    if (action.close_code != 0 || end == std::string_view::npos) break;
    pos = end + 1;
  }
  client.Detach();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static realtime::LocalHub hub;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Feed(hub, std::nullopt, input);
  Feed(hub, Id{42}, input);
  return 0;
}
