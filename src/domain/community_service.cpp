#include "domain/community_service.h"

#include <charconv>
#include <limits>
#include <unordered_map>

namespace aimoviez {

std::optional<Period> ParsePeriod(std::string_view s) {
  if (s == "day" || s == "daily" || s == "today") return Period::kDay;
  if (s == "week" || s == "weekly") return Period::kWeek;
  if (s == "all" || s == "all-time" || s.empty()) return Period::kAll;
  return std::nullopt;
}

namespace {
EpochMs PeriodStart(Period p, EpochMs now) {
  switch (p) {
    case Period::kDay:
      return UtcDayStart(now);
    case Period::kWeek:
      return now - 7LL * 86'400'000;
    case Period::kAll:
      return 0;
  }
  return 0;
}

// The window the trend compares with: the day before, the seven days before, or (all time) the
// standings as they were a day ago.
std::pair<EpochMs, EpochMs> PreviousWindow(Period p, EpochMs now) {
  constexpr EpochMs kDay = 86'400'000;
  switch (p) {
    case Period::kDay:
      return {UtcDayStart(now) - kDay, UtcDayStart(now)};
    case Period::kWeek:
      return {now - 14 * kDay, now - 7 * kDay};
    case Period::kAll:
      return {0, now - kDay};
  }
  return {0, 0};
}

// Cursor "<votes>:<id>:<rank>" — the last row of the previous page and its rank.
bool ParseCursor(const std::string& text, RankCursor& cursor, int& rank) {
  std::int64_t parts[3] = {0, 0, 0};
  std::size_t pos = 0;
  for (int i = 0; i < 3; ++i) {
    const auto end = i < 2 ? text.find(':', pos) : text.size();
    if (end == std::string::npos) return false;
    auto [p, ec] = std::from_chars(text.data() + pos, text.data() + end, parts[i]);
    if (ec != std::errc() || p != text.data() + end || parts[i] < 0) return false;
    pos = end + 1;
  }
  cursor = RankCursor{parts[0], parts[1]};
  rank = static_cast<int>(parts[2]);
  return true;
}
}  // namespace

Result<LeaderPage> CommunityService::Leaderboard(CommunityReadRepository::Board board,
                                                 Period period, const std::string& cursor_text,
                                                 int limit) {
  std::optional<RankCursor> cursor;
  int rank = 0;
  if (!cursor_text.empty()) {
    RankCursor c;
    if (!ParseCursor(cursor_text, c, rank)) {
      return Error::InvalidInput("cursor is invalid").With("field", "cursor");
    }
    cursor = c;
  }
  const EpochMs now = clock_.NowMs();
  const std::string key = std::to_string(static_cast<int>(board)) + "|" +
                          std::to_string(static_cast<int>(period)) + "|" + cursor_text + "|" +
                          std::to_string(limit);
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(key);
    // Fresh only within the TTL after it was made: not "until the clock passes it again" when the
    // clock was stepped back.
    if (it != cache_.end() && now >= it->second.first && now - it->second.first < cache_ttl_ms_) {
      return it->second.second;
    }
  }
  LeaderPage page;
  constexpr EpochMs kNoEnd = std::numeric_limits<EpochMs>::max();
  const auto ranked = store_.TopRanked(board, PeriodStart(period, now), kNoEnd, cursor, limit + 1);
  const auto [previous_since, previous_until] = PreviousWindow(period, now);
  std::unordered_map<Id, int> previous_ranks;
  int previous_rank = 0;
  for (const auto& entry :
       store_.TopRanked(board, previous_since, previous_until, std::nullopt, kTrendDepth)) {
    previous_ranks.emplace(entry.id, ++previous_rank);
  }
  for (std::size_t i = 0; i < ranked.size() && static_cast<int>(i) < limit; ++i) {
    LeaderRow row;
    row.rank = ++rank;
    row.votes = ranked[i].score;
    if (auto it = previous_ranks.find(ranked[i].id); it != previous_ranks.end()) {
      row.previous_rank = it->second;
    }
    if (board == CommunityReadRepository::Board::kClips) {
      row.clip = store_.FindClip(ranked[i].id);
      if (row.clip && row.clip->user_id) row.user = store_.FindUser(*row.clip->user_id);
    } else {
      row.user = store_.FindUser(ranked[i].id);
    }
    page.rows.push_back(std::move(row));
  }
  if (static_cast<int>(ranked.size()) > limit) {
    const auto& last = ranked[static_cast<std::size_t>(limit - 1)];
    page.next_cursor =
        std::to_string(last.score) + ":" + std::to_string(last.id) + ":" + std::to_string(rank);
  }
  std::lock_guard lock(mutex_);
  if (cache_.size() > 512) cache_.clear();
  cache_[key] = {now, page};
  return page;
}

std::string_view CommunityService::Trend(int rank, std::optional<int> previous_rank) {
  if (!previous_rank) return "new";
  if (rank < *previous_rank) return "up";
  if (rank > *previous_rank) return "down";
  return "same";
}

int CommunityService::StreakFromDays(const std::vector<std::int64_t>& days_desc,
                                     std::int64_t today) {
  if (days_desc.empty() || days_desc.front() < today - 1) return 0;
  int streak = 1;
  for (std::size_t i = 1; i < days_desc.size() && days_desc[i] == days_desc[i - 1] - 1; ++i) {
    ++streak;
  }
  return streak;
}

Profile CommunityService::ProfileOf(const User& user) {
  const EpochMs now = clock_.NowMs();
  Profile p;
  p.stats = store_.StatsFor(user.id, UtcDayStart(now));
  p.streak_days = StreakFromDays(p.stats.vote_days, now / 86'400'000);
  return p;
}

}  // namespace aimoviez
