#include "storage/postgres/postgres_store.h"

namespace aimoviez::pg {

PostgresStore::PostgresStore(const std::string& url, PoolOptions options)
    : PoolHolder(url, options),
      PgUserRepository(pool),
      PgSessionRepository(pool),
      PgIdentityRepository(pool),
      PgAccountRepository(pool),
      PgSeasonRepository(pool),
      PgClipRepository(pool),
      PgVoteRepository(pool),
      PgGenreVoteRepository(pool),
      PgFeatureFlagRepository(pool),
      PgAuditLogRepository(pool),
      PgJobLockRepository(pool),
      PgCommunityReadRepository(pool),
      PgCommentRepository(pool),
      PgUploadRepository(pool),
      PgFilmRepository(pool),
      PgProgressionRepository(pool),
      PgNotificationRepository(pool),
      PgSocialRepository(pool),
      PgReportRepository(pool),
      PgPushRepository(pool),
      PgReferralRepository(pool),
      PgBroadcastRepository(pool),
      PgSearchRepository(pool),
      PgContactRepository(pool),
      PgRoundLogRepository(pool) {}

}  // namespace aimoviez::pg
