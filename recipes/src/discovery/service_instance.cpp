// ServiceInstance in Curator's JSON, and its URI spec.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>

#include "zkit/recipes/discovery/service_registry.hpp"

namespace zkit::recipes {

using ordered_json = nlohmann::ordered_json;

std::string_view to_string(ServiceType t) noexcept {
  switch (t) {
    case ServiceType::dynamic: return "DYNAMIC";
    case ServiceType::static_: return "STATIC";
    case ServiceType::permanent: return "PERMANENT";
    case ServiceType::dynamic_sequential: return "DYNAMIC_SEQUENTIAL";
  }
  return "DYNAMIC";
}

namespace {

std::optional<ServiceType> service_type_from(std::string_view s) {
  for (auto t : {ServiceType::dynamic, ServiceType::static_, ServiceType::permanent, ServiceType::dynamic_sequential})
    if (to_string(t) == s) return t;
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

Error bad(std::string what) { return Error(Errc::bad_arguments, std::move(what)); }

}  // namespace

Result<std::vector<UriSpecPart>> parse_uri_spec(std::string_view spec) {
  // Curator tokenises on '{' and '}' and keeps the tokens in between.
  std::vector<UriSpecPart> parts;
  bool inside = false;
  std::size_t i = 0;
  while (i < spec.size()) {
    char c = spec[i];
    if (c == '{') {
      if (inside) return bad("uri spec \"" + std::string(spec) + "\": '{' inside a variable");
      inside = true;
      ++i;
      continue;
    }
    if (c == '}') {
      if (!inside) return bad("uri spec \"" + std::string(spec) + "\": '}' without '{'");
      inside = false;
      ++i;
      continue;
    }
    std::size_t end = spec.find_first_of("{}", i);
    if (end == std::string_view::npos) end = spec.size();
    std::string_view token = spec.substr(i, end - i);
    parts.push_back({std::string(inside ? trim(token) : token), inside});
    i = end;
  }
  if (inside) return bad("uri spec \"" + std::string(spec) + "\": the last variable is not closed");
  return parts;
}

Result<std::string> to_json(const ServiceInstance& in) {
  ordered_json payload;
  try {
    payload = ordered_json::parse(in.payload.empty() ? std::string("null") : in.payload);
  } catch (const std::exception& e) {
    return bad("the payload of service instance " + in.name + "/" + in.id + " is not JSON: " + e.what());
  }
  ordered_json j;
  j["name"] = in.name;
  j["id"] = in.id;
  j["address"] = in.address.empty() ? ordered_json() : ordered_json(in.address);
  j["port"] = in.port ? ordered_json(*in.port) : ordered_json();
  j["sslPort"] = in.ssl_port ? ordered_json(*in.ssl_port) : ordered_json();
  j["payload"] = std::move(payload);
  j["registrationTimeUTC"] = in.registration_time_utc;
  j["serviceType"] = std::string(to_string(in.service_type));
  if (in.uri_spec) {
    ordered_json parts = ordered_json::array();
    for (const auto& p : *in.uri_spec) {
      ordered_json part;
      part["value"] = p.value;
      part["variable"] = p.variable;
      parts.push_back(std::move(part));
    }
    ordered_json spec;
    spec["parts"] = std::move(parts);
    j["uriSpec"] = std::move(spec);
  } else {
    j["uriSpec"] = nullptr;
  }
  j["enabled"] = in.enabled;
  return j.dump();
}

Result<ServiceInstance> parse_service_instance(std::string_view text) {
  ordered_json j;
  try {
    j = ordered_json::parse(text);
  } catch (const std::exception& e) {
    return bad(std::string("a service instance that is not JSON: ") + e.what());
  }
  if (!j.is_object()) return bad("a service instance that is not a JSON object");
  ServiceInstance out;
  auto string_field = [&](const char* key, std::string& into, bool required) -> std::optional<Error> {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required) return bad(std::string("a service instance without \"") + key + "\"");
      return std::nullopt;
    }
    if (!it->is_string()) return bad(std::string("a service instance whose \"") + key + "\" is not a string");
    into = it->get<std::string>();
    return std::nullopt;
  };
  auto port_field = [&](const char* key, std::optional<int>& into) -> std::optional<Error> {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (!it->is_number_integer()) return bad(std::string("a service instance whose \"") + key + "\" is not an integer");
    into = it->get<int>();
    return std::nullopt;
  };
  if (auto e = string_field("name", out.name, true)) return *e;
  if (auto e = string_field("id", out.id, true)) return *e;
  if (auto e = string_field("address", out.address, false)) return *e;
  if (auto e = port_field("port", out.port)) return *e;
  if (auto e = port_field("sslPort", out.ssl_port)) return *e;
  if (auto it = j.find("payload"); it != j.end()) out.payload = it->dump();
  if (auto it = j.find("registrationTimeUTC"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer()) return bad("a service instance whose \"registrationTimeUTC\" is not an integer");
    out.registration_time_utc = it->get<std::int64_t>();
  }
  if (auto it = j.find("serviceType"); it != j.end() && !it->is_null()) {
    std::optional<ServiceType> t = it->is_string() ? service_type_from(it->get<std::string>()) : std::nullopt;
    if (!t) return bad("a service instance with an unknown \"serviceType\": " + it->dump());
    out.service_type = *t;
  }
  if (auto it = j.find("uriSpec"); it != j.end() && !it->is_null()) {
    auto parts = it->is_object() ? it->find("parts") : it->end();
    if (!it->is_object() || parts == it->end() || !parts->is_array())
      return bad("a service instance whose \"uriSpec\" has no \"parts\" list");
    std::vector<UriSpecPart> spec;
    for (const auto& p : *parts) {
      if (!p.is_object() || !p.contains("value") || !p["value"].is_string())
        return bad("a service instance with a \"uriSpec\" part without a \"value\"");
      UriSpecPart part;
      part.value = p["value"].get<std::string>();
      if (auto v = p.find("variable"); v != p.end() && v->is_boolean()) part.variable = v->get<bool>();
      spec.push_back(std::move(part));
    }
    out.uri_spec = std::move(spec);
  }
  if (auto it = j.find("enabled"); it != j.end() && it->is_boolean()) out.enabled = it->get<bool>();
  return out;
}

