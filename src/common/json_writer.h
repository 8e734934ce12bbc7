// Writes JSON text straight into a string, for answers too hot to build as a boost::json tree
// first (the vote feed: profiling showed the tree's allocations and key hashing costing more than
// everything else the request does). Callers keep the structure balanced; the tests parse the
// output back with boost::json and compare it with the tree form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aimoviez::json {

// A member name written into the program. Its constructor runs at compile time and refuses a
// name that would need escaping, so writing it is a plain copy: an answer has dozens of keys,
// and escaping each one at run time was a tenth of the feed's cost.
class JsonKey {
 public:
  template <std::size_t N>
  consteval JsonKey(const char (&literal)[N]) : name_(literal, N - 1) {  // NOLINT: implicit
    for (const char c : name_) {
      if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\') {
        throw "JSON key literals must not need escaping";
      }
    }
  }
  constexpr std::string_view name() const { return name_; }

 private:
  std::string_view name_;
};

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(JsonKey key);
  // A member name known only at run time: escaped like any string.
  JsonWriter& EscapedKey(std::string_view key);

  // Appends members another JsonWriter rendered (an object's text without its braces) to the
  // object being written: for parts of an answer that are rendered once and reused.
  JsonWriter& Members(std::string_view rendered);

  JsonWriter& String(std::string_view value);
  JsonWriter& Int(std::int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();

  // Overloads so field lists can be written generically (see http/json_views.h).
  JsonWriter& Value(std::string_view v) { return String(v); }
  JsonWriter& Value(const std::string& v) { return String(v); }
  JsonWriter& Value(const char* v) { return String(v); }
  JsonWriter& Value(std::int64_t v) { return Int(v); }
  JsonWriter& Value(int v) { return Int(v); }
  JsonWriter& Value(bool v) { return Bool(v); }
  JsonWriter& Value(std::nullptr_t) { return Null(); }
  template <typename T>
  JsonWriter& Value(const std::optional<T>& v) {
    return v ? Value(*v) : Null();
  }

 private:
  static constexpr int kMaxDepth = 32;
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);
  // Writes the comma a value or key needs after a sibling.
  void BeforeValue();

  std::string& out_;
  int depth_ = 0;
  bool has_sibling_[kMaxDepth] = {};
  bool after_key_ = false;
};

}  // namespace aimoviez::json
