// Verifiable rounds (docs/VERIFIABILITY.md): the rules of a closed round's public log, with no
// I/O. Each accepted vote is one leaf of an RFC 9162 Merkle tree; the leaf names the round, the
// clip, the weight, the vote's sequence number and a pseudonym of the voter that is keyed per
// round, so a voter can find their own vote and nobody can link votes across rounds or back to
// a voter. The tally and the winner follow from the leaves alone.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/merkle.h"
#include "domain/model.h"
#include "domain/slot_advance.h"

namespace aimoviez {

// A vote as its round's log holds it.
struct RoundLeaf {
  Id season_id = 0;
  int slot = 0;
  Id clip_id = 0;
  int weight = 1;
  Id sequence = 0;  // the vote's number in the vote log, increasing in the order votes came
  merkle::Hash voter_pseudonym{};
};

// The canonical bytes of a leaf: 65 bytes, integers big-endian:
//   version (1 byte, 1) | season id (8) | slot (4) | clip id (8) | weight (4) | sequence (8) |
//   voter pseudonym (32)
inline constexpr std::size_t kRoundLeafBytes = 65;
std::string EncodeLeaf(const RoundLeaf& leaf);
std::optional<RoundLeaf> DecodeLeaf(std::string_view bytes);

// The key a round's pseudonyms are made with: HMAC-SHA-256(secret, "aimoviez round v1" | season
// | slot). Another round, another key.
std::string RoundPseudonymKey(std::string_view secret, Id season_id, int slot);
// HMAC-SHA-256(round key, voter key).
merkle::Hash VoterPseudonym(std::string_view round_key, std::string_view voter_key);

// One clip's line of a published tally.
struct TallyLine {
  Id clip_id = 0;
  std::int64_t votes = 0;
  std::int64_t score = 0;    // the sum of the weights
  EpochMs submitted_at = 0;  // the winner rule's third tie-break
  // False for a clip taken out of the round after votes were cast for it (rejected by a
  // moderator): its votes are leaves and are counted here, but it cannot win.
  bool in_round = true;
};

// Counts leaves into the tally they imply: one line per clip of the round (given with their
// submission times; a clip nobody voted for keeps a line of zeros), and one for each clip that
// has leaves but is no longer in the round.
struct RoundTally {
  std::vector<TallyLine> lines;  // by score, then votes, descending (the rule's order)
};

class RoundTallier {
 public:
  explicit RoundTallier(const std::vector<ClipStanding>& clips);
  void Count(const RoundLeaf& leaf);
  RoundTally Finish() &&;

 private:
  RoundTally tally_;
  std::unordered_map<Id, std::size_t> line_of_;
};

// The winner rule (slot_advance.h) applied to a published tally's clips still in the round.
std::optional<Id> WinnerOfTally(const std::vector<TallyLine>& lines);

// A season log's leaf: one published round, 57 bytes:
//   version (1, 1) | season id (8) | slot (4) | revision (4) | tree size (8) | root hash (32)
// (revision counts re-closings of a slot an admin reopened; the first closing is 1).
struct SeasonLogEntry {
  Id season_id = 0;
  int slot = 0;
  int revision = 1;
  std::uint64_t tree_size = 0;
  merkle::Hash root{};
};
std::string EncodeSeasonLogLeaf(const SeasonLogEntry& entry);

}  // namespace aimoviez
