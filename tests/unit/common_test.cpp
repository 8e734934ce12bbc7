// Small shared helpers: timestamps on the wire and the streaming JSON writer.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <chrono>
#include <random>

#include "common/crypto.h"
#include "common/json_writer.h"
#include "common/text.h"
#include "common/time.h"

namespace aimoviez {
namespace {

// Independent oracle: the standard library's calendar types.
std::string ChronoIso8601(EpochMs ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds{ms}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return buf;
}

TEST(Hex, RoundTripsEveryByteAndRefusesWhatIsNotHex) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  EXPECT_EQ(crypto::FromHex(crypto::ToHex(all)), all);
  EXPECT_EQ(crypto::FromHex("00FFa0"), std::string("\x00\xff\xa0", 3));
  EXPECT_EQ(crypto::FromHex(""), std::string());
  EXPECT_FALSE(crypto::FromHex("abc").has_value());
  EXPECT_FALSE(crypto::FromHex("0g").has_value());
}

TEST(Time, FormatIso8601MatchesTheCalendar) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(951'782'400'000), "2000-02-29T00:00:00.000Z");  // leap day of a 400-year
  EXPECT_EQ(FormatIso8601(4'107'542'399'999), "2100-02-28T23:59:59.999Z");  // 2100 is not leap
  EXPECT_EQ(FormatIso8601(-1), "1969-12-31T23:59:59.999Z");
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<EpochMs> any(-2'000'000'000'000, 250'000'000'000'000);
  for (int i = 0; i < 20'000; ++i) {
    const EpochMs ms = any(rng);
    ASSERT_EQ(FormatIso8601(ms), ChronoIso8601(ms)) << ms;
  }
  // Round trip through the parser (second precision).
  EXPECT_EQ(ParseIso8601(FormatIso8601(1'795'000'000'000)), 1'795'000'000'000);
}

TEST(JsonWriter, ProducesWhatBoostJsonParsesBack) {
  std::string out;
  json::JsonWriter w(out);
  const std::string tricky = std::string("quote \" backslash \\ newline \n tab \t nul ") +
                             std::string(1, '\0') + " bell \x07 unicode \xC3\xA9 \xF0\x9F\x8E\xAC";
  w.BeginObject();
  w.Key("text").String(tricky);
  w.Key("n").Int(-9'007'199'254'740'993);
  w.Key("flags").BeginArray().Bool(true).Bool(false).Null().EndArray();
  w.Key("empty").BeginObject().EndObject();
  w.Key("none").Value(std::optional<std::int64_t>{});
  w.Key("some").Value(std::optional<std::int64_t>{42});
  w.Key("list").BeginArray();
  for (int i = 0; i < 3; ++i) w.BeginObject().Key("i").Int(i).EndObject();
  w.EndArray();
  w.EscapedKey(tricky).Int(7);  // a run-time name is escaped like a value
  w.EndObject();

  const boost::json::value expected = {{"text", tricky},
                                       {"n", -9'007'199'254'740'993},
                                       {"flags", {true, false, nullptr}},
                                       {"empty", boost::json::object{}},
                                       {"none", nullptr},
                                       {"some", 42},
                                       {"list", {{{"i", 0}}, {{"i", 1}}, {{"i", 2}}}},
                                       {tricky, 7}};
  EXPECT_EQ(boost::json::parse(out), expected) << out;
}

// String skips plain text eight bytes at a time: every character that needs escaping, at every
// offset of strings around the word size, mixed with multi-byte UTF-8, must still be escaped.
TEST(JsonWriter, EscapesAtEveryOffsetAroundTheWordSize) {
  const std::string specials[] = {
      "\"", "\\", "\n", "\t", std::string(1, '\0'), "\x1f", "\x7f", "\xC3\xA9", "\xF0\x9F\x8E\xAC",
      " ",  "~"};
  for (std::size_t length = 0; length <= 40; ++length) {
    for (std::size_t at = 0; at <= length; ++at) {
      for (const auto& special : specials) {
        std::string text(length, 'a');
        for (std::size_t k = 0; k < length; ++k) text[k] = static_cast<char>('a' + k % 26);
        text.insert(at, special);
        // A second one in longer strings, before the first (never inside a multi-byte one).
        if (length > 20) text.insert(std::min(at, length / 3), special);
        std::string out;
        json::JsonWriter(out).String(text);
        ASSERT_EQ(boost::json::parse(out), boost::json::value(text))
            << "length " << length << " at " << at << ": " << out;
      }
    }
  }
}

}  // namespace
}  // namespace aimoviez

namespace aimoviez {
namespace {

TEST(Text, TruncateCodePointsNeverSplitsACharacter) {
  EXPECT_EQ(text::TruncateCodePoints("héllo", 2), "hé");
  EXPECT_EQ(text::TruncateCodePoints("héllo", 10), "héllo");
  EXPECT_EQ(text::TruncateCodePoints("🎬🎬🎬", 1), "🎬");
  EXPECT_EQ(text::TruncateCodePoints("", 3), "");
  EXPECT_EQ(text::TruncateCodePoints("abc", 0), "");
}

}  // namespace
}  // namespace aimoviez
