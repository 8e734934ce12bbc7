// A named job lock held for one run of a background job. Every node runs the same jobs; the node
// that takes the lease does the run, the others skip it. A run that outlives its lease (a paused
// or partitioned node) loses it to the next taker, whose fencing token is newer: the stale run's
// publishing transaction checks IsCurrent and writes nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/time.h"
#include "domain/ports.h"

namespace aimoviez {

class JobLease {
 public:
  // nullopt when another holder has the lock and its lease has not lapsed.
  static std::optional<JobLease> TryTake(JobLockRepository& locks, const Clock& clock,
                                         std::string_view name, std::string_view holder,
                                         EpochMs ttl_ms);
  JobLease(JobLease&& other) noexcept;
  JobLease& operator=(JobLease&&) = delete;
  JobLease(const JobLease&) = delete;
  JobLease& operator=(const JobLease&) = delete;
  ~JobLease();  // releases the lock if still held

  // Extends the lease by its ttl; false once it is lost (stop the run).
  bool Renew();
  // Inside the transaction that publishes the run's work: true while this lease is the newest,
  // and (on PostgreSQL) no newer holder can take the lock before that transaction ends.
  bool IsCurrent();
  std::int64_t token() const { return token_; }
  const std::string& name() const { return name_; }

 private:
  JobLease(JobLockRepository& locks, const Clock& clock, std::string_view name, std::int64_t token,
           EpochMs ttl_ms)
      : locks_(&locks), clock_(&clock), name_(name), token_(token), ttl_ms_(ttl_ms) {}

  JobLockRepository* locks_;
  const Clock* clock_;
  std::string name_;
  std::int64_t token_;
  EpochMs ttl_ms_;
  bool held_ = true;
};

}  // namespace aimoviez
