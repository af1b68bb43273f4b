// The SASL records of opcode 102: GetSASLRequest{buffer token} from the client and
// SetSASLResponse{buffer token} from the server (ZooKeeper's jute). Their layouts are the same.
#pragma once

#include <string_view>

#include "proto/jute.hpp"

namespace zkit::proto {

struct SaslToken {
  std::string_view token;
};

void encode(Writer& w, const SaslToken& r);
// A null buffer (length -1) decodes as an empty token: the server sends one when it has
// nothing more to say.
bool decode(Reader& r, SaslToken& out);

}  // namespace zkit::proto
