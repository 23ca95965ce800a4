// ISO-8601 timestamps in UTC ("2014-10-20T16:00:00.000Z"), as stored and
// shown everywhere. Pure: formatting and parsing only, never reading a clock.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/campaign.h"

namespace jingsai::engine {

std::string FormatTime(TimePoint at);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z"; nullopt for anything else.
std::optional<TimePoint> ParseTime(std::string_view text);

}  // namespace jingsai::engine
