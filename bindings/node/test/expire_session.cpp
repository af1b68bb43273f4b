// expire_session <connect string> <session id, hex> <password, hex>: expires that session now
// with the testing kit's session killer, for the Node tests (which cannot link the kit).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "zkit/testing/session_killer.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s <connect> <session-id-hex> <password-hex>\n", argv[0]);
    return 2;
  }
  std::int64_t id = static_cast<std::int64_t>(std::strtoull(argv[2], nullptr, 16));
  std::string hex = argv[3], password;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    password.push_back(static_cast<char>(std::strtoul(hex.substr(i, 2).c_str(), nullptr, 16)));
  auto r = zkit::testing::expire_session(argv[1], id, password);
  if (!r) {
    std::fprintf(stderr, "expire_session: %s\n", r.error().message().c_str());
    return 1;
  }
  return 0;
}
