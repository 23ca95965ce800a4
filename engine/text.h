// Unicode-aware helpers for the Chinese text users type: comments, narratives.
#pragma once

#include <cstddef>
#include <string_view>

namespace jingsai::engine {

// True for every Unicode space, including the ideographic space (U+3000)
// that Chinese input methods produce.
bool IsWhitespace(char32_t c);

// Decodes one UTF-8 sequence at text[pos] and advances pos. Input has already
// been checked as UTF-8 by the JSON parser; a stray byte counts as one.
char32_t NextCodePoint(std::string_view text, size_t& pos);

// Code points between the first and the last non-space character.
size_t TrimmedCodePoints(std::string_view text);

// True when the text holds nothing but whitespace.
inline bool IsBlank(std::string_view text) { return TrimmedCodePoints(text) == 0; }

}  // namespace jingsai::engine
