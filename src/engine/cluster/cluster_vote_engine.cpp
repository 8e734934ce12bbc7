#include "engine/cluster/cluster_vote_engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <unordered_set>
#include <utility>

#include "common/thread_name.h"
#include "domain/feed_ranker.h"
#include "domain/rate_limit.h"
#include "domain/vote_refusals.h"

namespace aimoviez::engine {

namespace {

NetworkBudgetPolicy NetworkPolicyOf(const VotePolicy& policy) {
  return NetworkBudgetPolicy{
      policy.anon_per_clip_per_network, policy.unverified_per_clip_per_network,
      policy.anon_per_network_per_day, policy.new_readers_per_network_per_day};
}

// The ledger's refusal of a vote the node had let by, as the client sees it.
Error LedgerRefusal(const LedgerDecision& d, const VotePolicy& policy, EpochMs now, VoteType type) {
  switch (d.verdict) {
    case LedgerVerdict::kAlreadyVoted:
      return vote_refusal::AlreadyVoted();
    case LedgerVerdict::kDailyLimit:
      return vote_refusal::DailyLimit(policy.daily_limit, now);
    case LedgerVerdict::kPowerUsed:
      return vote_refusal::PowerVoteUsed(type);
    case LedgerVerdict::kNetworkClipBudget:
      return NetworkBudgetRefusal(NetworkBudgetSpent::kClip, NetworkPolicyOf(policy), now);
    case LedgerVerdict::kUnverifiedClipBudget:
      return NetworkBudgetRefusal(NetworkBudgetSpent::kUnverifiedClip, NetworkPolicyOf(policy),
                                  now);
    case LedgerVerdict::kNetworkDailyBudget:
      return NetworkBudgetRefusal(NetworkBudgetSpent::kDay, NetworkPolicyOf(policy), now);
    default:
      return vote_refusal::ClipLeftTheRound();
  }
}

}  // namespace

ClusterVoteEngine::ClusterVoteEngine(Store& store, VoteLedger& ledger, RateWindows& windows,
                                     const Clock& clock, VotePolicy policy,
                                     ClusterEngineOptions options)
    : store_(store),
      ledger_(ledger),
      windows_(windows),
      clock_(clock),
      policy_(policy),
      options_(options) {
  writer_ = std::thread([this] {
    NameThisThread("vote-ledger");
    WriterLoop();
  });
}

ClusterVoteEngine::~ClusterVoteEngine() {
  Shutdown();
}

void ClusterVoteEngine::Shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  writer_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

ClusterEngineStats ClusterVoteEngine::Stats() {
  std::lock_guard lock(mutex_);
  return stats_;
}

ClusterVoteEngine::RoundState ClusterVoteEngine::ReadRound() {
  RoundState fresh;
  // Read first: a change committed while the rest is read leaves an older number, and the next
  // comparison reads the round again.
  fresh.version = ledger_.RoundVersion();
  auto season = store_.FindActiveSeason();
  if (!season) return fresh;
  auto slot = store_.FindOpenSlot(season->id);
  if (!slot) return fresh;
  fresh.voting_open = slot->status == SlotStatus::kVoting;
  fresh.round = OpenRound{season->id,
                          slot->id,
                          slot->position,
                          season->total_slots,
                          fresh.voting_open ? slot->voting_ends_at : std::nullopt,
                          season->label};
  std::uint32_t index = 0;
  for (auto& clip : store_.ListClips(ClipQuery{season->id, slot->position, ClipStatus::kActive,
                                               std::nullopt, 1'000'000, 0})) {
    ClipState state;
    state.index = index++;
    const Id id = clip.id;
    state.clip = std::make_shared<const Clip>(std::move(clip));
    fresh.clip_order.push_back(id);
    fresh.clips.emplace(id, std::move(state));
  }
  return fresh;
}

void ClusterVoteEngine::Install(RoundState fresh, const std::vector<ClipTally>& tallies) {
  std::lock_guard lock(mutex_);
  const auto same_round = [&] {
    if (fresh.round.has_value() != state_.round.has_value()) return false;
    if (!fresh.round) return true;
    return fresh.round->slot_id == state_.round->slot_id &&
           fresh.round->voting_ends_at == state_.round->voting_ends_at &&
           fresh.voting_open == state_.voting_open && fresh.clip_order == state_.clip_order;
  }();
  if (!same_round) {
    if (stats_.refreshes > 0 && !paused_) round_changed_ = true;
    state_ = std::move(fresh);
  } else {
    state_.version = fresh.version;
  }
  for (auto& [id, clip] : state_.clips) clip.tally = ClipTally{id, 0, 0, 0};
  for (const auto& t : tallies) {
    if (auto it = state_.clips.find(t.clip_id); it != state_.clips.end()) it->second.tally = t;
  }
  ++stats_.refreshes;
}

void ClusterVoteEngine::Refresh() {
  RoundState fresh = ReadRound();
  std::vector<ClipTally> tallies;
  if (fresh.round) {
    bool new_round = false;
    {
      std::lock_guard lock(mutex_);
      new_round = !state_.round || state_.round->slot_id != fresh.round->slot_id;
    }
    // Votes stored by other writers (the demo seed, migrate-data, an embedded past) are not in
    // the kept tallies: a round this node starts serving is recounted once.
    if (new_round) {
      const auto rebuilt = ledger_.Reconcile(fresh.round->season_id, fresh.round->position);
      if (!rebuilt.empty()) {
        spdlog::info(R"({{"msg":"round tallies recounted","season":{},"slot":{},"clips":{}}})",
                     fresh.round->season_id, fresh.round->position, rebuilt.size());
      }
    }
    tallies = ledger_.Tallies(fresh.round->season_id, fresh.round->position);
  }
  Install(std::move(fresh), tallies);
}

std::size_t ClusterVoteEngine::Reconcile() {
  const auto round = Round();
  if (!round) return 0;
  const auto repairs = ledger_.Reconcile(round->season_id, round->position);
  for (const auto& r : repairs) {
    spdlog::warn(
        R"({{"msg":"vote tally repaired","season":{},"slot":{},"clip":{},"kept_votes":{},"kept_score":{},"counted_votes":{},"counted_score":{}}})",
        round->season_id, round->position, r.kept.clip_id, r.kept.votes, r.kept.score,
        r.counted.votes, r.counted.score);
  }
  std::lock_guard lock(mutex_);
  stats_.tally_repairs += repairs.size();
  return repairs.size();
}

void ClusterVoteEngine::Load() {
  Refresh();
}

void ClusterVoteEngine::Exclusive(const std::function<void()>& work) {
  std::unique_lock lock(mutex_);
  idle_cv_.wait(lock, [&] { return !paused_; });  // one round change at a time on this node
  paused_ = true;
  writer_cv_.notify_all();
  // This node's accepted votes are committed before the round changes; other nodes' batches
  // and the change meet at the slot row in PostgreSQL.
  idle_cv_.wait(lock, [&] { return queue_.empty() && !writing_; });
  lock.unlock();
  const auto resume = [&] {
    try {
      Refresh();
    } catch (const std::exception& e) {
      spdlog::error(R"({{"msg":"vote engine refresh failed","error":"{}"}})", e.what());
    }
    std::lock_guard relock(mutex_);
    paused_ = false;
    idle_cv_.notify_all();
  };
  try {
    work();
  } catch (...) {
    resume();
    throw;
  }
  resume();
}

Result<ClusterVoteEngine::ClipState*> ClusterVoteEngine::FindVotableClip(Id clip_id, EpochMs now,
                                                                         bool check_deadline) {
  if (auto refusal =
          vote_refusal::RoundRefusal(state_.round, state_.voting_open, now, check_deadline)) {
    return std::move(*refusal);
  }
  auto it = state_.clips.find(clip_id);
  if (it == state_.clips.end()) return vote_refusal::ClipNotVotable();
  return &it->second;
}

Result<ClusterVoteEngine::ClipState*> ClusterVoteEngine::FindVotableClipFresh(
    std::unique_lock<std::mutex>& lock, Id clip_id, EpochMs now, bool check_deadline) {
  auto found = FindVotableClip(clip_id, now, check_deadline);
  if (found) return found;
  // A read that began before this refusal may have missed what made the vote valid.
  RefreshBegunAfterNow(lock);
  idle_cv_.wait(lock, [&] { return !paused_; });
  return FindVotableClip(clip_id, now, check_deadline);
}

void ClusterVoteEngine::RefreshBegunAfterNow(std::unique_lock<std::mutex>& lock) {
  const std::uint64_t wanted = demand_refreshes_started_ + 1;
  while (demand_refreshes_done_ < wanted) {
    if (demand_refreshing_) {
      demand_cv_.wait(lock);
      continue;
    }
    demand_refreshing_ = true;
    ++demand_refreshes_started_;
    const auto earliest =
        last_demand_refresh_ + std::chrono::milliseconds(options_.miss_refresh_spacing_ms);
    lock.unlock();
    std::this_thread::sleep_until(earliest);
    const auto finish = [&] {
      lock.lock();
      last_demand_refresh_ = std::chrono::steady_clock::now();
      demand_refreshing_ = false;
      ++demand_refreshes_done_;
      ++stats_.demand_refreshes;
      demand_cv_.notify_all();
    };
    try {
      Refresh();
    } catch (...) {
      finish();
      throw;
    }
    finish();
  }
}

std::optional<Error> ClusterVoteEngine::AdmitToWindows(const CastRequest& req, EpochMs now,
                                                       RateLimitInfo& rate) {
  const auto info = [](const RateDecision& d) {
    return RateLimitInfo{d.limit, d.remaining, d.reset_at_ms, d.retry_after_seconds};
  };
  try {
    const RateDecision ip =
        windows_.Admit("vote-ip:" + req.ip, policy_.per_ip_per_minute_limit, now);
    if (!ip.allowed) {
      rate = info(ip);
      return vote_refusal::RateLimitedNetwork();
    }
    const RateDecision voter =
        windows_.Admit("vote-voter:" + req.voter_key, policy_.per_minute_limit, now);
    rate = info(voter);
    if (!voter.allowed) {
      return vote_refusal::RateLimitedVoter();
    }
  } catch (const LimitsUnavailable& e) {
    spdlog::warn(R"({{"msg":"vote refused: limits unavailable","cause":"{}"}})", e.cause());
    return e.error();
  }
  return std::nullopt;
}

void ClusterVoteEngine::Cast(const CastRequest& req, VoteCallback done) {
  const EpochMs now = clock_.NowMs();
  RateLimitInfo rate;
  {
    std::unique_lock lock(mutex_);
    idle_cv_.wait(lock, [&] { return !paused_; });
    // A network's budgets are decided by the ledger, which sees every node's votes.
    auto found = FindVotableClipFresh(lock, req.clip_id, now, /*check_deadline=*/true);
    if (!found) {
      lock.unlock();
      done(found.error(), rate);
      return;
    }
  }
  // The shared windows are a round trip to Redis: asked outside the lock.
  if (auto refusal = AdmitToWindows(req, now, rate)) {
    done(std::move(*refusal), rate);
    return;
  }
  std::lock_guard lock(mutex_);
  queue_.push_back(Pending{false, req, {}, std::move(done), rate});
  writer_cv_.notify_one();
}

void ClusterVoteEngine::Revoke(const RevokeRequest& req, VoteCallback done) {
  std::unique_lock lock(mutex_);
  idle_cv_.wait(lock, [&] { return !paused_; });
  // Revoking stays possible until the round closes, even after the deadline has passed.
  auto found = FindVotableClipFresh(lock, req.clip_id, clock_.NowMs(), /*check_deadline=*/false);
  if (!found) {
    lock.unlock();
    done(found.error(), RateLimitInfo{});
    return;
  }
  queue_.push_back(Pending{true, {}, req, std::move(done), {}});
  writer_cv_.notify_one();
}

VoteOutcome ClusterVoteEngine::OutcomeFor(Id clip_id) {
  VoteOutcome o;
  o.clip_id = clip_id;
  if (auto it = state_.clips.find(clip_id); it != state_.clips.end()) {
    o.vote_count = it->second.tally.votes;
    o.weighted_score = it->second.tally.score;
  }
  if (state_.round) {
    o.season_id = state_.round->season_id;
    o.slot = state_.round->position;
  }
  return o;
}

void ClusterVoteEngine::CommitCasts(std::vector<Pending>& casts, bool may_carry) {
  const EpochMs now = clock_.NowMs();
  std::optional<OpenRound> round;
  std::vector<LedgerVote> votes;
  votes.reserve(casts.size());
  {
    std::lock_guard lock(mutex_);
    round = state_.round;
    for (std::size_t i = 0; i < casts.size() && round; ++i) {
      const CastRequest& req = casts[i].cast;
      // Flagged votes count; the reasons are for the admin's review of suspicious voting.
      std::string reason;
      auto flag = [&](std::string_view why) {
        if (!reason.empty()) reason += ' ';
        reason += why;
      };
      // (`busy_network` is the ledger's to add: it counts the network's votes.)
      if (req.network != 0 && !req.device_verified) flag("unverified_device");
      LedgerVote v;
      v.record = VoteRecord{0,
                            req.clip_id,
                            round->season_id,
                            req.voter_key,
                            req.user_id,
                            WeightOf(req.type),
                            std::string(ToString(req.type)),
                            round->position,
                            !reason.empty(),
                            now,
                            static_cast<std::int64_t>(req.network),
                            std::move(reason)};
      v.repeat_allowed = req.multi_vote;
      v.device_verified = req.device_verified;
      votes.push_back(std::move(v));
    }
  }
  std::vector<LedgerDecision> decisions;
  bool committed = round.has_value();
  if (round) {
    try {
      LedgerRules rules(policy_.daily_limit);
      rules.rapid_run = policy_.rapid_streak;
      rules.rapid_gap_ms = policy_.rapid_gap_ms;
      rules.network = {policy_.anon_per_clip_per_network, policy_.unverified_per_clip_per_network,
                       policy_.anon_per_network_per_day};
      decisions = ledger_.Commit(round->season_id, round->position, votes, UtcDayStart(now), rules);
    } catch (const std::exception& e) {
      committed = false;
      spdlog::error(R"({{"msg":"vote batch commit failed","rows":{},"error":"{}"}})", votes.size(),
                    e.what());
    }
  }
  // This node learns of another node's round change at its next read. A vote it let by in the
  // old round for a clip carried into the new one is decided there, as embedded mode would.
  std::vector<bool> carried(casts.size(), false);
  if (committed && may_carry) {
    std::vector<Pending> again;
    for (const std::size_t i : CastsForANewerRound(casts, decisions, *round, now)) {
      carried[i] = true;
      again.push_back(std::move(casts[i]));
    }
    if (!again.empty()) CommitCasts(again, /*may_carry=*/false);
  }
  // An accepted power vote's answer says which of the voter's power votes are spent now, the
  // ones cast through other nodes included (at most two per voter and round: asked each time).
  std::vector<std::uint8_t> power_spent(casts.size(), 0);
  for (std::size_t i = 0; committed && i < casts.size(); ++i) {
    const CastRequest& req = casts[i].cast;
    if (req.type == VoteType::kStandard || decisions[i].verdict != LedgerVerdict::kAccepted) {
      continue;
    }
    power_spent[i] = PowerBit(req.type);
    try {
      power_spent[i] |=
          ledger_.Standing(round->season_id, round->position, req.voter_key, UtcDayStart(now))
              .power_used;
    } catch (const std::exception& e) {
      // The vote is committed: the answer then names only this vote's kind as spent.
      spdlog::warn(R"({{"msg":"power votes spent: not read","error":"{}"}})", e.what());
    }
  }

  std::vector<Result<VoteOutcome>> answers;
  answers.reserve(casts.size());
  {
    std::lock_guard lock(mutex_);
    ++stats_.batches;
    if (round && !committed) ++stats_.failed_commits;
    for (std::size_t i = 0; i < casts.size(); ++i) {
      if (carried[i]) {
        answers.emplace_back(vote_refusal::ClipLeftTheRound());  // answered by the second commit
        continue;
      }
      const CastRequest& req = casts[i].cast;
      const bool accepted = committed && decisions[i].verdict == LedgerVerdict::kAccepted;
      if (!round) {
        answers.emplace_back(vote_refusal::NoActiveSlot());
        continue;
      }
      if (!committed) {
        answers.emplace_back(vote_refusal::StorageUnavailable());
        continue;
      }
      const LedgerDecision& d = decisions[i];
      if (!accepted) {
        ++stats_.refused_by_ledger;
        answers.emplace_back(LedgerRefusal(d, policy_, now, req.type));
        continue;
      }
      ++stats_.accepted;
      const int weight = WeightOf(req.type);
      // The answer carries the clip's tally as the ledger committed this vote: every node's
      // votes up to it. The cache takes it too; the batch's last vote on a clip leaves the tally
      // at the batch's commit (the writer is also the one that refreshes the cache, so nothing
      // newer was read in between).
      if (auto it = state_.clips.find(req.clip_id); it != state_.clips.end()) {
        it->second.tally.votes = d.tally.votes;
        it->second.tally.score = d.tally.score;
      }
      VoteOutcome o = OutcomeFor(req.clip_id);
      o.vote_count = d.tally.votes;
      o.weighted_score = d.tally.score;
      o.total_votes_today = d.votes_today;
      o.remaining_today = std::max(0, policy_.daily_limit - d.votes_today);
      const int n = d.votes_today;
      if (n == 1 || n == 50 || n == 100 || n == policy_.daily_limit) o.milestone = n;
      o.flagged = d.flagged;
      o.power_used = power_spent[i];
      o.row_id = d.vote_id;
      o.season_id = round->season_id;
      o.slot = round->position;
      o.weight = weight;
      answers.emplace_back(std::move(o));
    }
  }
  for (std::size_t i = 0; i < casts.size(); ++i) {
    if (!carried[i]) casts[i].done(std::move(answers[i]), casts[i].rate);
  }
}

std::vector<std::size_t> ClusterVoteEngine::CastsForANewerRound(
    const std::vector<Pending>& casts, const std::vector<LedgerDecision>& decisions,
    const OpenRound& committed_in, EpochMs now) {
  const bool any_refused = std::any_of(decisions.begin(), decisions.end(), [](const auto& d) {
    return d.verdict == LedgerVerdict::kRoundClosed;
  });
  if (!any_refused || !RoundMovedOnFrom(committed_in)) return {};
  std::vector<std::size_t> out;
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < casts.size(); ++i) {
    if (decisions[i].verdict == LedgerVerdict::kRoundClosed &&
        FindVotableClip(casts[i].cast.clip_id, now, /*check_deadline=*/true)) {
      out.push_back(i);
    }
  }
  return out;
}

