// How entities look on the wire. One function per entity so every endpoint renders a clip, a
// slot or a user the same way. Field names follow the spec's API (snake_case for entity
// columns, camelCase for envelope fields).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <optional>
#include <string_view>
#include <type_traits>

#include "common/json_writer.h"
#include "common/time.h"
#include "domain/catalog_service.h"
#include "domain/model.h"
#include "domain/season_service.h"
#include "domain/vote_types.h"

namespace aimoviez::http {

boost::json::value OptTime(const std::optional<EpochMs>& t);
boost::json::object UserJson(const User& u, bool include_private);
boost::json::object SeasonJson(const Season& s);
boost::json::object SlotJson(const Slot& s);
// A clip's fields in wire order; `field(name, value)` is called for each. ClipJson (a tree) and
// WriteFeedClip (streamed, for the feed) both come from this list, so they cannot drift apart.
template <typename Field>
void ForEachClipField(const Clip& c, Field&& field) {
  field("id", c.id);
  field("season_id", c.season_id);
  field("slot_position", c.slot_position);
  field("user_id", c.user_id);
  field("username", c.username);
  field("avatar_url", c.avatar_url);
  field("title", c.title);
  field("description", c.description);
  field("genre", c.genre);
  field("video_url", c.video_url);
  field("thumbnail_url", c.thumbnail_url);
  field("duration_ms", c.duration_ms);
  field("status", ToString(c.status));
  field("vote_count", c.vote_count);
  field("weighted_score", c.weighted_score);
  field("view_count", c.view_count);
  field("comment_count", c.comment_count);
  field("created_at", FormatIso8601(c.created_at));
  field("processing_status", ToString(c.processing));
  field("processing_progress", c.processing_progress);
  field("processing_error", c.processing_error);
}

boost::json::object ClipJson(const Clip& c);
// A feed clip, streamed: the same fields as ClipJson, with the counts of the feed answer and
// `comment_count`. The snapshot's other fields are rendered once per snapshot on each thread.
void WriteFeedClip(json::JsonWriter& w, const FeedClip& c, std::int64_t comment_count);
boost::json::object FlagJson(const FeatureFlag& f);
boost::json::object CommentJson(const Comment& c);
boost::json::object AuditJson(const AuditEntry& e);
boost::json::object GenreVoteJson(const GenreVoteView& v);
boost::json::object StorySeasonJson(const StorySeason& s);

}  // namespace aimoviez::http
