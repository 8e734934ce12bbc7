#include "http/json_views.h"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <memory>
#include <string>
#include <unordered_map>

namespace aimoviez::http {

boost::json::value OptTime(const std::optional<EpochMs>& t) {
  if (!t) return nullptr;
  return boost::json::string(FormatIso8601(*t));
}

boost::json::object UserJson(const User& u, bool include_private) {
  boost::json::object o{{"id", u.id},
                        {"username", u.username.empty() ? boost::json::value(nullptr)
                                                        : boost::json::value(u.username)},
                        {"avatar_url", u.avatar_url},
                        {"created_at", FormatIso8601(u.created_at)}};
  if (include_private) {
    o["email"] = u.email;
    o["is_admin"] = u.is_admin;
    o["is_banned"] = u.is_banned;
  }
  return o;
}

boost::json::object SeasonJson(const Season& s) {
  return {{"id", s.id},
          {"label", s.label},
          {"genre", s.genre},
          {"description", s.description},
          {"status", ToString(s.status)},
          {"total_slots", s.total_slots},
          {"voting_window_seconds", s.voting_window_seconds},
          {"created_at", FormatIso8601(s.created_at)},
          {"activated_at", OptTime(s.activated_at)},
          {"finished_at", OptTime(s.finished_at)}};
}

boost::json::object SlotJson(const Slot& s) {
  return {{"id", s.id},
          {"season_id", s.season_id},
          {"slot_position", s.position},
          {"status", ToString(s.status)},
          {"genre", s.genre},
          {"label", s.label},
          {"winner_clip_id", s.winner_clip_id ? boost::json::value(*s.winner_clip_id) : nullptr},
          {"voting_started_at", OptTime(s.voting_started_at)},
          {"voting_ends_at", OptTime(s.voting_ends_at)},
          {"locked_at", OptTime(s.locked_at)}};
}

boost::json::object ClipJson(const Clip& c) {
  boost::json::object o;
  o.reserve(24);
  ForEachClipField(c, [&o](std::string_view name, const auto& value) {
    using T = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<T, std::optional<Id>>) {
      o.emplace(name, value ? boost::json::value(*value) : boost::json::value(nullptr));
    } else if constexpr (std::is_same_v<T, std::string_view>) {
      o.emplace(name, boost::json::string(value));
    } else {
      o.emplace(name, value);
    }
  });
  return o;
}

namespace {

// The fields a feed answer takes from the engine's counters and the comments, not the snapshot;
// WriteFeedClip writes them after the snapshot's, in this order.
constexpr json::JsonKey kCountFields[] = {"vote_count", "weighted_score", "view_count",
                                          "comment_count"};

bool IsCountField(std::string_view name) {
  return std::any_of(std::begin(kCountFields), std::end(kCountFields),
                     [name](const json::JsonKey& field) { return field.name() == name; });
}

// The snapshot's fields as object members, without braces.
std::string RenderSnapshotMembers(const Clip& c) {
  std::string text;
  json::JsonWriter w(text);
  w.BeginObject();
  ForEachClipField(c, [&w](std::string_view name, const auto& value) {
    if (!IsCountField(name)) w.EscapedKey(name).Value(value);
  });
  w.EndObject();
  return text.substr(1, text.size() - 2);
}

}  // namespace

void WriteFeedClip(json::JsonWriter& w, const FeedClip& c, std::int64_t comment_count) {
  // Rendering a clip's ~20 fields (escaping its URLs and texts, formatting its timestamp) was
  // most of the feed's cost, eight times per answer, though a snapshot never changes. Each thread
  // keeps the rendering next to the snapshot it came from: holding the snapshot keeps its address
  // from being reused, so a pointer comparison tells a stale rendering (after a reload) apart.
  struct Rendered {
    std::shared_ptr<const Clip> source;
    std::string members;
  };
  constexpr std::size_t kMaxRendered = 4096;  // a few rounds' clips; then start over
  thread_local std::unordered_map<Id, Rendered> rendered;
  if (rendered.size() >= kMaxRendered && !rendered.count(c.clip->id)) rendered.clear();
  Rendered& entry = rendered[c.clip->id];
  if (entry.source != c.clip) {
    entry.members = RenderSnapshotMembers(*c.clip);
    entry.source = c.clip;
  }
  w.BeginObject().Members(entry.members);
  const std::array<std::int64_t, std::size(kCountFields)> counts = {c.vote_count, c.weighted_score,
                                                                    c.view_count, comment_count};
  for (std::size_t i = 0; i < counts.size(); ++i) w.Key(kCountFields[i]).Int(counts[i]);
  w.EndObject();
}

boost::json::object CommentJson(const Comment& c) {
  return {{"id", c.id},
          {"clipId", c.clip_id},
          {"parentCommentId", c.parent_id ? boost::json::value(*c.parent_id) : nullptr},
          {"text", c.text},
          {"likesCount", c.likes},
          {"likedByMe", c.liked_by_me},
          {"status", ToString(c.status)},
          {"user", {{"id", c.user_id}, {"username", c.username}, {"avatar_url", c.avatar_url}}},
          {"createdAt", FormatIso8601(c.created_at)}};
}

boost::json::object FlagJson(const FeatureFlag& f) {
  return {{"key", f.key},
          {"enabled", f.enabled},
          {"description", f.description},
          {"category", f.category},
          {"updated_at", f.updated_at ? boost::json::value(FormatIso8601(f.updated_at)) : nullptr}};
}

boost::json::object AuditJson(const AuditEntry& e) {
  boost::system::error_code ec;
  auto details = boost::json::parse(e.details_json, ec);
  return {{"id", e.id},
          {"action", e.action},
          {"resource_type", e.resource_type},
          {"resource_id", e.resource_id},
          {"admin_email", e.admin_email},
          {"details", ec ? boost::json::value(boost::json::object{}) : details},
          {"created_at", FormatIso8601(e.created_at)}};
}

boost::json::object GenreVoteJson(const GenreVoteView& v) {
  boost::json::array genres;
  for (const auto& t : v.tallies) {
    const double pct =
        v.total_votes ? 100.0 * static_cast<double>(t.votes) / static_cast<double>(v.total_votes)
                      : 0.0;
    genres.push_back(
        {{"genre", t.genre}, {"votes", t.votes}, {"percentage", std::round(pct * 10) / 10}});
  }
  return {{"votingOpen", v.voting_open},
          {"round", v.round},
          {"totalVotes", v.total_votes},
          {"genres", std::move(genres)},
          {"myVote", v.my_vote ? boost::json::value(*v.my_vote) : nullptr}};
}

boost::json::object StorySeasonJson(const StorySeason& s) {
  auto season = SeasonJson(s.season);
  boost::json::array slots;
  int locked = 0;
  boost::json::value current = nullptr;
  for (const auto& slot : s.slots) {
    auto o = SlotJson(slot);
    if (slot.winner_clip_id) {
      auto it = s.winners.find(*slot.winner_clip_id);
      if (it != s.winners.end()) o["winner"] = ClipJson(it->second);
    }
    if (slot.status == SlotStatus::kLocked) ++locked;
    if (slot.status == SlotStatus::kVoting || slot.status == SlotStatus::kWaitingForClips) {
      current = slot.position;
      o["clip_count"] = s.clips_in_open_slot;
    }
    slots.push_back(std::move(o));
  }
  season["slots"] = std::move(slots);
  season["locked_slots"] = locked;
  season["current_slot"] = current;
  return season;
}

}  // namespace aimoviez::http
