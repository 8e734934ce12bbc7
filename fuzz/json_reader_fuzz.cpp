// libFuzzer harness: a request body through the strict JSON readers the handlers use. Every
// input is either an object the readers accept or an ApiError (a 4xx with a code); anything
// else — another exception, a crash, a sanitizer report — is a finding.
#include <cstdint>
#include <string_view>

#include "common/json.h"
#include "domain/errors.h"

using namespace aimoviez;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    const auto object = json::ParseObject(body);
    for (const char* field : {"clipId", "commentId", "userId", "seasonId", "parentCommentId"}) {
      try {
        (void)json::RequireId(object, field);
      } catch (const ApiError&) {
      }
    }
    for (const char* field : {"text", "voteType", "username", "captchaToken", "genre"}) {
      try {
        (void)json::OptionalString(object, field);
      } catch (const ApiError&) {
      }
    }
  } catch (const ApiError& e) {
    if (e.error().code.empty()) __builtin_trap();
  }
  (void)json::ParseId(body);
  return 0;
}
