#include "storage/person_tables.h"

namespace aimoviez {

const std::vector<PersonTable>& PersonTables() {
  static const std::vector<PersonTable> kTables = {
      {"users", "id = {user}", {}},
      {"user_identities", "user_id = {user}", {}},
      {"sessions", "user_id = {user}", {"token_hash"}},
      {"votes", "user_id = {user} OR voter_key = {voter}", {}},
      {"genre_votes", "voter_key = {voter}", {}},
      {"feed_impressions", "voter_key = {voter}", {}},
      {"tournament_clips", "user_id = {user}", {"search_vector"}},
      {"uploads", "user_id = {user}", {}},
      {"comments", "user_id = {user}", {}},
      {"comment_likes", "user_id = {user}", {}},
      {"audit_logs", "admin_user_id = {user}", {}},
      {"user_progress", "user_id = {user}", {}},
      {"xp_ledger", "user_id = {user}", {}},
      {"user_badges", "user_id = {user}", {}},
      {"notifications", "user_id = {user}", {}},
      {"engagement_events", "user_id = {user}", {}},
      {"follows", "follower_id = {user} OR followee_id = {user}", {}},
      {"blocks", "blocker_id = {user} OR blocked_id = {user}", {}},
      {"notification_mutes", "user_id = {user}", {}},
      {"reports", "reporter_id = {user}", {}},
      {"push_subscriptions", "user_id = {user}", {"auth"}},
      {"referral_codes", "user_id = {user}", {}},
      {"referrals", "referrer_id = {user} OR referred_id = {user}", {}},
      {"user_devices", "user_id = {user}", {}},
      {"notification_broadcasts", "created_by = {user}", {}},
      {"contact_messages", "user_id = {user}", {}},
      // The vote ledger's per-day counts (cluster mode).
      {"voter_days", "voter_key = {voter}", {}, true},
      {"round_impressions", "voter_key = {voter}", {}, true},
      {"spent_power_votes", "voter_key = {voter}", {}, true},
  };
  return kTables;
}

bool IsPersonColumn(const std::string& name) {
  return name == "user_id" || name == "voter_key" || name == "email" || name == "username" ||
         name.ends_with("_user_id") || name.ends_with("_email");
}

std::string PersonWhere(const PersonTable& table, const std::string& user_marker,
                        const std::string& voter_marker) {
  std::string out;
  std::size_t i = 0;
  while (i < table.where.size()) {
    if (table.where.compare(i, 6, "{user}") == 0) {
      out += user_marker;
      i += 6;
    } else if (table.where.compare(i, 7, "{voter}") == 0) {
      out += voter_marker;
      i += 7;
    } else {
      out.push_back(table.where[i++]);
    }
  }
  return out;
}

}  // namespace aimoviez
