// Storage ports: the interfaces the domain needs from a system of record. Owned by the domain;
// implemented by storage/sqlite (and later storage/postgres). No SQL or driver types here.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/broadcast_repository.h"
#include "domain/contact_repository.h"
#include "domain/errors.h"
#include "domain/model.h"
#include "domain/notification_repository.h"
#include "domain/progression_repository.h"
#include "domain/push_repository.h"
#include "domain/referral_repository.h"
#include "domain/report_repository.h"
#include "domain/round_log_repository.h"
#include "domain/search_repository.h"
#include "domain/slot_advance.h"
#include "domain/social_repository.h"

namespace aimoviez {

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  virtual std::optional<User> FindUser(Id id) = 0;
  virtual std::optional<User> FindUserByEmail(std::string_view email) = 0;
  virtual std::optional<User> FindUserByUsername(std::string_view username) = 0;
  // Conflict USERNAME_TAKEN when the name is held by someone else.
  virtual Result<User> CreateUser(std::string_view email, std::string_view username,
                                  EpochMs now) = 0;
  virtual Result<User> RenameUser(Id id, std::string_view username) = 0;
  virtual void SetUserAdmin(Id id, bool is_admin) = 0;
  virtual void SetUserAvatar(Id id, std::string_view avatar_url) = 0;
  virtual void SetUserBanned(Id id, bool is_banned) = 0;
  virtual std::vector<User> SearchUsers(std::string_view query, int limit, int offset) = 0;
  virtual std::int64_t CountUsers() = 0;
  virtual std::int64_t CountCreators() = 0;
};

struct SessionRecord {
  std::string token_hash;
  Id user_id = 0;
  EpochMs created_at = 0;
  EpochMs last_seen_at = 0;
  std::string public_id;  // shown in the session list; the token hash never leaves the server
  std::string device;     // a short description of the browser it was opened from
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  virtual void CreateSession(const SessionRecord& session) = 0;
  virtual std::optional<SessionRecord> FindSession(std::string_view token_hash) = 0;
  virtual void TouchSession(std::string_view token_hash, EpochMs now) = 0;
  virtual void DeleteSession(std::string_view token_hash) = 0;
  virtual int DeleteSessionsIdleSince(EpochMs cutoff) = 0;
  // Newest first; bounded by the caller's limit.
  virtual std::vector<SessionRecord> ListUserSessions(Id user_id, int limit) = 0;
  // Returns whether a session of this user had that public id.
  virtual bool DeleteUserSession(Id user_id, std::string_view public_id) = 0;
  // Every session of the user except the one with `keep_token_hash` (may be empty); returns how
  // many ended.
  virtual int DeleteUserSessions(Id user_id, std::string_view keep_token_hash) = 0;
  // Keeps the user's `keep` most recently used sessions and ends the rest.
  virtual void TrimUserSessions(Id user_id, int keep) = 0;
};

// A sign-in identity at an OpenID provider: the account's key there is (issuer, subject).
struct IdentityRecord {
  Id id = 0;
  Id user_id = 0;
  std::string issuer;
  std::string subject;
  std::string email;  // verified email at sign-in time, or empty
  std::string name;
  std::string picture;
  EpochMs created_at = 0;
  EpochMs last_used_at = 0;
};

class IdentityRepository {
 public:
  virtual ~IdentityRepository() = default;
  virtual std::optional<IdentityRecord> FindIdentity(std::string_view issuer,
                                                     std::string_view subject) = 0;
  // Conflict IDENTITY_LINKED when (issuer, subject) already belongs to an account.
  virtual Result<IdentityRecord> AddIdentity(const IdentityRecord& identity) = 0;
  virtual void TouchIdentity(Id identity_id, std::string_view email, std::string_view name,
                             std::string_view picture, EpochMs now) = 0;
  virtual std::vector<IdentityRecord> ListIdentities(Id user_id) = 0;
};

