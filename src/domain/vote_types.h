// Values of the vote path (spec section 5): policy limits, a cast/revoke request, the outcome
// the client sees, and the per-voter view used by the feed. No I/O here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/model.h"

namespace aimoviez {

enum class VoteType { kStandard, kSuper, kMega };
int WeightOf(VoteType type);
// The vote's bit in a slot's spent power votes (VoteOutcome::power_used): 1 super, 2 mega, 0.
std::uint8_t PowerBit(VoteType type);
std::string_view ToString(VoteType type);
std::optional<VoteType> ParseVoteType(std::string_view s);

// Every limit of the vote path; the defaults are the spec's values, all configurable.
struct VotePolicy {
  int daily_limit = 200;              // votes per voter per UTC day
  int per_minute_limit = 30;          // votes per voter per minute (sliding window)
  int per_ip_per_minute_limit = 120;  // ceiling per client IP, across voters
  // Anonymous votes per network (IPv4 address or IPv6 /64) per UTC day: on one clip, on one
  // clip from clients without the signed device cookie, and over all clips.
  int anon_per_clip_per_network = 20;
  int unverified_per_clip_per_network = 5;
  int anon_per_network_per_day = 2000;
  // Anonymous readers one network may add to the engine's voter table per day by reading the
  // feed (their impressions are recorded); further new readers are served without any state.
  int new_readers_per_network_per_day = 200;
  int batch_max = 2048;  // most vote rows committed in one transaction
  // Impressions are acknowledged to no one: with no vote pending they wait up to this long (or
  // until this many feed answers are pending) for a commit. A crash loses at most that window.
  int impression_flush_ms = 100;
  int impression_flush_answers = 512;
  // Suspicious-pattern flag: this many votes in a row, each within `rapid_gap_ms` of the
  // previous, flags the vote (never blocks it).
  int rapid_streak = 8;
  std::int64_t rapid_gap_ms = 1500;
  std::int64_t fresh_clip_ms = 2 * 60 * 60 * 1000;  // "fresh" clips lead the feed for 2 h
};

struct CastRequest {
  std::string voter_key;
  std::optional<Id> user_id;
  std::string ip;
  Id clip_id = 0;
  VoteType type = VoteType::kStandard;
  bool multi_vote = false;  // the multi_vote_enabled flag at the time of the request
  // Anonymous votes: the keyed tag of the voter's network (0: not counted against any network
  // budget, as for signed-in voters) and whether the device cookie was the server's.
  std::uint64_t network = 0;
  bool device_verified = true;
};

struct RevokeRequest {
  std::string voter_key;
  std::string ip;
  Id clip_id = 0;
  // 0: the voter withdraws their latest vote on the clip (a vote cast today gives its daily
  // allowance back). Otherwise exactly this stored vote is withdrawn by an admin's invalidation,
  // which gives nothing back: neither the daily allowance nor a spent super or mega vote.
  Id row_id = 0;
};

// A vote's leaf in its round's public log (docs/VERIFIABILITY.md): what the voter keeps to check
// later that the vote was counted. Raw bytes; the answer carries them in hex.
struct VoteReceipt {
  std::string leaf;       // the 65 canonical bytes
  std::string leaf_hash;  // SHA-256(0x00 || leaf), 32 bytes
  Id season_id = 0;
  int slot = 0;
};

struct VoteOutcome {
  Id clip_id = 0;
  std::int64_t vote_count = 0;
  std::int64_t weighted_score = 0;
  int total_votes_today = 0;
  int remaining_today = 0;
  std::optional<int> milestone;  // 1, 50, 100, 200: the UI celebrates these
  bool flagged = false;
  std::uint8_t power_used = 0;  // this slot's power votes spent: 1 super, 2 mega
  // The vote this answer is about (cast, or withdrawn when `withdrawn`), as its round's log
  // names it; VoteService turns it into the receipt.
  Id row_id = 0;
  Id season_id = 0;
  int slot = 0;
  int weight = 0;
  bool withdrawn = false;
  std::optional<VoteReceipt> receipt;
};

struct RateLimitInfo {
  int limit = 0;
  int remaining = 0;
  std::int64_t reset_at_ms = 0;
  std::int64_t retry_after_seconds = 0;
};

// The open slot as the engine holds it.
struct OpenRound {
  Id season_id = 0;
  Id slot_id = 0;
  int position = 0;
  int total_slots = 0;
  std::optional<EpochMs> voting_ends_at;
  std::string season_label;
};

// One voter's page of the feed, as the engine answers GET /api/vote.
struct FeedRequest {
  std::string voter_key;
  std::vector<Id> exclude_ids;
  std::size_t limit = 8;
  // Only readers who can be told apart (signed in, or the signed device cookie) are remembered:
  // a reader who is only a fingerprint gets a feed and leaves no state behind.
  bool record_impressions = true;
  std::uint64_t network = 0;  // anonymous readers: their network's tag (see CastRequest)
};

// A clip on a feed page: the engine's snapshot of the clip as loaded for the round (shared, never
// changed; a new snapshot replaces it on reload) and its counts at the time of the answer. The
// snapshot's own count fields are the ones it was loaded with; read the counts here.
struct FeedClip {
  std::shared_ptr<const Clip> clip;
  std::int64_t vote_count = 0;
  std::int64_t weighted_score = 0;
  std::int64_t view_count = 0;
};

struct VoterFeed {
  std::optional<OpenRound> round;
  bool voting_open = false;
  int total_votes_today = 0;
  int remaining_today = 0;
  std::vector<Id> voted_clip_ids;  // in the open slot
  std::uint8_t power_used = 0;     // this slot's power votes spent: 1 super, 2 mega
  std::vector<FeedClip> clips;     // the page, counts current
  std::size_t total_clips = 0;
  bool has_more = false;
};

struct ClipCounts {
  std::int64_t vote_count = 0;
  std::int64_t weighted_score = 0;
  std::int64_t impressions = 0;
};

}  // namespace aimoviez
