// Strict readers for JSON request bodies: each returns the field or throws ApiError with
// VALIDATION_ERROR naming the field, so handlers stay one line per input.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aimoviez::json {

// Parses a request body that must be a JSON object (INVALID_JSON / VALIDATION_ERROR otherwise).
boost::json::object ParseObject(std::string_view body);

std::string RequireString(const boost::json::object& obj, std::string_view key);
std::optional<std::string> OptionalString(const boost::json::object& obj, std::string_view key);
std::int64_t RequireInt(const boost::json::object& obj, std::string_view key);
std::optional<std::int64_t> OptionalInt(const boost::json::object& obj, std::string_view key);
std::optional<bool> OptionalBool(const boost::json::object& obj, std::string_view key);
// An id may arrive as a number or a decimal string ("42"); both are accepted.
std::int64_t RequireId(const boost::json::object& obj, std::string_view key);
std::vector<std::int64_t> RequireIdArray(const boost::json::object& obj, std::string_view key,
                                         std::size_t max_items);

std::optional<std::int64_t> ParseId(std::string_view text);

}  // namespace aimoviez::json
