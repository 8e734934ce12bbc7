// The SQLite system of record (embedded mode): implements every storage port over one
// connection in WAL mode. Each repository's queries live in their own sqlite_*.cpp file (users,
// seasons, clips, votes, comments, …); sqlite_store.cpp holds the connection and the transaction
// helper they share, and model_rows.h the rows most of them read.
#pragma once

#include <memory>
#include <string>

#include "domain/ports.h"
#include "storage/sqlite/checkpointer.h"
#include "storage/sqlite/database.h"

namespace aimoviez::sqlite {

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const std::string& path);

  int Migrate();
  // Checkpoints the WAL from a background connection instead of on commits (server mode).
  void StartBackgroundCheckpoints();

  void Transaction(const std::function<void()>& work) override;

  // UserRepository
  std::optional<User> FindUser(Id id) override;
  std::optional<User> FindUserByEmail(std::string_view email) override;
  std::optional<User> FindUserByUsername(std::string_view username) override;
  Result<User> CreateUser(std::string_view email, std::string_view username, EpochMs now) override;
  Result<User> RenameUser(Id id, std::string_view username) override;
  void SetUserAdmin(Id id, bool is_admin) override;
  void SetUserAvatar(Id id, std::string_view avatar_url) override;
  void SetUserBanned(Id id, bool is_banned) override;
  std::vector<User> SearchUsers(std::string_view query, int limit, int offset) override;
  std::int64_t CountUsers() override;
  std::int64_t CountCreators() override;

  // SessionRepository
  void CreateSession(const SessionRecord& session) override;
  std::optional<SessionRecord> FindSession(std::string_view token_hash) override;
  void TouchSession(std::string_view token_hash, EpochMs now) override;
  void DeleteSession(std::string_view token_hash) override;
  int DeleteSessionsIdleSince(EpochMs cutoff) override;
  std::vector<SessionRecord> ListUserSessions(Id user_id, int limit) override;
  bool DeleteUserSession(Id user_id, std::string_view public_id) override;
  int DeleteUserSessions(Id user_id, std::string_view keep_token_hash) override;
  void TrimUserSessions(Id user_id, int keep) override;

  // IdentityRepository (sqlite_identities.cpp)
  std::optional<IdentityRecord> FindIdentity(std::string_view issuer,
                                             std::string_view subject) override;
  Result<IdentityRecord> AddIdentity(const IdentityRecord& identity) override;
  void TouchIdentity(Id identity_id, std::string_view email, std::string_view name,
                     std::string_view picture, EpochMs now) override;
  std::vector<IdentityRecord> ListIdentities(Id user_id) override;

  // AccountRepository (sqlite_accounts.cpp)
  boost::json::object ExportAccount(Id user_id) override;
  std::vector<Id> VotedClipsAt(std::string_view voter_key, Id season_id, int position) override;
  ErasedAccount EraseAccount(Id user_id, EpochMs now) override;
  void Scrub() override;
  // The tables the export covers, and the tables that mention people but are not exported, with
  // why; a test checks that every table with a person column is in one of the two.
  static const std::vector<std::string>& ExportedTables();
  static const std::vector<std::pair<std::string, std::string>>& UnexportedPersonTables();

  // SeasonRepository
  std::vector<Season> ListSeasons() override;
  std::optional<Season> FindSeason(Id id) override;
  std::optional<Season> FindActiveSeason() override;
  Season CreateSeason(const Season& season) override;
  void UpdateSeason(const Season& season) override;
  void DeleteSeason(Id id) override;
  std::vector<Slot> ListSlots(Id season_id) override;
  std::optional<Slot> FindSlot(Id slot_id) override;
  std::optional<Slot> FindSlotForChange(Id slot_id) override { return FindSlot(slot_id); }
  std::optional<Slot> FindSlotAt(Id season_id, int position) override;
  std::optional<Slot> FindOpenSlot(Id season_id) override;
  std::vector<Slot> ListVotingSlotsEndingBefore(EpochMs cutoff) override;
  void UpdateSlot(const Slot& slot) override;

  // ClipRepository
  std::optional<Clip> FindClip(Id id) override;
  std::vector<Clip> ListClips(const ClipQuery& query) override;
  std::int64_t CountClips(const ClipQuery& query) override;
  Clip InsertClip(const Clip& clip) override;
  void UpdateClip(const Clip& clip) override;
  std::vector<ClipStanding> SlotStandings(Id season_id, int position) override;
  void CarryClips(const std::vector<Id>& clip_ids, int new_position) override;
  void SetClipsStatus(const std::vector<Id>& clip_ids, ClipStatus status) override;
  void SnapshotCounters(const std::vector<ClipStanding>& standings) override;
  void SetProcessing(Id clip_id, ProcessingStatus status, int progress,
                     std::string_view error) override;
  void FinishProcessing(Id clip_id, std::string_view video_url, std::string_view thumbnail_url,
                        std::int64_t duration_ms) override;
  std::optional<Clip> NextClipToProcess() override;
  void RequeueInterruptedProcessing() override;

  // FilmRepository
  Film RequestFilm(Id season_id, EpochMs now) override;
  std::optional<Film> FindFilm(Id season_id) override;
  std::optional<Film> NextFilmToBuild() override;
  void UpdateFilm(const Film& film) override;
  std::vector<Id> FinishedSeasonsWithoutFilm() override;

  // UploadRepository
  Upload InsertUpload(const Upload& upload) override;
  std::optional<Upload> FindUpload(std::string_view object_key) override;
  void UpdateUpload(const Upload& upload) override;
  std::vector<Upload> ListAbandonedUploads(EpochMs before, int limit) override;
  void DeleteUpload(Id id) override;
  bool IsKeyReferenced(std::string_view object_key) override;
  void CancelSignedUploads(Id user_id) override;

  // VoteRepository
  void InsertVotes(const std::vector<VoteRecord>& votes) override;
  std::int64_t DeleteVotesAt(Id season_id, int position) override;
  void ApplyVoteBatch(const std::vector<VoteWrite>& writes, const std::vector<ViewRecord>& views,
                      const std::vector<ClipCounterSnapshot>& counters) override;
  Id MaxVoteId() override;
  void ForEachVoteAt(Id season_id, int position,
                     const std::function<void(const StoredVote&)>& visit) override;
  void ForEachVoteSince(EpochMs since, std::optional<std::pair<Id, int>> except_round,
                        const std::function<void(std::string_view, std::int64_t)>& visit) override;
  void ForEachViewAt(Id season_id, int position,
                     const std::function<void(Id, std::string_view)>& visit) override;
  std::vector<FlaggedVoteGroup> ListFlaggedVotes(Id season_id, int position, int limit) override;
  std::vector<FlaggedVoteRow> ListFlaggedVoteRows(Id season_id, int position, Id clip_id,
                                                  std::int64_t network, std::string_view reasons,
                                                  int limit) override;

  // GenreVoteRepository
  void UpsertGenreVote(Id round, std::string_view voter_key, std::string_view genre,
                       EpochMs now) override;
  bool DeleteGenreVote(Id round, std::string_view voter_key) override;
  std::optional<std::string> FindGenreVote(Id round, std::string_view voter_key) override;
  std::vector<GenreTally> TallyGenreVotes(Id round) override;
  Id LatestFinishedSeasonId() override;

  // FeatureFlagRepository
  std::vector<FeatureFlag> ListFlags() override;
  std::optional<FeatureFlag> FindFlag(std::string_view key) override;
  void SetFlag(std::string_view key, bool enabled, EpochMs now) override;

  // AuditLogRepository
  void AppendAudit(const AuditEntry& entry) override;
  AuditPage ListAudit(std::optional<Id> before_id, int limit) override;

  // JobLockRepository
  std::optional<std::int64_t> TryAcquireLock(std::string_view name, std::string_view holder,
                                             EpochMs now, EpochMs ttl_ms) override;
  bool IsLockTokenCurrent(std::string_view name, std::int64_t token, EpochMs now) override;
  bool RenewLock(std::string_view name, std::int64_t token, EpochMs now, EpochMs ttl_ms) override;
  void ReleaseLock(std::string_view name, std::int64_t token) override;
  void ExpireAllLocks() override;

  // CommunityReadRepository
  std::vector<RankedEntry> TopRanked(Board board, EpochMs since, EpochMs until,
                                     const std::optional<RankCursor>& after, int limit) override;
  ProfileStats StatsFor(Id user_id, EpochMs today_start) override;
  std::vector<VoteHistoryEntry> VoteHistory(Id user_id, int limit) override;

  // CommentRepository
  Comment InsertComment(const Comment& comment) override;
  std::optional<Comment> FindComment(Id id) override;
  std::vector<Comment> ListTopLevel(Id clip_id, Order order,
                                    const std::optional<CommentCursor>& after, int limit,
                                    std::optional<Id> viewer) override;
  std::vector<Comment> ListReplies(const std::vector<Id>& parent_ids,
                                   std::optional<Id> viewer) override;
  bool AddLike(Id comment_id, Id user_id, EpochMs now) override;
  bool RemoveLike(Id comment_id, Id user_id) override;
  void SoftDeleteComment(Id id) override;
  void SetCommentStatus(Id id, CommentStatus status) override;
  std::vector<std::pair<Id, std::int64_t>> CountComments(const std::vector<Id>& clip_ids) override;
  std::vector<Comment> ListCommentsByStatus(std::optional<CommentStatus> status, int limit,
                                            int offset) override;

  // ProgressionRepository (sqlite_progression.cpp)
  void AppendEngagementEvent(std::string_view kind, Id user_id, Id ref_id, std::string_view detail,
                             EpochMs now) override;
  std::vector<EngagementEvent> EngagementEventsAfter(Id after, int limit) override;
  std::vector<SignedInVote> SignedInVotesAfter(VoteStreamPosition after, int limit) override;
  Id ProgressCursor(std::string_view name) override;
  void SetProgressCursor(std::string_view name, Id position) override;
  UserProgress LoadProgress(Id user_id) override;
  void SaveProgress(const UserProgress& progress) override;
  bool AddXp(Id user_id, std::string_view event_key, std::string_view kind, int xp,
             EpochMs now) override;
  std::vector<XpEntry> RecentXp(Id user_id, int limit) override;
  bool UnlockBadge(Id user_id, std::string_view badge, EpochMs now) override;
  std::vector<BadgeUnlock> ListBadges(Id user_id) override;
  std::vector<std::pair<Id, std::int64_t>> XpOfUsers(const std::vector<Id>& user_ids) override;

  // SocialRepository (sqlite_social.cpp)
  bool AddFollow(Id follower, Id followee, EpochMs now) override;
  bool RemoveFollow(Id follower, Id followee) override;
  bool IsFollowing(Id follower, Id followee) override;
  FollowCounts CountFollows(Id user_id) override;
  std::vector<FollowEntry> ListFollowers(Id user_id, std::optional<Id> before, int limit) override;
  std::vector<FollowEntry> ListFollowing(Id user_id, std::optional<Id> before, int limit) override;
  bool AddBlock(Id blocker, Id blocked, EpochMs now) override;
  bool RemoveBlock(Id blocker, Id blocked) override;
  bool IsBlocked(Id blocker, Id blocked) override;
  std::vector<FollowEntry> ListBlocked(Id blocker, int limit) override;
  std::int64_t CountBlocked(Id blocker) override;

  // ReportRepository (sqlite_reports.cpp)
  std::optional<Report> InsertReport(const Report& report) override;
  std::vector<ReportGroup> ListReportGroups(std::string_view status, int limit,
                                            int per_group) override;
  std::vector<Report> OpenReportsOn(std::string_view target_type, Id target_id) override;
  int CloseReports(std::string_view target_type, Id target_id, std::string_view status,
                   std::string_view resolution, std::optional<Id> admin_id, EpochMs now) override;

  // PushRepository (sqlite_push.cpp)
  PushSubscription SavePushSubscription(const PushSubscription& s, int keep_per_user) override;
  bool DeletePushSubscription(Id user_id, std::string_view endpoint) override;
  void DeletePushSubscriptionById(Id id) override;
  std::vector<PushSubscription> ListPushSubscriptions(Id user_id) override;
  void EnqueuePush(Id user_id, std::string_view payload, std::string_view urgency, EpochMs now,
                   int keep_per_subscription) override;
  std::vector<PushDelivery> DuePushDeliveries(EpochMs now, int limit) override;
  std::vector<PushDelivery> ClaimDuePushDeliveries(EpochMs now, EpochMs lease_ms,
                                                   int limit) override;
  void DeletePushDelivery(Id id) override;
  void ReschedulePushDelivery(Id id, int attempts, EpochMs next_attempt_at) override;

  // ReferralRepository (sqlite_referrals.cpp)
  std::optional<std::string> FindReferralCode(Id user_id) override;
  bool SaveReferralCode(Id user_id, std::string_view code, EpochMs now) override;
  std::optional<Id> FindUserByReferralCode(std::string_view code) override;
  bool RecordReferral(Id referrer_id, Id referred_id, ReferralStatus status,
                      std::string_view reason, EpochMs now) override;
  std::int64_t CountCreditedReferrals(Id referrer_id) override;
  void RememberDevice(Id user_id, std::string_view device_key, EpochMs now, int keep) override;
  bool DeviceSeenFor(Id user_id, std::string_view device_key) override;

  // BroadcastRepository (sqlite_broadcasts.cpp)
  std::optional<Id> AppendBroadcast(const Broadcast& b) override;
  std::optional<Broadcast> NextPendingBroadcast() override;
  std::vector<Id> UserIdsFrom(Id from, EpochMs created_by, int limit) override;
  void AdvanceBroadcast(Id id, Id next_user_id, std::int64_t delivered,
                        std::optional<EpochMs> finished_at) override;
  std::vector<Broadcast> RecentBroadcasts(std::string_view type, int limit) override;

  // SearchRepository (sqlite_search.cpp)
  std::vector<Id> SearchClips(const ClipSearch& query) override;
  std::vector<User> SearchCreators(std::string_view prefix, int offset, int limit) override;

  // RoundLogRepository (sqlite_round_logs.cpp)
  void InsertRoundLog(const RoundLogRecord& record,
                      const std::vector<StoredRoundLeaf>& leaves) override;
  std::optional<RoundLogRecord> FindRoundLog(Id season_id, int slot) override;
  std::vector<RoundLogRecord> ListSeasonLog(Id season_id) override;
  std::vector<StoredRoundLeaf> ListRoundLeaves(Id season_id, int slot, int revision,
                                               std::uint64_t from, int limit) override;
  void ForEachRoundLeafHash(Id season_id, int slot, int revision,
                            const std::function<void(const merkle::Hash&)>& visit) override;
  std::optional<std::uint64_t> FindRoundLeafIndex(Id season_id, int slot, int revision,
                                                  const merkle::Hash& leaf_hash) override;

  // ContactRepository (sqlite_contact.cpp)
  ContactMessage InsertContactMessage(const ContactMessage& m) override;
  std::vector<ContactMessage> ListContactMessages(std::string_view status, std::optional<Id> before,
                                                  int limit) override;
  std::int64_t CountContactMessages(std::string_view status) override;
  bool SetContactStatus(Id id, std::string_view status) override;

  // NotificationRepository (sqlite_notifications.cpp)
  std::optional<Notification> AddNotification(const NotificationDraft& draft, EpochMs now,
                                              int keep) override;
  std::vector<Notification> ListNotifications(Id user_id, std::optional<Id> before,
                                              int limit) override;
  std::int64_t CountUnread(Id user_id) override;
  int MarkNotificationsRead(Id user_id, const std::vector<Id>& ids, EpochMs now) override;
  int MarkAllNotificationsRead(Id user_id, EpochMs now) override;
  std::vector<std::string> MutedNotificationTypes(Id user_id) override;
  void SetNotificationMuted(Id user_id, std::string_view type, bool muted) override;

 private:
  // The lowest and highest vote ids of a round when no other round's vote lies between them;
  // nothing when the round has no votes or shares its id range. Caller holds the lock.
  std::optional<std::pair<Id, Id>> OnlyRoundInIdRange(Id season_id, int position);

  std::string path_;
  Database db_;
  int transaction_depth_ = 0;
  std::unique_ptr<Checkpointer> checkpointer_;
};

}  // namespace aimoviez::sqlite
