// `aimoviez verify --server URL --receipt FILE`: checks a vote's receipt against a server's
// published round log without a web page (docs/VERIFIABILITY.md). The leaf hash is recomputed
// from the receipt's leaf, the proof and the round's record are fetched, and the audit path is
// hashed up to the published root here.
#pragma once

#include <ostream>
#include <string>

#include "net/http_fetcher.h"

namespace aimoviez {

// Exit status: 0 verified, 1 not verified (says why), 3 the round has no published log yet,
// 2 the receipt file or the server could not be read.
int VerifyReceipt(net::HttpFetcher& fetcher, const std::string& server,
                  const std::string& receipt_file, std::ostream& out);

}  // namespace aimoviez
