#include "common/json.h"

#include <boost/json/parse.hpp>

#include <charconv>

#include "domain/errors.h"

namespace aimoviez::json {
namespace {

[[noreturn]] void Invalid(std::string_view key, std::string_view expectation) {
  throw ApiError(Error::InvalidInput(std::string(key) + " " + std::string(expectation))
                     .With("field", boost::json::string(key)));
}

}  // namespace

boost::json::object ParseObject(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec) throw ApiError(Error::InvalidInput("Request body is not valid JSON", "INVALID_JSON"));
  if (!value.is_object()) {
    throw ApiError(Error::InvalidInput("Request body must be a JSON object", "INVALID_JSON"));
  }
  return std::move(value.as_object());
}

std::optional<std::string> OptionalString(const boost::json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_string()) Invalid(key, "must be a string");
  return std::string(v->as_string());
}

std::string RequireString(const boost::json::object& obj, std::string_view key) {
  auto s = OptionalString(obj, key);
  if (!s) Invalid(key, "is required");
  return *s;
}

std::optional<std::int64_t> OptionalInt(const boost::json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= INT64_MAX)
    return static_cast<std::int64_t>(v->as_uint64());
  Invalid(key, "must be an integer");
}

std::int64_t RequireInt(const boost::json::object& obj, std::string_view key) {
  auto i = OptionalInt(obj, key);
  if (!i) Invalid(key, "is required");
  return *i;
}

std::optional<bool> OptionalBool(const boost::json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_bool()) Invalid(key, "must be true or false");
  return v->as_bool();
}

std::optional<std::int64_t> ParseId(std::string_view text) {
  std::int64_t id = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, id);
  if (ec != std::errc() || ptr != end || id <= 0) return std::nullopt;
  return id;
}

namespace {
std::optional<std::int64_t> IdFromValue(const boost::json::value& v) {
  if (v.is_int64() && v.as_int64() > 0) return v.as_int64();
  if (v.is_uint64() && v.as_uint64() <= INT64_MAX && v.as_uint64() > 0) {
    return static_cast<std::int64_t>(v.as_uint64());
  }
  if (v.is_string()) return ParseId(v.as_string());
  return std::nullopt;
}
}  // namespace

std::int64_t RequireId(const boost::json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  if (v == nullptr || v->is_null()) Invalid(key, "is required");
  auto id = IdFromValue(*v);
  if (!id) Invalid(key, "must be a positive integer id");
  return *id;
}

std::vector<std::int64_t> RequireIdArray(const boost::json::object& obj, std::string_view key,
                                         std::size_t max_items) {
  const auto* v = obj.if_contains(key);
  if (v == nullptr || !v->is_array()) Invalid(key, "must be an array of ids");
  const auto& arr = v->as_array();
  if (arr.empty()) Invalid(key, "must not be empty");
  if (arr.size() > max_items) Invalid(key, "has too many items");
  std::vector<std::int64_t> ids;
  ids.reserve(arr.size());
  for (const auto& item : arr) {
    auto id = IdFromValue(item);
    if (!id) Invalid(key, "must contain only positive integer ids");
    ids.push_back(*id);
  }
  return ids;
}

}  // namespace aimoviez::json
