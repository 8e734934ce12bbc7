#include "domain/vote_service.h"

#include <array>
#include <cstring>
#include <functional>

#include "common/crypto.h"
#include "common/net_address.h"
#include "domain/round_log.h"

namespace aimoviez {

std::uint64_t VoteService::NetworkTag(std::string_view ip) const {
  // A voter's votes come from the same network one after another: each HTTP thread keeps the
  // tags it computed last (a keyed MAC each) in a small direct-mapped cache.
  struct Entry {
    std::string network;
    std::string key;  // the server secret it was computed with
    std::uint64_t tag = 0;
  };
  thread_local std::array<Entry, 64> cache;
  std::string network = net::NetworkOf(ip);
  Entry& entry = cache[std::hash<std::string>{}(network) % cache.size()];
  if (entry.network == network && entry.key == network_key_) return entry.tag;
  const std::string mac = crypto::HmacSha256(network_key_, "vote-network|" + network);
  std::uint64_t tag = 0;
  std::memcpy(&tag, mac.data(), sizeof tag);
  tag &= 0x7FFF'FFFF'FFFF'FFFFULL;  // stored as a positive SQL integer
  if (tag == 0) tag = 1;            // 0 means "not budgeted"
  entry = Entry{std::move(network), network_key_, tag};
  return tag;
}

void VoteService::Cast(const Actor& actor, Id clip_id, VoteType type,
                       const std::string& captcha_token, VoteCallback done) {
  if (flags_.Enabled("require_auth_voting") && !actor.signed_in()) {
    return done(Error::AuthRequired("Sign in to vote"), RateLimitInfo{});
  }
  if (flags_.Enabled("require_captcha_voting") &&
      !captcha_.Verify(captcha_token, actor.voter_key(), clock_.NowMs())) {
    return done(Error::Forbidden("CAPTCHA_REQUIRED", "Solve the captcha challenge to vote"),
                RateLimitInfo{});
  }
  if (type != VoteType::kStandard && !flags_.Enabled("power_votes_enabled")) {
    return done(Error::Forbidden("POWER_VOTES_DISABLED", "Super and mega votes are not enabled"),
                RateLimitInfo{});
  }
  CastRequest request;
  request.voter_key = actor.voter_key();
  if (actor.user) request.user_id = actor.user->id;
  request.ip = actor.ip;
  request.clip_id = clip_id;
  request.type = type;
  request.multi_vote = flags_.Enabled("multi_vote_enabled");
  if (!actor.signed_in()) {
    request.network = NetworkTag(actor.ip);
    request.device_verified = actor.device_verified;
  }
  engine_.Cast(request, Settled(clip_id, request.voter_key, std::move(done)));
}

// The callback runs after the vote's batch is durable, so a pushed tally never shows a vote
// that could still be lost. It adds the vote's receipt: its leaf in the round's log.
VoteCallback VoteService::Settled(Id clip_id, std::string voter_key, VoteCallback done) {
  return [this, clip_id, voter_key = std::move(voter_key), done = std::move(done)](
             Result<VoteOutcome> outcome, const RateLimitInfo& rate) {
    if (outcome) {
      if (outcome->row_id != 0) outcome->receipt = ReceiptFor(*outcome, voter_key);
      live_->VoteCounted(clip_id);
    }
    done(std::move(outcome), rate);
  };
}

VoteReceipt VoteService::ReceiptFor(const VoteOutcome& o, std::string_view voter_key) {
  std::string round_key;
  {
    // One key per round, made once: the writer thread settles a batch of votes at a time.
    std::lock_guard lock(round_key_mutex_);
    if (round_key_season_ != o.season_id || round_key_slot_ != o.slot) {
      round_key_ = RoundPseudonymKey(network_key_, o.season_id, o.slot);
      round_key_season_ = o.season_id;
      round_key_slot_ = o.slot;
    }
    round_key = round_key_;
  }
  const RoundLeaf leaf{o.season_id, o.slot,   o.clip_id,
                       o.weight,    o.row_id, VoterPseudonym(round_key, voter_key)};
  VoteReceipt receipt;
  receipt.leaf = EncodeLeaf(leaf);
  const auto hash = merkle::LeafHash(receipt.leaf);
  receipt.leaf_hash.assign(reinterpret_cast<const char*>(hash.data()), hash.size());
  receipt.season_id = o.season_id;
  receipt.slot = o.slot;
  return receipt;
}

void VoteService::Revoke(const Actor& actor, Id clip_id, VoteCallback done) {
  engine_.Revoke(RevokeRequest{actor.voter_key(), actor.ip, clip_id},
                 Settled(clip_id, actor.voter_key(), std::move(done)));
}

void VoteService::Invalidate(const std::string& voter_key, Id clip_id, Id row_id,
                             VoteCallback done) {
  RevokeRequest request{voter_key, "", clip_id, row_id};
  engine_.Revoke(request, Settled(clip_id, voter_key, std::move(done)));
}

VoterFeed VoteService::Feed(const Actor& actor, std::vector<Id> exclude_ids, std::size_t limit) {
  FeedRequest request;
  request.voter_key = actor.voter_key();
  request.exclude_ids = std::move(exclude_ids);
  request.limit = limit;
  request.record_impressions = actor.signed_in() || actor.device_verified;
  if (!actor.signed_in() && actor.device_verified) request.network = NetworkTag(actor.ip);
  return engine_.Feed(request);
}

}  // namespace aimoviez
