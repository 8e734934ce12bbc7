#include "engine/local/network_budget.h"

#include "common/time.h"

namespace aimoviez::engine {

namespace {

Error SignInToContinue(std::string reason, std::string message, int limit, EpochMs now) {
  return Error::AuthRequired(std::move(message))
      .With("reason", boost::json::string(reason))
      .With("limit", limit)
      .With("resetAt", boost::json::string(FormatIso8601(NextUtcDayStart(now))));
}

}  // namespace

Error NetworkBudgetRefusal(NetworkBudgetSpent spent, const NetworkBudgetPolicy& policy,
                           EpochMs now) {
  switch (spent) {
    case NetworkBudgetSpent::kDay:
      return SignInToContinue("NETWORK_DAILY_BUDGET",
                              "Your network has cast many anonymous votes today; sign in to keep "
                              "voting",
                              policy.per_day, now);
    case NetworkBudgetSpent::kClip:
      return SignInToContinue("NETWORK_CLIP_BUDGET",
                              "Many people on your network have voted for this clip today; sign "
                              "in to add your vote",
                              policy.per_clip, now);
    case NetworkBudgetSpent::kUnverifiedClip:
      break;
  }
  return SignInToContinue("UNVERIFIED_DEVICE_BUDGET",
                          "This browser does not keep our cookie, and enough votes without it "
                          "came from your network; allow cookies or sign in to vote",
                          policy.unverified_per_clip, now);
}

void NetworkBudget::Reset(EpochMs today) {
  day_ = today;
  per_clip_.clear();
  per_day_.clear();
  new_readers_.clear();
}

bool NetworkBudget::AdmitNewReader(std::uint64_t network, EpochMs now) {
  RollDay(now);
  int& readers = new_readers_[network];
  if (readers >= policy_.new_readers_per_day) return false;
  ++readers;
  return true;
}

void NetworkBudget::RollDay(EpochMs now) {
  const EpochMs today = UtcDayStart(now);
  if (today > day_) Reset(today);  // forward only, as a voter's day (a clock stepped back)
}

std::optional<Error> NetworkBudget::Refusal(std::uint64_t network, std::uint32_t clip,
                                            bool verified, EpochMs now) {
  RollDay(now);
  if (auto day = per_day_.find(network); day != per_day_.end() && day->second >= policy_.per_day) {
    return NetworkBudgetRefusal(NetworkBudgetSpent::kDay, policy_, now);
  }
  const auto it = per_clip_.find(ClipKey(network, clip));
  if (it == per_clip_.end()) return std::nullopt;
  if (it->second.all >= policy_.per_clip) {
    return NetworkBudgetRefusal(NetworkBudgetSpent::kClip, policy_, now);
  }
  if (!verified && it->second.unverified >= policy_.unverified_per_clip) {
    return NetworkBudgetRefusal(NetworkBudgetSpent::kUnverifiedClip, policy_, now);
  }
  return std::nullopt;
}

int NetworkBudget::Count(std::uint64_t network, std::uint32_t clip, bool verified, EpochMs now) {
  RollDay(now);
  ++per_day_[network];
  auto& count = per_clip_[ClipKey(network, clip)];
  ++count.all;
  if (!verified) ++count.unverified;
  return count.all;
}

void NetworkBudget::Uncount(std::uint64_t network, std::uint32_t clip, bool verified, EpochMs day) {
  if (day != day_) return;  // the day's counts are gone already
  if (auto it = per_day_.find(network); it != per_day_.end() && it->second > 0) --it->second;
  if (auto it = per_clip_.find(ClipKey(network, clip)); it != per_clip_.end()) {
    if (it->second.all > 0) --it->second.all;
    if (!verified && it->second.unverified > 0) --it->second.unverified;
  }
}

void NetworkBudget::Restore(std::uint64_t network, std::optional<std::uint32_t> clip,
                            bool verified) {
  ++per_day_[network];
  if (!clip) return;
  auto& count = per_clip_[ClipKey(network, *clip)];
  ++count.all;
  if (!verified) ++count.unverified;
}

}  // namespace aimoviez::engine
