#include "storage/postgres/pg_vote_ledger.h"

#include <algorithm>
#include <unordered_map>

#include "storage/vote_columns.h"

namespace aimoviez::pg {

namespace {

LedgerVerdict VerdictOf(std::string_view text) {
  if (text == "accepted") return LedgerVerdict::kAccepted;
  if (text == "already_voted") return LedgerVerdict::kAlreadyVoted;
  if (text == "daily_limit") return LedgerVerdict::kDailyLimit;
  if (text == "power_used") return LedgerVerdict::kPowerUsed;
  if (text == "network_clip_budget") return LedgerVerdict::kNetworkClipBudget;
  if (text == "unverified_budget") return LedgerVerdict::kUnverifiedClipBudget;
  if (text == "network_day_budget") return LedgerVerdict::kNetworkDailyBudget;
  return LedgerVerdict::kRoundClosed;
}

// Votes can be withdrawn while the round is open: the slot row shared, as a batch takes it.
bool HoldOpenRound(Database& db, Id season_id, int slot_position) {
  return !db.Exec(
                "SELECT 1 FROM story_slots WHERE season_id = $1 AND slot_position = $2 AND "
                "status = 'voting' FOR SHARE",
                Params(season_id, slot_position))
              .empty();
}

}  // namespace

std::vector<LedgerDecision> PgVoteLedger::Commit(Id season_id, int slot_position,
                                                 const std::vector<LedgerVote>& votes,
                                                 EpochMs day_start, const LedgerRules& rules) {
  std::vector<LedgerDecision> decisions(votes.size());
  if (votes.empty()) return decisions;
  ArrayLiteral voter, user, clip, weight, type, repeat, flagged, created, network, reason, verified;
  for (const auto& v : votes) {
    const VoteRecord& r = v.record;
    voter.Text(r.voter_key);
    user.Opt(r.user_id);
    clip.Int(r.clip_id);
    weight.Int(r.weight);
    type.Text(r.vote_type);
    repeat.Bool(v.repeat_allowed);
    flagged.Bool(r.flagged);
    created.Int(r.created_at);
    network.Opt(NetworkColumn(r));
    reason.Opt(FlagReasonColumn(r));
    verified.Bool(v.device_verified);
  }
  Rows rows = db_.Exec(
      "SELECT ord, verdict, vote_id, votes_today, clip_votes, clip_score, vote_flagged "
      "FROM ledger_commit($1, $2, $3, $4, $5::text[], $6::bigint[], $7::bigint[], $8::int[], "
      "$9::text[], $10::boolean[], $11::boolean[], $12::bigint[], $13::bigint[], $14::text[], "
      "$15, $16, $17::boolean[], $18, $19, $20)",
      Params(season_id, slot_position, day_start, rules.daily_cap, voter, user, clip, weight, type,
             repeat, flagged, created, network, reason, rules.rapid_run, rules.rapid_gap_ms,
             verified, rules.network.per_clip, rules.network.unverified_per_clip,
             rules.network.per_day));
  std::unordered_map<Id, ClipTally> at_commit;  // the moved clips' tallies (rows with ord 0)
  for (int i = 0; i < rows.size(); ++i) {
    const auto ord = rows.Int(i, 0);
    if (ord == 0 && rows.TextView(i, 1) == "tally") {
      const Id clip_id = rows.Int(i, 2);
      at_commit[clip_id] = ClipTally{clip_id, rows.Int(i, 4), rows.Int(i, 5), 0};
      continue;
    }
    if (ord < 1 || ord > static_cast<std::int64_t>(decisions.size())) continue;
    auto& d = decisions[static_cast<std::size_t>(ord - 1)];
    d.verdict = VerdictOf(rows.TextView(i, 1));
    d.vote_id = rows.Int(i, 2);
    d.votes_today = static_cast<int>(rows.Int(i, 3));
    d.flagged = !rows.IsNull(i, 6) && rows.Bool(i, 6);
  }
  // Each accepted vote's tally: the commit's, less the batch's later votes for the same clip.
  for (std::size_t i = decisions.size(); i-- > 0;) {
    if (decisions[i].verdict != LedgerVerdict::kAccepted) continue;
    auto it = at_commit.find(votes[i].record.clip_id);
    if (it == at_commit.end()) continue;
    decisions[i].tally = it->second;
    it->second.votes -= 1;
    it->second.score -= votes[i].record.weight;
  }
  return decisions;
}

std::optional<LedgerRemoval> PgVoteLedger::DeleteVote(Id season_id, int slot_position, Id vote_id) {
  Rows rows = db_.Exec(
      "DELETE FROM votes WHERE id = $3 AND season_id = $1 AND slot_position = $2 "
      "RETURNING id, clip_id, voter_key, vote_weight, vote_type, created_at, network",
      Params(season_id, slot_position, vote_id));
  if (rows.empty()) return std::nullopt;
  LedgerRemoval removed;
  StoredVote& v = removed.vote;
  v.id = rows.Int(0, 0);
  v.clip_id = rows.Int(0, 1);
  v.voter_key = rows.Text(0, 2);
  v.weight = static_cast<int>(rows.Int(0, 3));
  v.vote_type = rows.Text(0, 4);
  v.created_at = rows.Int(0, 5);
  v.network = rows.OptInt(0, 6).value_or(0);
  Rows tally = db_.Exec(
      "UPDATE round_tallies SET votes = votes - 1, score = score - $4 WHERE season_id = $1 AND "
      "slot_position = $2 AND clip_id = $3 RETURNING votes, score",
      Params(season_id, slot_position, v.clip_id, v.weight));
  removed.tally.clip_id = v.clip_id;
  if (!tally.empty()) {
    removed.tally.votes = tally.Int(0, 0);
    removed.tally.score = tally.Int(0, 1);
  }
  return removed;
}

std::optional<LedgerRemoval> PgVoteLedger::Revoke(Id season_id, int slot_position,
                                                  std::string_view voter_key, Id clip_id,
                                                  EpochMs day_start) {
  std::optional<LedgerRemoval> removed;
  db_.Transaction([&] {
    if (!HoldOpenRound(db_, season_id, slot_position)) return;
    // The voter's row next, as ledger_commit takes it: a revocation and a cast of the same
    // voter on two nodes are decided one after the other.
    db_.Exec("SELECT 1 FROM voter_days WHERE voter_key = $1 AND day_start = $2 FOR UPDATE",
             Params(voter_key, day_start));
    // With multi-vote, the latest of the voter's votes on the clip goes first.
    Rows latest = db_.Exec(
        "SELECT id FROM votes WHERE season_id = $1 AND slot_position = $2 AND voter_key = $3 AND "
        "clip_id = $4 ORDER BY repeat_no DESC LIMIT 1",
        Params(season_id, slot_position, voter_key, clip_id));
    if (latest.empty()) return;
    removed = DeleteVote(season_id, slot_position, latest.Int(0, 0));
    // A vote of the given day gives its allowance back; an older one does not.
    if (removed && removed->vote.created_at >= day_start &&
        removed->vote.created_at < day_start + 86'400'000) {
      db_.Exec(
          "UPDATE voter_days SET votes = votes - 1 WHERE voter_key = $1 AND day_start = $2 AND "
          "votes > 0",
          Params(voter_key, day_start));
    }
  });
  return removed;
}

std::optional<LedgerRemoval> PgVoteLedger::Invalidate(Id season_id, int slot_position, Id vote_id) {
  std::optional<LedgerRemoval> removed;
  db_.Transaction([&] {
    if (!HoldOpenRound(db_, season_id, slot_position)) return;
    removed = DeleteVote(season_id, slot_position, vote_id);
    // An invalidated power vote stays spent for the round; a withdrawn one is given back.
    if (removed && (removed->vote.vote_type == "super" || removed->vote.vote_type == "mega")) {
      db_.Exec(
          "INSERT INTO spent_power_votes (season_id, slot_position, voter_key, vote_type) "
          "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
          Params(season_id, slot_position, removed->vote.voter_key, removed->vote.vote_type));
    }
  });
  return removed;
}

std::int64_t PgVoteLedger::RoundVersion() {
  return db_.Exec("SELECT version FROM cluster_versions WHERE name = 'round'").Int(0, 0);
}

VoterStanding PgVoteLedger::Standing(Id season_id, int slot_position, std::string_view voter_key,
                                     EpochMs day_start) {
  // One round trip, as every feed page asks it: each row says what it is in its first column.
  Rows rows = db_.Exec(
      "SELECT 'day', votes::bigint, NULL::text FROM voter_days "
      " WHERE voter_key = $3 AND day_start = $4 "
      "UNION ALL SELECT 'round', version, NULL FROM cluster_versions WHERE name = 'round' "
      "UNION ALL SELECT DISTINCT 'voted', clip_id, vote_type FROM votes "
      " WHERE season_id = $1 AND slot_position = $2 AND voter_key = $3 "
      "UNION ALL SELECT 'seen', clip_id, NULL FROM round_impressions "
      " WHERE season_id = $1 AND slot_position = $2 AND voter_key = $3",
      Params(season_id, slot_position, voter_key, day_start));
  VoterStanding out;
  for (int i = 0; i < rows.size(); ++i) {
    const auto kind = rows.TextView(i, 0);
    const std::int64_t value = rows.Int(i, 1);
    if (kind == "day") {
      out.votes_today = static_cast<int>(value);
    } else if (kind == "round") {
      out.round_version = value;
    } else if (kind == "seen") {
      out.seen_clip_ids.push_back(value);
    } else {
      if (std::find(out.voted_clip_ids.begin(), out.voted_clip_ids.end(), value) ==
          out.voted_clip_ids.end()) {
        out.voted_clip_ids.push_back(value);
      }
      const auto type = rows.TextView(i, 2);
      if (type == "super") out.power_used |= 1;
      if (type == "mega") out.power_used |= 2;
    }
  }
  return out;
}

void PgVoteLedger::RecordImpressions(const std::vector<ViewRecord>& views) {
  ArrayLiteral season, slot, voter, clip, seen_at;
  for (const auto& v : views) {
    for (Id id : v.clip_ids) {
      season.Int(v.season_id);
      slot.Int(v.slot_position);
      voter.Text(v.voter_key);
      clip.Int(id);
      seen_at.Int(v.created_at);
    }
  }
  db_.Transaction([&] {
    // Only the first showing of a clip to a voter counts toward its exposure.
    db_.Exec(
        "WITH added AS (INSERT INTO round_impressions (season_id, slot_position, voter_key, "
        "clip_id, seen_at) SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], "
        "$4::bigint[], $5::bigint[]) ON CONFLICT DO NOTHING "
        "RETURNING season_id, slot_position, clip_id) "
        "INSERT INTO round_tallies AS t (season_id, slot_position, clip_id, votes, score, "
        "impressions) SELECT season_id, slot_position, clip_id, 0, 0, COUNT(*) FROM added "
        "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 ON CONFLICT (season_id, slot_position, clip_id) "
        "DO UPDATE SET impressions = t.impressions + EXCLUDED.impressions",
        Params(season, slot, voter, clip, seen_at));
  });
}

std::size_t PgVoteLedger::ForgetDaysBefore(EpochMs day_start) {
  // idx_voter_days_day and idx_network_days_day make these range deletes.
  const auto voters =
      db_.Exec("DELETE FROM voter_days WHERE day_start < $1", Params(day_start)).Affected();
  const auto networks =
      db_.Exec("DELETE FROM network_days WHERE day_start < $1", Params(day_start)).Affected();
  return static_cast<std::size_t>(voters + networks);
}

std::vector<ClipTally> PgVoteLedger::Tallies(Id season_id, int slot_position) {
  Rows rows = db_.Exec(
      "SELECT clip_id, votes, score, impressions FROM round_tallies WHERE season_id = $1 AND "
      "slot_position = $2 ORDER BY clip_id",
      Params(season_id, slot_position));
  std::vector<ClipTally> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    out.push_back({rows.Int(i, 0), rows.Int(i, 1), rows.Int(i, 2), rows.Int(i, 3)});
  }
  return out;
}

