// Search and discover (spec 16): clips by words of their title, description or creator's name
// (each word a prefix, diacritics folded: "cafe" finds "Café"), filtered by genre and ordered by
// new, top or trending; creators by name prefix. Paged by an offset cursor up to kMaxOffset.
#pragma once

#include "domain/catalog_service.h"
#include "domain/errors.h"
#include "domain/ports.h"

namespace aimoviez {

// The words of what a person typed, up to 8: runs of letters and digits (any script); every
// other character separates them, so nothing of the input can be a search engine's syntax.
std::vector<std::string> SearchWords(std::string_view typed);
// A LIKE prefix pattern of a name: lower case, with %, _ and \ escaped by '\'.
std::string LikePrefix(std::string_view typed);

struct DiscoverQuery {
  std::string q;
  std::string type = "clips";  // clips | creators
  std::string sort = "top";    // new | top | trending
  std::optional<std::string> genre;
  int offset = 0;
  int limit = 20;
};

struct DiscoverPage {
  std::vector<Clip> clips;
  std::vector<User> creators;
  std::optional<int> next_offset;
};

class SearchService {
 public:
  static constexpr int kMaxOffset = 1000;
  static constexpr std::size_t kMaxQueryChars = 100;

  SearchService(Store& store, const Clock& clock, CatalogService& catalog)
      : store_(store), clock_(clock), catalog_(catalog) {}

  // VALIDATION_ERROR naming the field for an unknown type, sort or genre, a long query or a
  // cursor out of range.
  Result<DiscoverPage> Discover(DiscoverQuery query);

 private:
  Store& store_;
  const Clock& clock_;
  CatalogService& catalog_;
};

}  // namespace aimoviez
