#include "common/time.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace aimoviez {

EpochMs SystemClock::NowMs() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

EpochMs OffsetClock::NowMs() const {
  return SystemClock().NowMs() + offset_ms_.load();
}

std::string FormatIso8601(EpochMs ms) {
  const std::time_t secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  const int millis = static_cast<int>(ms - static_cast<EpochMs>(secs) * 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

std::optional<EpochMs> ParseIso8601(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<EpochMs>(timegm(&tm)) * 1000;
}

EpochMs UtcDayStart(EpochMs ms) {
  constexpr EpochMs kDay = 86'400'000;
  return ms >= 0 ? ms - ms % kDay : ms - ((ms % kDay) + kDay) % kDay;
}

EpochMs NextUtcDayStart(EpochMs ms) {
  return UtcDayStart(ms) + 86'400'000;
}

}  // namespace aimoviez
