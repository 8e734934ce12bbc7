// The rows most repositories read (users, seasons, slots, clips, films, uploads): their columns
// and readers, shared so a clip reads the same in the catalogue, the leaderboards and comments.
#pragma once

#include <optional>
#include <string_view>

#include "domain/ports.h"
#include "storage/sqlite/database.h"

namespace aimoviez::sqlite {

inline constexpr std::string_view kUserColumns =
    "SELECT id, COALESCE(email, ''), COALESCE(username, ''), avatar_url, is_admin, is_banned, "
    "created_at "
    "FROM users ";
inline constexpr std::string_view kSeasonColumns =
    "SELECT id, label, genre, description, status, total_slots, voting_window_seconds, "
    "created_at, activated_at, finished_at FROM seasons ";
inline constexpr std::string_view kSlotColumns =
    "SELECT id, season_id, slot_position, status, genre, label, winner_clip_id, "
    "voting_started_at, voting_ends_at, locked_at FROM story_slots ";
inline constexpr std::string_view kClipColumns =
    "SELECT c.id, c.season_id, c.slot_position, c.user_id, "
    "CASE WHEN c.creator_deleted = 1 THEN 'deleted user' ELSE COALESCE(u.username, '') END, "
    "COALESCE(u.avatar_url, ''), c.title, c.description, c.genre, c.video_url, c.thumbnail_url, "
    "c.duration_ms, c.status, c.vote_count, c.weighted_score, c.view_count, c.created_at, "
    "c.processing_status, c.processing_progress, c.processing_error, c.source_key "
    "FROM tournament_clips c LEFT JOIN users u ON u.id = c.user_id ";
inline constexpr std::string_view kFilmColumns =
    "SELECT id, season_id, status, progress, error, video_url, chapters_json, duration_ms, "
    "created_at, updated_at FROM films ";
inline constexpr std::string_view kUploadColumns =
    "SELECT id, object_key, user_id, declared_size, content_type, status, received_bytes, "
    "clip_id, expires_at, created_at, updated_at FROM uploads ";
inline constexpr std::string_view kClipFilter =
    "WHERE (?1 IS NULL OR c.season_id = ?1) AND (?2 IS NULL OR c.slot_position = ?2) "
    "AND (?3 IS NULL OR c.status = ?3) AND (?4 IS NULL OR c.user_id = ?4) ";

User ReadUser(const Statement& st);
Season ReadSeason(const Statement& st);
Slot ReadSlot(const Statement& st);
Clip ReadClip(const Statement& st);
Film ReadFilm(const Statement& st);
Upload ReadUpload(const Statement& st);
std::optional<Id> SeasonRef(Id season_id);
void BindClipFilter(Statement& st, const ClipQuery& q);

}  // namespace aimoviez::sqlite
