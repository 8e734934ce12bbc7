// Who is asking: the authenticated user (if any) and the anonymous device key. Built by the HTTP
// layer from the session cookie and request headers; the domain only reads it.
#pragma once

#include <optional>
#include <string>

#include "domain/model.h"

namespace aimoviez {

struct Actor {
  std::optional<User> user;
  // The anonymous identity, always present for HTTP: from the signed device cookie when the
  // client returned one (device_verified), else a keyed hash of the request fingerprint.
  std::string device_key;
  bool device_verified = false;
  std::string ip;

  bool signed_in() const { return user.has_value(); }
  bool is_admin() const { return user && user->is_admin && !user->is_banned; }
  // The identity votes are counted against: the user when signed in, else the device.
  std::string voter_key() const { return user ? "user_" + std::to_string(user->id) : device_key; }
};

// The admin performing an audited action (the CLI uses a synthetic one).
struct AuditActor {
  std::optional<Id> user_id;
  std::string email;
};

}  // namespace aimoviez
