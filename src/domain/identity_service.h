// Identity: users, sessions (opaque token in a cookie, stored only as a SHA-256 hash, 30-minute
// idle expiry), anonymous device keys (keyed HMAC of the request fingerprint), and admin
// grants. Sign-in takes an already verified email so the development login and a later OIDC
// login share one path.
#pragma once

#include <string>
#include <vector>

#include "domain/actor.h"
#include "domain/errors.h"
#include "domain/live_events.h"
#include "domain/oidc_rules.h"
#include "domain/ports.h"

namespace aimoviez {

struct SignedIn {
  User user;
  std::string session_token;  // goes into the cookie; never stored in clear
  bool new_account = false;   // this sign-in created the account
};

struct ProviderSignIn {
  SignedIn signed_in;
  bool new_account = false;
};

// "Firefox on Android": what a session list shows about the browser a session was opened from.
std::string DescribeDevice(std::string_view user_agent);

// Turns a provider's profile picture into one of our own media files, so browsers never load the
// provider's URL; the served URL, or nullopt when the picture cannot be used.
class PictureImporter {
 public:
  virtual ~PictureImporter() = default;
  virtual std::optional<std::string> Import(std::string_view picture_url) = 0;
};

struct SessionPolicy {
  EpochMs idle_timeout_ms = 30 * 60 * 1000;
  // Refreshing last_seen on every request would make every read a write; once a minute keeps the
  // idle timeout accurate to a minute.
  EpochMs touch_interval_ms = 60 * 1000;
  int max_sessions_per_user = 20;
};

class IdentityService {
 public:
  IdentityService(Store& store, const Clock& clock, std::string server_secret,
                  SessionPolicy policy = {})
      : store_(store), clock_(clock), secret_(std::move(server_secret)), policy_(policy) {}

  Result<SignedIn> SignInWithVerifiedEmail(std::string_view email,
                                           std::optional<std::string_view> username,
                                           std::string_view device = "");
  // Sign-in through an OpenID provider. The account is found by (issuer, subject). A first
  // sign-in creates an account, or claims one an admin provisioned by email before anyone
  // signed in to it; it never joins an account that already signs in with another provider
  // (ACCOUNT_EXISTS): that takes an explicit link by the signed-in owner (`link_user_id`).
  Result<ProviderSignIn> SignInWithProvider(const oidc::VerifiedIdentity& identity,
                                            std::optional<Id> link_user_id,
                                            std::string_view device);
  std::vector<SessionRecord> ListSessions(Id user_id);
  std::vector<IdentityRecord> ListIdentities(Id user_id) { return store_.ListIdentities(user_id); }
  // A username made from the name a provider gave (for onboarding to offer); empty if none.
  std::string SuggestedUsername(Id user_id);
  bool EndSession(Id user_id, std::string_view public_id);
  // Ends every session of the user but the caller's own.
  int EndOtherSessions(Id user_id, std::string_view current_session_token);
  // Ends every session (the caller's too) and cancels unused upload links; returns how many.
  int SignOutEverywhere(Id user_id, std::string_view current_session_token);
  std::optional<User> ResolveSession(std::string_view session_token);
  void SignOut(std::string_view session_token);

  // "device_" + the first 32 hex digits of HMAC-SHA256(server secret, fingerprint parts): the
  // fallback identity of a client that does not return the device cookie.
  std::string DeviceKey(const std::vector<std::string_view>& fingerprint_parts) const;
  // The anonymous device cookie: a random id and the server's MAC of it ("<id>.<mac>"), so an
  // identity cannot be invented without asking the server for one.
  std::string IssueDeviceCookie() const;
  // The voter key of a device cookie this server issued (same form as DeviceKey's); nullopt
  // for anything else.
  std::optional<std::string> DeviceKeyForCookie(std::string_view cookie) const;

  Result<User> ChooseUsername(const User& user, std::string_view username);
  Result<User> UpdateAvatar(const User& user, std::string_view avatar_url);
  // true when the name is valid and free (or already the caller's).
  Result<bool> IsUsernameAvailable(std::string_view username, std::optional<Id> caller);

  Result<User> SetAdminByEmail(std::string_view email, bool is_admin);

  static std::string HashToken(std::string_view token);
  // New accounts from a provider start with its picture as their avatar (when one is given).
  void SetPictureImporter(PictureImporter& importer) { pictures_ = &importer; }
  // Ended sessions close the live connections they opened.
  void SetLiveEvents(LiveEvents& live) { live_ = &live; }

 private:
  SignedIn OpenSession(const User& user, std::string_view device);

  Store& store_;
  const Clock& clock_;
  std::string secret_;
  SessionPolicy policy_;
  PictureImporter* pictures_ = nullptr;
  NoLiveEvents no_live_;
  LiveEvents* live_ = &no_live_;
};

Result<std::string> ValidateEmail(std::string_view raw);

}  // namespace aimoviez
