#include "common/json_writer.h"

#include <charconv>
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

JsonWriter& JsonWriter::Key(std::string_view key) {
  String(key);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  BeforeValue();
  static constexpr char kHex[] = "0123456789abcdef";
  out_.push_back('"');
  std::size_t plain = 0;  // start of the run of characters that need no escaping
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out_.append(value.data() + plain, i - plain);
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
  out_.append(value.data() + plain, value.size() - plain);
  out_.push_back('"');
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
