// The rows several PostgreSQL repositories read (seasons, slots, clips, films): their columns and
// readers, shared so a clip reads the same wherever it appears. The column lists match the
// SQLite store's, so both backends fill the domain structs the same way.
#pragma once

#include <string_view>

#include "domain/ports.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

inline constexpr std::string_view kSeasonColumns =
    "SELECT id, label, genre, description, status, total_slots, voting_window_seconds, "
    "created_at, activated_at, finished_at FROM seasons ";
inline constexpr std::string_view kSlotColumns =
    "SELECT id, season_id, slot_position, status, genre, label, winner_clip_id, "
    "voting_started_at, voting_ends_at, locked_at FROM story_slots ";
inline constexpr std::string_view kClipColumns =
    "SELECT c.id, c.season_id, c.slot_position, c.user_id, "
    "CASE WHEN c.creator_deleted THEN 'deleted user' ELSE COALESCE(u.username, '') END, "
    "COALESCE(u.avatar_url, ''), c.title, c.description, c.genre, c.video_url, c.thumbnail_url, "
    "c.duration_ms, c.status, c.vote_count, c.weighted_score, c.view_count, c.created_at, "
    "c.processing_status, c.processing_progress, c.processing_error, c.source_key "
    "FROM tournament_clips c LEFT JOIN users u ON u.id = c.user_id ";
inline constexpr std::string_view kFilmColumns =
    "SELECT id, season_id, status, progress, error, video_url, chapters_json, duration_ms, "
    "created_at, updated_at FROM films ";

// The current time in the stores' unit, for columns the database stamps itself.
inline constexpr std::string_view kNowMs = "(extract(epoch FROM now()) * 1000)::bigint";

Season ReadSeason(const Rows& r, int i);
Slot ReadSlot(const Rows& r, int i);
Clip ReadClip(const Rows& r, int i);
Film ReadFilm(const Rows& r, int i);

// Every row of `rows`, read by `read`.
template <typename T, typename Reader>
std::vector<T> ReadAll(const Rows& rows, Reader read) {
  std::vector<T> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(read(rows, i));
  return out;
}

// The first row of `rows`, if any.
template <typename T, typename Reader>
std::optional<T> ReadFirst(const Rows& rows, Reader read) {
  if (rows.empty()) return std::nullopt;
  return read(rows, 0);
}

}  // namespace aimoviez::pg
