// The system of record the configuration names: SQLite in the data directory (embedded mode),
// or PostgreSQL at database_url (cluster mode). The one place that picks a storage backend.
#pragma once

#include <memory>
#include <string>
#include <string_view>

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
  // Called once by `serve`: background upkeep (SQLite's WAL checkpoints), and in embedded mode
  // the end of job leases a previous serving process left behind.
  virtual void StartServing() = 0;
  // Every node of one platform must hold the same secret of each name (the server secret signs
  // sessions and media URLs, and keys the voter pseudonyms of round logs; the VAPID key is the
  // one browsers subscribed with). The first node to serve records a fingerprint of each
  // (HMAC, which reveals nothing of the secret); a node holding another refuses to start.
  // Nothing to compare in embedded mode.
  virtual void ConfirmSharedSecret(std::string_view name, std::string_view secret) = 0;
  // For the start-up log line: "sqlite:<path>" or the PostgreSQL URL without its password.
  virtual std::string Describe() const = 0;
};

}  // namespace aimoviez
