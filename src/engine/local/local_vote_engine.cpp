#include "engine/local/local_vote_engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "common/thread_name.h"
#include "domain/feed_ranker.h"
#include "domain/vote_refusals.h"

namespace aimoviez::engine {

namespace {

// Counter snapshots go to the clip rows at most this often (they are for readers of the
// database; the engine's memory is the live source).
constexpr EpochMs kSnapshotIntervalMs = 1000;

}  // namespace

LocalVoteEngine::LocalVoteEngine(Store& store, const Clock& clock, VotePolicy policy)
    : store_(store),
      clock_(clock),
      policy_(policy),
      network_budget_(NetworkBudgetPolicy{
          policy.anon_per_clip_per_network, policy.unverified_per_clip_per_network,
          policy.anon_per_network_per_day, policy.new_readers_per_network_per_day}) {
  writer_ = std::thread([this] {
    NameThisThread("vote-writer");
    WriterLoop();
  });
}

LocalVoteEngine::~LocalVoteEngine() {
  Shutdown();
}

void LocalVoteEngine::Shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  writer_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

EngineStats LocalVoteEngine::Stats() {
  std::lock_guard lock(mutex_);
  EngineStats out = stats_;
  out.voters = voters_.size();
  out.network_entries = network_budget_.entries();
  return out;
}

std::uint32_t LocalVoteEngine::VoterIndex(std::string_view key) {
  return VoterIndex(PackVoterKey(key));
}

std::uint32_t LocalVoteEngine::VoterIndex(const VoterId& id) {
  auto [it, inserted] = voter_ids_.try_emplace(id, static_cast<std::uint32_t>(voters_.size()));
  if (inserted) voters_.emplace_back().day_start = day_of_new_voters_;
  return it->second;
}

void LocalVoteEngine::RollDay(VoterState& v, EpochMs now) const {
  // Days only move forward: a wall clock stepped back across midnight (an NTP correction) must
  // not hand a voter a second day's votes.
  const EpochMs today = UtcDayStart(now);
  if (today > v.day_start) {
    v.day_start = today;
    v.day_count = 0;
  }
}

bool LocalVoteEngine::Admit(RateWindow& w, int limit, EpochMs now, RateLimitInfo& info) {
  const RateDecision d = AdmitToWindow(w, limit, now);
  info = RateLimitInfo{d.limit, d.remaining, d.reset_at_ms, d.retry_after_seconds};
  return d.allowed;
}

void LocalVoteEngine::Load() {
  std::lock_guard lock(mutex_);
  LoadLocked();
}

void LocalVoteEngine::LoadLocked() {
  const auto started = std::chrono::steady_clock::now();
  const EpochMs now = clock_.NowMs();
  round_.reset();
  clips_.clear();
  clip_order_.clear();
  votes_.clear();
  extra_votes_.clear();
  for (auto& v : voters_) {
    v.power_used = 0;
    std::vector<std::uint64_t>().swap(v.seen);  // a new round: nothing seen, memory returned
  }
  // Sized once from the stored row count so the bulk load does not rehash repeatedly.
  const auto expected = static_cast<std::size_t>(store_.MaxVoteId());
  if (voter_ids_.bucket_count() < expected) {
    voter_ids_.reserve(expected);
    votes_.reserve(expected);
  }
  stats_.duplicate_rows_at_load = 0;
  // Today's counts are rebuilt below: from the round's votes as they load, then the day's others.
  // Voters first seen during the load start at today with nothing counted.
  const EpochMs today = UtcDayStart(now);
  day_of_new_voters_ = today;
  for (auto& v : voters_) {
    v.day_start = today;
    v.day_count = 0;
  }
  network_budget_.Reset(today);

  if (auto season = store_.FindActiveSeason()) {
    if (auto slot = store_.FindOpenSlot(season->id)) {
      round_ = OpenRound{season->id,
                         slot->id,
                         slot->position,
                         season->total_slots,
                         slot->status == SlotStatus::kVoting ? slot->voting_ends_at : std::nullopt,
                         season->label};
      if (slot->status != SlotStatus::kVoting) round_->voting_ends_at.reset();
      voting_open_ = slot->status == SlotStatus::kVoting;
      std::uint32_t index = 0;
      for (auto& clip : store_.ListClips(ClipQuery{season->id, slot->position, ClipStatus::kActive,
                                                   std::nullopt, 1'000'000, 0})) {
        ClipState state;
        state.index = index++;
        const Id id = clip.id;
        state.clip = std::make_shared<const Clip>(std::move(clip));
        clip_order_.push_back(id);
        clips_.emplace(id, std::move(state));
      }
      store_.ForEachVoteAt(season->id, slot->position, [&](const StoredVote& v) {
        const auto voter = VoterIndex(v.voter_key);
        // The round's votes count toward today's cap here, so the day pass below skips them
        // (one hash lookup per stored vote instead of two).
        if (v.created_at >= today) ++voters_[voter].day_count;
        auto it = clips_.find(v.clip_id);
        if (v.network != 0 && v.created_at >= today) {
          network_budget_.Restore(
              static_cast<std::uint64_t>(v.network),
              it == clips_.end() ? std::nullopt : std::optional<std::uint32_t>(it->second.index),
              !v.unverified_device);
        }
        if (it == clips_.end()) return;  // a vote on a clip that left the round (rejected)
        ClipState& clip = it->second;
        const VoteType type = ParseVoteType(v.vote_type).value_or(VoteType::kStandard);
        const VoteRef ref{v.id, v.weight, type, v.created_at};
        const auto key = Key(voter, clip.index);
        if (!votes_.emplace(key, ref).second) {
          // Stored duplicates are counted (the count must equal the stored rows) and reported.
          extra_votes_.emplace(key, ref);
          ++stats_.duplicate_rows_at_load;
        }
        if (type == VoteType::kSuper) voters_[voter].power_used |= 1;
        if (type == VoteType::kMega) voters_[voter].power_used |= 2;
        ++clip.votes;
        clip.score += v.weight;
      });
      store_.ForEachViewAt(season->id, slot->position, [&](Id clip_id, std::string_view voter) {
        auto it = clips_.find(clip_id);
        if (it == clips_.end()) return;
        if (voters_[VoterIndex(voter)].MarkSeen(it->second.index)) {
          ++it->second.impressions;
        }
      });
    }
  }
  if (!round_) voting_open_ = false;
  // Today's votes in other rounds (every slot and season counts toward the daily cap).
  const auto counted_round =
      round_ ? std::optional<std::pair<Id, int>>({round_->season_id, round_->position})
             : std::nullopt;
  store_.ForEachVoteSince(today, counted_round, [&](std::string_view voter, std::int64_t network) {
    ++voters_[VoterIndex(voter)].day_count;
    if (network != 0)
      network_budget_.Restore(static_cast<std::uint64_t>(network), std::nullopt, true);
  });
  next_row_id_ = store_.MaxVoteId() + 1;
  stats_.last_load_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (stats_.duplicate_rows_at_load > 0) {
    spdlog::warn(R"({{"msg":"duplicate votes found at load","rows":{}}})",
                 stats_.duplicate_rows_at_load);
  }
  spdlog::info(
      R"({{"msg":"vote engine loaded","clips":{},"votes":{},"voters":{},"seconds":{:.3f}}})",
      clips_.size(), votes_.size() + extra_votes_.size(), voters_.size(), stats_.last_load_seconds);
}

void LocalVoteEngine::Exclusive(const std::function<void()>& work) {
  std::unique_lock lock(mutex_);
  idle_cv_.wait(lock, [&] { return !paused_; });  // one round change at a time
  paused_ = true;
  writer_cv_.notify_all();
  // Every vote already acknowledged-to-be must be durable before the round changes, and the
  // round's impressions stored so the reload counts them.
  idle_cv_.wait(lock, [&] { return queue_.empty() && pending_views_.empty() && !writing_; });
  lock.unlock();
  try {
    work();
  } catch (...) {
    lock.lock();
    LoadLocked();
    paused_ = false;
    idle_cv_.notify_all();
    throw;
  }
  lock.lock();
  LoadLocked();
  paused_ = false;
  idle_cv_.notify_all();
}

VoteOutcome LocalVoteEngine::OutcomeFor(const ClipState& clip, const VoterState& voter) const {
  VoteOutcome o;
  o.clip_id = clip.clip->id;
  o.vote_count = clip.votes;
  o.weighted_score = clip.score;
  o.total_votes_today = voter.day_count;
  o.remaining_today = std::max(0, policy_.daily_limit - voter.day_count);
  o.power_used = voter.power_used;
  return o;
}

Result<LocalVoteEngine::ClipState*> LocalVoteEngine::FindVotableClip(Id clip_id, EpochMs now,
                                                                     bool check_deadline) {
  if (auto refusal = vote_refusal::RoundRefusal(round_, voting_open_, now, check_deadline)) {
    return std::move(*refusal);
  }
  auto it = clips_.find(clip_id);
  if (it == clips_.end()) return vote_refusal::ClipNotVotable();
  return &it->second;
}

std::unique_lock<std::mutex> LocalVoteEngine::LockWhenNoRoundChange() {
  std::unique_lock lock(mutex_);
  idle_cv_.wait(lock, [&] { return !paused_; });
  return lock;
}

void LocalVoteEngine::Cast(const CastRequest& req, VoteCallback done) {
  // Packing the key needs no engine state: done before the lock, which both HTTP threads want.
  const VoterId packed_voter = PackVoterKey(req.voter_key);
  auto lock = LockWhenNoRoundChange();
  const EpochMs now = clock_.NowMs();
  RateLimitInfo rate;
  // Refusals answer at once, outside the lock.
  auto refuse = [&](Error e) {
    lock.unlock();
    done(std::move(e), rate);
  };

  RateLimitInfo ip_rate;
  if (!Admit(ip_windows_.For(req.ip, now), policy_.per_ip_per_minute_limit, now, ip_rate)) {
    rate = ip_rate;
    return refuse(vote_refusal::RateLimitedNetwork());
  }
  const auto voter_index = VoterIndex(packed_voter);
  VoterState& voter = voters_[voter_index];
  if (!Admit(voter.rate, policy_.per_minute_limit, now, rate)) {
    return refuse(vote_refusal::RateLimitedVoter());
  }
  RollDay(voter, now);
  if (voter.day_count >= policy_.daily_limit) {
    return refuse(vote_refusal::DailyLimit(policy_.daily_limit, now));
  }
  auto found = FindVotableClip(req.clip_id, now, /*check_deadline=*/true);
  if (!found) return refuse(found.error());
  ClipState& clip = *found.value();
  const auto key = Key(voter_index, clip.index);
  if (!req.multi_vote && votes_.count(key)) {
    return refuse(vote_refusal::AlreadyVoted());
  }
  const std::uint8_t power_bit = PowerBit(req.type);
  if (power_bit && (voter.power_used & power_bit)) {
    return refuse(vote_refusal::PowerVoteUsed(req.type));
  }

  const bool budgeted = req.network != 0;  // an anonymous vote, counted for its network
  if (budgeted) {
    if (auto refusal = network_budget_.Refusal(req.network, clip.index, req.device_verified, now)) {
      return refuse(std::move(*refusal));
    }
  }

  // Accepted: change memory now (later requests see it), answer after the commit.
  const int weight = WeightOf(req.type);
  voter.rapid_streak =
      now - voter.last_vote_at <= policy_.rapid_gap_ms ? voter.rapid_streak + 1 : 0;
  voter.last_vote_at = now;
  // Flagged votes count; the reasons are for the admin's review of suspicious voting.
  std::string flag_reason;
  auto flag = [&](std::string_view why) {
    if (!flag_reason.empty()) flag_reason += ' ';
    flag_reason += why;
  };
  if (voter.rapid_streak + 1 >= policy_.rapid_streak) flag("rapid");
  if (budgeted) {
    const int network_votes =
        network_budget_.Count(req.network, clip.index, req.device_verified, now);
    if (!req.device_verified) flag("unverified_device");
    if (network_budget_.Busy(network_votes)) flag("busy_network");
  }
  const bool flagged = !flag_reason.empty();
  const VoteRef ref{next_row_id_++, weight, req.type, now};
  const bool first = votes_.emplace(key, ref).second;
  if (!first) extra_votes_.emplace(key, ref);
  ++voter.day_count;
  voter.power_used |= power_bit;
  ++clip.votes;
  clip.score += weight;
  clip.dirty = true;

  PendingWrite pending;
  pending.write.record = VoteRecord{ref.row_id,
                                    clip.clip->id,
                                    round_->season_id,
                                    req.voter_key,
                                    req.user_id,
                                    weight,
                                    std::string(ToString(req.type)),
                                    round_->position,
                                    flagged,
                                    now,
                                    static_cast<std::int64_t>(req.network),
                                    std::move(flag_reason)};
  pending.outcome = OutcomeFor(clip, voter);
  pending.outcome.flagged = flagged;
  pending.outcome.row_id = ref.row_id;
  pending.outcome.season_id = round_->season_id;
  pending.outcome.slot = round_->position;
  pending.outcome.weight = weight;
  const int n = voter.day_count;
  if (n == 1 || n == 50 || n == 100 || n == policy_.daily_limit) pending.outcome.milestone = n;
  pending.rate = rate;
  pending.done = std::move(done);
  const Id clip_id = clip.clip->id;
  const Id row_id = ref.row_id;
  const EpochMs day = voter.day_start;
  const std::uint64_t network = req.network;
  const bool verified = req.device_verified;
  const std::uint32_t clip_index = clip.index;
  pending.undo = [this, key, clip_id, row_id, weight, voter_index, power_bit, first, day, network,
                  verified, clip_index] {
    if (network != 0) network_budget_.Uncount(network, clip_index, verified, day);
    if (first) {
      votes_.erase(key);
    } else {
      auto range = extra_votes_.equal_range(key);
      for (auto it = range.first; it != range.second; ++it) {
        if (it->second.row_id == row_id) {
          extra_votes_.erase(it);
          break;
        }
      }
    }
    auto& v = voters_[voter_index];
    if (v.day_start == day && v.day_count > 0) --v.day_count;
    v.power_used &= static_cast<std::uint8_t>(~power_bit);
    if (auto it = clips_.find(clip_id); it != clips_.end()) {
      --it->second.votes;
      it->second.score -= weight;
      it->second.dirty = true;
    }
  };
  Enqueue(std::move(pending));
}

void LocalVoteEngine::Revoke(const RevokeRequest& req, VoteCallback done) {
  // As in Cast: the key is packed before the lock.
  const VoterId packed_voter = PackVoterKey(req.voter_key);
  auto lock = LockWhenNoRoundChange();
  const EpochMs now = clock_.NowMs();
  RateLimitInfo rate;
  // Refusals answer at once, outside the lock.
  auto refuse = [&](Error e) {
    lock.unlock();
    done(std::move(e), rate);
  };
  // Revoking stays possible until the round closes, even after the deadline has passed.
  auto found = FindVotableClip(req.clip_id, now, /*check_deadline=*/false);
  if (!found) return refuse(found.error());
  ClipState& clip = *found.value();
  const auto voter_id = voter_ids_.find_value(packed_voter);
  const auto key = voter_id ? Key(*voter_id, clip.index) : 0;
  if (!voter_id || !votes_.count(key)) {
    return refuse(vote_refusal::VoteNotFound());
  }
  const auto voter_index = *voter_id;
  VoterState& voter = voters_[voter_index];
  RollDay(voter, now);
  const bool invalidation = req.row_id != 0;
  VoteRef removed;
  bool from_extra = false;
  std::optional<VoteRef> promoted;  // the extra vote that takes the first one's place
  auto range = extra_votes_.equal_range(key);
  if (invalidation) {
    // An admin's invalidation names the vote. When it is the first of several (multi-vote), the
    // oldest extra vote becomes the first, so the voter's remaining votes stay withdrawable.
    auto extra = range.first;
    while (extra != range.second && extra->second.row_id != req.row_id) ++extra;
    if (extra != range.second) {
      removed = extra->second;
      extra_votes_.erase(extra);
      from_extra = true;
    } else if (votes_.at(key).row_id == req.row_id) {
      removed = votes_.at(key);
      if (range.first != range.second) {
        auto oldest = range.first;
        for (auto it = range.first; it != range.second; ++it) {
          if (it->second.row_id < oldest->second.row_id) oldest = it;
        }
        promoted = oldest->second;
        votes_.at(key) = oldest->second;
        extra_votes_.erase(oldest);
      } else {
        votes_.erase(key);
      }
    } else {
      return refuse(vote_refusal::InvalidatedVoteNotFound());
    }
  } else if (range.first != range.second) {
    // With multi-vote the latest extra vote goes first; the first vote goes last.
    auto latest = range.first;
    for (auto it = range.first; it != range.second; ++it) {
      if (it->second.row_id > latest->second.row_id) latest = it;
    }
    removed = latest->second;
    extra_votes_.erase(latest);
    from_extra = true;
  } else {
    removed = votes_.at(key);
    votes_.erase(key);
  }
  // A vote the voter withdraws today gives its daily allowance back; an older one does not, nor
  // does an invalidated one (nor its power vote).
  const bool refund = !invalidation && removed.created_at >= voter.day_start;
  if (refund && voter.day_count > 0) --voter.day_count;
  const std::uint8_t power_bit = invalidation ? 0 : PowerBit(removed.type);
  voter.power_used &= static_cast<std::uint8_t>(~power_bit);
  --clip.votes;
  clip.score -= removed.weight;
  clip.dirty = true;

  PendingWrite pending;
  pending.write.is_delete = true;
  pending.write.row_id = removed.row_id;
  pending.outcome = OutcomeFor(clip, voter);
  pending.outcome.row_id = removed.row_id;
  pending.outcome.season_id = round_->season_id;
  pending.outcome.slot = round_->position;
  pending.outcome.weight = removed.weight;
  pending.outcome.withdrawn = true;
  pending.rate = rate;
  pending.done = std::move(done);
  const Id clip_id = clip.clip->id;
  const EpochMs day = voter.day_start;
  pending.undo = [this, key, removed, from_extra, promoted, refund, voter_index, power_bit, clip_id,
                  day] {
    if (from_extra) {
      extra_votes_.emplace(key, removed);
    } else if (promoted) {
      extra_votes_.emplace(key, *promoted);
      votes_.at(key) = removed;
    } else {
      votes_.emplace(key, removed);
    }
    auto& v = voters_[voter_index];
    if (refund && v.day_start == day) ++v.day_count;
    v.power_used |= power_bit;
    if (auto it = clips_.find(clip_id); it != clips_.end()) {
      ++it->second.votes;
      it->second.score += removed.weight;
      it->second.dirty = true;
    }
  };
  Enqueue(std::move(pending));
}

void LocalVoteEngine::Enqueue(PendingWrite pending) {
  queue_.push_back(std::move(pending));
  writer_cv_.notify_one();
}

void LocalVoteEngine::WriterLoop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    writer_cv_.wait(lock, [&] { return stopping_ || !queue_.empty() || !pending_views_.empty(); });
    // Impressions alone are acknowledged to no one: they wait (policy_.impression_flush_*) so
    // a feed-only load commits a few times a second rather than once per handful of requests.
    // A crash loses at most that window of impressions (a clip shown again after a restart),
    // never a vote. Votes never wait; impressions ride along with them.
    const auto flush_answers = static_cast<std::size_t>(policy_.impression_flush_answers);
    if (queue_.empty() && !stopping_ && !paused_ && pending_views_.size() < flush_answers) {
      writer_cv_.wait_until(
          lock, views_pending_since_ + std::chrono::milliseconds(policy_.impression_flush_ms), [&] {
            return stopping_ || paused_ || !queue_.empty() ||
                   pending_views_.size() >= flush_answers;
          });
    }
    if (queue_.empty() && pending_views_.empty()) {
      if (stopping_) break;
      continue;
    }
    // Group commit: everything queued while the previous commit was in flight goes together.
    std::vector<PendingWrite> batch;
    const std::size_t take =
        std::min<std::size_t>(queue_.size(), static_cast<std::size_t>(policy_.batch_max));
    batch.reserve(take);
    for (std::size_t i = 0; i < take; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    std::vector<ViewRecord> views;
    views.swap(pending_views_);
    std::vector<ClipCounterSnapshot> counters;
    const EpochMs now = clock_.NowMs();
    // A clock stepped back would otherwise stop the snapshots until it caught up again.
    if (now - last_snapshot_ >= kSnapshotIntervalMs || now < last_snapshot_) {
      last_snapshot_ = now;
      for (auto& [id, clip] : clips_) {
        if (!clip.dirty) continue;
        clip.dirty = false;
        counters.push_back({id, clip.votes, clip.score, clip.impressions});
      }
    }
    writing_ = true;
    lock.unlock();

    std::vector<VoteWrite> writes;
    writes.reserve(batch.size());
    for (const auto& p : batch) writes.push_back(p.write);
    bool committed = true;
    const auto commit_started = std::chrono::steady_clock::now();
    try {
      store_.ApplyVoteBatch(writes, views, counters);
    } catch (const std::exception& e) {
      committed = false;
      spdlog::error(R"({{"msg":"vote batch commit failed","rows":{},"error":"{}"}})", writes.size(),
                    e.what());
    }

    const std::chrono::duration<double> commit_time =
        std::chrono::steady_clock::now() - commit_started;
    lock.lock();
    writing_ = false;
    stats_.commit_seconds += commit_time.count();
    if (committed) {
      ++stats_.batches;
      stats_.rows += batch.size();
      for (const auto& v : views) stats_.views += v.clip_ids.size();
      stats_.largest_batch = std::max<std::uint64_t>(stats_.largest_batch, batch.size());
    } else {
      for (auto it = batch.rbegin(); it != batch.rend(); ++it) it->undo();
      for (const auto& c : counters) {
        if (auto it = clips_.find(c.clip_id); it != clips_.end()) it->second.dirty = true;
      }
    }
    if (queue_.empty() && pending_views_.empty()) idle_cv_.notify_all();
    lock.unlock();
    for (auto& p : batch) {
      if (committed) {
        p.done(p.outcome, p.rate);
      } else {
        p.done(vote_refusal::StorageUnavailable(), p.rate);
      }
    }
    lock.lock();
  }
}

