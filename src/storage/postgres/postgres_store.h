// The PostgreSQL system of record (cluster mode): every storage port, each implemented by its
// own repository class (pg_*.h), joined into one Store over one pool. The ports are virtual bases
// of Store, so each repository's methods are the Store's methods here without forwarding.
#pragma once

#include <string>

#include "domain/ports.h"
#include "storage/postgres/pg_accounts.h"
#include "storage/postgres/pg_audit.h"
#include "storage/postgres/pg_broadcasts.h"
#include "storage/postgres/pg_clips.h"
#include "storage/postgres/pg_comments.h"
#include "storage/postgres/pg_contact.h"
#include "storage/postgres/pg_database.h"
#include "storage/postgres/pg_films.h"
#include "storage/postgres/pg_flags.h"
#include "storage/postgres/pg_genre_votes.h"
#include "storage/postgres/pg_identities.h"
#include "storage/postgres/pg_job_locks.h"
#include "storage/postgres/pg_leaderboards.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_notifications.h"
#include "storage/postgres/pg_progression.h"
#include "storage/postgres/pg_push.h"
#include "storage/postgres/pg_referrals.h"
#include "storage/postgres/pg_reports.h"
#include "storage/postgres/pg_round_logs.h"
#include "storage/postgres/pg_search.h"
#include "storage/postgres/pg_seasons.h"
#include "storage/postgres/pg_sessions.h"
#include "storage/postgres/pg_social.h"
#include "storage/postgres/pg_uploads.h"
#include "storage/postgres/pg_users.h"
#include "storage/postgres/pg_votes.h"

namespace aimoviez::pg {

// Holds the pool: the first base, so the pool exists before the repositories that keep a
// reference to it are made.
struct PoolHolder {
  PoolHolder(const std::string& url, PoolOptions options) : pool(url, options) {}
  Database pool;
};

class PostgresStore final : private PoolHolder,
                            public Store,
                            public PgUserRepository,
                            public PgSessionRepository,
                            public PgIdentityRepository,
                            public PgAccountRepository,
                            public PgSeasonRepository,
                            public PgClipRepository,
                            public PgVoteRepository,
                            public PgGenreVoteRepository,
                            public PgFeatureFlagRepository,
                            public PgAuditLogRepository,
                            public PgJobLockRepository,
                            public PgCommunityReadRepository,
                            public PgCommentRepository,
                            public PgUploadRepository,
                            public PgFilmRepository,
                            public PgProgressionRepository,
                            public PgNotificationRepository,
                            public PgSocialRepository,
                            public PgReportRepository,
                            public PgPushRepository,
                            public PgReferralRepository,
                            public PgBroadcastRepository,
                            public PgSearchRepository,
                            public PgContactRepository,
                            public PgRoundLogRepository {
 public:
  PostgresStore(const std::string& url, PoolOptions options);

  int Migrate() { return ApplyMigrations(pool); }
  void Transaction(const std::function<void()>& work) override { pool.Transaction(work); }
  Database& database() { return pool; }
};

}  // namespace aimoviez::pg
