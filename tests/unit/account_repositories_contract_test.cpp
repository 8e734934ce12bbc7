// The account repositories (users, sessions, sign-in identities) behave the same on every
// backend: each test runs on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include <memory>

#include "store_backends.h"

namespace aimoviez {
namespace {

class AccountRepositoriesContract : public testing::BackendTest {
 protected:
  SessionRecord Session(Id user, const std::string& token, EpochMs seen) {
    return SessionRecord{"hash-" + token, user, 1000, seen, "pub-" + token, "Firefox on Linux"};
  }
};

TEST_P(AccountRepositoriesContract, UsersAreFoundByIdEmailAndUsernameWhateverTheCase) {
  auto made = users().CreateUser("Ada@Example.com", "Ada_L", 1234);
  ASSERT_TRUE(made.ok());
  const Id id = made.value().id;
  EXPECT_GT(id, 0);
  EXPECT_EQ(users().FindUser(id)->email, "Ada@Example.com");
  EXPECT_EQ(users().FindUserByEmail("ada@example.COM")->id, id);
  EXPECT_EQ(users().FindUserByUsername("ADA_l")->id, id);
  EXPECT_EQ(users().FindUser(id)->created_at, 1234);
  EXPECT_FALSE(users().FindUser(id + 1000).has_value());
  EXPECT_FALSE(users().FindUserByEmail("nobody@example.com").has_value());
}

TEST_P(AccountRepositoriesContract, ATakenUsernameOrEmailIsAConflictWhateverTheCase) {
  ASSERT_TRUE(users().CreateUser("a@example.com", "maker", 1).ok());
  const auto same_name = users().CreateUser("b@example.com", "MAKER", 2);
  ASSERT_FALSE(same_name.ok());
  EXPECT_EQ(same_name.error().code, "USERNAME_TAKEN");
  EXPECT_FALSE(users().CreateUser("A@EXAMPLE.COM", "other", 3).ok());
  EXPECT_EQ(users().CountUsers(), 1);
}

TEST_P(AccountRepositoriesContract, AccountsWithoutEmailOrUsernameDoNotClash) {
  // A provider that vouches for no email, and a member who has not picked a name yet.
  EXPECT_TRUE(users().CreateUser("", "", 1).ok());
  EXPECT_TRUE(users().CreateUser("", "", 2).ok());
  EXPECT_EQ(users().CountUsers(), 2);
}

TEST_P(AccountRepositoriesContract, AFailedRenameInsideATransactionLeavesTheTransactionUsable) {
  const Id first = users().CreateUser("a@example.com", "first", 1).value().id;
  const Id second = users().CreateUser("b@example.com", "second", 1).value().id;
  store().Transaction([&] {
    const auto clash = users().RenameUser(second, "FIRST");
    ASSERT_FALSE(clash.ok());
    EXPECT_EQ(clash.error().code, "USERNAME_TAKEN");
    // The next statements of the same transaction still run and commit.
    ASSERT_TRUE(users().RenameUser(second, "second_take").ok());
    users().SetUserAvatar(first, "/media/a.png");
  });
  EXPECT_EQ(users().FindUser(second)->username, "second_take");
  EXPECT_EQ(users().FindUser(first)->avatar_url, "/media/a.png");
  EXPECT_FALSE(users().RenameUser(first + second + 10, "ghost").ok());
}

TEST_P(AccountRepositoriesContract, ATransactionThatThrowsLeavesNothingBehind) {
  EXPECT_THROW(store().Transaction([&] {
    ASSERT_TRUE(users().CreateUser("a@example.com", "gone", 1).ok());
    throw std::runtime_error("the work failed");
  }),
               std::runtime_error);
  EXPECT_EQ(users().CountUsers(), 0);
}

TEST_P(AccountRepositoriesContract, ABanEndsEverySessionOfTheUser) {
  const Id id = users().CreateUser("a@example.com", "banned", 1).value().id;
  sessions().CreateSession(Session(id, "one", 10));
  sessions().CreateSession(Session(id, "two", 20));
  users().SetUserAdmin(id, true);
  users().SetUserBanned(id, true);
  const auto user = *users().FindUser(id);
  EXPECT_TRUE(user.is_banned);
  EXPECT_TRUE(user.is_admin);
  EXPECT_TRUE(sessions().ListUserSessions(id, 10).empty());
  users().SetUserBanned(id, false);
  EXPECT_FALSE(users().FindUser(id)->is_banned);
}

TEST_P(AccountRepositoriesContract, SearchMatchesNamesAndEmailsWithWildcardsTakenLiterally) {
  ASSERT_TRUE(users().CreateUser("ann@example.com", "ann_b", 1).ok());
  ASSERT_TRUE(users().CreateUser("annxb@example.com", "annxb", 2).ok());
  ASSERT_TRUE(users().CreateUser("bob@example.com", "bob", 3).ok());
  const auto literal = users().SearchUsers("n_b", 10, 0);
  ASSERT_EQ(literal.size(), 1u);
  EXPECT_EQ(literal[0].username, "ann_b");
  EXPECT_EQ(users().SearchUsers("ANN", 10, 0).size(), 2u);
  const auto page = users().SearchUsers("example", 2, 1);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].username, "annxb");
  EXPECT_EQ(users().SearchUsers("100%", 10, 0).size(), 0u);
  EXPECT_EQ(users().CountCreators(), 0);
}