ServiceInstance::operator ServiceInstanceView() const {
  return ServiceInstanceView{name, id, address, port, ssl_port, payload, registration_time_utc, service_type,
                             uri_spec ? std::optional<std::span<const UriSpecPart>>(*uri_spec) : std::nullopt,
                             enabled};
}

ServiceInstance ServiceInstanceView::to_instance() const {
  ServiceInstance in{std::string(name), std::string(id), std::string(address), port, ssl_port, std::string(payload),
                     registration_time_utc, service_type, std::nullopt, enabled};
  if (uri_spec) in.uri_spec.emplace(uri_spec->begin(), uri_spec->end());
  return in;
}

std::string build_uri(const ServiceInstance& in) {
  if (!in.uri_spec) return {};
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  std::map<std::string, std::string> vars = {
      {"[", "{"},
      {"]", "}"},
      {"scheme", in.ssl_port ? "https" : "http"},
      {"name", in.name},
      {"id", in.id},
      {"address", in.address},
      {"port", in.port ? std::to_string(*in.port) : ""},
      {"ssl-port", in.ssl_port ? std::to_string(*in.ssl_port) : ""},
      {"registration-time-utc", std::to_string(in.registration_time_utc)},
      {"service-type", lower(to_string(in.service_type))},
  };
  std::string out;
  for (const auto& p : *in.uri_spec) {
    if (!p.variable) {
      out += p.value;
    } else if (auto it = vars.find(p.value); it != vars.end()) {
      out += it->second;
    }
  }
  return out;
}

}  // namespace zkit::recipes
