#include "domain/identity_service.h"

#include "common/crypto.h"
#include "common/text.h"
#include "domain/username.h"

namespace aimoviez {

Result<std::string> ValidateEmail(std::string_view raw) {
  std::string email = text::ToLowerAscii(text::Trim(raw));
  const auto at = email.find('@');
  const bool shape_ok = at != std::string::npos && at > 0 && at + 1 < email.size() &&
                        email.find('@', at + 1) == std::string::npos &&
                        email.find('.', at) != std::string::npos;
  bool chars_ok = true;
  for (unsigned char c : email) {
    if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '"' || c == '\\') chars_ok = false;
  }
  if (!shape_ok || !chars_ok || email.size() > 254) {
    return Error::InvalidInput("email must be a valid address", "INVALID_EMAIL")
        .With("field", "email");
  }
  return email;
}

std::string IdentityService::HashToken(std::string_view token) {
  return crypto::ToHex(crypto::Sha256(token));
}

std::string DescribeDevice(std::string_view ua) {
  auto has = [&](std::string_view part) { return ua.find(part) != std::string_view::npos; };
  std::string browser = has("Edg/")       ? "Edge"
                        : has("Firefox/") ? "Firefox"
                        : has("Chrome/")  ? "Chrome"
                        : has("Safari/")  ? "Safari"
                                          : "";
  std::string os = has("Android")               ? "Android"
                   : has("iPhone")              ? "iPhone"
                   : has("iPad")                ? "iPad"
                   : has("Windows")             ? "Windows"
                   : has("Mac OS X")            ? "macOS"
                   : has("Linux") || has("X11") ? "Linux"
                                                : "";
  if (browser.empty() && os.empty()) return "Unknown device";
  if (os.empty()) return browser;
  if (browser.empty()) return os;
  return browser + " on " + os;
}

SignedIn IdentityService::OpenSession(const User& user, std::string_view device) {
  const EpochMs now = clock_.NowMs();
  SignedIn result{user, crypto::RandomToken(32), false};
  SessionRecord session{
      HashToken(result.session_token),  user.id, now, now, crypto::ToHex(crypto::RandomBytes(8)),
      std::string(device.substr(0, 64))};
  store_.CreateSession(session);
  // Each sign-in adds a session; an account keeps its most recent ones only.
  store_.TrimUserSessions(user.id, policy_.max_sessions_per_user);
  return result;
}

Result<ProviderSignIn> IdentityService::SignInWithProvider(const oidc::VerifiedIdentity& identity,
                                                           std::optional<Id> link_user_id,
                                                           std::string_view device) {
  const EpochMs now = clock_.NowMs();
  auto existing = store_.FindIdentity(identity.issuer, identity.subject);
  IdentityRecord record{
      0,   0,  identity.issuer, identity.subject, identity.email, identity.name, identity.picture,
      now, now};
  std::optional<User> user;
  bool new_account = false;
  if (link_user_id) {
    if (existing && existing->user_id != *link_user_id) {
      return Error::Conflict("IDENTITY_LINKED", "This sign-in already belongs to another account");
    }
    user = store_.FindUser(*link_user_id);
    if (!user) return Error::AuthRequired();
    if (!existing) {
      record.user_id = user->id;
      auto added = store_.AddIdentity(record);
      if (!added) return added.error();
    }
  } else if (existing) {
    user = store_.FindUser(existing->user_id);
    if (!user) return Error::NotFound("User");
    store_.TouchIdentity(existing->id, identity.email, identity.name, identity.picture, now);
  } else {
    if (!identity.email.empty()) {
      if (auto holder = store_.FindUserByEmail(identity.email)) {
        if (!store_.ListIdentities(holder->id).empty()) {
          return Error::Conflict("ACCOUNT_EXISTS",
                                 "An account with this email signs in with another provider: "
                                 "sign in with it, then link this one in Settings");
        }
        user = holder;  // provisioned by an admin (or the development login) before any sign-in
      }
    }
    if (!user) {
      auto created = store_.CreateUser(identity.email, "", now);
      if (!created) return created.error();
      user = *created;
      new_account = true;
    }
    record.user_id = user->id;
    auto added = store_.AddIdentity(record);
    if (!added) return added.error();
  }
  if (user->is_banned) {
    return Error::Forbidden("ACCOUNT_BANNED", "This account has been suspended");
  }
  if (new_account && pictures_ && !identity.picture.empty()) {
    if (auto avatar = pictures_->Import(identity.picture)) {
      store_.SetUserAvatar(user->id, *avatar);
      user->avatar_url = *avatar;
    }
  }
  return ProviderSignIn{OpenSession(*user, device), new_account};
}

