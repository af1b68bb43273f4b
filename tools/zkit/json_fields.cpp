#include "json_fields.hpp"

#include "bytes.hpp"

namespace zkit::cli {

using json = nlohmann::ordered_json;

std::string id_string(std::int64_t id) { return std::to_string(id); }

json stat_json(const Stat& s) {
  return json{{"czxid", id_string(s.czxid)},  {"mzxid", id_string(s.mzxid)},
              {"ctime", s.ctime},             {"mtime", s.mtime},
              {"version", s.version},         {"cversion", s.cversion},
              {"aversion", s.aversion},       {"ephemeral_owner", id_string(s.ephemeral_owner)},
              {"data_length", s.data_length}, {"num_children", s.num_children},
              {"pzxid", id_string(s.pzxid)}};
}

void put_data(json& j, std::string_view data) {
  if (is_utf8(data))
    j["data"] = std::string(data);
  else
    j["data_base64"] = base64(data);
}

Result<std::string> data_from(const json& j, const std::string& where) {
  if (auto it = j.find("data"); it != j.end()) {
    if (!it->is_string()) return Error(Errc::bad_arguments, where + ".data: expected a string");
    return it->get<std::string>();
  }
  if (auto it = j.find("data_base64"); it != j.end()) {
    auto bytes = it->is_string() ? from_base64(it->get<std::string>()) : std::nullopt;
    if (!bytes) return Error(Errc::bad_arguments, where + ".data_base64: expected base64 text");
    return *bytes;
  }
  return std::string();
}

}  // namespace zkit::cli
