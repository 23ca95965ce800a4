// SHA-256 as lowercase hex, via OpenSSL.
#pragma once

#include <string>
#include <string_view>

namespace jingsai::storage {

std::string Sha256Hex(std::string_view bytes);

}  // namespace jingsai::storage
