// expire_session CONNECT SESSION_ID_HEX PASSWORD_HEX: expires a session on purpose
// (zkit::testing::expire_session), for tests in languages that cannot link the testing kit:
// the conformance runners (ZKIT_TEST_EXPIRER) and the Node suite. The session id is its 64 bits
// in hex, unsigned; the password its bytes in hex. Exit 0 once the server has closed the
// session, 1 when it could not, 2 on bad arguments.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "zkit/testing/session_killer.hpp"

namespace {

std::optional<int> hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

std::optional<std::uint64_t> session_id_from_hex(std::string_view hex) {
  if (hex.empty() || hex.size() > 16) return std::nullopt;
  std::uint64_t id = 0;
  for (char c : hex) {
    auto d = hex_digit(c);
    if (!d) return std::nullopt;
    id = (id << 4) | static_cast<std::uint64_t>(*d);
  }
  return id;
}

std::optional<std::string> bytes_from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    auto hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
    if (!hi || !lo) return std::nullopt;
    bytes.push_back(static_cast<char>(*hi * 16 + *lo));
  }
  return bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s CONNECT SESSION_ID_HEX PASSWORD_HEX\n", argv[0]);
    return 2;
  }
  auto id = session_id_from_hex(argv[2]);
  if (!id) {
    std::fprintf(stderr, "expire_session: the session id must be 1 to 16 hex digits, not '%s'\n", argv[2]);
    return 2;
  }
  auto password = bytes_from_hex(argv[3]);
  if (!password) {
    std::fprintf(stderr, "expire_session: the password must be hex digits in pairs\n");
    return 2;
  }
  auto r = zkit::testing::expire_session(argv[1], static_cast<std::int64_t>(*id), *password);
  if (!r) {
    std::fprintf(stderr, "expire_session: %s\n", r.error().message().c_str());
    return 1;
  }
  return 0;
}