VoterFeed LocalVoteEngine::Feed(const FeedRequest& request) {
  // What needs no engine state is prepared before the lock, which both HTTP threads want.
  const VoterId packed_voter = PackVoterKey(request.voter_key);
  const std::unordered_set<Id> exclude(request.exclude_ids.begin(), request.exclude_ids.end());
  std::unique_lock lock(mutex_);
  const EpochMs now = clock_.NowMs();
  VoterFeed feed;
  feed.round = round_;
  feed.voting_open =
      voting_open_ && round_ && (!round_->voting_ends_at || now < *round_->voting_ends_at);
  feed.remaining_today = policy_.daily_limit;
  const auto voter_id = voter_ids_.find_value(packed_voter);
  const bool known = voter_id.has_value();
  if (known) {
    VoterState& voter = voters_[*voter_id];
    RollDay(voter, now);
    feed.total_votes_today = voter.day_count;
    feed.remaining_today = std::max(0, policy_.daily_limit - voter.day_count);
    feed.power_used = voter.power_used;
  }
  if (!round_) return feed;
  std::vector<FeedCandidate> candidates;
  candidates.reserve(clip_order_.size());
  const VoterState* voter = known ? &voters_[*voter_id] : nullptr;
  for (Id id : clip_order_) {
    const ClipState& clip = clips_.at(id);
    FeedCandidate c{id,   clip.clip->created_at, clip.impressions, clip.clip->view_count, false,
                    false};
    if (voter != nullptr) {
      c.voted = votes_.count(Key(*voter_id, clip.index)) > 0;
      c.seen = voter->Seen(clip.index);
      if (c.voted) feed.voted_clip_ids.push_back(id);
    }
    candidates.push_back(c);
  }
  feed.total_clips = candidates.size();
  const auto ranked =
      RankFeed(candidates, exclude, request.limit, now, policy_.fresh_clip_ms, rng_);
  feed.has_more = ranked.has_more;
  // A reader new to the engine is remembered only within their network's daily allowance, so a
  // flood of fresh identities from one place cannot grow the voter table or skew exposure.
  std::optional<std::uint32_t> voter_index;
  if (request.record_impressions && !ranked.ids.empty()) {
    if (known) {
      voter_index = *voter_id;
    } else if (request.network == 0 || network_budget_.AdmitNewReader(request.network, now)) {
      voter_index = VoterIndex(packed_voter);
    }
  }
  ViewRecord seen{request.voter_key, round_->season_id, round_->position, {}, now};
  for (Id id : ranked.ids) {
    ClipState& clip = clips_.at(id);
    if (voter_index && voters_[*voter_index].MarkSeen(clip.index)) {
      ++clip.impressions;
      clip.dirty = true;
      seen.clip_ids.push_back(id);
    }
    feed.clips.push_back(FeedClip{clip.clip, clip.votes, clip.score, clip.impressions});
  }
  if (!seen.clip_ids.empty()) {
    if (pending_views_.empty()) views_pending_since_ = std::chrono::steady_clock::now();
    pending_views_.push_back(std::move(seen));
    // The writer only needs waking for the first record and when the batch is full.
    if (pending_views_.size() == 1 ||
        pending_views_.size() == static_cast<std::size_t>(policy_.impression_flush_answers)) {
      writer_cv_.notify_one();
    }
  }
  return feed;
}

