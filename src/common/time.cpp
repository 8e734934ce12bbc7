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

namespace {

// Proleptic Gregorian date of a day count since 1970-01-01 (the era-based civil-from-days method:
// 400-year eras of 146 097 days, years starting in March so the leap day comes last).
void CivilFromDays(std::int64_t days, std::int64_t& year, unsigned& month, unsigned& day) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
}

void PutDigits(char* at, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i, value /= 10) at[i] = static_cast<char>('0' + value % 10);
}

}  // namespace

// Written digit by digit: every clip in every feed answer carries a timestamp, and snprintf was
// a visible share of the feed's cost.
std::string FormatIso8601(EpochMs ms) {
  constexpr EpochMs kDay = 86'400'000;
  const EpochMs days = ms >= 0 ? ms / kDay : (ms - (kDay - 1)) / kDay;
  const auto in_day = static_cast<unsigned>(ms - days * kDay);
  std::int64_t year = 0;
  unsigned month = 0, day = 0;
  CivilFromDays(days, year, month, day);
  if (year >= 0 && year <= 9999) {
    std::string out = "0000-00-00T00:00:00.000Z";
    PutDigits(&out[0], static_cast<unsigned>(year), 4);
    PutDigits(&out[5], month, 2);
    PutDigits(&out[8], day, 2);
    PutDigits(&out[11], in_day / 3'600'000, 2);
    PutDigits(&out[14], in_day / 60'000 % 60, 2);
    PutDigits(&out[17], in_day / 1000 % 60, 2);
    PutDigits(&out[20], in_day % 1000, 3);
    return out;
  }
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
