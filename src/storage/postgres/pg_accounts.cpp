#include "storage/postgres/pg_accounts.h"

#include <boost/json/array.hpp>

#include <algorithm>

#include "domain/media_rules.h"
#include "storage/person_tables.h"
#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

// One exported value: numbers and flags as numbers (flags 0/1, as the SQLite export writes
// them), bytes as hex, the rest as text.
boost::json::value ExportValue(const Rows& rows, int i, int c) {
  if (rows.IsNull(i, c)) return nullptr;
  switch (rows.ColumnKind(c)) {
    case Rows::Kind::kInteger:
      return rows.Int(i, c);
    case Rows::Kind::kBoolean:
      return rows.Bool(i, c) ? 1 : 0;
    case Rows::Kind::kBytes:
    case Rows::Kind::kText:
      break;
  }
  return boost::json::string(rows.TextView(i, c));
}

}  // namespace

boost::json::object PgAccountRepository::ExportAccount(Id user_id) {
  const std::string voter = "user_" + std::to_string(user_id);
  boost::json::object out;
  db_.Transaction([&] {  // one snapshot of the person across every table
    db_.ExecScript("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    for (const auto& table : PersonTables()) {
      // PostgreSQL wants exactly the parameters a statement uses: number only those it names.
      Params params;
      std::string user_marker;
      std::string voter_marker;
      if (table.where.find("{user}") != std::string::npos) {
        params.Add(user_id);
        user_marker = "$" + std::to_string(params.size()) + "::bigint";
      }
      if (table.where.find("{voter}") != std::string::npos) {
        params.Add(voter);
        voter_marker = "$" + std::to_string(params.size()) + "::text";
      }
      const auto rows = db_.Exec("SELECT * FROM " + table.name + " WHERE " +
                                     PersonWhere(table, user_marker, voter_marker) + " LIMIT " +
                                     std::to_string(kMaxExportRows),
                                 params);
      boost::json::array list;
      for (int i = 0; i < rows.size(); ++i) {
        boost::json::object row;
        for (int c = 0; c < rows.ColumnCount(); ++c) {
          const std::string name(rows.ColumnName(c));
          if (std::find(table.hidden.begin(), table.hidden.end(), name) != table.hidden.end()) {
            continue;
          }
          row[name] = ExportValue(rows, i, c);
        }
        list.push_back(std::move(row));
      }
      out[table.name] = std::move(list);
    }
  });
  return out;
}

std::vector<Id> PgAccountRepository::VotedClipsAt(std::string_view voter_key, Id season_id,
                                                  int position) {
  return ReadAll<Id>(
      db_.Exec("SELECT DISTINCT clip_id FROM votes WHERE season_id = $1 AND slot_position = $2 "
               "AND voter_key = $3 ORDER BY clip_id",
               Params(season_id, position, voter_key)),
      [](const Rows& r, int i) { return r.Int(i, 0); });
}

