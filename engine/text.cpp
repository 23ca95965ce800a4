#include "engine/text.h"

namespace jingsai::engine {

bool IsWhitespace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000 || c == 0xFEFF;
}

char32_t NextCodePoint(std::string_view text, size_t& pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  size_t length = 1;
  char32_t c = lead;
  if (lead >= 0xF0 && lead <= 0xF7) {
    length = 4;
    c = lead & 0x07;
  } else if (lead >= 0xE0) {
    length = 3;
    c = lead & 0x0F;
  } else if (lead >= 0xC0) {
    length = 2;
    c = lead & 0x1F;
  }
  if (pos + length > text.size()) length = 1;
  for (size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next & 0xC0) != 0x80) {
      length = 1;
      c = lead;
      break;
    }
    c = (c << 6) | (next & 0x3F);
  }
  pos += length;
  return length == 1 ? char32_t{lead} : c;
}

size_t TrimmedCodePoints(std::string_view text) {
  size_t total = 0;
  size_t leading = 0;         // whitespace before the first other character
  size_t last_non_space = 0;  // code points up to and including the last other one
  bool seen_other = false;
  for (size_t pos = 0; pos < text.size();) {
    const char32_t c = NextCodePoint(text, pos);
    ++total;
    if (IsWhitespace(c)) {
      if (!seen_other) ++leading;
    } else {
      seen_other = true;
      last_non_space = total;
    }
  }
  return seen_other ? last_non_space - leading : 0;
}

}  // namespace jingsai::engine
