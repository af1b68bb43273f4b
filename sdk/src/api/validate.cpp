// Path and connection-string checks: bad input is refused before anything is sent.
#include <charconv>

#include "zkit/options.hpp"

namespace zkit {
namespace {

Error bad(std::string what, std::string_view input) {
  std::string m = std::move(what);
  m += ": \"";
  m += input;
  m += '"';
  return Error(Errc::bad_arguments, std::move(m));
}

// Decodes one UTF-8 code point at s[i]; returns its length, 0 when the sequence is invalid.
std::size_t utf8_next(std::string_view s, std::size_t i, char32_t& cp) {
  auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xe ? 3 : (b >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  cp = n == 1 ? b : n == 2 ? (b & 0x1f) : n == 3 ? (b & 0x0f) : (b & 0x07);
  for (std::size_t k = 1; k < n; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c >> 6) != 0x2) return 0;
    cp = (cp << 6) | (c & 0x3f);
  }
  return n;
}

}  // namespace

Result<void> validate_path(std::string_view path, bool sequential) {
  if (path.empty()) return bad("path is empty", path);
  if (path[0] != '/') return bad("path must start with '/'", path);
  if (path.size() == 1) return {};
  if (path.back() == '/' && !sequential) return bad("path must not end with '/'", path);
  std::size_t seg_start = 1;
  std::size_t i = 1;
  const std::size_t n = path.size();
  while (true) {
    // Printable ASCII other than '/' is by far the common case: one range check per byte.
    // Separators, control characters and UTF-8 take the careful path below.
    while (i < n) {
      auto b = static_cast<unsigned char>(path[i]);
      if (b - 0x20u >= 0x5fu || b == '/') break;
      ++i;
    }
    if (i == n || path[i] == '/') {
      std::string_view seg = path.substr(seg_start, i - seg_start);
      bool last = i == n;
      if (seg.empty() && !(last && sequential)) return bad("path has an empty segment", path);
      if (seg == "." || seg == "..") return bad("path has a '.' or '..' segment", path);
      if (last) return {};
      seg_start = ++i;
      continue;
    }
    char32_t cp = 0;
    std::size_t len = utf8_next(path, i, cp);
    if (len == 0) return bad("path is not valid UTF-8", path);
    if (cp == 0) return bad("path contains a null character", path);
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return bad("path contains a control character", path);
    if ((cp >= 0xd800 && cp <= 0xf8ff) || cp >= 0xfff0)
      return bad("path contains a character ZooKeeper refuses (surrogate, private use or outside the BMP)", path);
    i += len;
  }
}

Result<ConnectString> parse_connect_string(std::string_view s) {
  // The mistakes people make, named before the generic checks below would misread them.
  if (s.find("://") != std::string_view::npos)
    return bad("a connection string has no scheme: write host:port,host:port[/chroot], without \"" +
                   std::string(s.substr(0, s.find("://") + 3)) + "\"",
               s);
  if (s.find(';') != std::string_view::npos) return bad("hosts are separated by ',', not ';'", s);
  if (auto sp = s.find_first_of(" \t\r\n"); sp != std::string_view::npos)
    return bad("a connection string has no spaces (one at offset " + std::to_string(sp) + ")", s);
  ConnectString out;
  std::string_view hosts = s;
  if (auto slash = s.find('/'); slash != std::string_view::npos) {
    hosts = s.substr(0, slash);
    std::string_view chroot = s.substr(slash);
    if (auto v = validate_path(chroot); !v) return bad("invalid chroot in connection string", s);
    if (chroot != "/") out.chroot = std::string(chroot);
  }
  while (!hosts.empty()) {
    auto comma = hosts.find(',');
    std::string_view item = hosts.substr(0, comma);
    hosts = comma == std::string_view::npos ? std::string_view{} : hosts.substr(comma + 1);
    if (item.empty()) continue;
    HostPort hp;
    std::string_view port;
    if (item.front() == '[') {
      auto close = item.find(']');
      if (close == std::string_view::npos) return bad("unterminated '[' in host", item);
      hp.host = std::string(item.substr(1, close - 1));
      std::string_view rest = item.substr(close + 1);
      if (!rest.empty()) {
        if (rest.front() != ':') return bad("expected ':' after ']'", item);
        port = rest.substr(1);
      }
    } else {
      auto colon = item.rfind(':');
      if (colon != std::string_view::npos && item.find(':') != colon)
        return bad("IPv6 address must be in brackets", item);
      hp.host = std::string(item.substr(0, colon));
      if (colon != std::string_view::npos) port = item.substr(colon + 1);
    }
    if (hp.host.empty()) return bad("empty host name", item);
    if (port.empty() && item.back() == ':') return bad("no port number after ':' (leave out the ':' for 2181)", item);
    if (!port.empty()) {
      unsigned v = 0;
      auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
      if (ec != std::errc() || p != port.data() + port.size() || v == 0 || v > 65535)
        return bad("invalid port", item);
      hp.port = static_cast<std::uint16_t>(v);
    }
    out.hosts.push_back(std::move(hp));
  }
  if (out.hosts.empty()) return bad("connection string names no host", s);
  return out;
}

}  // namespace zkit