class SeasonRepository {
 public:
  virtual ~SeasonRepository() = default;
  virtual std::vector<Season> ListSeasons() = 0;
  virtual std::optional<Season> FindSeason(Id id) = 0;
  virtual std::optional<Season> FindActiveSeason() = 0;
  // Inserts the season and its slots (all upcoming, labelled "Slot N").
  virtual Season CreateSeason(const Season& season) = 0;
  virtual void UpdateSeason(const Season& season) = 0;
  virtual void DeleteSeason(Id id) = 0;

  virtual std::vector<Slot> ListSlots(Id season_id) = 0;
  virtual std::optional<Slot> FindSlot(Id slot_id) = 0;
  // The slot, read to change its round in the current transaction. PostgreSQL locks its row:
  // every node's vote batch holds the row shared while it commits, so the change sees all of
  // them or waits. SQLite's one writer gives the same for free.
  virtual std::optional<Slot> FindSlotForChange(Id slot_id) = 0;
  virtual std::optional<Slot> FindSlotAt(Id season_id, int position) = 0;
  // The season's slot that is voting or waiting for clips (at most one).
  virtual std::optional<Slot> FindOpenSlot(Id season_id) = 0;
  virtual std::vector<Slot> ListVotingSlotsEndingBefore(EpochMs cutoff) = 0;
  virtual void UpdateSlot(const Slot& slot) = 0;
};

struct ClipQuery {
  std::optional<Id> season_id;
  std::optional<int> slot_position;
  std::optional<ClipStatus> status;
  std::optional<Id> user_id;
  int limit = 50;
  int offset = 0;
};

class ClipRepository {
 public:
  virtual ~ClipRepository() = default;
  virtual std::optional<Clip> FindClip(Id id) = 0;
  virtual std::vector<Clip> ListClips(const ClipQuery& query) = 0;
  virtual std::int64_t CountClips(const ClipQuery& query) = 0;
  virtual Clip InsertClip(const Clip& clip) = 0;
  virtual void UpdateClip(const Clip& clip) = 0;
  // Exact standings of the active clips at a slot, counted from the stored vote rows.
  virtual std::vector<ClipStanding> SlotStandings(Id season_id, int position) = 0;
  // Moves clips to another slot position as active with zeroed counters (a new round).
  virtual void CarryClips(const std::vector<Id>& clip_ids, int new_position) = 0;
  virtual void SetClipsStatus(const std::vector<Id>& clip_ids, ClipStatus status) = 0;
  // Writes the final counters of a round into the clip rows (the durable snapshot).
  virtual void SnapshotCounters(const std::vector<ClipStanding>& standings) = 0;
  // Media processing of uploaded clips (a durable job queue: the clip rows themselves).
  virtual void SetProcessing(Id clip_id, ProcessingStatus status, int progress,
                             std::string_view error) = 0;
  virtual void FinishProcessing(Id clip_id, std::string_view video_url,
                                std::string_view thumbnail_url, std::int64_t duration_ms) = 0;
  // The oldest queued clip.
  virtual std::optional<Clip> NextClipToProcess() = 0;
  virtual void RequeueInterruptedProcessing() = 0;
};

class FilmRepository {
 public:
  virtual ~FilmRepository() = default;
  // Queues a (re)build of the season's film; the row is created on first request.
  virtual Film RequestFilm(Id season_id, EpochMs now) = 0;
  virtual std::optional<Film> FindFilm(Id season_id) = 0;
  virtual std::optional<Film> NextFilmToBuild() = 0;
  virtual void UpdateFilm(const Film& film) = 0;
  // Finished seasons that have no film row yet (their film is built automatically).
  virtual std::vector<Id> FinishedSeasonsWithoutFilm() = 0;
};

class UploadRepository {
 public:
  virtual ~UploadRepository() = default;
  virtual Upload InsertUpload(const Upload& upload) = 0;
  virtual std::optional<Upload> FindUpload(std::string_view object_key) = 0;
  virtual void UpdateUpload(const Upload& upload) = 0;
  // Uploads never registered (signed, uploaded or failed) created before `before`.
  virtual std::vector<Upload> ListAbandonedUploads(EpochMs before, int limit) = 0;
  virtual void DeleteUpload(Id id) = 0;
  // Object keys some clip still points at (its source or its media), for the cleanup's check.
  virtual bool IsKeyReferenced(std::string_view object_key) = 0;
  // Signed links of the user not yet used stop working (status failed, nothing received).
  virtual void CancelSignedUploads(Id user_id) = 0;
};

