#pragma once
// Text checks of golden sets (golden_text.cpp); find_personal_data and luhn_valid are in golden.hpp.
#include <cstddef>
#include <string>
#include <string_view>

namespace mlops::llm {
// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF); on failure *bad_offset (when given) is the offset of the first bad byte.
bool valid_utf8(std::string_view text, std::size_t* bad_offset = nullptr);
// `text` with each byte that is not part of well-formed UTF-8 replaced by U+FFFD, so that what a
// provider prints (an answer cut off inside a character) can be stored in JSON.
std::string with_valid_utf8(std::string_view text);
}  // namespace mlops::llm
