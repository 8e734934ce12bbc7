#include "domain/round_log_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>

namespace aimoviez {
namespace {

std::string TallyJson(const std::vector<TallyLine>& lines) {
  boost::json::array out;
  for (const auto& l : lines) {
    boost::json::object line{{"clipId", l.clip_id},
                             {"votes", l.votes},
                             {"score", l.score},
                             {"submittedAt", l.submitted_at}};
    if (!l.in_round) line["removed"] = true;
    out.push_back(std::move(line));
  }
  return boost::json::serialize(out);
}

// Why the published tally disagrees with what the round locked, or empty.
std::string CheckTally(const RoundTally& tally, const std::vector<ClipStanding>& clips,
                       std::optional<Id> locked_winner, bool assigned) {
  for (const auto& c : clips) {
    auto line = std::find_if(tally.lines.begin(), tally.lines.end(),
                             [&](const TallyLine& l) { return l.clip_id == c.clip_id; });
    if (line->votes != c.vote_count || line->score != c.weighted_score) {
      return "clip " + std::to_string(c.clip_id) + " closed with " + std::to_string(c.vote_count) +
             " votes (score " + std::to_string(c.weighted_score) + ") but its leaves count " +
             std::to_string(line->votes) + " (score " + std::to_string(line->score) + ")";
    }
  }
  const auto rule_winner = WinnerOfTally(tally.lines);
  if (!assigned && rule_winner != locked_winner) {
    return "the winner rule picks clip " + (rule_winner ? std::to_string(*rule_winner) : "none") +
           " from the tally but clip " + (locked_winner ? std::to_string(*locked_winner) : "none") +
           " was locked";
  }
  return "";
}

}  // namespace

RoundLogRecord RoundLogService::Publish(Id season_id, int slot,
                                        const std::vector<ClipStanding>& clips,
                                        std::optional<Id> locked_winner, bool assigned) {
  std::lock_guard lock(publish_mutex_);
  std::vector<StoredVote> votes;
  store_.ForEachVoteAt(season_id, slot, [&](const StoredVote& v) { votes.push_back(v); });
  // The canonical order: the order the votes were taken in.
  std::sort(votes.begin(), votes.end(),
            [](const StoredVote& a, const StoredVote& b) { return a.id < b.id; });

  const std::string round_key = PseudonymKey(season_id, slot);
  RoundTallier tallier(clips);
  std::vector<StoredRoundLeaf> leaves;
  std::vector<merkle::Hash> hashes;
  leaves.reserve(votes.size());
  hashes.reserve(votes.size());
  for (const auto& v : votes) {
    const RoundLeaf leaf{season_id, slot, v.clip_id,
                         v.weight,  v.id, VoterPseudonym(round_key, v.voter_key)};
    tallier.Count(leaf);
    StoredRoundLeaf stored;
    stored.index = leaves.size();
    stored.leaf = EncodeLeaf(leaf);
    stored.leaf_hash = merkle::LeafHash(stored.leaf);
    stored.clip_id = v.clip_id;
    stored.weight = v.weight;
    hashes.push_back(stored.leaf_hash);
    leaves.push_back(std::move(stored));
  }
  votes.clear();
  votes.shrink_to_fit();
  auto tree = std::make_shared<const merkle::Tree>(std::move(hashes));
  const RoundTally tally = std::move(tallier).Finish();

  RoundLogRecord record;
  record.season_id = season_id;
  record.slot = slot;
  const auto previous = store_.FindRoundLog(season_id, slot);
  record.revision = previous ? previous->revision + 1 : 1;
  record.tree_size = tree->size();
  record.root = tree->Root();
  record.winner_clip_id = locked_winner;
  record.winner_assigned = assigned;
  record.tally_json = TallyJson(tally.lines);
  record.alarm = CheckTally(tally, clips, locked_winner, assigned);
  record.published_at = clock_.NowMs();
  record.season_log_index = store_.ListSeasonLog(season_id).size();
  if (!record.alarm.empty()) {
    ++alarms_;
    spdlog::error(
        R"({{"msg":"round log disagrees with the locked round","season":{},"slot":{},"alarm":"{}"}})",
        season_id, slot, record.alarm);
  }
  store_.InsertRoundLog(record, leaves);
  Remember(record, std::move(tree));
  return record;
}

Result<InclusionAnswer> RoundLogService::Proof(Id season_id, int slot,
                                               const merkle::Hash& leaf_hash) {
  auto record = store_.FindRoundLog(season_id, slot);
  if (!record) return Error::NotFound("Round log");
  const auto index = store_.FindRoundLeafIndex(season_id, slot, record->revision, leaf_hash);
  if (!index) {
    return Error{
        ErrorKind::kNotFound, "LEAF_NOT_FOUND", "No leaf with that hash is in the round's log", {}};
  }
  const auto tree = TreeOf(*record);
  return InclusionAnswer{*record, *index, tree->InclusionProof(*index)};
}

Result<SeasonLogAnswer> RoundLogService::SeasonLog(Id season_id, std::optional<std::uint64_t> from,
                                                   std::optional<std::uint64_t> to) {
  SeasonLogAnswer answer;
  answer.entries = store_.ListSeasonLog(season_id);
  std::vector<merkle::Hash> hashes;
  for (const auto& r : answer.entries) {
    answer.leaves.push_back(
        EncodeSeasonLogLeaf({r.season_id, r.slot, r.revision, r.tree_size, r.root}));
    hashes.push_back(merkle::LeafHash(answer.leaves.back()));
  }
  const merkle::Tree tree(std::move(hashes));
  answer.root = tree.Root();
  if (from || to) {
    const std::uint64_t size = tree.size();
    const std::uint64_t f = from.value_or(0);
    const std::uint64_t t = to.value_or(size);
    if (f == 0 || f > t || t > size) {
      return Error::InvalidInput("from and to must satisfy 0 < from <= to <= the log's size")
          .With("field", "from")
          .With("size", size);
    }
    answer.from = f;
    answer.to = t;
    answer.from_root = tree.RootAt(f);
    answer.to_root = tree.RootAt(t);
    answer.consistency = tree.ConsistencyProof(f, t);
  }
  return answer;
}

std::shared_ptr<const merkle::Tree> RoundLogService::TreeOf(const RoundLogRecord& record) {
  {
    std::lock_guard lock(cache_mutex_);
    for (auto it = cache_.begin(); it != cache_.end(); ++it) {
      if (it->season_id == record.season_id && it->slot == record.slot &&
          it->revision == record.revision) {
        cache_.splice(cache_.begin(), cache_, it);
        return cache_.front().tree;
      }
    }
  }
  std::vector<merkle::Hash> hashes;
  hashes.reserve(record.tree_size);
  store_.ForEachRoundLeafHash(record.season_id, record.slot, record.revision,
                              [&](const merkle::Hash& h) { hashes.push_back(h); });
  auto tree = std::make_shared<const merkle::Tree>(std::move(hashes));
  Remember(record, tree);
  return tree;
}

void RoundLogService::Remember(const RoundLogRecord& record,
                               std::shared_ptr<const merkle::Tree> tree) {
  std::lock_guard lock(cache_mutex_);
  cache_.push_front({record.season_id, record.slot, record.revision, std::move(tree)});
  while (cache_.size() > kCachedTrees) cache_.pop_back();
}

}  // namespace aimoviez