struct VoteRecord {
  Id id = 0;  // assigned by the vote engine; 0 lets storage pick one (seeding)
  Id clip_id = 0;
  Id season_id = 0;  // required with an engine-assigned id; looked up from the clip otherwise
  std::string voter_key;
  std::optional<Id> user_id;
  int weight = 1;
  std::string vote_type = "standard";
  int slot_position = 0;
  bool flagged = false;
  EpochMs created_at = 0;
  std::int64_t network = 0;  // keyed tag of an anonymous voter's network; 0 for signed-in votes
  std::string flag_reason;   // why flagged: words such as "rapid", "unverified_device"
};

struct StoredVote {
  Id id = 0;
  Id clip_id = 0;
  std::string voter_key;
  int weight = 1;
  std::string vote_type;
  EpochMs created_at = 0;
  std::int64_t network = 0;
  bool unverified_device = false;
};

// One change of the vote log: insert a row with its engine-assigned id, or delete a row by id.
struct VoteWrite {
  bool is_delete = false;
  VoteRecord record;  // for inserts (record.id set)
  Id row_id = 0;      // for deletes
};

// The clips one feed answer showed a voter for the first time this round: one record per answer
// rather than per clip, so a page of eight clips is one stored row.
struct ViewRecord {
  std::string voter_key;
  Id season_id = 0;
  int slot_position = 0;
  std::vector<Id> clip_ids;
  EpochMs created_at = 0;
};

struct ClipCounterSnapshot {
  Id clip_id = 0;
  std::int64_t vote_count = 0;
  std::int64_t weighted_score = 0;
  std::int64_t view_count = 0;
};

// Flagged votes of a round, grouped for an admin's review: the same clip, network and reasons.
struct FlaggedVoteGroup {
  Id clip_id = 0;
  std::string clip_title;
  std::int64_t network = 0;  // keyed tag; 0 for signed-in voters
  std::string reasons;       // space-separated: rapid, unverified_device, busy_network
  std::int64_t votes = 0;
  std::int64_t voters = 0;
  EpochMs first_at = 0;
  EpochMs last_at = 0;
};

// One flagged vote of a group, as the admin's invalidation withdraws it through the engine.
struct FlaggedVoteRow {
  Id row_id = 0;
  std::string voter_key;
};

class VoteRepository {
 public:
  virtual ~VoteRepository() = default;
  virtual void InsertVotes(const std::vector<VoteRecord>& votes) = 0;
  // Removes every vote cast at this season position (admin reset, unlock); returns how many.
  virtual std::int64_t DeleteVotesAt(Id season_id, int position) = 0;

  // ---- The vote engine's log (group commit and rebuild at start) ----
  // One transaction: vote inserts and deletes in order, impressions, counter snapshots.
  virtual void ApplyVoteBatch(const std::vector<VoteWrite>& writes,
                              const std::vector<ViewRecord>& views,
                              const std::vector<ClipCounterSnapshot>& counters) = 0;
  virtual Id MaxVoteId() = 0;
  virtual void ForEachVoteAt(Id season_id, int position,
                             const std::function<void(const StoredVote&)>& visit) = 0;
  // Votes cast at or after `since`, one (voter, network tag) pair per vote; votes of
  // `except_round` (season, position) are left out (the caller has counted them already).
  virtual void ForEachVoteSince(
      EpochMs since, std::optional<std::pair<Id, int>> except_round,
      const std::function<void(std::string_view voter, std::int64_t network)>& visit) = 0;
  virtual void ForEachViewAt(
      Id season_id, int position,
      const std::function<void(Id clip_id, std::string_view voter)>& visit) = 0;
  // The largest groups first.
  virtual std::vector<FlaggedVoteGroup> ListFlaggedVotes(Id season_id, int position, int limit) = 0;
  // The votes of one such group (clip, network tag, reasons exactly as listed), oldest first.
  virtual std::vector<FlaggedVoteRow> ListFlaggedVoteRows(Id season_id, int position, Id clip_id,
                                                          std::int64_t network,
                                                          std::string_view reasons, int limit) = 0;
};

