#include "session/ensemble_config.hpp"

#include <charconv>

namespace zkit::session {
namespace {

// "host" or "[v6]" at the start of `s`, and what follows it.
std::string_view host_part(std::string_view s, std::string_view& rest) {
  if (!s.empty() && s.front() == '[') {
    auto close = s.find(']');
    if (close == std::string_view::npos) return {};
    rest = s.substr(close + 1);
    return s.substr(1, close - 1);
  }
  auto colon = s.find(':');
  rest = colon == std::string_view::npos ? std::string_view{} : s.substr(colon);
  return s.substr(0, colon);
}

bool parse_port(std::string_view s, std::uint16_t& port) {
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v == 0 || v > 65535) return false;
  port = static_cast<std::uint16_t>(v);
  return true;
}

}  // namespace

std::vector<HostPort> client_hosts_of_config(std::string_view data) {
  std::vector<HostPort> out;
  while (!data.empty()) {
    auto nl = data.find('\n');
    std::string_view line = data.substr(0, nl);
    data = nl == std::string_view::npos ? std::string_view{} : data.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.starts_with("server.")) continue;
    auto eq = line.find('=');
    auto semi = line.find(';');
    if (eq == std::string_view::npos || semi == std::string_view::npos || semi < eq) return {};
    std::string_view rest;
    std::string_view server_host = host_part(line.substr(eq + 1, semi - eq - 1), rest);
    std::string_view client = line.substr(semi + 1);
    HostPort hp;
    if (client.find(':') == std::string_view::npos) {
      hp.host = std::string(server_host);
      if (!parse_port(client, hp.port)) return {};
    } else {
      std::string_view client_host = host_part(client, rest);
      if (rest.size() < 2 || !parse_port(rest.substr(1), hp.port)) return {};
      hp.host = std::string(client_host.empty() || client_host == "0.0.0.0" ? server_host : client_host);
    }
    if (hp.host.empty()) return {};
    out.push_back(std::move(hp));
  }
  return out;
}

}  // namespace zkit::session