std::string IdentityService::SuggestedUsername(Id user_id) {
  std::string suggestion;
  for (const auto& identity : store_.ListIdentities(user_id)) {
    if (auto s = SuggestUsername(identity.name); !s.empty()) suggestion = s;
  }
  return suggestion;
}

std::vector<SessionRecord> IdentityService::ListSessions(Id user_id) {
  const EpochMs cutoff = clock_.NowMs() - policy_.idle_timeout_ms;
  std::vector<SessionRecord> live;
  for (auto& s : store_.ListUserSessions(user_id, 100)) {
    if (s.last_seen_at >= cutoff) live.push_back(std::move(s));
  }
  return live;
}

bool IdentityService::EndSession(Id user_id, std::string_view public_id) {
  std::string hash;
  for (const auto& s : store_.ListUserSessions(user_id, policy_.max_sessions_per_user)) {
    if (s.public_id == public_id) hash = s.token_hash;
  }
  if (!store_.DeleteUserSession(user_id, public_id)) return false;
  if (!hash.empty()) live_->SessionEnded(hash);
  return true;
}

int IdentityService::EndOtherSessions(Id user_id, std::string_view current_session_token) {
  const std::string current = HashToken(current_session_token);
  const auto sessions = store_.ListUserSessions(user_id, policy_.max_sessions_per_user);
  const int ended = store_.DeleteUserSessions(user_id, current);
  for (const auto& s : sessions) {
    if (s.token_hash != current) live_->SessionEnded(s.token_hash);
  }
  return ended;
}

Result<SignedIn> IdentityService::SignInWithVerifiedEmail(
    std::string_view raw_email, std::optional<std::string_view> raw_username,
    std::string_view device) {
  auto email = ValidateEmail(raw_email);
  if (!email) return email.error();
  std::optional<std::string> username;
  if (raw_username && !raw_username->empty()) {
    auto valid = ValidateUsername(*raw_username);
    if (!valid) return valid.error();
    username = *valid;
  }
  const EpochMs now = clock_.NowMs();
  auto user = store_.FindUserByEmail(*email);
  bool new_account = false;
  if (!user) {
    auto created = store_.CreateUser(*email, username.value_or(""), now);
    if (!created) return created.error();
    user = *created;
    new_account = true;
  } else if (username && user->username.empty()) {
    auto renamed = store_.RenameUser(user->id, *username);
    if (!renamed) return renamed.error();
    user = *renamed;
  }
  if (user->is_banned) {
    return Error::Forbidden("ACCOUNT_BANNED", "This account has been suspended");
  }
  SignedIn signed_in = OpenSession(*user, device);
  signed_in.new_account = new_account;
  return signed_in;
}

std::optional<User> IdentityService::ResolveSession(std::string_view session_token) {
  if (session_token.empty() || session_token.size() > 128) return std::nullopt;
  const std::string hash = HashToken(session_token);
  auto session = store_.FindSession(hash);
  if (!session) return std::nullopt;
  const EpochMs now = clock_.NowMs();
  if (now - session->last_seen_at > policy_.idle_timeout_ms) {
    store_.DeleteSession(hash);
    return std::nullopt;
  }
  auto user = store_.FindUser(session->user_id);
  if (!user || user->is_banned) return std::nullopt;
  if (now - session->last_seen_at > policy_.touch_interval_ms) store_.TouchSession(hash, now);
  return user;
}

void IdentityService::SignOut(std::string_view session_token) {
  if (session_token.empty()) return;
  const std::string hash = HashToken(session_token);
  const auto session = store_.FindSession(hash);
  store_.DeleteSession(hash);
  live_->SessionEnded(hash);
  // Upload links belong to a signed-in creator: once no session is left, they stop working.
  if (session && store_.ListUserSessions(session->user_id, 1).empty()) {
    store_.CancelSignedUploads(session->user_id);
  }
}

