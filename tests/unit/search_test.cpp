// Search: the words taken from typed text (nothing reaches a search engine's syntax), LIKE
// escaping, and SQLite's index kept in step by triggers — prefixes, folded diacritics, creator
// names, renames, public clips only, genre and order.
#include <gtest/gtest.h>

#include "domain/search_service.h"
#include "test_support.h"

namespace aimoviez {
namespace {

using Words = std::vector<std::string>;

TEST(SearchWords, LettersAndDigitsOnlyAndSyntaxIsDropped) {
  EXPECT_EQ(SearchWords("rain gla"), (Words{"rain", "gla"}));
  EXPECT_EQ(SearchWords("  Café!!  "), (Words{"Café"}));
  EXPECT_EQ(SearchWords(R"(a" OR b* NEAR(c) -d)"), (Words{"a", "OR", "b", "NEAR", "c", "d"}));
  EXPECT_EQ(SearchWords("\"*()-:^&|!'"), Words{});
  EXPECT_EQ(SearchWords(""), Words{});
  EXPECT_EQ(SearchWords("1 2 3 4 5 6 7 8 9 10"), (Words{"1", "2", "3", "4", "5", "6", "7", "8"}));
}

TEST(LikePrefix, LowerCasedWithWildcardsEscaped) {
  EXPECT_EQ(LikePrefix(" Ana_B "), "ana\\_b");
  EXPECT_EQ(LikePrefix("50%"), "50\\%");
  EXPECT_EQ(LikePrefix("a\\b"), "a\\\\b");
}

DiscoverQuery Q(std::string q, std::string type = "clips", std::string sort = "top",
                std::optional<std::string> genre = std::nullopt) {
  DiscoverQuery d;
  d.q = std::move(q);
  d.type = std::move(type);
  d.sort = std::move(sort);
  d.genre = std::move(genre);
  return d;
}

class SearchTest : public testing::StoreTest {
 protected:
  SearchTest() : catalog_(*store_, clock_), search_(*store_, clock_, catalog_) {
    ana_ = *store_->CreateUser("ana@example.com", "ana_films", clock_.NowMs());
    bo_ = *store_->CreateUser("bo@example.com", "bo", clock_.NowMs());
  }

  Id Clip(const std::string& title, const User& by, ClipStatus status, std::string genre = "Action",
          std::int64_t votes = 0) {
    aimoviez::Clip c;
    c.title = title;
    c.description = "A scene";
    c.genre = std::move(genre);
    c.user_id = by.id;
    c.status = status;
    c.processing = ProcessingStatus::kReady;
    c.vote_count = votes;
    c.created_at = clock_.NowMs();
    clock_.Advance(1000);
    return store_->InsertClip(c).id;
  }

  std::vector<std::string> Titles(DiscoverQuery q) {
    auto page = search_.Discover(std::move(q));
    EXPECT_TRUE(page.ok());
    std::vector<std::string> out;
    for (const auto& c : page->clips) out.push_back(c.title);
    return out;
  }

  CatalogService catalog_;
  SearchService search_;
  User ana_, bo_;
};

TEST_F(SearchTest, PrefixesFoldedDiacriticsCreatorsAndOnlyPublicClips) {
  Clip("Rain on Glass", ana_, ClipStatus::kActive, "Action", 5);
  Clip("Café at Dawn", bo_, ClipStatus::kLocked, "Horror", 9);
  Clip("Rainy secret", bo_, ClipStatus::kPending);
  Clip("Rain rejected", bo_, ClipStatus::kRejected);
  EXPECT_EQ(Titles(Q("rai")), (std::vector<std::string>{"Rain on Glass"}));
  EXPECT_EQ(Titles(Q("cafe")), (std::vector<std::string>{"Café at Dawn"}));
  EXPECT_EQ(Titles(Q("ANA_F")), (std::vector<std::string>{"Rain on Glass"}));  // the creator
  EXPECT_EQ(Titles(Q("rain dawn")), (std::vector<std::string>{}));             // every word
  EXPECT_EQ(Titles(Q("")), (std::vector<std::string>{"Café at Dawn", "Rain on Glass"}));  // top
  DiscoverQuery horror = Q("", "clips", "top", std::string("Horror"));
  EXPECT_EQ(Titles(horror), (std::vector<std::string>{"Café at Dawn"}));
  DiscoverQuery newest = Q("", "clips", "new");
  EXPECT_EQ(Titles(newest), (std::vector<std::string>{"Café at Dawn", "Rain on Glass"}));

  // A rename reaches the index through its trigger.
  ASSERT_TRUE(store_->RenameUser(ana_.id, "anastasia").ok());
  EXPECT_EQ(Titles(Q("anast")), (std::vector<std::string>{"Rain on Glass"}));
  EXPECT_EQ(Titles(Q("ana_f")), (std::vector<std::string>{}));
}

TEST_F(SearchTest, CreatorsByPrefixPagedAndRefusals) {
  Clip("One", ana_, ClipStatus::kActive);
  Clip("Two", bo_, ClipStatus::kPending);  // bo has nothing public yet
  auto page = search_.Discover(Q("AN", "creators"));
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->creators.size(), 1u);
  EXPECT_EQ(page->creators[0].username, "ana_films");
  EXPECT_TRUE(page->creators[0].email.empty());
  EXPECT_TRUE(search_.Discover(Q("", "creators"))->creators.size() == 1);
  EXPECT_TRUE(search_.Discover(Q("_", "creators"))->creators.empty());  // a wildcard is literal

  for (int i = 0; i < 5; ++i) Clip("Paged " + std::to_string(i), ana_, ClipStatus::kActive);
  DiscoverQuery first = Q("paged", "clips", "new");
  first.limit = 2;
  auto one = search_.Discover(first);
  ASSERT_EQ(one->clips.size(), 2u);
  ASSERT_TRUE(one->next_offset);
  first.offset = *one->next_offset;
  EXPECT_EQ(search_.Discover(first)->clips.front().title, "Paged 2");

  auto field = [&](DiscoverQuery q) {
    auto r = search_.Discover(std::move(q));
    return r.ok() ? std::string("ok")
                  : std::string(r.error().details.at("field").as_string().c_str());
  };
  EXPECT_EQ(field(Q("x", "people")), "type");
  EXPECT_EQ(field(Q("x", "clips", "loudest")), "sort");
  EXPECT_EQ(field(Q("x", "clips", "top", std::string("Western"))), "genre");
  EXPECT_EQ(field(Q(std::string(101, 'a'))), "q");
  EXPECT_EQ(field(Q("\"(*)")), "ok");  // only punctuation: no results, no error
}

}  // namespace
}  // namespace aimoviez
