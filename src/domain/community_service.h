// Leaderboards (spec 4.6: top clips, voters, creators; today / this week / all time; keyset
// pagination) and the signed-in user's profile (stats, streak, clips, recent votes). Read-only.
// Leaderboard pages are cached briefly: they aggregate many vote rows and change slowly.
#pragma once

#include <map>
#include <mutex>

#include "domain/errors.h"
#include "domain/ports.h"

namespace aimoviez {

enum class Period { kDay, kWeek, kAll };
std::optional<Period> ParsePeriod(std::string_view s);

struct LeaderRow {
  int rank = 0;
  // The rank in the period before (the day before, the week before; for all time, as of a day
  // ago); nullopt when the entry was not among the ranked then (new, or beyond kTrendDepth).
  std::optional<int> previous_rank;
  std::int64_t votes = 0;
  std::optional<Clip> clip;  // clips board
  std::optional<User> user;  // voters and creators boards (and the clip's creator)
};

struct LeaderPage {
  std::vector<LeaderRow> rows;
  std::optional<std::string> next_cursor;  // "<votes>:<id>:<rank>"
};

struct Profile {
  ProfileStats stats;
  int streak_days = 0;  // consecutive UTC days with a vote, ending today or yesterday
};

class CommunityService {
 public:
  CommunityService(Store& store, const Clock& clock, EpochMs cache_ttl_ms = 15'000)
      : store_(store), clock_(clock), cache_ttl_ms_(cache_ttl_ms) {}

  Result<LeaderPage> Leaderboard(CommunityReadRepository::Board board, Period period,
                                 const std::string& cursor, int limit);
  Profile ProfileOf(const User& user);
  std::vector<VoteHistoryEntry> History(const User& user, int limit) {
    return store_.VoteHistory(user.id, limit);
  }
  std::vector<Clip> ClipsOf(const User& user) {
    return store_.ListClips(ClipQuery{std::nullopt, std::nullopt, std::nullopt, user.id, 200, 0});
  }

  // How many places of the previous period are looked up for trend arrows.
  static constexpr int kTrendDepth = 1000;
  // "up", "down", "same", or "new" when there is no previous rank.
  static std::string_view Trend(int rank, std::optional<int> previous_rank);

  static int StreakFromDays(const std::vector<std::int64_t>& days_desc, std::int64_t today);

 private:
  Store& store_;
  const Clock& clock_;
  EpochMs cache_ttl_ms_;
  std::mutex mutex_;
  std::map<std::string, std::pair<EpochMs, LeaderPage>> cache_;
};

}  // namespace aimoviez
