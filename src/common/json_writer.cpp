#include "common/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <stdexcept>

namespace aimoviez::json {

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ > 0) {
    if (has_sibling_[depth_ - 1]) out_.push_back(',');
    has_sibling_[depth_ - 1] = true;
  }
}

JsonWriter& JsonWriter::Open(char c) {
  BeforeValue();
  if (depth_ == kMaxDepth) throw std::logic_error("JsonWriter: nesting too deep");
  has_sibling_[depth_++] = false;
  out_.push_back(c);
  return *this;
}

JsonWriter& JsonWriter::Close(char c) {
  if (depth_ == 0) throw std::logic_error("JsonWriter: close without open");
  --depth_;
  out_.push_back(c);
  return *this;
}

JsonWriter& JsonWriter::Key(JsonKey key) {
  BeforeValue();
  out_.push_back('"');
  out_.append(key.name());
  out_.append("\":", 2);
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::EscapedKey(std::string_view key) {
  String(key);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

namespace {

bool NeedsEscape(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\';
}

// Whether any of the eight bytes in `w` needs escaping (below 0x20, '"' or '\\'), found for all
// eight at once with the usual zero-byte tests. Answers are mostly long runs of plain text (URLs,
// names, timestamps), so String skips eight bytes per step instead of testing each.
bool AnyNeedsEscape(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  const auto has_zero_byte = [&](std::uint64_t x) { return (x - kOnes) & ~x & kHighs; };
  const std::uint64_t below_space = (w - kOnes * 0x20) & ~w & kHighs;
  return (below_space | has_zero_byte(w ^ (kOnes * '"')) | has_zero_byte(w ^ (kOnes * '\\'))) != 0;
}

}  // namespace

JsonWriter& JsonWriter::String(std::string_view value) {
  BeforeValue();
  static constexpr char kHex[] = "0123456789abcdef";
  out_.push_back('"');
  const char* data = value.data();
  const std::size_t size = value.size();
  std::size_t plain = 0;  // start of the run of characters that need no escaping
  std::size_t i = 0;
  while (i < size) {
    std::uint64_t word;
    while (i + 8 <= size && (std::memcpy(&word, data + i, 8), !AnyNeedsEscape(word))) i += 8;
    // At most eight characters one by one (one of them needs escaping, or the tail), then back
    // to whole words.
    for (const std::size_t stop = std::min(i + 8, size); i < stop; ++i) {
      const auto c = static_cast<unsigned char>(data[i]);
      if (!NeedsEscape(c)) continue;
      out_.append(data + plain, i - plain);
      plain = i + 1;
      switch (c) {
        case '"':
          out_.append("\\\"");
          break;
        case '\\':
          out_.append("\\\\");
          break;
        case '\n':
          out_.append("\\n");
          break;
        case '\r':
          out_.append("\\r");
          break;
        case '\t':
          out_.append("\\t");
          break;
        case '\b':
          out_.append("\\b");
          break;
        case '\f':
          out_.append("\\f");
          break;
        default:
          out_.append("\\u00");
          out_.push_back(kHex[c >> 4]);
          out_.push_back(kHex[c & 0xF]);
      }
    }
  }
  out_.append(data + plain, size - plain);
  out_.push_back('"');
  return *this;
}

JsonWriter& JsonWriter::Members(std::string_view rendered) {
  if (rendered.empty()) return *this;
  BeforeValue();
  out_.append(rendered);
  return *this;
}

JsonWriter& JsonWriter::Int(std::int64_t value) {
  BeforeValue();
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, end);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  BeforeValue();
  out_.append(value ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_.append("null");
  return *this;
}

}  // namespace aimoviez::json
