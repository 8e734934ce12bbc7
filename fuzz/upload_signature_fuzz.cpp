// libFuzzer harness: the key, `expires` and `sig` of a signed upload URL as a client can spell
// them (one per line). Only the server's own signature of the key with that expiry opens an
// upload: a fuzzed signature never does, the real one always does, and the real one with one
// character changed does not.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domain/media_rules.h"

using namespace aimoviez;

namespace {

constexpr std::string_view kSecret = "fuzz-server-secret";

std::string_view Line(std::string_view text, std::size_t& from) {
  if (from > text.size()) return {};
  const auto end = text.find('\n', from);
  const auto line = text.substr(from, end == std::string_view::npos ? end : end - from);
  from = end == std::string_view::npos ? text.size() + 1 : end + 1;
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t at = 0;
  const auto key = Line(text, at);
  const auto expires = Line(text, at);
  const auto sig = Line(text, at);
  if (const auto expiry = VerifiedUploadExpiry(kSecret, key, expires, sig)) {
    if (*expiry <= 0 || UploadSignature(kSecret, key, *expiry) != sig) std::abort();
  }
  // The server's own link for this key: accepted with its expiry, refused once altered.
  const EpochMs expiry = 1'800'000'000'000 + static_cast<EpochMs>(size);
  std::string real = UploadSignature(kSecret, key, expiry);
  if (VerifiedUploadExpiry(kSecret, key, std::to_string(expiry), real) != expiry) std::abort();
  real[size % real.size()] = real[size % real.size()] == '0' ? '1' : '0';
  if (VerifiedUploadExpiry(kSecret, key, std::to_string(expiry), real)) std::abort();
  return 0;
}
