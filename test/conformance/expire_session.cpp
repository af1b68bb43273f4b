// expire_session CONNECT SESSION_ID_HEX PASSWORD_HEX: expires a session on purpose
// (zkit::testing::expire_session), for the conformance runners of languages that have no
// testing kit of their own (the arguments of bindings/node/test's node_expire_session, so
// either serves). Exit 0 once the server has closed the session, else 1 with why.
#include <cstdint>
#include <cstdio>
#include <string>

#include "zkit/testing/session_killer.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s connect session_id_hex password_hex\n", argv[0]);
    return 2;
  }
  std::string hex = argv[3], password;
  if (hex.size() % 2 != 0) {
    std::fprintf(stderr, "expire_session: the password must be hex digits in pairs\n");
    return 2;
  }
  for (std::size_t i = 0; i < hex.size(); i += 2) password.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  auto r = zkit::testing::expire_session(argv[1], static_cast<std::int64_t>(std::stoull(argv[2], nullptr, 16)), password);
  if (!r) {
    std::fprintf(stderr, "expire_session: %s\n", r.error().message().c_str());
    return 1;
  }
  return 0;
}
