// A hash table split into 64 independent tables. The engine's tables grow with every new voter
// while its lock is held; a hash table rehashes all of its entries at once when it grows, which at
// a few million voters held the lock for tens of milliseconds (the feed's p99). Growing one shard
// rehashes a sixty-fourth of the entries.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

namespace aimoviez::engine {

template <typename Table>
class ShardedTable {
 public:
  static constexpr std::size_t kShards = 64;

  template <typename K, typename... Args>
  auto try_emplace(const K& key, Args&&... args) {
    return For(key).try_emplace(key, std::forward<Args>(args)...);
  }
  template <typename K, typename... Args>
  auto emplace(const K& key, Args&&... args) {
    return For(key).emplace(key, std::forward<Args>(args)...);
  }
  template <typename K>
  auto insert(const K& key) {
    return For(key).insert(key);
  }
  template <typename K>
  std::size_t count(const K& key) const {
    return For(key).count(key);
  }
  template <typename K>
  std::size_t erase(const K& key) {
    return For(key).erase(key);
  }
  template <typename K>
  auto& at(const K& key) {
    return For(key).at(key);
  }
  // A copy of the value for `key`, if there is one. No pointer into the table is handed out: an
  // open-addressing table moves its values when it grows.
  template <typename K>
  std::optional<typename Table::mapped_type> find_value(const K& key) const {
    const auto& shard = For(key);
    auto it = shard.find(key);
    if (it == shard.end()) return std::nullopt;
    return it->second;
  }

  void clear() {
    for (auto& s : shards_) s.clear();
  }
  void reserve(std::size_t total) {
    for (auto& s : shards_) s.reserve(total / kShards + 1);
  }
  std::size_t size() const {
    std::size_t n = 0;
    for (const auto& s : shards_) n += s.size();
    return n;
  }
  std::size_t bucket_count() const {
    std::size_t n = 0;
    for (const auto& s : shards_) n += s.bucket_count();
    return n;
  }

 private:
  // The shard comes from the top bits of a multiplied hash: std::hash of an integer is the
  // integer itself, and the engine's keys keep the clip index in their low bits.
  template <typename K>
  Table& For(const K& key) {
    return shards_[ShardOf(key)];
  }
  template <typename K>
  const Table& For(const K& key) const {
    return shards_[ShardOf(key)];
  }
  template <typename K>
  static std::size_t ShardOf(const K& key) {
    const std::uint64_t h = typename Table::hasher{}(key);
    return static_cast<std::size_t>((h * 0x9E3779B97F4A7C15ULL) >> 58);
  }

  std::array<Table, kShards> shards_;
};

}  // namespace aimoviez::engine