struct GenreTally {
  std::string genre;
  std::int64_t votes = 0;
};

class GenreVoteRepository {
 public:
  virtual ~GenreVoteRepository() = default;
  // A round is identified by the season that finished before it (0 when none has).
  virtual void UpsertGenreVote(Id round, std::string_view voter_key, std::string_view genre,
                               EpochMs now) = 0;
  virtual bool DeleteGenreVote(Id round, std::string_view voter_key) = 0;
  virtual std::optional<std::string> FindGenreVote(Id round, std::string_view voter_key) = 0;
  virtual std::vector<GenreTally> TallyGenreVotes(Id round) = 0;
  virtual Id LatestFinishedSeasonId() = 0;
};

class FeatureFlagRepository {
 public:
  virtual ~FeatureFlagRepository() = default;
  virtual std::vector<FeatureFlag> ListFlags() = 0;
  virtual std::optional<FeatureFlag> FindFlag(std::string_view key) = 0;
  virtual void SetFlag(std::string_view key, bool enabled, EpochMs now) = 0;
};

struct AuditPage {
  std::vector<AuditEntry> entries;
  std::optional<Id> next_cursor;
};

class AuditLogRepository {
 public:
  virtual ~AuditLogRepository() = default;
  virtual void AppendAudit(const AuditEntry& entry) = 0;
  // Newest first; `before_id` is the cursor from the previous page.
  virtual AuditPage ListAudit(std::optional<Id> before_id, int limit) = 0;
};

class JobLockRepository {
 public:
  virtual ~JobLockRepository() = default;
  // Takes the named lock if it is free or expired, returning a fencing token that grows with
  // every acquisition; nullopt when another holder has it.
  virtual std::optional<std::int64_t> TryAcquireLock(std::string_view name, std::string_view holder,
                                                     EpochMs now, EpochMs ttl_ms) = 0;
  // True while `token` is still the newest token issued for the lock (checked inside the
  // transaction that does the guarded work, so a stale holder's writes are refused).
  virtual bool IsLockTokenCurrent(std::string_view name, std::int64_t token, EpochMs now) = 0;
  // Extends a lock still held under `token` to now + ttl_ms; false once it has lapsed or passed
  // to another holder (the job must then stop: its writes would be refused).
  virtual bool RenewLock(std::string_view name, std::int64_t token, EpochMs now,
                         EpochMs ttl_ms) = 0;
  virtual void ReleaseLock(std::string_view name, std::int64_t token) = 0;
  // Ends every lock whoever holds it; the tokens stay, so each next holder's is larger and a run
  // still going somewhere is fenced. For a process that knows no other holder can be alive.
  virtual void ExpireAllLocks() = 0;
};

// ---- Read models for leaderboards and profiles -------------------------------------------------

// Keyset cursor over a ranked list: rows strictly after (score desc, id asc).
struct RankCursor {
  std::int64_t score = 0;
  Id id = 0;
};

struct RankedEntry {
  Id id = 0;  // clip id (clips) or user id (voters, creators)
  std::int64_t score = 0;
};

struct ProfileStats {
  std::int64_t votes_total = 0;
  std::int64_t votes_today = 0;
  std::int64_t clips_total = 0;
  std::int64_t clips_pending = 0;
  std::int64_t clips_active = 0;
  std::int64_t clips_locked = 0;
  std::int64_t rank = 0;                // among signed-in voters, all time (0: no votes yet)
  std::vector<std::int64_t> vote_days;  // distinct UTC day numbers with votes, newest first
};

struct VoteHistoryEntry {
  Id vote_id = 0;
  std::string vote_type;
  int weight = 1;
  EpochMs created_at = 0;
  Clip clip;
};

class CommunityReadRepository {
 public:
  virtual ~CommunityReadRepository() = default;
  enum class Board { kClips, kVoters, kCreators };
  // Votes received (clips, creators) or cast (voters) in [since, until), best first.
  virtual std::vector<RankedEntry> TopRanked(Board board, EpochMs since, EpochMs until,
                                             const std::optional<RankCursor>& after, int limit) = 0;
  virtual ProfileStats StatsFor(Id user_id, EpochMs today_start) = 0;
  virtual std::vector<VoteHistoryEntry> VoteHistory(Id user_id, int limit) = 0;
};

