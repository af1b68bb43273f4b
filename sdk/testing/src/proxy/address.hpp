// The FaultProxy's upstream address: a numeric "ip:port" or "[ipv6]:port", never a name (the
// proxy's loop does no lookups).
#pragma once

#include <sys/socket.h>

#include <string>

#include "zkit/result.hpp"

namespace zkit::testing::proxy {

// Errors: bad_arguments (no port, a bad port, or not a numeric address), naming `s`.
Result<sockaddr_storage> parse_address(const std::string& s);

// libuv's name and text for an error code: "ECONNREFUSED: connection refused".
std::string uv_text(int err);

}  // namespace zkit::testing::proxy
