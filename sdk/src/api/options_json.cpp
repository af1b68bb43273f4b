#include "zkit/options_json.hpp"

#include <fstream>
#include <iterator>
#include <limits>

#include <nlohmann/json.hpp>

namespace zkit {
namespace {

using json = nlohmann::json;

Error bad(const std::string& field, const std::string& expected, const json& got) {
  return Error(Errc::bad_arguments, field + ": expected " + expected + ", got " + got.dump());
}

Result<std::int64_t> integer(const std::string& field, const json& v, std::int64_t min) {
  if (!v.is_number_integer() || v.get<std::int64_t>() < min)
    return bad(field, "an integer >= " + std::to_string(min), v);
  return v.get<std::int64_t>();
}

Result<void> apply(Options& o, const std::string& key, const json& v) {
  auto ms = [&](std::chrono::milliseconds& out, std::int64_t min) -> Result<void> {
    auto n = integer(key, v, min);
    if (!n) return n.error();
    out = std::chrono::milliseconds(*n);
    return {};
  };
  auto flag = [&](bool& out) -> Result<void> {
    if (!v.is_boolean()) return bad(key, "true or false", v);
    out = v.get<bool>();
    return {};
  };
  auto size = [&](std::size_t& out) -> Result<void> {
    auto n = integer(key, v, 0);
    if (!n) return n.error();
    out = static_cast<std::size_t>(*n);
    return {};
  };
  if (key == "connect") {
    if (!v.is_string()) return bad(key, "a string such as \"host:port,host:port/chroot\"", v);
    if (auto cs = parse_connect_string(v.get<std::string>()); !cs)
      return Error(Errc::bad_arguments, key + ": " + cs.error().message());
    o.connect = v.get<std::string>();
    return {};
  }
  if (key == "session_timeout_ms") return ms(o.session_timeout, 1);
  if (key == "request_timeout_ms") return ms(o.request_timeout, -1);
  if (key == "backoff_initial_ms") return ms(o.backoff_initial, 0);
  if (key == "backoff_max_ms") return ms(o.backoff_max, 0);
  if (key == "slow_callback_ms") return ms(o.slow_callback, 0);
  if (key == "can_be_read_only") return flag(o.can_be_read_only);
  if (key == "shuffle_hosts") return flag(o.shuffle_hosts);
  if (key == "max_frame") return size(o.max_frame);
  if (key == "max_pending") return size(o.max_pending);
  if (key == "when_full") {
    if (v == "wait") o.when_full = WhenFull::wait;
    else if (v == "fail") o.when_full = WhenFull::fail;
    else return bad(key, "\"wait\" or \"fail\"", v);
    return {};
  }
  auto text = [&](std::string& out) -> Result<void> {
    if (!v.is_string()) return bad(key, "a string", v);
    out = v.get<std::string>();
    return {};
  };
  if (key == "sasl_mechanism") {
    if (v == "none") o.sasl.mechanism = SaslMechanism::none;
    else if (v == "digest-md5") o.sasl.mechanism = SaslMechanism::digest_md5;
    else if (v == "gssapi") o.sasl.mechanism = SaslMechanism::gssapi;
    else return bad(key, "\"digest-md5\", \"gssapi\" or \"none\"", v);
    return {};
  }
  if (key == "sasl_user") return text(o.sasl.user);
  if (key == "sasl_password_file") return text(o.sasl.password_file);
  if (key == "sasl_service") return text(o.sasl.service);
  if (key == "sasl_server_host") return text(o.sasl.server_host);
  if (key == "sasl_keytab") return text(o.sasl.keytab);
  if (key == "sasl_credential_cache") return text(o.sasl.credential_cache);
  // Its value is never echoed back, unlike other fields' bad values.
  if (key == "sasl_password")
    return Error(Errc::bad_arguments, "sasl_password: refused (configuration files get copied and shown around): "
                                      "put the password in a file of its own and give sasl_password_file");
  if (key == "log_level") {
    static constexpr std::pair<const char*, LogLevel> kLevels[] = {
        {"debug", LogLevel::debug}, {"info", LogLevel::info},
        {"warning", LogLevel::warning}, {"error", LogLevel::error}};
    for (auto& [name, level] : kLevels)
      if (v == name) {
        o.log_level = level;
        return {};
      }
    return bad(key, "\"debug\", \"info\", \"warning\" or \"error\"", v);
  }
  return Error(Errc::bad_arguments, key + ": unknown option");
}

}  // namespace

Result<Options> options_from_json(std::string_view json_text, Options base) {
  json doc = json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return Error(Errc::bad_arguments, "not a JSON object: " + std::string(json_text.substr(0, 80)));
  for (auto& [key, value] : doc.items())
    if (auto r = apply(base, key, value); !r) return r.error();
  if (base.backoff_max < base.backoff_initial)
    return Error(Errc::bad_arguments, "backoff_max_ms: expected at least backoff_initial_ms (" +
                                          std::to_string(base.backoff_initial.count()) + ")");
  return base;
}

Result<Options> options_from_json_file(const std::string& path, Options base) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(Errc::bad_arguments, path + ": cannot be read");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto o = options_from_json(text, std::move(base));
  if (!o) return Error(Errc::bad_arguments, path + ": " + o.error().message());
  return o;
}

}  // namespace zkit
