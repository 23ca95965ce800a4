// The text of a JSON answer. Boost.JSON 1.81 prints every double in
// scientific form ("5E-1", "3E5"): valid JSON, but not what a person reading
// an answer or a spreadsheet importing it expects. This writer prints doubles
// the way people write them ("0.5", "300000") and is otherwise the same
// compact JSON.
//
// Thread-safety: a pure function.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace jingsai::api {

// REQUIRES: every string in `value` is valid UTF-8 (Boost.JSON's parser
// guarantees this for decoded input; our own strings are UTF-8).
std::string ToJsonText(const boost::json::value& value);

}  // namespace jingsai::api
