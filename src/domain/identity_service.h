// Identity: users, sessions (opaque token in a cookie, stored only as a SHA-256 hash, 30-minute
// idle expiry), anonymous device keys (keyed HMAC of the request fingerprint), and admin
// grants. Sign-in takes an already verified email so the development login and a later OIDC
// login share one path.
#pragma once

#include <string>
#include <vector>

#include "domain/actor.h"
#include "domain/errors.h"
#include "domain/ports.h"

namespace aimoviez {

struct SignedIn {
  User user;
  std::string session_token;  // goes into the cookie; never stored in clear
};

struct SessionPolicy {
  EpochMs idle_timeout_ms = 30 * 60 * 1000;
  // Refreshing last_seen on every request would make every read a write; once a minute keeps the
  // idle timeout accurate to a minute.
  EpochMs touch_interval_ms = 60 * 1000;
};

class IdentityService {
 public:
  IdentityService(Store& store, const Clock& clock, std::string server_secret,
                  SessionPolicy policy = {})
      : store_(store), clock_(clock), secret_(std::move(server_secret)), policy_(policy) {}

  Result<SignedIn> SignInWithVerifiedEmail(std::string_view email,
                                           std::optional<std::string_view> username);
  std::optional<User> ResolveSession(std::string_view session_token);
  void SignOut(std::string_view session_token);

  // "device_" + the first 32 hex digits of HMAC-SHA256(server secret, fingerprint parts).
  std::string DeviceKey(const std::vector<std::string_view>& fingerprint_parts) const;

  Result<User> ChooseUsername(const User& user, std::string_view username);
  Result<User> UpdateAvatar(const User& user, std::string_view avatar_url);
  // true when the name is valid and free (or already the caller's).
  Result<bool> IsUsernameAvailable(std::string_view username, std::optional<Id> caller);

  Result<User> SetAdminByEmail(std::string_view email, bool is_admin);

  static std::string HashToken(std::string_view token);

 private:
  Store& store_;
  const Clock& clock_;
  std::string secret_;
  SessionPolicy policy_;
};

Result<std::string> ValidateEmail(std::string_view raw);

}  // namespace aimoviez
