// RFC 9162 Merkle trees against published vectors (tests/vectors/transparency-dev-merkle): every
// inclusion and consistency case verifies or fails as the vectors say, and the proofs this code
// generates for the reference tree are the published ones.
#include "common/merkle.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/crypto.h"

namespace aimoviez::merkle {
namespace {

namespace fs = std::filesystem;
const fs::path kVectors = fs::path(AIMOVIEZ_TEST_VECTORS) / "transparency-dev-merkle";

boost::json::object ReadJson(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return boost::json::parse(text.str()).as_object();
}

// Standard base64 to a hash; nullopt for anything that is not 32 bytes (the vectors' garbage).
std::optional<Hash> Base64Hash(const boost::json::value& v) {
  std::string text(v.as_string());
  for (char& c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!text.empty() && text.back() == '=') text.pop_back();
  auto bytes = crypto::Base64UrlDecode(text);
  if (!bytes) return std::nullopt;
  return FromBytes(*bytes);
}

std::optional<std::vector<Hash>> Base64Proof(const boost::json::value& v) {
  std::vector<Hash> proof;
  if (v.is_null()) return proof;
  for (const auto& item : v.as_array()) {
    auto h = Base64Hash(item);
    if (!h) return std::nullopt;
    proof.push_back(*h);
  }
  return proof;
}

std::vector<fs::path> CasesUnder(const std::string& kind) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(kVectors / kind)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct ReferenceTree {
  std::vector<std::string> leaves;
  std::vector<Hash> roots;  // by size 0..8
};

ReferenceTree Reference() {
  const auto doc = ReadJson(kVectors / "reference-tree.json");
  ReferenceTree t;
  for (const auto& hex : doc.at("leaves").as_array()) {
    std::string bytes;
    const std::string_view h = hex.as_string();
    for (std::size_t i = 0; i < h.size(); i += 2) {
      bytes += static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16));
    }
    t.leaves.push_back(bytes);
  }
  for (const auto& hex : doc.at("roots").as_array()) t.roots.push_back(*FromHex(hex.as_string()));
  return t;
}

Tree TreeOf(const std::vector<std::string>& leaves, std::size_t size) {
  std::vector<Hash> hashes;
  for (std::size_t i = 0; i < size; ++i) hashes.push_back(LeafHash(leaves[i]));
  return Tree(std::move(hashes));
}

TEST(Merkle, EveryInclusionVectorVerifiesOrFailsAsPublished) {
  const auto files = CasesUnder("inclusion");
  ASSERT_GT(files.size(), 80U);
  for (const auto& file : files) {
    const auto c = ReadJson(file);
    const bool want_error = c.at("wantErr").as_bool();
    const auto root = Base64Hash(c.at("root"));
    const auto leaf = Base64Hash(c.at("leafHash"));
    const auto proof = Base64Proof(c.at("proof"));
    const bool ok =
        root && leaf && proof &&
        VerifyInclusion(c.at("leafIdx").to_number<std::uint64_t>(),
                        c.at("treeSize").to_number<std::uint64_t>(), *leaf, *proof, *root);
    EXPECT_EQ(!ok, want_error) << file.lexically_relative(kVectors);
  }
}

TEST(Merkle, EveryConsistencyVectorVerifiesOrFailsAsPublished) {
  const auto files = CasesUnder("consistency");
  ASSERT_GT(files.size(), 80U);
  std::vector<std::string> untyped;
  for (const auto& file : files) {
    const auto c = ReadJson(file);
    const bool want_error = c.at("wantErr").as_bool();
    const auto root1 = Base64Hash(c.at("root1"));
    const auto root2 = Base64Hash(c.at("root2"));
    const auto proof = Base64Proof(c.at("proof"));
    // Hashes here are typed 32-byte values (the API refuses anything else before verifying), so
    // a case whose "roots" are short placeholder strings cannot be put to this code; only one
    // such case expects success, and its rule (equal sizes, empty proof, equal roots) is checked
    // with real roots in EqualSizesAndTheEmptyTree.
    if (!want_error && (!root1 || !root2)) {
      untyped.push_back(file.filename().string());
      continue;
    }
    const bool ok =
        root1 && root2 && proof &&
        VerifyConsistency(c.at("size1").to_number<std::uint64_t>(),
                          c.at("size2").to_number<std::uint64_t>(), *root1, *root2, *proof);
    EXPECT_EQ(!ok, want_error) << file.lexically_relative(kVectors);
  }
  EXPECT_EQ(untyped, std::vector<std::string>{"sizes-are-equal-one-and-proof-is-empty.json"});
}

