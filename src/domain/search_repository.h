// Storage port for search (GET /api/discover): public clips by full-text match, genre and order,
// and creators by name prefix.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/model.h"

namespace aimoviez {

enum class SearchSort { kNew, kTop, kTrending };

struct ClipSearch {
  // Words every match must contain, each as a prefix (SearchWords: letters and digits only,
  // never query syntax); none = every public clip.
  std::vector<std::string> words;
  std::optional<std::string> genre;
  SearchSort sort = SearchSort::kTop;
  int offset = 0;
  int limit = 20;
  EpochMs now = 0;  // for trending: votes per hour of age
};

class SearchRepository {
 public:
  virtual ~SearchRepository() = default;
  // Ids of public clips (in the vote, locked in or eliminated), in the requested order.
  virtual std::vector<Id> SearchClips(const ClipSearch& query) = 0;
  // People with at least one public clip whose name starts with `prefix` (lower case, LIKE
  // wildcards escaped with '\'), by name; public fields only.
  virtual std::vector<User> SearchCreators(std::string_view prefix, int offset, int limit) = 0;
};

}  // namespace aimoviez