ErasedAccount PgAccountRepository::EraseAccount(Id user_id, EpochMs now) {
  ErasedAccount erased;
  db_.Transaction([&] {
    const std::string voter = "user_" + std::to_string(user_id);
    const auto user = db_.Exec(
        "SELECT COALESCE(email, ''), COALESCE(username, '') FROM users WHERE id = $1 FOR UPDATE",
        Params(user_id));
    if (user.empty()) return;
    const std::string email = user.Text(0, 0);
    const std::string username = user.Text(0, 1);

    // Media of the clips and uploads that go (winners stay in their film).
    std::vector<std::string> candidates;
    const auto media = db_.Exec(
        "SELECT source_key, video_url, thumbnail_url FROM tournament_clips WHERE user_id = $1 "
        "AND status <> 'locked'",
        Params(user_id));
    for (int i = 0; i < media.size(); ++i) {
      for (int c = 0; c < 3; ++c) {
        if (auto key = ObjectKeyOfUrl(media.Text(i, c))) candidates.push_back(*key);
      }
    }
    const auto uploads =
        db_.Exec("SELECT object_key FROM uploads WHERE user_id = $1", Params(user_id));
    for (int i = 0; i < uploads.size(); ++i) candidates.push_back(uploads.Text(i, 0));
    erased.seasons_to_recredit = ReadAll<Id>(
        db_.Exec("SELECT DISTINCT season_id FROM tournament_clips WHERE user_id = $1 AND "
                 "status = 'locked' AND season_id IS NOT NULL ORDER BY season_id",
                 Params(user_id)),
        [](const Rows& r, int i) { return r.Int(i, 0); });

    // Likes given: the counts they added go with them.
    db_.Exec(
        "UPDATE comments SET likes_count = likes_count - 1 WHERE id IN (SELECT comment_id FROM "
        "comment_likes WHERE user_id = $1)",
        Params(user_id));
    db_.Exec("DELETE FROM comment_likes WHERE user_id = $1", Params(user_id));
    // Comments: one others replied to stays as an authorless, empty placeholder so the replies
    // keep their thread; every other comment of the user goes.
    db_.Exec(
        "UPDATE comments SET comment_text = '', user_id = NULL, updated_at = $2 WHERE "
        "user_id = $1 AND EXISTS (SELECT 1 FROM comments r WHERE r.parent_comment_id = "
        "comments.id AND r.user_id IS DISTINCT FROM $1)",
        Params(user_id, now));
    db_.Exec("DELETE FROM comments WHERE user_id = $1", Params(user_id));

    // Clips that never won go, with the votes cast on them; winners stay, without an author.
    db_.Exec(
        "DELETE FROM votes WHERE clip_id IN (SELECT id FROM tournament_clips WHERE user_id = $1 "
        "AND status <> 'locked')",
        Params(user_id));
    db_.Exec("DELETE FROM tournament_clips WHERE user_id = $1 AND status <> 'locked'",
             Params(user_id));
    db_.Exec(
        "UPDATE tournament_clips SET user_id = NULL, creator_deleted = true WHERE user_id = $1",
        Params(user_id));

    // Votes left are in closed rounds (the open round's were withdrawn through the engine):
    // their tallies stay, their link to the person does not.
    db_.Exec(
        "UPDATE votes SET voter_key = 'erased_' || id, user_id = NULL WHERE user_id = $1 OR "
        "voter_key = $2",
        Params(user_id, voter));
    db_.Exec("UPDATE feed_impressions SET voter_key = 'erased_' || id WHERE voter_key = $1",
             Params(voter));
    db_.Exec("DELETE FROM genre_votes WHERE voter_key = $1", Params(voter));
    db_.Exec("DELETE FROM voter_days WHERE voter_key = $1", Params(voter));
    db_.Exec("DELETE FROM round_impressions WHERE voter_key = $1", Params(voter));
    db_.Exec("DELETE FROM spent_power_votes WHERE voter_key = $1", Params(voter));

    // The audit trail keeps what was done, not who the person was.
    db_.Exec(
        "UPDATE audit_logs SET admin_email = '', admin_user_id = NULL WHERE admin_user_id = $1 "
        "OR ($2 <> '' AND admin_email = $2)",
        Params(user_id, email));
    for (const auto& name : {email, username}) {
      if (name.empty()) continue;
      db_.Exec(
          "UPDATE audit_logs SET details = replace(details, '\"' || $1 || '\"', "
          "'\"deleted user\"') WHERE strpos(details, $1) > 0",
          Params(name));
    }
    if (!username.empty()) {
      // A film's chapters name each scene's creator (the film itself is rebuilt afterwards).
      db_.Exec(
          "UPDATE films SET chapters_json = replace(chapters_json, '\"' || $1 || '\"', "
          "'\"deleted user\"') WHERE strpos(chapters_json, $1) > 0",
          Params(username));
    }
    db_.Exec("DELETE FROM uploads WHERE user_id = $1", Params(user_id));
    db_.Exec("DELETE FROM engagement_events WHERE user_id = $1", Params(user_id));
    // Messages to the team carry the sender's address: they go with the account.
    db_.Exec("DELETE FROM contact_messages WHERE user_id = $1", Params(user_id));
    // Sessions, sign-in identities, progress, XP, badges and notifications cascade with the
    // account.
    db_.Exec("DELETE FROM users WHERE id = $1", Params(user_id));

    // Only media nothing else points at is removed (processed media is content-addressed).
    for (const auto& key : candidates) {
      if (key.empty()) continue;
      const bool referenced =
          !db_.Exec(
                  "SELECT 1 FROM tournament_clips WHERE source_key = $1 OR right(video_url, "
                  "length($1)) = $1 OR right(thumbnail_url, length($1)) = $1 UNION ALL "
                  "SELECT 1 FROM films WHERE right(video_url, length($1)) = $1 LIMIT 1",
                  Params(key))
               .empty();
      if (!referenced) erased.media_keys.push_back(key);
    }
  });
  return erased;
}

void PgAccountRepository::Scrub() {
  // Deleted rows stay in their pages as dead tuples until a vacuum prunes them: prune the
  // tables that held the person now rather than whenever autovacuum comes by. (Backups and
  // archived WAL follow the operator's retention; see docs/DEPLOYMENT.md.)
  db_.WithSession([](Connection& c) {
    for (const auto& table : PersonTables()) c.ExecScript("VACUUM " + table.name);
  });
}

}  // namespace aimoviez::pg
