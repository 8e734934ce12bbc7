// Verifiable rounds (docs/VERIFIABILITY.md): each closed round's published log, its leaves for a
// recount, a receipt's inclusion proof, and the season log with consistency proofs. Public and
// read-only: anyone may audit.
#include <boost/json/parse.hpp>

#include "common/crypto.h"
#include "common/merkle.h"
#include "http/handlers.h"

namespace aimoviez::http {

namespace {

constexpr int kLeavesPerPage = 1000;

int SlotParam(RequestContext& ctx) {
  const Id slot = ctx.ParamId("slot");
  if (slot > 10'000)
    throw ApiError(Error::InvalidInput("slot is out of range").With("field", "slot"));
  return static_cast<int>(slot);
}

boost::json::object RoundJson(const RoundLogRecord& r) {
  boost::system::error_code ec;
  auto tally = boost::json::parse(r.tally_json, ec);
  boost::json::object o{
      {"seasonId", r.season_id},
      {"slot", r.slot},
      {"revision", r.revision},
      {"treeSize", r.tree_size},
      {"rootHash", merkle::ToHex(r.root)},
      {"tally", ec ? boost::json::value(boost::json::array{}) : tally},
      {"winnerClipId", r.winner_clip_id ? boost::json::value(*r.winner_clip_id) : nullptr},
      {"winnerAssigned", r.winner_assigned},
      {"publishedAt", FormatIso8601(r.published_at)},
      {"seasonLogIndex", r.season_log_index}};
  if (!r.alarm.empty()) o["alarm"] = r.alarm;
  return o;
}

Result<RoundLogRecord> FindRound(RequestContext& ctx) {
  auto record = ctx.services.rounds.Find(ctx.ParamId("seasonId"), SlotParam(ctx));
  if (!record) {
    return Error{ErrorKind::kNotFound,
                 "ROUND_NOT_PUBLISHED",
                 "That round has no published log (it is open, or was never played)",
                 {}};
  }
  return *record;
}

HttpResponse GetRound(RequestContext& ctx) {
  return Reply(FindRound(ctx), [](const RoundLogRecord& r) { return RoundJson(r); });
}

HttpResponse GetLeaves(RequestContext& ctx) {
  auto record = FindRound(ctx);
  if (!record) return ErrorResponse(record.error());
  const auto from = static_cast<std::uint64_t>(ctx.QueryInt("cursor", 0, 0, 2'000'000'000));
  const int limit = ctx.QueryInt("limit", kLeavesPerPage, 1, kLeavesPerPage);
  boost::json::array leaves;
  for (const auto& leaf : ctx.services.rounds.Leaves(*record, from, limit)) {
    leaves.push_back(boost::json::object{{"index", leaf.index},
                                         {"leaf", crypto::ToHex(leaf.leaf)},
                                         {"leafHash", merkle::ToHex(leaf.leaf_hash)},
                                         {"clipId", leaf.clip_id},
                                         {"weight", leaf.weight}});
  }
  const std::uint64_t next = from + leaves.size();
  return JsonResponse(
      200, boost::json::object{
               {"seasonId", record->season_id},
               {"slot", record->slot},
               {"revision", record->revision},
               {"treeSize", record->tree_size},
               {"leaves", std::move(leaves)},
               {"nextCursor", next < record->tree_size ? boost::json::value(next) : nullptr}});
}

HttpResponse GetProof(RequestContext& ctx) {
  const auto leaf = merkle::FromHex(ctx.Query("leaf").value_or(""));
  if (!leaf) {
    return ErrorResponse(
        Error::InvalidInput("leaf must be a leaf hash: 64 hex digits").With("field", "leaf"));
  }
  return Reply(ctx.services.rounds.Proof(ctx.ParamId("seasonId"), SlotParam(ctx), *leaf),
               [](const InclusionAnswer& a) {
                 boost::json::array path;
                 for (const auto& h : a.audit_path) path.emplace_back(merkle::ToHex(h));
                 return boost::json::object{
                     {"seasonId", a.record.season_id}, {"slot", a.record.slot},
                     {"revision", a.record.revision},  {"leafIndex", a.leaf_index},
                     {"treeSize", a.record.tree_size}, {"rootHash", merkle::ToHex(a.record.root)},
                     {"auditPath", std::move(path)}};
               });
}

std::optional<std::uint64_t> OptionalSize(RequestContext& ctx, std::string_view name) {
  if (!ctx.Query(std::string(name))) return std::nullopt;
  return static_cast<std::uint64_t>(ctx.QueryInt(std::string(name), 0, 0, 1'000'000));
}

HttpResponse GetSeasonLog(RequestContext& ctx) {
  const Id season_id = ctx.ParamId("id");
  return Reply(
      ctx.services.rounds.SeasonLog(season_id, OptionalSize(ctx, "from"), OptionalSize(ctx, "to")),
      [season_id](const SeasonLogAnswer& a) {
        boost::json::array entries;
        for (std::size_t i = 0; i < a.entries.size(); ++i) {
          const auto& r = a.entries[i];
          entries.push_back(boost::json::object{{"index", r.season_log_index},
                                                {"slot", r.slot},
                                                {"revision", r.revision},
                                                {"treeSize", r.tree_size},
                                                {"rootHash", merkle::ToHex(r.root)},
                                                {"leaf", crypto::ToHex(a.leaves[i])}});
        }
        boost::json::object o{{"seasonId", season_id},
                              {"treeSize", a.entries.size()},
                              {"rootHash", merkle::ToHex(a.root)},
                              {"entries", std::move(entries)}};
        if (a.from) {
          boost::json::array proof;
          for (const auto& h : a.consistency) proof.emplace_back(merkle::ToHex(h));
          o["consistency"] = boost::json::object{{"from", *a.from},
                                                 {"to", *a.to},
                                                 {"fromRoot", merkle::ToHex(a.from_root)},
                                                 {"toRoot", merkle::ToHex(a.to_root)},
                                                 {"proof", std::move(proof)}};
        }
        return o;
      });
}

}  // namespace

void RegisterRoundRoutes(Router& r) {
  r.Add("GET", "/api/rounds/{seasonId}/{slot}", GetRound);
  r.Add("GET", "/api/rounds/{seasonId}/{slot}/leaves", GetLeaves);
  r.Add("GET", "/api/rounds/{seasonId}/{slot}/proof", GetProof);
  r.Add("GET", "/api/seasons/{id}/log", GetSeasonLog);
}

}  // namespace aimoviez::http
