#include "proxy/address.hpp"

#include <uv.h>

#include <charconv>

namespace zkit::testing::proxy {

std::string uv_text(int err) { return std::string(uv_err_name(err)) + ": " + uv_strerror(err); }

Result<sockaddr_storage> parse_address(const std::string& s) {
  auto bad = [&](const char* why) {
    return Error(Errc::bad_arguments, "FaultProxy: upstream \"" + s + "\" " + why);
  };
  auto colon = s.rfind(':');
  if (colon == std::string::npos || colon + 1 == s.size()) return bad("has no port");
  int port = 0;
  const char* first = s.data() + colon + 1;
  const char* last = s.data() + s.size();
  auto [end, ec] = std::from_chars(first, last, port);
  if (ec != std::errc() || end != last || port <= 0 || port > 65535) return bad("has a bad port");
  std::string host = s.substr(0, colon);
  sockaddr_storage addr{};
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    if (uv_ip6_addr(host.c_str(), port, reinterpret_cast<sockaddr_in6*>(&addr)) != 0)
      return bad("is not a numeric IPv6 address");
  } else if (uv_ip4_addr(host.c_str(), port, reinterpret_cast<sockaddr_in*>(&addr)) != 0) {
    return bad("is not a numeric IPv4 address (no name lookups here)");
  }
  return addr;
}

}  // namespace zkit::testing::proxy
