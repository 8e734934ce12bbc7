// libFuzzer harness: a configuration file as an operator might mistype it. LoadConfig either
// returns a configuration or throws ConfigError naming the problem; nothing else may escape.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "app/config.h"

using namespace aimoviez;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The file lives in memory (memfd), so the fuzzer writes nothing to disk.
  static const int fd = memfd_create("aimoviez-config", 0);
  if (fd < 0) std::abort();
  if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) {
    std::abort();
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  try {
    const Config config = LoadConfig(path, [](const char*) -> const char* { return nullptr; }, {});
    if (config.threads < 1) std::abort();
  } catch (const ConfigError&) {
  }
  return 0;
}