TEST_P(AccountRepositoriesContract, SessionsAreListedNewestFirstTouchedTrimmedAndEnded) {
  const Id id = users().CreateUser("a@example.com", "member", 1).value().id;
  const Id other = users().CreateUser("b@example.com", "other", 1).value().id;
  for (int i = 1; i <= 4; ++i) sessions().CreateSession(Session(id, std::to_string(i), i * 100));
  sessions().CreateSession(Session(other, "x", 50));

  sessions().TouchSession("hash-1", 1000);
  auto listed = sessions().ListUserSessions(id, 10);
  ASSERT_EQ(listed.size(), 4u);
  EXPECT_EQ(listed[0].public_id, "pub-1");
  EXPECT_EQ(listed[0].device, "Firefox on Linux");
  EXPECT_EQ(sessions().ListUserSessions(id, 2).size(), 2u);
  EXPECT_EQ(sessions().FindSession("hash-1")->last_seen_at, 1000);
  EXPECT_FALSE(sessions().FindSession("hash-none").has_value());

  sessions().TrimUserSessions(id, 3);  // session 2 (seen at 200) is the oldest: it ends
  EXPECT_FALSE(sessions().FindSession("hash-2").has_value());
  EXPECT_EQ(sessions().ListUserSessions(id, 10).size(), 3u);

  EXPECT_FALSE(sessions().DeleteUserSession(other, "pub-3"));  // not theirs
  EXPECT_TRUE(sessions().DeleteUserSession(id, "pub-3"));
  EXPECT_EQ(sessions().DeleteUserSessions(id, "hash-1"), 1);  // all but the current one
  EXPECT_EQ(sessions().ListUserSessions(id, 10).size(), 1u);

  EXPECT_EQ(sessions().DeleteSessionsIdleSince(500), 1);  // the other user's, seen at 50
  sessions().DeleteSession("hash-1");
  EXPECT_TRUE(sessions().ListUserSessions(id, 10).empty());
}

TEST_P(AccountRepositoriesContract, AnIdentityBelongsToOneAccount) {
  const Id id = users().CreateUser("", "", 1).value().id;
  const Id other = users().CreateUser("", "", 1).value().id;
  IdentityRecord google{
      0,  id, "https://accounts.example", "sub-1", "a@example.com", "Ada", "https://img/a.png",
      10, 10};
  const auto added = identities().AddIdentity(google);
  ASSERT_TRUE(added.ok());
  EXPECT_GT(added.value().id, 0);
  google.user_id = other;
  const auto again = identities().AddIdentity(google);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "IDENTITY_LINKED");

  identities().TouchIdentity(added.value().id, "new@example.com", "Ada L", "", 99);
  const auto found = identities().FindIdentity("https://accounts.example", "sub-1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->user_id, id);
  EXPECT_EQ(found->email, "new@example.com");
  EXPECT_EQ(found->last_used_at, 99);
  EXPECT_EQ(found->created_at, 10);
  EXPECT_FALSE(identities().FindIdentity("https://accounts.example", "sub-2").has_value());

  IdentityRecord second{0, id, "https://other.example", "s", "", "", "", 20, 20};
  ASSERT_TRUE(identities().AddIdentity(second).ok());
  const auto listed = identities().ListIdentities(id);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].issuer, "https://accounts.example");
  EXPECT_TRUE(identities().ListIdentities(other).empty());
}

AIMOVIEZ_ON_EVERY_BACKEND(AccountRepositoriesContract);

}  // namespace
}  // namespace aimoviez