TEST(Merkle, EqualSizesAndTheEmptyTree) {
  const Hash a = LeafHash("a");
  const Hash b = LeafHash("b");
  EXPECT_TRUE(VerifyConsistency(1, 1, a, a, {}));
  EXPECT_FALSE(VerifyConsistency(1, 1, a, b, {}));
  EXPECT_FALSE(VerifyConsistency(1, 1, a, a, std::vector<Hash>{b}));
  EXPECT_FALSE(VerifyConsistency(0, 0, EmptyRoot(), EmptyRoot(), {}));
  EXPECT_FALSE(VerifyConsistency(0, 1, EmptyRoot(), a, std::vector<Hash>{a}));
  EXPECT_FALSE(VerifyInclusion(0, 0, a, {}, EmptyRoot()));
  EXPECT_TRUE(VerifyInclusion(0, 1, a, {}, a));
}

TEST(Merkle, RootsOfTheReferenceTreeAreThePublishedOnes) {
  const auto ref = Reference();
  ASSERT_EQ(ref.roots.size(), 9U);
  EXPECT_EQ(Tree({}).Root(), ref.roots[0]);
  EXPECT_EQ(EmptyRoot(), ref.roots[0]);
  const Tree full = TreeOf(ref.leaves, 8);
  for (std::size_t size = 1; size <= 8; ++size) {
    EXPECT_EQ(TreeOf(ref.leaves, size).Root(), ref.roots[size]) << size;
    EXPECT_EQ(full.RootAt(size), ref.roots[size]) << size;
  }
}

// The happy-path vectors' proofs are what this code generates for the same tree.
TEST(Merkle, GeneratedProofsAreThePublishedOnes) {
  const auto ref = Reference();
  int compared = 0;
  for (const auto& file : CasesUnder("inclusion")) {
    const auto c = ReadJson(file);
    if (c.at("wantErr").as_bool() || file.filename() != "happy-path.json") continue;
    const auto size = c.at("treeSize").to_number<std::uint64_t>();
    const auto index = c.at("leafIdx").to_number<std::uint64_t>();
    if (size > ref.leaves.size()) continue;
    const Tree tree = TreeOf(ref.leaves, size);
    EXPECT_EQ(tree.Root(), *Base64Hash(c.at("root"))) << file;
    EXPECT_EQ(LeafHash(ref.leaves[index]), *Base64Hash(c.at("leafHash"))) << file;
    EXPECT_EQ(tree.InclusionProof(index), *Base64Proof(c.at("proof"))) << file;
    ++compared;
  }
  for (const auto& file : CasesUnder("consistency")) {
    const auto c = ReadJson(file);
    if (c.at("wantErr").as_bool() || file.filename() != "happy-path.json") continue;
    const auto size1 = c.at("size1").to_number<std::uint64_t>();
    const auto size2 = c.at("size2").to_number<std::uint64_t>();
    if (size2 > ref.leaves.size()) continue;
    const Tree tree = TreeOf(ref.leaves, size2);
    EXPECT_EQ(tree.RootAt(size1), *Base64Hash(c.at("root1"))) << file;
    EXPECT_EQ(tree.ConsistencyProof(size1), *Base64Proof(c.at("proof"))) << file;
    ++compared;
  }
  EXPECT_GE(compared, 8);
}

// Beyond the vectors: every leaf of trees of every size up to 70 proves its inclusion, every
// earlier size proves its consistency, and a changed leaf or root does not verify.
TEST(Merkle, EveryProofOfSmallTreesVerifies) {
  std::vector<Hash> leaves;
  for (int i = 0; i < 70; ++i) leaves.push_back(LeafHash("leaf " + std::to_string(i)));
  for (std::size_t n = 1; n <= leaves.size(); ++n) {
    const Tree tree({leaves.begin(), leaves.begin() + static_cast<std::ptrdiff_t>(n)});
    const Hash root = tree.Root();
    for (std::size_t i = 0; i < n; ++i) {
      const auto proof = tree.InclusionProof(i);
      ASSERT_TRUE(VerifyInclusion(i, n, leaves[i], proof, root)) << i << " of " << n;
      EXPECT_FALSE(VerifyInclusion(i, n, LeafHash("forged"), proof, root));
      if (n > 1) {
        EXPECT_FALSE(VerifyInclusion((i + 1) % n, n, leaves[i], proof, root));
      }
    }
    for (std::size_t m = 1; m <= n; ++m) {
      const auto proof = tree.ConsistencyProof(m);
      ASSERT_TRUE(VerifyConsistency(m, n, tree.RootAt(m), root, proof)) << m << " to " << n;
      // The same proof from a larger tree, between its two earlier sizes.
      const Tree larger(leaves);
      EXPECT_EQ(larger.ConsistencyProof(m, n), proof) << m << " to " << n;
      if (m < n) {
        EXPECT_FALSE(VerifyConsistency(m, n, LeafHash("forged"), root, proof));
      }
    }
  }
}

}  // namespace
}  // namespace aimoviez::merkle