std::vector<TallyRepair> PgVoteLedger::Reconcile(Id season_id, int slot_position) {
  std::vector<TallyRepair> repairs;
  db_.Transaction([&] {
    // The slot row exclusively: batches (which hold it shared) wait while the kept tallies are
    // compared and set, so no batch's increment lands between the recount and the repair.
    db_.Exec("SELECT 1 FROM story_slots WHERE season_id = $1 AND slot_position = $2 FOR UPDATE",
             Params(season_id, slot_position));
    Rows rows = db_.Exec(
        "WITH counted AS (SELECT clip_id, COUNT(*) AS votes, SUM(vote_weight) AS score FROM "
        "votes WHERE season_id = $1 AND slot_position = $2 GROUP BY clip_id), "
        "kept AS (SELECT clip_id, votes, score FROM round_tallies WHERE season_id = $1 AND "
        "slot_position = $2) "
        "SELECT COALESCE(c.clip_id, k.clip_id), COALESCE(k.votes, 0), COALESCE(k.score, 0), "
        "COALESCE(c.votes, 0), COALESCE(c.score, 0) FROM counted c FULL JOIN kept k "
        "ON c.clip_id = k.clip_id WHERE COALESCE(c.votes, 0) <> COALESCE(k.votes, 0) OR "
        "COALESCE(c.score, 0) <> COALESCE(k.score, 0) ORDER BY 1",
        Params(season_id, slot_position));
    for (int i = 0; i < rows.size(); ++i) {
      const Id clip = rows.Int(i, 0);
      TallyRepair r{{clip, rows.Int(i, 1), rows.Int(i, 2)}, {clip, rows.Int(i, 3), rows.Int(i, 4)}};
      db_.Exec(
          "INSERT INTO round_tallies (season_id, slot_position, clip_id, votes, score) VALUES "
          "($1, $2, $3, $4, $5) ON CONFLICT (season_id, slot_position, clip_id) DO UPDATE SET "
          "votes = EXCLUDED.votes, score = EXCLUDED.score",
          Params(season_id, slot_position, clip, r.counted.votes, r.counted.score));
      repairs.push_back(r);
    }
  });
  return repairs;
}

}  // namespace aimoviez::pg
