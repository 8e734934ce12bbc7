// Appends one audit entry per admin action (spec 13): who, what, which resource, details. Called
// inside the action's own transaction so the entry and the change commit together.
#pragma once

#include <boost/json/object.hpp>

#include "domain/actor.h"
#include "domain/ports.h"

namespace aimoviez {

class AuditTrail {
 public:
  AuditTrail(AuditLogRepository& log, const Clock& clock) : log_(log), clock_(clock) {}
  void Record(const AuditActor& actor, std::string_view action, std::string_view resource_type,
              std::string resource_id, const boost::json::object& details);

 private:
  AuditLogRepository& log_;
  const Clock& clock_;
};

}  // namespace aimoviez
