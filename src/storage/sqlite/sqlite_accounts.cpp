// AccountRepository on SQLite: a person's rows across every table (the GDPR export) and their
// erasure. storage/person_tables.cpp is the one place that knows which tables hold a person; a
// unit test compares it with the schema, so a new table with a person column cannot be
// forgotten.
#include <spdlog/spdlog.h>

#include <boost/json/array.hpp>

#include <chrono>
#include <thread>

#include "domain/media_rules.h"
#include "storage/person_tables.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::sqlite {

const std::vector<std::string>& SqliteStore::ExportedTables() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const auto& t : PersonTables()) {
      if (!t.postgres_only) names.push_back(t.name);
    }
    return names;
  }();
  return kNames;
}

const std::vector<std::pair<std::string, std::string>>& SqliteStore::UnexportedPersonTables() {
  static const std::vector<std::pair<std::string, std::string>> kNone;
  return kNone;
}

boost::json::object SqliteStore::ExportAccount(Id user_id) {
  Guard g(db_.lock());
  const std::string voter = "user_" + std::to_string(user_id);
  boost::json::object out;
  for (const auto& table : PersonTables()) {
    if (table.postgres_only) continue;
    auto& st =
        db_.Prepare("SELECT * FROM " + table.name + " WHERE " + PersonWhere(table, "?1", "?2") +
                    " LIMIT " + std::to_string(kMaxExportRows));
    st.Bind(1, user_id);
    if (st.ParameterCount() >= 2) st.Bind(2, voter);
    boost::json::array rows;
    while (st.Step()) {
      boost::json::object row;
      for (int c = 0; c < st.ColumnCount(); ++c) {
        const std::string name(st.ColumnName(c));
        if (std::find(table.hidden.begin(), table.hidden.end(), name) != table.hidden.end()) {
          continue;
        }
        if (st.IsNull(c)) {
          row[name] = nullptr;
        } else if (st.IsInteger(c)) {
          row[name] = st.Int(c);
        } else {
          row[name] = st.Text(c);
        }
      }
      rows.push_back(std::move(row));
    }
    st.Reset();
    out[table.name] = std::move(rows);
  }
  return out;
}

std::vector<Id> SqliteStore::VotedClipsAt(std::string_view voter_key, Id season_id, int position) {
  Guard g(db_.lock());
  auto& st = db_.Prepare(
      "SELECT DISTINCT clip_id FROM votes WHERE season_id = ? AND slot_position = ? AND "
      "voter_key = ?");
  st.BindAll(season_id, position, voter_key);
  return All<Id>(st, [](const Statement& s) { return s.Int(0); });
}

