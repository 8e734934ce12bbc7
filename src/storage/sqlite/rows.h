// Helpers the SQLite repositories share: the connection lock guard and the one-row / all-rows
// readers over a prepared statement (which they reset, so the cached statement can be reused).
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/sqlite/database.h"

namespace aimoviez::sqlite {

using Guard = std::lock_guard<std::recursive_mutex>;

// A named query's columns followed by its WHERE/ORDER clause.
inline std::string Sql(std::string_view columns, std::string_view rest) {
  return std::string(columns).append(rest);
}

template <typename T, typename Reader>
std::optional<T> One(Statement& st, Reader read) {
  std::optional<T> out;
  if (st.Step()) out = read(st);
  st.Reset();
  return out;
}

template <typename T, typename Reader>
std::vector<T> All(Statement& st, Reader read) {
  std::vector<T> out;
  while (st.Step()) out.push_back(read(st));
  st.Reset();
  return out;
}

}  // namespace aimoviez::sqlite
