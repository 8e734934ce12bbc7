// How entities look on the wire. One function per entity so every endpoint renders a clip, a
// slot or a user the same way. Field names follow the spec's API (snake_case for entity
// columns, camelCase for envelope fields).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "domain/catalog_service.h"
#include "domain/model.h"
#include "domain/season_service.h"

namespace aimoviez::http {

boost::json::value OptTime(const std::optional<EpochMs>& t);
boost::json::object UserJson(const User& u, bool include_private);
boost::json::object SeasonJson(const Season& s);
boost::json::object SlotJson(const Slot& s);
boost::json::object ClipJson(const Clip& c);
boost::json::object FlagJson(const FeatureFlag& f);
boost::json::object CommentJson(const Comment& c);
boost::json::object AuditJson(const AuditEntry& e);
boost::json::object GenreVoteJson(const GenreVoteView& v);
boost::json::object StorySeasonJson(const StorySeason& s);

}  // namespace aimoviez::http
