#include "app/verify_receipt.h"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "common/crypto.h"
#include "common/merkle.h"
#include "domain/round_log.h"

namespace aimoviez {
namespace {

std::optional<std::string> FromHexBytes(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    unsigned value = 0;
    for (char c : text.substr(i, 2)) {
      value <<= 4;
      if (c >= '0' && c <= '9')
        value |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        value |= static_cast<unsigned>(c - 'a' + 10);
      else
        return std::nullopt;
    }
    out.push_back(static_cast<char>(value));
  }
  return out;
}

struct Fetched {
  int status = 0;
  boost::json::object body;
  std::string error;
};

Fetched GetJson(net::HttpFetcher& fetcher, const std::string& url) {
  net::FetchRequest request;
  request.url = url;
  request.max_response_bytes = 1024 * 1024;
  const auto response = fetcher.Fetch(request);
  Fetched f{response.status, {}, response.error};
  boost::system::error_code ec;
  auto value = boost::json::parse(response.body, ec);
  if (!ec && value.is_object()) f.body = std::move(value.as_object());
  return f;
}

}  // namespace

int VerifyReceipt(net::HttpFetcher& fetcher, const std::string& server,
                  const std::string& receipt_file, std::ostream& out) {
  std::ifstream in(receipt_file);
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  auto doc = boost::json::parse(text.str(), ec);
  if (!in || ec || !doc.is_object()) {
    out << "cannot read a receipt from " << receipt_file << "\n";
    return 2;
  }
  // The receipt object, or a whole vote answer that carries one.
  const auto* receipt = &doc.as_object();
  if (const auto* inner = receipt->if_contains("receipt"); inner && inner->is_object()) {
    receipt = &inner->as_object();
  }
  const auto* leaf_hex = receipt->if_contains("leaf");
  const auto leaf =
      leaf_hex && leaf_hex->is_string() ? FromHexBytes(leaf_hex->as_string()) : std::nullopt;
  const auto fields = leaf ? DecodeLeaf(*leaf) : std::nullopt;
  if (!fields) {
    out << "NOT verified: the receipt's leaf is not a round leaf (65 bytes, version 1)\n";
    return 1;
  }
  const std::string hash = merkle::ToHex(merkle::LeafHash(*leaf));
  if (const auto* claimed = receipt->if_contains("leafHash");
      claimed && claimed->is_string() && claimed->as_string() != hash) {
    out << "NOT verified: the receipt's leafHash is not the hash of its leaf\n";
    return 1;
  }
  std::string base = server;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string round_url = base + "/api/rounds/" + std::to_string(fields->season_id) + "/" +
                                std::to_string(fields->slot);
  const auto round = GetJson(fetcher, round_url);
  if (round.status == 404) {
    out << "season " << fields->season_id << " slot " << fields->slot
        << " has no published log yet: check again once the round closes\n";
    return 3;
  }
  const auto proof = GetJson(fetcher, round_url + "/proof?leaf=" + hash);
  if (round.status != 200 || (proof.status != 200 && proof.status != 404)) {
    out << "cannot read the round's log from " << base << ": "
        << (round.status != 200 ? round.error : proof.error) << " (HTTP "
        << (round.status != 200 ? round.status : proof.status) << ")\n";
    return 2;
  }
  if (proof.status == 404) {
    out << "NOT verified: the vote is not a leaf of the published log of season "
        << fields->season_id << " slot " << fields->slot << "\n";
    return 1;
  }
  try {
    const auto root = merkle::FromHex(round.body.at("rootHash").as_string());
    const auto size = round.body.at("treeSize").to_number<std::uint64_t>();
    const auto index = proof.body.at("leafIndex").to_number<std::uint64_t>();
    std::vector<merkle::Hash> path;
    for (const auto& step : proof.body.at("auditPath").as_array()) {
      auto h = merkle::FromHex(step.as_string());
      if (!h) throw std::runtime_error("bad path");
      path.push_back(*h);
    }
    const bool same_tree =
        proof.body.at("rootHash").as_string() == round.body.at("rootHash").as_string() &&
        proof.body.at("treeSize").to_number<std::uint64_t>() == size;
    if (!root || !same_tree ||
        !merkle::VerifyInclusion(index, size, *merkle::FromHex(hash), path, *root)) {
      out << "NOT verified: the proof does not lead to the published root\n";
      return 1;
    }
    out << "verified: vote " << fields->sequence << " for clip " << fields->clip_id << " (weight "
        << fields->weight << ") is leaf " << index + 1 << " of " << size << " in season "
        << fields->season_id << " slot " << fields->slot << ", root " << merkle::ToHex(*root)
        << "\n";
    return 0;
  } catch (const std::exception&) {
    out << "cannot read the round's log from " << base << ": unexpected answer\n";
    return 2;
  }
}

}  // namespace aimoviez
