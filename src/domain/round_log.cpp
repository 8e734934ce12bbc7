#include "domain/round_log.h"

#include <algorithm>

#include "common/crypto.h"

namespace aimoviez {
namespace {

void PutInt(std::string& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

std::uint64_t GetInt(std::string_view in, std::size_t& at, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = (value << 8) | static_cast<unsigned char>(in[at++]);
  return value;
}

}  // namespace

std::string EncodeLeaf(const RoundLeaf& leaf) {
  std::string out;
  out.reserve(kRoundLeafBytes);
  out.push_back('\x01');
  PutInt(out, static_cast<std::uint64_t>(leaf.season_id), 8);
  PutInt(out, static_cast<std::uint32_t>(leaf.slot), 4);
  PutInt(out, static_cast<std::uint64_t>(leaf.clip_id), 8);
  PutInt(out, static_cast<std::uint32_t>(leaf.weight), 4);
  PutInt(out, static_cast<std::uint64_t>(leaf.sequence), 8);
  out.append(reinterpret_cast<const char*>(leaf.voter_pseudonym.data()),
             leaf.voter_pseudonym.size());
  return out;
}

std::optional<RoundLeaf> DecodeLeaf(std::string_view bytes) {
  if (bytes.size() != kRoundLeafBytes || bytes[0] != '\x01') return std::nullopt;
  std::size_t at = 1;
  RoundLeaf leaf;
  leaf.season_id = static_cast<Id>(GetInt(bytes, at, 8));
  leaf.slot = static_cast<int>(GetInt(bytes, at, 4));
  leaf.clip_id = static_cast<Id>(GetInt(bytes, at, 8));
  leaf.weight = static_cast<int>(GetInt(bytes, at, 4));
  leaf.sequence = static_cast<Id>(GetInt(bytes, at, 8));
  std::copy(bytes.begin() + static_cast<std::ptrdiff_t>(at), bytes.end(),
            leaf.voter_pseudonym.begin());
  return leaf;
}

std::string RoundPseudonymKey(std::string_view secret, Id season_id, int slot) {
  std::string label = "aimoviez round v1";
  PutInt(label, static_cast<std::uint64_t>(season_id), 8);
  PutInt(label, static_cast<std::uint32_t>(slot), 4);
  return crypto::HmacSha256(secret, label);
}

merkle::Hash VoterPseudonym(std::string_view round_key, std::string_view voter_key) {
  return *merkle::FromBytes(crypto::HmacSha256(round_key, voter_key));
}

RoundTallier::RoundTallier(const std::vector<ClipStanding>& clips) {
  for (const auto& c : clips) {
    line_of_.emplace(c.clip_id, tally_.lines.size());
    tally_.lines.push_back(TallyLine{c.clip_id, 0, 0, c.created_at});
  }
}

void RoundTallier::Count(const RoundLeaf& leaf) {
  auto it = line_of_.find(leaf.clip_id);
  if (it == line_of_.end()) {
    it = line_of_.emplace(leaf.clip_id, tally_.lines.size()).first;
    tally_.lines.push_back(TallyLine{leaf.clip_id, 0, 0, 0, /*in_round=*/false});
  }
  auto& line = tally_.lines[it->second];
  ++line.votes;
  line.score += leaf.weight;
}

RoundTally RoundTallier::Finish() && {
  std::sort(tally_.lines.begin(), tally_.lines.end(), [](const TallyLine& a, const TallyLine& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.votes != b.votes) return a.votes > b.votes;
    if (a.submitted_at != b.submitted_at) return a.submitted_at < b.submitted_at;
    return a.clip_id < b.clip_id;
  });
  return std::move(tally_);
}

std::optional<Id> WinnerOfTally(const std::vector<TallyLine>& lines) {
  std::vector<ClipStanding> standings;
  standings.reserve(lines.size());
  for (const auto& l : lines) {
    if (l.in_round) standings.push_back({l.clip_id, l.votes, l.score, l.submitted_at});
  }
  return PickWinner(standings);
}

std::string EncodeSeasonLogLeaf(const SeasonLogEntry& entry) {
  std::string out;
  out.reserve(57);
  out.push_back('\x01');
  PutInt(out, static_cast<std::uint64_t>(entry.season_id), 8);
  PutInt(out, static_cast<std::uint32_t>(entry.slot), 4);
  PutInt(out, static_cast<std::uint32_t>(entry.revision), 4);
  PutInt(out, entry.tree_size, 8);
  out.append(reinterpret_cast<const char*>(entry.root.data()), entry.root.size());
  return out;
}

}  // namespace aimoviez