bool ClusterVoteEngine::RoundMovedOnFrom(const OpenRound& used) {
  try {
    std::int64_t cached = 0;
    {
      std::lock_guard lock(mutex_);
      cached = state_.version;
    }
    if (ledger_.RoundVersion() > cached) Refresh();
  } catch (const std::exception& e) {
    spdlog::warn(R"({{"msg":"vote engine refresh failed","error":"{}"}})", e.what());
    return false;
  }
  std::lock_guard lock(mutex_);
  return state_.round && state_.round->slot_id != used.slot_id;
}

void ClusterVoteEngine::CommitRevoke(Pending& pending, bool may_retry) {
  const RevokeRequest& req = pending.withdraw;
  const EpochMs now = clock_.NowMs();
  const EpochMs today = UtcDayStart(now);
  std::optional<OpenRound> round;
  {
    std::lock_guard lock(mutex_);
    round = state_.round;
  }
  if (!round) {
    pending.done(vote_refusal::NoActiveSlot(), pending.rate);
    return;
  }
  std::optional<LedgerRemoval> removed;
  VoterStanding standing;
  try {
    removed = req.row_id != 0 ? ledger_.Invalidate(round->season_id, round->position, req.row_id)
                              : ledger_.Revoke(round->season_id, round->position, req.voter_key,
                                               req.clip_id, today);
    if (removed)
      standing = ledger_.Standing(round->season_id, round->position, req.voter_key, today);
  } catch (const std::exception& e) {
    spdlog::error(R"({{"msg":"vote revocation failed","error":"{}"}})", e.what());
    pending.done(vote_refusal::StorageUnavailable(), pending.rate);
    return;
  }
  if (!removed) {
    // The vote may be in a round another node opened after this node read its own (a vote
    // counted there through the other node, undone at once through this one).
    if (may_retry && RoundMovedOnFrom(*round)) {
      CommitRevoke(pending, /*may_retry=*/false);
      return;
    }
    pending.done(vote_refusal::VoteNotFound(), pending.rate);
    return;
  }
  const StoredVote& vote = removed->vote;
  VoteOutcome o;
  {
    std::lock_guard lock(mutex_);
    // The ledger's tally as the removal committed it: every node's votes up to then.
    if (auto it = state_.clips.find(vote.clip_id); it != state_.clips.end()) {
      it->second.tally.votes = removed->tally.votes;
      it->second.tally.score = removed->tally.score;
    }
    o = OutcomeFor(vote.clip_id);
  }
  o.total_votes_today = standing.votes_today;
  o.remaining_today = std::max(0, policy_.daily_limit - standing.votes_today);
  o.power_used = standing.power_used;
  o.row_id = vote.id;
  o.season_id = round->season_id;
  o.slot = round->position;
  o.weight = vote.weight;
  o.withdrawn = true;
  pending.done(std::move(o), pending.rate);
}

