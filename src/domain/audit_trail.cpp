#include "domain/audit_trail.h"

#include <boost/json/serialize.hpp>

namespace aimoviez {

void AuditTrail::Record(const AuditActor& actor, std::string_view action,
                        std::string_view resource_type, std::string resource_id,
                        const boost::json::object& details) {
  AuditEntry e;
  e.action = action;
  e.resource_type = resource_type;
  e.resource_id = std::move(resource_id);
  e.admin_email = actor.email;
  e.admin_user_id = actor.user_id;
  e.details_json = boost::json::serialize(details);
  e.created_at = clock_.NowMs();
  log_.AppendAudit(e);
}

}  // namespace aimoviez