int IdentityService::SignOutEverywhere(Id user_id, std::string_view current_session_token) {
  const int ended = EndOtherSessions(user_id, current_session_token);
  SignOut(current_session_token);
  store_.CancelSignedUploads(user_id);
  return ended + 1;
}

std::string IdentityService::DeviceKey(const std::vector<std::string_view>& parts) const {
  // Computed for every request: one buffer for the MAC input, hex of the first 16 bytes only.
  std::string input = "device|";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) input.push_back('|');
    input.append(parts[i]);
  }
  const std::string mac = crypto::HmacSha256(secret_, input);
  return "device_" + crypto::ToHex(std::string_view(mac).substr(0, 16));
}

namespace {
constexpr std::size_t kDeviceIdChars = 24;   // 18 random bytes, base64url
constexpr std::size_t kDeviceMacChars = 32;  // 128 bits of HMAC, hex
}  // namespace

std::string IdentityService::IssueDeviceCookie() const {
  const std::string id = crypto::RandomToken(18);
  const std::string mac = crypto::HmacSha256(secret_, "device-cookie|" + id);
  return id + "." + crypto::ToHex(std::string_view(mac).substr(0, kDeviceMacChars / 2));
}

std::optional<std::string> IdentityService::DeviceKeyForCookie(std::string_view cookie) const {
  if (cookie.size() != kDeviceIdChars + 1 + kDeviceMacChars || cookie[kDeviceIdChars] != '.') {
    return std::nullopt;
  }
  // One MAC per request: its first half is the cookie's signature, its second half (never sent
  // to the client) names the voter, so a stored voter key does not give the signature away.
  const std::string mac =
      crypto::HmacSha256(secret_, "device-cookie|" + std::string(cookie.substr(0, kDeviceIdChars)));
  const std::string_view signature = std::string_view(mac).substr(0, kDeviceMacChars / 2);
  if (!crypto::ConstantTimeEquals(crypto::ToHex(signature), cookie.substr(kDeviceIdChars + 1))) {
    return std::nullopt;
  }
  return "device_" + crypto::ToHex(std::string_view(mac).substr(kDeviceMacChars / 2, 16));
}

Result<User> IdentityService::ChooseUsername(const User& user, std::string_view username) {
  auto valid = ValidateUsername(username);
  if (!valid) return valid.error();
  return store_.RenameUser(user.id, *valid);
}

Result<User> IdentityService::UpdateAvatar(const User& user, std::string_view avatar_url) {
  // Avatars are either one of the built-in ones or a same-origin media path; never a foreign URL
  // that would leak visitors' addresses to a third party.
  const std::string url = text::Trim(avatar_url);
  const bool builtin = url.rfind("avatar:", 0) == 0 && url.size() <= 40;
  const bool local =
      url.rfind("/media/", 0) == 0 && url.find("..") == std::string::npos && url.size() <= 200;
  if (!url.empty() && !builtin && !local) {
    return Error::InvalidInput("avatarUrl must be a built-in avatar or an uploaded image",
                               "INVALID_AVATAR");
  }
  store_.SetUserAvatar(user.id, url);
  return *store_.FindUser(user.id);
}

Result<bool> IdentityService::IsUsernameAvailable(std::string_view username,
                                                  std::optional<Id> caller) {
  auto valid = ValidateUsername(username);
  if (!valid) return valid.error();
  auto holder = store_.FindUserByUsername(*valid);
  return !holder || (caller && holder->id == *caller);
}

Result<User> IdentityService::SetAdminByEmail(std::string_view raw_email, bool is_admin) {
  auto email = ValidateEmail(raw_email);
  if (!email) return email.error();
  auto user = store_.FindUserByEmail(*email);
  if (!user) {
    // Granting before first sign-in is allowed: the account is created, ready for that sign-in.
    if (!is_admin) return Error::NotFound("User");
    auto created = store_.CreateUser(*email, "", clock_.NowMs());
    if (!created) return created.error();
    user = *created;
  }
  store_.SetUserAdmin(user->id, is_admin);
  return *store_.FindUser(user->id);
}

}  // namespace aimoviez
