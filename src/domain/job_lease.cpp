#include "domain/job_lease.h"

#include <utility>

namespace aimoviez {

std::optional<JobLease> JobLease::TryTake(JobLockRepository& locks, const Clock& clock,
                                          std::string_view name, std::string_view holder,
                                          EpochMs ttl_ms) {
  const auto token = locks.TryAcquireLock(name, holder, clock.NowMs(), ttl_ms);
  if (!token) return std::nullopt;
  return JobLease(locks, clock, name, *token, ttl_ms);
}

JobLease::JobLease(JobLease&& other) noexcept
    : locks_(other.locks_),
      clock_(other.clock_),
      name_(std::move(other.name_)),
      token_(other.token_),
      ttl_ms_(other.ttl_ms_),
      held_(std::exchange(other.held_, false)) {}

JobLease::~JobLease() {
  if (!held_) return;
  try {
    locks_->ReleaseLock(name_, token_);
  } catch (...) {
    // The database is unreachable: the lease lapses by itself after its ttl.
  }
}

bool JobLease::Renew() {
  held_ = held_ && locks_->RenewLock(name_, token_, clock_->NowMs(), ttl_ms_);
  return held_;
}

bool JobLease::IsCurrent() {
  return held_ && locks_->IsLockTokenCurrent(name_, token_, clock_->NowMs());
}

}  // namespace aimoviez
