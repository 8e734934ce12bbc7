// UploadRepository on PostgreSQL: signed upload links, their progress and expiry, and the object
// keys clips still point at.
#pragma once

#include "domain/ports.h"
#include "storage/postgres/pg_database.h"

namespace aimoviez::pg {

class PgUploadRepository : public virtual UploadRepository {
 public:
  explicit PgUploadRepository(Database& db) : db_(db) {}

  Upload InsertUpload(const Upload& upload) override;
  std::optional<Upload> FindUpload(std::string_view object_key) override;
  void UpdateUpload(const Upload& upload) override;
  std::vector<Upload> ListAbandonedUploads(EpochMs before, int limit) override;
  void DeleteUpload(Id id) override;
  bool IsKeyReferenced(std::string_view object_key) override;
  void CancelSignedUploads(Id user_id) override;

 private:
  Database& db_;
};

}  // namespace aimoviez::pg