ErasedAccount SqliteStore::EraseAccount(Id user_id, EpochMs now) {
  ErasedAccount erased;
  Transaction([&] {
    const std::string voter = "user_" + std::to_string(user_id);
    auto user = FindUser(user_id);
    if (!user) return;

    // Media of the clips and uploads that go (winners stay in their film).
    std::vector<std::string> candidates;
    {
      auto& st = db_.Prepare(
          "SELECT source_key, video_url, thumbnail_url FROM tournament_clips WHERE user_id = ? "
          "AND status != 'locked'");
      st.BindAll(user_id);
      while (st.Step()) {
        for (int c = 0; c < 3; ++c) {
          if (auto key = ObjectKeyOfUrl(st.Text(c))) candidates.push_back(*key);
        }
      }
      st.Reset();
      auto& up = db_.Prepare("SELECT object_key FROM uploads WHERE user_id = ?");
      up.BindAll(user_id);
      while (up.Step()) candidates.push_back(up.Text(0));
      up.Reset();
      auto& won = db_.Prepare(
          "SELECT DISTINCT season_id FROM tournament_clips WHERE user_id = ? AND status = "
          "'locked' AND season_id IS NOT NULL");
      won.BindAll(user_id);
      erased.seasons_to_recredit = All<Id>(won, [](const Statement& s) { return s.Int(0); });
    }

    // Likes given: the counts they added go with them.
    db_.Prepare(
           "UPDATE comments SET likes_count = likes_count - 1 WHERE id IN (SELECT comment_id "
           "FROM comment_likes WHERE user_id = ?)")
        .BindAll(user_id)
        .Run();
    db_.Prepare("DELETE FROM comment_likes WHERE user_id = ?").BindAll(user_id).Run();
    // Comments: one others replied to stays as an authorless, empty placeholder so the replies
    // keep their thread; every other comment of the user goes.
    db_.Prepare(
           "UPDATE comments SET comment_text = '', user_id = NULL, updated_at = ?2 WHERE "
           "user_id = ?1 AND EXISTS (SELECT 1 FROM comments r WHERE r.parent_comment_id = "
           "comments.id AND r.user_id IS NOT ?1)")
        .BindAll(user_id, now)
        .Run();
    db_.Prepare("DELETE FROM comments WHERE user_id = ?").BindAll(user_id).Run();

    // Clips that never won go, with the votes cast on them; winners stay, without an author.
    db_.Prepare(
           "DELETE FROM votes WHERE clip_id IN (SELECT id FROM tournament_clips WHERE user_id = "
           "? AND status != 'locked')")
        .BindAll(user_id)
        .Run();
    db_.Prepare("DELETE FROM tournament_clips WHERE user_id = ? AND status != 'locked'")
        .BindAll(user_id)
        .Run();
    db_.Prepare("UPDATE tournament_clips SET user_id = NULL, creator_deleted = 1 WHERE user_id = ?")
        .BindAll(user_id)
        .Run();

    // Votes left are in closed rounds (the open round's were withdrawn through the engine):
    // their tallies stay, their link to the person does not.
    db_.Prepare(
           "UPDATE votes SET voter_key = 'erased_' || id, user_id = NULL WHERE user_id = ?1 OR "
           "voter_key = ?2")
        .BindAll(user_id, voter)
        .Run();
    db_.Prepare("UPDATE feed_impressions SET voter_key = 'erased_' || id WHERE voter_key = ?")
        .BindAll(voter)
        .Run();
    db_.Prepare("DELETE FROM genre_votes WHERE voter_key = ?").BindAll(voter).Run();

    // The audit trail keeps what was done, not who the person was.
    db_.Prepare(
           "UPDATE audit_logs SET admin_email = '', admin_user_id = NULL WHERE admin_user_id = "
           "?1 OR (?2 != '' AND admin_email = ?2)")
        .BindAll(user_id, user->email)
        .Run();
    for (const auto& name : {user->email, user->username}) {
      if (name.empty()) continue;
      db_.Prepare(
             "UPDATE audit_logs SET details = replace(details, '\"' || ?1 || '\"', "
             "'\"deleted user\"') WHERE instr(details, ?1) > 0")
          .BindAll(name)
          .Run();
    }

    if (!user->username.empty()) {
      // A film's chapters name each scene's creator (the film itself is rebuilt afterwards).
      db_.Prepare(
             "UPDATE films SET chapters_json = replace(chapters_json, '\"' || ?1 || '\"', "
             "'\"deleted user\"') WHERE instr(chapters_json, ?1) > 0")
          .BindAll(user->username)
          .Run();
    }
    db_.Prepare("DELETE FROM uploads WHERE user_id = ?").BindAll(user_id).Run();
    db_.Prepare("DELETE FROM engagement_events WHERE user_id = ?").BindAll(user_id).Run();
    // Messages to the team carry the sender's address: they go with the account.
    db_.Prepare("DELETE FROM contact_messages WHERE user_id = ?").BindAll(user_id).Run();
    // Sessions, sign-in identities, progress, XP, badges and notifications cascade with the
    // account.
    db_.Prepare("DELETE FROM users WHERE id = ?").BindAll(user_id).Run();

    // Only media nothing else points at is removed (processed media is content-addressed).
    auto& ref = db_.Prepare(
        "SELECT 1 FROM tournament_clips WHERE source_key = ?1 OR substr(video_url, "
        "-length(?1)) = ?1 OR substr(thumbnail_url, -length(?1)) = ?1 UNION ALL SELECT 1 FROM "
        "films WHERE substr(video_url, -length(?1)) = ?1 LIMIT 1");
    for (const auto& key : candidates) {
      if (key.empty()) continue;
      ref.BindAll(key);
      const bool referenced = ref.Step();
      ref.Reset();
      if (!referenced) erased.media_keys.push_back(key);
    }
  });
  return erased;
}

void SqliteStore::Scrub() {
  {
    // The search index keeps deleted terms in its segments until they merge: rewrite it, so an
    // erased name is gone from the index's pages too.
    Guard g(db_.lock());
    db_.Exec("INSERT INTO clip_search (clip_search) VALUES ('optimize')");
  }
  // The WAL still holds page images from before the erasure; copy the current pages into the
  // database and truncate the log, so the only copy left is the scrubbed one. A reader in the
  // middle of a transaction makes the checkpoint report busy: retry for a short while.
  for (int attempt = 0; attempt < 20; ++attempt) {
    {
      Guard g(db_.lock());
      auto& st = db_.Prepare("PRAGMA wal_checkpoint(TRUNCATE)");
      const bool busy = st.Step() && st.Int(0) != 0;
      st.Reset();
      if (!busy) return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  spdlog::warn(
      R"({"msg":"the log could not be truncated after an erasure; it will be at the next checkpoint"})");
}

}  // namespace aimoviez::sqlite
