#include "common/merkle.h"

#include <openssl/sha.h>

#include <bit>
#include <stdexcept>

#include "common/crypto.h"

namespace aimoviez::merkle {
namespace {

// The largest power of two below n (n > 1): where RFC 9162 splits a tree of n leaves.
std::uint64_t SplitPoint(std::uint64_t n) {
  return std::bit_floor(n - 1);
}

}  // namespace

Hash EmptyRoot() {
  Hash out;
  SHA256(nullptr, 0, out.data());
  return out;
}

Hash LeafHash(std::string_view leaf) {
  std::string buffer;
  buffer.reserve(1 + leaf.size());
  buffer += '\x00';
  buffer += leaf;
  Hash out;
  SHA256(reinterpret_cast<const unsigned char*>(buffer.data()), buffer.size(), out.data());
  return out;
}

Hash NodeHash(const Hash& left, const Hash& right) {
  unsigned char buffer[1 + 2 * 32];
  buffer[0] = 0x01;
  std::copy(left.begin(), left.end(), buffer + 1);
  std::copy(right.begin(), right.end(), buffer + 33);
  Hash out;
  SHA256(buffer, sizeof buffer, out.data());
  return out;
}

std::string ToHex(const Hash& hash) {
  return crypto::ToHex(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

std::optional<Hash> FromHex(std::string_view text) {
  if (text.size() != 64) return std::nullopt;
  const auto bytes = crypto::FromHex(text);
  if (!bytes) return std::nullopt;
  return FromBytes(*bytes);
}

std::optional<Hash> FromBytes(std::string_view bytes) {
  if (bytes.size() != 32) return std::nullopt;
  Hash out;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

Tree::Tree(std::vector<Hash> leaf_hashes) {
  levels_.push_back(std::move(leaf_hashes));
  while (levels_.back().size() > 1) {
    const auto& below = levels_.back();
    std::vector<Hash> level;
    level.reserve(below.size() / 2);
    for (std::size_t i = 0; i + 1 < below.size(); i += 2) {
      level.push_back(NodeHash(below[i], below[i + 1]));
    }
    levels_.push_back(std::move(level));
  }
}

Hash Tree::Root() const {
  return size() == 0 ? EmptyRoot() : Range(0, size());
}

Hash Tree::RootAt(std::uint64_t tree_size) const {
  if (tree_size == 0 || tree_size > size()) throw std::out_of_range("tree size out of range");
  return Range(0, tree_size);
}

Hash Tree::Range(std::uint64_t begin, std::uint64_t end) const {
  const std::uint64_t n = end - begin;
  // Every split RFC 9162 makes lands on a perfect subtree aligned to its size: kept as a level.
  if (std::has_single_bit(n) && begin % n == 0) {
    return levels_[std::countr_zero(n)][begin / n];
  }
  const std::uint64_t k = SplitPoint(n);
  return NodeHash(Range(begin, begin + k), Range(begin + k, end));
}

std::vector<Hash> Tree::InclusionProof(std::uint64_t index) const {
  if (index >= size()) throw std::out_of_range("leaf index out of range");
  std::vector<Hash> path;
  // Walks down from the root; the sibling of each subtree on the way is pushed on the way back
  // up, so the path starts at the leaf.
  auto walk = [&](auto& self, std::uint64_t begin, std::uint64_t end) -> void {
    if (end - begin == 1) return;
    const std::uint64_t mid = begin + SplitPoint(end - begin);
    if (index < mid) {
      self(self, begin, mid);
      path.push_back(Range(mid, end));
    } else {
      self(self, mid, end);
      path.push_back(Range(begin, mid));
    }
  };
  walk(walk, 0, size());
  return path;
}

std::vector<Hash> Tree::ConsistencyProof(std::uint64_t old_size, std::uint64_t new_size) const {
  if (old_size == 0 || old_size > new_size || new_size > size()) {
    throw std::out_of_range("tree size out of range");
  }
  std::vector<Hash> proof;
  if (old_size < new_size) SubProof(old_size, 0, new_size, true, proof);
  return proof;
}

// RFC 9162's SUBPROOF(m, D[begin:end], whole): `whole` while the subtree's old part is the whole
// old tree, whose root the verifier already has.
void Tree::SubProof(std::uint64_t m, std::uint64_t begin, std::uint64_t end, bool whole,
                    std::vector<Hash>& out) const {
  const std::uint64_t n = end - begin;
  if (m == n) {
    if (!whole) out.push_back(Range(begin, end));
    return;
  }
  const std::uint64_t k = SplitPoint(n);
  if (m <= k) {
    SubProof(m, begin, begin + k, whole, out);
    out.push_back(Range(begin + k, end));
  } else {
    SubProof(m - k, begin + k, end, false, out);
    out.push_back(Range(begin, begin + k));
  }
}

bool VerifyInclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf_hash,
                     std::span<const Hash> proof, const Hash& root) {
  if (index >= size) return false;
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(p, r);
      // A right edge node with no sibling at these levels: climb past them.
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(std::uint64_t old_size, std::uint64_t new_size, const Hash& old_root,
                       const Hash& new_root, std::span<const Hash> proof) {
  // Nothing is consistent with the empty tree in a meaningful way, so it proves nothing.
  if (old_size > new_size || old_size == 0) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (proof.empty()) return false;
  // When the old tree is a perfect subtree of the new one, its root is the path's start.
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(old_size)) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  std::uint64_t fn = old_size - 1;
  std::uint64_t sn = new_size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

}  // namespace aimoviez::merkle
