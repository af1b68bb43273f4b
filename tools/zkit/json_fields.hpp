// The JSON forms of SDK values that several commands print (and restore reads back).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "zkit/result.hpp"
#include "zkit/types.hpp"

namespace zkit::cli {

// A 64-bit id (zxid, session id, fencing token) as a decimal string: past 2^53 a JSON number
// loses digits in most readers (jq, JavaScript), so ids never travel as numbers.
std::string id_string(std::int64_t id);

// {"czxid":"..","mzxid":"..","ctime":N,"mtime":N,"version":N,...,"pzxid":".."}
nlohmann::ordered_json stat_json(const Stat& s);

// Node data under "data" when it is UTF-8 text, else under "data_base64".
void put_data(nlohmann::ordered_json& j, std::string_view data);

// The bytes put_data stored in `j` (neither key: empty). Errors: bad_arguments naming `where`
// when "data" is no string or "data_base64" no valid base64.
Result<std::string> data_from(const nlohmann::ordered_json& j, const std::string& where);

}  // namespace zkit::cli
