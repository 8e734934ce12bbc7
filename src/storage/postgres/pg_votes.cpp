#include "storage/postgres/pg_votes.h"

#include <charconv>

#include "storage/postgres/pg_rows.h"
#include "storage/vote_columns.h"

namespace aimoviez::pg {

namespace {

// Rows read per round trip when a caller walks a whole round or day: bounded memory for a
// round of millions of votes, few round trips.
constexpr int kPageRows = 10'000;

std::string JoinIds(const std::vector<Id>& ids) {
  std::string out;
  for (Id id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

}  // namespace

void PgVoteRepository::InsertVotes(const std::vector<VoteRecord>& votes) {
  // Seeding and imports: the season comes from the clip. The id follows the highest stored one,
  // as SQLite's row ids do; the engine assigns its own ids explicitly, so a sequence would fall
  // behind them. The lock keeps two importers from taking the same id.
  db_.Transaction([&] {
    db_.Exec("LOCK TABLE votes IN SHARE ROW EXCLUSIVE MODE");
    for (const auto& v : votes) {
      db_.Exec(
          "INSERT INTO votes (id, clip_id, voter_key, user_id, vote_weight, vote_type, "
          "season_id, slot_position, flagged, created_at, network, flag_reason) "
          "SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM votes), $1, $2, $3, $4, $5, "
          "c.season_id, $6, $7, $8, $9, $10 FROM tournament_clips c WHERE c.id = $1",
          Params(v.clip_id, v.voter_key, v.user_id, v.weight, v.vote_type, v.slot_position,
                 v.flagged, v.created_at, NetworkColumn(v), FlagReasonColumn(v)));
    }
    // The ledger numbers its votes from a sequence: it goes on above these.
    db_.Exec(
        "SELECT setval('vote_ids', GREATEST((SELECT MAX(id) FROM votes), (SELECT last_value FROM "
        "vote_ids)))");
  });
}

std::int64_t PgVoteRepository::DeleteVotesAt(Id season_id, int position) {
  std::int64_t deleted = 0;
  db_.Transaction([&] {
    deleted = db_.Exec("DELETE FROM votes WHERE season_id = $1 AND slot_position = $2",
                       Params(season_id, position))
                  .Affected();
    // The round's exposure stays (round_impressions keeps who saw what); its votes are gone,
    // and with them every power vote spent in it.
    db_.Exec("DELETE FROM spent_power_votes WHERE season_id = $1 AND slot_position = $2",
             Params(season_id, position));
    db_.Exec(
        "UPDATE round_tallies SET votes = 0, score = 0 WHERE season_id = $1 AND slot_position = $2",
        Params(season_id, position));
  });
  return deleted;
}

// Every row of a batch in one statement: one array per column, unnested into rows.
void PgVoteRepository::InsertVoteRows(const std::vector<const VoteRecord*>& rows) {
  if (rows.empty()) return;
  ArrayLiteral id, clip, voter, user, weight, type, season, position, flagged, created, network,
      reason;
  for (const VoteRecord* v : rows) {
    id.Int(v->id);
    clip.Int(v->clip_id);
    voter.Text(v->voter_key);
    user.Opt(v->user_id);
    weight.Int(v->weight);
    type.Text(v->vote_type);
    season.Int(v->season_id);
    position.Int(v->slot_position);
    flagged.Bool(v->flagged);
    created.Int(v->created_at);
    network.Opt(NetworkColumn(*v));
    reason.Opt(FlagReasonColumn(*v));
  }
  db_.Exec(
      "INSERT INTO votes (id, clip_id, voter_key, user_id, vote_weight, vote_type, season_id, "
      "slot_position, flagged, created_at, network, flag_reason) "
      "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::int[], "
      "$6::text[], $7::bigint[], $8::int[], $9::boolean[], $10::bigint[], $11::bigint[], "
      "$12::text[])",
      Params(id, clip, voter, user, weight, type, season, position, flagged, created, network,
             reason));
}

void PgVoteRepository::ApplyVoteBatch(const std::vector<VoteWrite>& writes,
                                      const std::vector<ViewRecord>& views,
                                      const std::vector<ClipCounterSnapshot>& counters) {
  db_.Transaction([&] {
    // In order: a revocation may follow the cast it removes within one batch.
    std::vector<const VoteRecord*> inserts;
    for (const auto& w : writes) {
      if (!w.is_delete) {
        inserts.push_back(&w.record);
        continue;
      }
      InsertVoteRows(inserts);
      inserts.clear();
      db_.Exec("DELETE FROM votes WHERE id = $1", Params(w.row_id));
    }
    InsertVoteRows(inserts);

    if (!views.empty()) {
      ArrayLiteral season, position, voter, clips, created;
      for (const auto& v : views) {
        season.Int(v.season_id);
        position.Int(v.slot_position);
        voter.Text(v.voter_key);
        clips.Text(JoinIds(v.clip_ids));
        created.Int(v.created_at);
      }
      db_.Exec(
          "INSERT INTO feed_impressions (season_id, slot_position, voter_key, clip_ids, "
          "created_at) SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], "
          "$5::bigint[])",
          Params(season, position, voter, clips, created));
    }
    if (!counters.empty()) {
      ArrayLiteral clip, votes, score, views_seen;
      for (const auto& c : counters) {
        clip.Int(c.clip_id);
        votes.Int(c.vote_count);
        score.Int(c.weighted_score);
        views_seen.Int(c.view_count);
      }
      db_.Exec(
          "UPDATE tournament_clips c SET vote_count = v.n, weighted_score = v.score, "
          "view_count = v.views FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], "
          "$4::bigint[]) AS v(id, n, score, views) WHERE c.id = v.id",
          Params(clip, votes, score, views_seen));
    }
  });
}

Id PgVoteRepository::MaxVoteId() {
  // Past the progression job's cursor too: a revoked last vote frees its id, and a new vote
  // reusing an id the job has already passed would never earn its XP.
  return db_
      .Exec(
          "SELECT GREATEST(COALESCE((SELECT MAX(id) FROM votes), 0), "
          "COALESCE((SELECT position FROM progress_cursors WHERE name = 'votes'), 0))")
      .Int(0, 0);
}

void PgVoteRepository::ForEachVoteAt(Id season_id, int position,
                                     const std::function<void(const StoredVote&)>& visit) {
  Id after = 0;
  StoredVote v;
  for (;;) {
    const auto rows = db_.Exec(
        "SELECT id, clip_id, voter_key, vote_weight, vote_type, created_at, network, "
        "COALESCE(strpos(flag_reason, 'unverified_device') > 0, false) FROM votes "
        "WHERE season_id = $1 AND slot_position = $2 AND id > $3 ORDER BY id LIMIT $4",
        Params(season_id, position, after, kPageRows));
    for (int i = 0; i < rows.size(); ++i) {
      v.id = rows.Int(i, 0);
      v.clip_id = rows.Int(i, 1);
      v.voter_key.assign(rows.TextView(i, 2));
      v.weight = static_cast<int>(rows.Int(i, 3));
      v.vote_type = rows.Text(i, 4);
      v.created_at = rows.Int(i, 5);
      v.network = rows.OptInt(i, 6).value_or(0);
      v.unverified_device = rows.Bool(i, 7);
      visit(v);
    }
    if (rows.size() < kPageRows) return;
    after = v.id;
  }
}

void PgVoteRepository::ForEachVoteSince(
    EpochMs since, std::optional<std::pair<Id, int>> except_round,
    const std::function<void(std::string_view, std::int64_t)>& visit) {
  // Paged through the (created_at, id) index, the caller counting: it hashes the voters itself.
  const std::optional<Id> skip_season =
      except_round ? std::optional<Id>(except_round->first) : std::nullopt;
  const std::optional<std::int64_t> skip_position =
      except_round ? std::optional<std::int64_t>(except_round->second) : std::nullopt;
  EpochMs after_time = since;
  Id after_id = -1;
  for (;;) {
    const auto rows = db_.Exec(
        "SELECT voter_key, network, created_at, id FROM votes "
        "WHERE (created_at, id) > ($1, $2) AND created_at >= $3 "
        "AND ($4::bigint IS NULL OR NOT (season_id = $4 AND slot_position = $5)) "
        "ORDER BY created_at, id LIMIT $6",
        Params(after_time, after_id, since, skip_season, skip_position, kPageRows));
    for (int i = 0; i < rows.size(); ++i) {
      visit(rows.TextView(i, 0), rows.OptInt(i, 1).value_or(0));
    }
    if (rows.size() < kPageRows) return;
    after_time = rows.Int(rows.size() - 1, 2);
    after_id = rows.Int(rows.size() - 1, 3);
  }
}

void PgVoteRepository::ForEachViewAt(Id season_id, int position,
                                     const std::function<void(Id, std::string_view)>& visit) {
  Id after = 0;
  for (;;) {
    const auto rows = db_.Exec(
        "SELECT clip_ids, voter_key, id FROM feed_impressions "
        "WHERE season_id = $1 AND slot_position = $2 AND id > $3 ORDER BY id LIMIT $4",
        Params(season_id, position, after, kPageRows));
    for (int i = 0; i < rows.size(); ++i) {
      const std::string_view ids = rows.TextView(i, 0);
      const std::string_view voter = rows.TextView(i, 1);
      std::size_t pos = 0;
      while (pos < ids.size()) {
        auto comma = ids.find(',', pos);
        if (comma == std::string_view::npos) comma = ids.size();
        Id id = 0;
        const auto [end, ec] = std::from_chars(ids.data() + pos, ids.data() + comma, id);
        if (ec == std::errc() && end == ids.data() + comma) visit(id, voter);
        pos = comma + 1;
      }
    }
    if (rows.size() < kPageRows) return;
    after = rows.Int(rows.size() - 1, 2);
  }
}

std::vector<FlaggedVoteGroup> PgVoteRepository::ListFlaggedVotes(Id season_id, int position,
                                                                 int limit) {
  const auto rows = db_.Exec(
      "SELECT v.clip_id, COALESCE(c.title, ''), COALESCE(v.network, 0), "
      "COALESCE(v.flag_reason, 'rapid'), COUNT(*), COUNT(DISTINCT v.voter_key), "
      "MIN(v.created_at), MAX(v.created_at) "
      "FROM votes v LEFT JOIN tournament_clips c ON c.id = v.clip_id "
      "WHERE v.season_id = $1 AND v.slot_position = $2 AND v.flagged "
      "GROUP BY v.clip_id, c.title, v.network, v.flag_reason "
      "ORDER BY COUNT(*) DESC, v.clip_id, COALESCE(v.network, 0), "
      "COALESCE(v.flag_reason, 'rapid') LIMIT $3",
      Params(season_id, position, limit));
  return ReadAll<FlaggedVoteGroup>(rows, [](const Rows& r, int i) {
    return FlaggedVoteGroup{r.Int(i, 0), r.Text(i, 1), r.Int(i, 2), r.Text(i, 3),
                            r.Int(i, 4), r.Int(i, 5),  r.Int(i, 6), r.Int(i, 7)};
  });
}

std::vector<FlaggedVoteRow> PgVoteRepository::ListFlaggedVoteRows(Id season_id, int position,
                                                                  Id clip_id, std::int64_t network,
                                                                  std::string_view reasons,
                                                                  int limit) {
  const auto rows = db_.Exec(
      "SELECT v.id, v.voter_key FROM votes v "
      "WHERE v.season_id = $1 AND v.slot_position = $2 AND v.flagged AND v.clip_id = $3 "
      "AND COALESCE(v.network, 0) = $4 AND COALESCE(v.flag_reason, 'rapid') = $5 "
      "ORDER BY v.id LIMIT $6",
      Params(season_id, position, clip_id, network, reasons, limit));
  return ReadAll<FlaggedVoteRow>(rows, [](const Rows& r, int i) {
    return FlaggedVoteRow{r.Int(i, 0), r.Text(i, 1)};
  });
}

}  // namespace aimoviez::pg
