// The system of record the configuration names: SQLite in the data directory (embedded mode),
// or PostgreSQL at database_url (cluster mode). The one place that picks a storage backend.
#pragma once

#include <memory>
#include <string>

#include "app/config.h"
#include "domain/ports.h"
#include "domain/vote_ledger.h"

namespace aimoviez {

class SystemOfRecord {
 public:
  static std::unique_ptr<SystemOfRecord> Open(const Config& config);
  virtual ~SystemOfRecord() = default;

  virtual Store& store() = 0;
  // The shared authority on votes that lets several nodes take votes at once (cluster mode's
  // engine stands on it); nullptr in embedded mode, whose one process decides votes itself.
  virtual VoteLedger* vote_ledger() = 0;
  // Applies pending migrations; returns how many.
  virtual int Migrate() = 0;
  // Called once by `serve`: background upkeep (SQLite's WAL checkpoints), and the claim that
  // this process serves the database (see postgres's implementation).
  virtual void StartServing() = 0;
  // For the start-up log line: "sqlite:<path>" or the PostgreSQL URL without its password.
  virtual std::string Describe() const = 0;
};

}  // namespace aimoviez
