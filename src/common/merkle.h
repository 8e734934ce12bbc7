// Merkle trees as Certificate Transparency defines them (RFC 9162 section 2.1, SHA-256): the tree
// hash of a list of leaves, inclusion proofs (a leaf is in a tree of a given size) and consistency
// proofs (a tree of one size is a prefix of a larger one), and the verification of both. Leaves
// are hashed with a 0x00 prefix and interior nodes with 0x01, so no leaf can pose as a node.
// Pure computation: no I/O, no state beyond the tree a caller builds.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace aimoviez::merkle {

using Hash = std::array<unsigned char, 32>;

// SHA-256 of the empty string: the hash of a tree with no leaves.
Hash EmptyRoot();
// SHA-256(0x00 || leaf).
Hash LeafHash(std::string_view leaf);
// SHA-256(0x01 || left || right).
Hash NodeHash(const Hash& left, const Hash& right);

std::string ToHex(const Hash& hash);
// nullopt unless `text` is exactly 64 hex digits.
std::optional<Hash> FromHex(std::string_view text);
// nullopt unless `bytes` is exactly 32 bytes.
std::optional<Hash> FromBytes(std::string_view bytes);

// A tree over a list of leaf hashes, with every level kept (about twice the leaves' memory), so
// its root and the proof of any leaf or earlier size come without rehashing the leaves.
class Tree {
 public:
  explicit Tree(std::vector<Hash> leaf_hashes);

  std::uint64_t size() const { return levels_.front().size(); }
  Hash Root() const;
  // The hash of the first `size` leaves' tree (0 < size <= this tree's size).
  Hash RootAt(std::uint64_t size) const;
  // The audit path of leaf `index` (< size()), leaf side first.
  std::vector<Hash> InclusionProof(std::uint64_t index) const;
  // The proof that the tree of the first `old_size` leaves is a prefix of the tree of the first
  // `new_size` (0 < old_size <= new_size <= size(); by default this whole tree); empty when the
  // sizes are equal.
  std::vector<Hash> ConsistencyProof(std::uint64_t old_size) const {
    return ConsistencyProof(old_size, size());
  }
  std::vector<Hash> ConsistencyProof(std::uint64_t old_size, std::uint64_t new_size) const;

 private:
  // The hash of leaves [begin, end) of the tree, end - begin > 0.
  Hash Range(std::uint64_t begin, std::uint64_t end) const;
  void SubProof(std::uint64_t m, std::uint64_t begin, std::uint64_t end, bool whole,
                std::vector<Hash>& out) const;

  // levels_[0] are the leaves; levels_[i][j] is the perfect subtree of 2^i leaves from j * 2^i,
  // present only where all its leaves exist.
  std::vector<std::vector<Hash>> levels_;
};

// RFC 9162 section 2.1.3.2: does `proof` lead from leaf `index`'s hash to `root` in a tree of
// `size` leaves?
bool VerifyInclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf_hash,
                     std::span<const Hash> proof, const Hash& root);

// RFC 9162 section 2.1.4.2: is the tree of `old_size` leaves with `old_root` a prefix of the tree
// of `new_size` leaves with `new_root`? Equal sizes need equal roots and an empty proof; a proof
// from the empty tree (old_size 0) proves nothing and is refused.
bool VerifyConsistency(std::uint64_t old_size, std::uint64_t new_size, const Hash& old_root,
                       const Hash& new_root, std::span<const Hash> proof);

}  // namespace aimoviez::merkle