// Comments (spec 6): one level of replies, soft delete, exact like counts.
struct CommentCursor {
  std::int64_t key = 0;  // created_at (newest) or likes (top)
  Id id = 0;
};

class CommentRepository {
 public:
  virtual ~CommentRepository() = default;
  enum class Order { kNewest, kTop };
  virtual Comment InsertComment(const Comment& comment) = 0;
  virtual std::optional<Comment> FindComment(Id id) = 0;
  // Visible top-level comments of a clip after the cursor; `viewer` marks liked_by_me.
  virtual std::vector<Comment> ListTopLevel(Id clip_id, Order order,
                                            const std::optional<CommentCursor>& after, int limit,
                                            std::optional<Id> viewer) = 0;
  // Visible replies of the given parents, oldest first, in one query.
  virtual std::vector<Comment> ListReplies(const std::vector<Id>& parent_ids,
                                           std::optional<Id> viewer) = 0;
  // true when the like was added (false: it already existed); same for removal.
  virtual bool AddLike(Id comment_id, Id user_id, EpochMs now) = 0;
  virtual bool RemoveLike(Id comment_id, Id user_id) = 0;
  virtual void SoftDeleteComment(Id id) = 0;
  virtual void SetCommentStatus(Id id, CommentStatus status) = 0;
  virtual std::vector<std::pair<Id, std::int64_t>> CountComments(
      const std::vector<Id>& clip_ids) = 0;
  virtual std::vector<Comment> ListCommentsByStatus(std::optional<CommentStatus> status, int limit,
                                                    int offset) = 0;
};

// What account deletion removed from the records: media objects that only the removed rows
// referenced (for the object store to delete), and seasons whose film credits the user.
struct ErasedAccount {
  std::vector<std::string> media_keys;
  std::vector<Id> seasons_to_recredit;
};

// A person's data across every table that holds it: the GDPR export and the erasure.
class AccountRepository {
 public:
  virtual ~AccountRepository() = default;
  // One member per table that refers to the user, each an array of that table's rows (secrets
  // such as session token hashes left out).
  virtual boost::json::object ExportAccount(Id user_id) = 0;
  // The clips the voter still has votes on at a season position (to withdraw them).
  virtual std::vector<Id> VotedClipsAt(std::string_view voter_key, Id season_id, int position) = 0;
  // Erases the account in one transaction: see AccountService::DeleteAccount for the rules.
  virtual ErasedAccount EraseAccount(Id user_id, EpochMs now) = 0;
  // Makes erased rows unrecoverable from the files: checkpoints and truncates the WAL.
  virtual void Scrub() = 0;
};

// The whole system of record. Transaction() runs `work` atomically (serialised with other
// writers); an exception inside rolls everything back. The ports are virtual bases, so a backend
// may implement the Store as one class (SQLite) or join one class per port (PostgreSQL).
class Store : public virtual UserRepository,
              public virtual SessionRepository,
              public virtual IdentityRepository,
              public virtual AccountRepository,
              public virtual SeasonRepository,
              public virtual ClipRepository,
              public virtual VoteRepository,
              public virtual GenreVoteRepository,
              public virtual FeatureFlagRepository,
              public virtual AuditLogRepository,
              public virtual JobLockRepository,
              public virtual CommunityReadRepository,
              public virtual CommentRepository,
              public virtual UploadRepository,
              public virtual FilmRepository,
              public virtual ProgressionRepository,
              public virtual NotificationRepository,
              public virtual SocialRepository,
              public virtual ReportRepository,
              public virtual PushRepository,
              public virtual ReferralRepository,
              public virtual BroadcastRepository,
              public virtual SearchRepository,
              public virtual ContactRepository,
              public virtual RoundLogRepository {
 public:
  virtual void Transaction(const std::function<void()>& work) = 0;
};

}  // namespace aimoviez