std::optional<ClipCounts> LocalVoteEngine::Counts(Id clip_id) {
  std::lock_guard lock(mutex_);
  auto it = clips_.find(clip_id);
  if (it == clips_.end()) return std::nullopt;
  return ClipCounts{it->second.votes, it->second.score, it->second.impressions};
}

bool LocalVoteEngine::ReloadIfRoundChanged() {
  std::optional<std::pair<Id, std::string>> stored;
  if (auto season = store_.FindActiveSeason()) {
    if (auto slot = store_.FindOpenSlot(season->id)) {
      stored.emplace(slot->id, std::string(ToString(slot->status)) + "|" +
                                   std::to_string(slot->status == SlotStatus::kVoting
                                                      ? slot->voting_ends_at.value_or(0)
                                                      : 0));
    }
  }
  std::optional<std::pair<Id, std::string>> held;
  {
    std::lock_guard lock(mutex_);
    if (round_) {
      held.emplace(round_->slot_id, std::string(voting_open_ ? "voting" : "waiting_for_clips") +
                                        "|" + std::to_string(round_->voting_ends_at.value_or(0)));
    }
  }
  if (stored != held) {
    spdlog::info(R"({"msg":"open slot changed elsewhere; reloading vote engine"})");
    Exclusive([] {});
    return true;
  }
  return false;
}

std::optional<OpenRound> LocalVoteEngine::Round() {
  std::lock_guard lock(mutex_);
  return round_;
}

}  // namespace aimoviez::engine
