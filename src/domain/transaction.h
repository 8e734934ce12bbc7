// Runs a Result-returning unit of work inside one storage transaction: a failed Result rolls the
// transaction back and is returned as-is; a successful one commits.
#pragma once

#include <optional>

#include "domain/errors.h"
#include "domain/ports.h"

namespace aimoviez {

template <typename Work>
auto InTransaction(Store& store, Work&& work) -> decltype(work()) {
  struct Rollback {};
  std::optional<decltype(work())> out;
  try {
    store.Transaction([&] {
      out.emplace(work());
      if (!out->ok()) throw Rollback{};
    });
  } catch (const Rollback&) {
  }
  return std::move(*out);
}

}  // namespace aimoviez
