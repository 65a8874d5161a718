#pragma once
// What a field's text means under a column type: the checks of `schema check` and the type
// inference of `schema infer` decide with these, so the two cannot disagree.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "mlops/schema/schema.hpp"

namespace mlops::schema {

// true, false, True, False, TRUE, FALSE.
bool parse_bool(std::string_view text, bool& value);
// YYYY-MM-DD, a real calendar day; `days` counts from 1970-01-01.
bool parse_date(std::string_view text, std::int64_t& days);
// YYYY-MM-DD, then T or a space, hh:mm[:ss[.fraction]], then optionally Z or ±hh[:]mm; `seconds`
// since 1970-01-01T00:00:00Z (a time without an offset is read as UTC).
bool parse_datetime(std::string_view text, double& seconds);

// The value of `text` under type `type`, as one number that orders and compares the values of
// that type (int and float: the number; bool: 0 or 1; date: days; datetime: seconds). False when
// the text is not of the type, or for string. A JSON string is never an int, float or bool.
bool typed_key(Type type, std::string_view text, bool json_string, double& key);

// Whether the text is of the type (every text is a string).
inline bool is_of_type(Type type, std::string_view text, bool json_string) {
  double key;
  return type == Type::string || typed_key(type, text, json_string, key);
}

// Unicode code points in UTF-8 text (the readers have checked it is valid).
std::size_t utf8_length(std::string_view text);

// The shortest text that reads back as `v` ("0.1", "120", "1e+21"); integers without a point.
std::string format_number(double v);

// A share as a percentage to two decimals ("33.33%"); a share that would round to 0% or 100%
// without being it reads "<0.01%" or ">99.99%", so one bad row in a million is not "0%".
std::string percent(double share);

// At most `limit` bytes of `text`, cut at a character boundary, with "…" when cut: examples in
// reports stay short when a field holds megabytes.
std::string clip(std::string_view text, std::size_t limit = 80);

}  // namespace mlops::schema
