#include "storage/postgres/pg_search.h"

#include "storage/postgres/pg_rows.h"

namespace aimoviez::pg {

namespace {

// Every word, folded like the indexed text, quoted as a literal (so it is never tsquery syntax)
// and made a prefix; all of them required.
constexpr std::string_view kMatch =
    "(cardinality($1::text[]) = 0 OR c.search_vector @@ (SELECT to_tsquery('simple', "
    "string_agg(quote_literal(lower(public.unaccent('public.unaccent'::regdictionary, w))) || "
    "':*', ' & ')) FROM unnest($1::text[]) AS w)) ";

std::string_view OrderBy(SearchSort sort) {
  switch (sort) {
    case SearchSort::kNew:
      return "ORDER BY c.created_at DESC, c.id DESC ";
    case SearchSort::kTrending:
      // Votes per hour of age, softened so a clip a minute old does not top everything.
      return "ORDER BY c.vote_count / (($5 - c.created_at) / 3600000.0 + 2.0) DESC, c.id DESC ";
    case SearchSort::kTop:
      break;
  }
  return "ORDER BY c.vote_count DESC, c.id DESC ";
}

}  // namespace

std::vector<Id> PgSearchRepository::SearchClips(const ClipSearch& q) {
  ArrayLiteral words;
  for (const auto& word : q.words) words.Text(word);
  Params params(words, q.genre, q.limit, q.offset);
  if (q.sort == SearchSort::kTrending) params.Add(q.now);
  return ReadAll<Id>(
      db_.Exec("SELECT c.id FROM tournament_clips c WHERE c.status IN ('active', 'locked', "
               "'eliminated') AND " +
                   std::string(kMatch) + "AND ($2::text IS NULL OR c.genre = $2) " +
                   std::string(OrderBy(q.sort)) + "LIMIT $3 OFFSET $4",
               params),
      [](const Rows& r, int i) { return r.Int(i, 0); });
}

std::vector<User> PgSearchRepository::SearchCreators(std::string_view prefix, int offset,
                                                     int limit) {
  return ReadAll<User>(
      db_.Exec("SELECT u.id, u.username, u.avatar_url, u.created_at FROM users u "
               "WHERE u.username IS NOT NULL AND u.username <> '' AND NOT u.is_banned "
               "AND lower(u.username) LIKE $1 || '%' ESCAPE '\\' "
               "AND EXISTS (SELECT 1 FROM tournament_clips c WHERE c.user_id = u.id AND "
               "NOT c.creator_deleted AND c.status IN ('active', 'locked', 'eliminated')) "
               "ORDER BY lower(u.username), u.id LIMIT $2 OFFSET $3",
               Params(prefix, limit, offset)),
      [](const Rows& r, int i) {
        User u;
        u.id = r.Int(i, 0);
        u.username = r.Text(i, 1);
        u.avatar_url = r.Text(i, 2);
        u.created_at = r.Int(i, 3);
        return u;
      });
}

}  // namespace aimoviez::pg
