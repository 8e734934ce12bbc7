#include "domain/search_service.h"

#include "common/text.h"

namespace aimoviez {

namespace {

constexpr std::size_t kMaxWords = 8;

// Letters and digits of any script are word characters; everything else separates words.
bool WordByte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

Error Invalid(std::string message, std::string_view field) {
  return Error::InvalidInput(std::move(message)).With("field", boost::json::string(field));
}

}  // namespace

std::vector<std::string> SearchWords(std::string_view typed) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < typed.size() && words.size() < kMaxWords) {
    while (i < typed.size() && !WordByte(static_cast<unsigned char>(typed[i]))) ++i;
    const std::size_t start = i;
    while (i < typed.size() && WordByte(static_cast<unsigned char>(typed[i]))) ++i;
    if (i == start) break;
    words.emplace_back(typed.substr(start, i - start));
  }
  return words;
}

std::string LikePrefix(std::string_view typed) {
  std::string out;
  for (char c : text::ToLowerAscii(text::Trim(typed))) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

Result<DiscoverPage> SearchService::Discover(DiscoverQuery query) {
  if (!text::IsValidUtf8(query.q) || text::CodePointCount(query.q) > kMaxQueryChars) {
    return Invalid("q is at most 100 characters of text", "q");
  }
  if (query.type != "clips" && query.type != "creators") {
    return Invalid("type must be clips or creators", "type");
  }
  if (query.offset < 0 || query.offset > kMaxOffset)
    return Invalid("cursor is out of range", "cursor");
  DiscoverPage page;
  if (query.type == "creators") {
    page.creators = store_.SearchCreators(LikePrefix(query.q), query.offset, query.limit + 1);
    if (static_cast<int>(page.creators.size()) > query.limit) {
      page.creators.resize(static_cast<std::size_t>(query.limit));
      page.next_offset = query.offset + query.limit;
    }
    return page;
  }
  ClipSearch search;
  if (query.sort == "new") {
    search.sort = SearchSort::kNew;
  } else if (query.sort == "top") {
    search.sort = SearchSort::kTop;
  } else if (query.sort == "trending") {
    search.sort = SearchSort::kTrending;
  } else {
    return Invalid("sort must be new, top or trending", "sort");
  }
  if (query.genre) {
    // The season genres, and "Other", which uploads accept.
    if (!IsKnownGenre(*query.genre) && *query.genre != "Other") {
      return Invalid("genre is not one of the platform's genres", "genre");
    }
    search.genre = query.genre;
  }
  search.words = SearchWords(query.q);
  if (search.words.empty() && !text::Trim(query.q).empty()) return page;  // only punctuation
  search.offset = query.offset;
  search.limit = query.limit + 1;
  search.now = clock_.NowMs();
  auto ids = store_.SearchClips(search);
  if (static_cast<int>(ids.size()) > query.limit) {
    ids.resize(static_cast<std::size_t>(query.limit));
    page.next_offset = query.offset + query.limit;
  }
  for (Id id : ids) {
    if (auto clip = store_.FindClip(id)) page.clips.push_back(catalog_.WithLiveCounts(*clip));
  }
  return page;
}

}  // namespace aimoviez
