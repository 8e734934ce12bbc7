// libFuzzer harness: upload object keys and media URLs as a client can spell them. A key the
// server accepts must stay inside the media directory once joined, and the key read from a URL
// (to remove a clip's objects) is the URL's own tail and never climbs a directory.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domain/media_rules.h"
#include "http/media_paths.h"

using namespace aimoviez;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (IsValidObjectKey(text)) {
    const auto joined = http::SafeJoin("/media", std::string(text));
    if (!joined || joined->rfind("/media/", 0) != 0) std::abort();
  }
  if (auto key = ObjectKeyOfUrl(text)) {
    if (key->find("..") != std::string::npos || !text.ends_with(*key)) std::abort();
  }
  (void)ExtensionForContentType(text);
  return 0;
}