void ClusterVoteEngine::WriterLoop() {
  using Clock = std::chrono::steady_clock;
  const auto interval = std::chrono::milliseconds(std::max(1, options_.tally_interval_ms));
  const auto flush_answers = static_cast<std::size_t>(policy_.impression_flush_answers);
  auto next_refresh = Clock::now() + interval;
  const auto reconcile_every =
      std::chrono::milliseconds(std::max(1, options_.reconcile_interval_ms));
  auto next_reconcile = Clock::now() + reconcile_every;
  std::unique_lock lock(mutex_);
  for (;;) {
    writer_cv_.wait_until(lock, next_refresh, [&] {
      return stopping_ || !queue_.empty() || pending_views_.size() >= flush_answers;
    });
    if (stopping_ && queue_.empty() && pending_views_.empty()) break;
    // Group commit: every vote queued while the previous batch was in the ledger goes together.
    std::vector<Pending> batch;
    const std::size_t take =
        std::min<std::size_t>(queue_.size(), static_cast<std::size_t>(policy_.batch_max));
    for (std::size_t i = 0; i < take; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    std::vector<ViewRecord> views;
    views.swap(pending_views_);
    writing_ = true;
    lock.unlock();

    // In order: a revocation may follow the cast it withdraws within one batch.
    std::vector<Pending> casts;
    for (auto& p : batch) {
      if (!p.revoke) {
        casts.push_back(std::move(p));
        continue;
      }
      if (!casts.empty()) CommitCasts(casts);
      casts.clear();
      CommitRevoke(p);
    }
    if (!casts.empty()) CommitCasts(casts);
    if (!views.empty()) {
      try {
        ledger_.RecordImpressions(views);
      } catch (const std::exception& e) {
        // Impressions are acknowledged to no one: a lost page of them shows a clip again.
        spdlog::warn(R"({{"msg":"impressions not stored","error":"{}"}})", e.what());
      }
    }
    if (Clock::now() >= next_reconcile) {
      try {
        Reconcile();
        // Yesterday's counts are kept a day (a vote near midnight may still be decided against
        // them); older ones bound the table to two days of voters.
        ledger_.ForgetDaysBefore(UtcDayStart(clock_.NowMs()) - 86'400'000);
      } catch (const std::exception& e) {
        spdlog::warn(R"({{"msg":"vote tally reconciliation failed","error":"{}"}})", e.what());
      }
      next_reconcile = Clock::now() + reconcile_every;
    }
    if (Clock::now() >= next_refresh || stopping_) {
      try {
        Refresh();
      } catch (const std::exception& e) {
        spdlog::warn(R"({{"msg":"vote engine refresh failed","error":"{}"}})", e.what());
      }
      next_refresh = Clock::now() + interval;
    }

    lock.lock();
    writing_ = false;
    if (queue_.empty()) idle_cv_.notify_all();
  }
}

VoterFeed ClusterVoteEngine::Feed(const FeedRequest& request) {
  std::int64_t stored_version = 0;
  if (auto feed = FeedFromCache(request, /*accept_stale=*/false, &stored_version)) {
    return std::move(*feed);
  }
  {
    std::unique_lock lock(mutex_);
    // Versions only grow: a read another feed caused may already have brought this one.
    if (state_.version < stored_version) RefreshBegunAfterNow(lock);
  }
  return *FeedFromCache(request, /*accept_stale=*/true);
}

std::optional<VoterFeed> ClusterVoteEngine::FeedFromCache(const FeedRequest& request,
                                                          bool accept_stale,
                                                          std::int64_t* stored_version) {
  const EpochMs now = clock_.NowMs();
  VoterFeed feed;
  feed.remaining_today = policy_.daily_limit;
  std::vector<ClipState> clips;
  std::int64_t version = 0;
  {
    std::lock_guard lock(mutex_);
    feed.round = state_.round;
    feed.voting_open = state_.voting_open && state_.round &&
                       (!state_.round->voting_ends_at || now < *state_.round->voting_ends_at);
    clips.reserve(state_.clip_order.size());
    for (Id id : state_.clip_order) clips.push_back(state_.clips.at(id));
    version = state_.version;
  }
  // Without a round the standing is asked of no round (season 0): only its version counts.
  const VoterStanding standing =
      ledger_.Standing(feed.round ? feed.round->season_id : 0,
                       feed.round ? feed.round->position : 0, request.voter_key, UtcDayStart(now));
  if (stored_version) *stored_version = standing.round_version;
  if (!accept_stale && standing.round_version != version) return std::nullopt;
  if (!feed.round) return feed;
  const OpenRound& round = *feed.round;
  feed.total_votes_today = standing.votes_today;
  feed.remaining_today = std::max(0, policy_.daily_limit - standing.votes_today);
  feed.power_used = standing.power_used;
  const std::unordered_set<Id> voted(standing.voted_clip_ids.begin(),
                                     standing.voted_clip_ids.end());
  const std::unordered_set<Id> seen(standing.seen_clip_ids.begin(), standing.seen_clip_ids.end());
  std::vector<FeedCandidate> candidates;
  candidates.reserve(clips.size());
  for (const auto& c : clips) {
    const Id id = c.clip->id;
    candidates.push_back(FeedCandidate{id, c.clip->created_at, c.tally.impressions,
                                       c.clip->view_count, voted.count(id) > 0,
                                       seen.count(id) > 0});
    if (voted.count(id)) feed.voted_clip_ids.push_back(id);
  }
  feed.total_clips = candidates.size();
  const std::unordered_set<Id> exclude(request.exclude_ids.begin(), request.exclude_ids.end());
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const auto ranked = RankFeed(candidates, exclude, request.limit, now, policy_.fresh_clip_ms, rng);
  feed.has_more = ranked.has_more;

  ViewRecord shown{request.voter_key, round.season_id, round.position, {}, now};
  for (Id id : ranked.ids) {
    if (!seen.count(id)) shown.clip_ids.push_back(id);
    const auto& c = *std::find_if(clips.begin(), clips.end(),
                                  [&](const ClipState& s) { return s.clip->id == id; });
    feed.clips.push_back(FeedClip{c.clip, c.tally.votes, c.tally.score, c.tally.impressions});
  }
  if (request.record_impressions && !shown.clip_ids.empty() && Remembers(request, standing, now)) {
    std::lock_guard lock(mutex_);
    pending_views_.push_back(std::move(shown));
    if (pending_views_.size() >= static_cast<std::size_t>(policy_.impression_flush_answers)) {
      writer_cv_.notify_one();
    }
  }
  return feed;
}

// A reader the ledger knows nothing of yet is remembered only within their network's daily
// allowance, counted in the shared windows so it is one allowance whichever node serves them: a
// flood of fresh identities from one place cannot grow the tables. Without the shared store the
// reader is served and not remembered.
bool ClusterVoteEngine::Remembers(const FeedRequest& request, const VoterStanding& standing,
                                  EpochMs now) {
  const bool known = !standing.seen_clip_ids.empty() || !standing.voted_clip_ids.empty();
  if (known || request.network == 0) return true;
  try {
    return windows_.AdmitToday("new-readers:" + std::to_string(request.network),
                               policy_.new_readers_per_network_per_day, now);
  } catch (const LimitsUnavailable&) {
    return false;
  }
}

std::optional<ClipCounts> ClusterVoteEngine::Counts(Id clip_id) {
  std::lock_guard lock(mutex_);
  auto it = state_.clips.find(clip_id);
  if (it == state_.clips.end()) return std::nullopt;
  const ClipTally& t = it->second.tally;
  return ClipCounts{t.votes, t.score, t.impressions};
}

bool ClusterVoteEngine::ReloadIfRoundChanged() {
  std::lock_guard lock(mutex_);
  return std::exchange(round_changed_, false);
}

std::optional<OpenRound> ClusterVoteEngine::Round() {
  std::lock_guard lock(mutex_);
  return state_.round;
}

}  // namespace aimoviez::engine
