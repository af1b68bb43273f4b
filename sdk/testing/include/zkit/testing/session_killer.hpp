// Expiring a ZooKeeper session on purpose, the way a long partition would, but at once.
//
// How: a second connection resumes the victim's session with its id and password (the server
// drops the victim's own connection), then sends closeSession. The session is then gone on
// every member: its ephemeral nodes are deleted and its watches dropped, and when the victim's
// client reconnects it is told the session expired. Stopping servers does not do this (sessions
// survive a server restart), and waiting for a timeout is slow.
//
//   // id and password as the client under test got them in its ConnectResponse
//   auto r = zkit::testing::expire_session(cluster->connect_string(), id, password);
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "zkit/result.hpp"
#include "zkit/testing/timing.hpp"

namespace zkit::testing {

// Expires session `session_id` with password `password` (the 16 bytes from the server).
// `host_port` may be one "host:port" or a connect string: the members are tried in order until
// one answers. Returns once the server has acknowledged closeSession.
// Errors: session_expired (the server refused to resume the session: it had already expired,
// was never issued, or the password is wrong), connection_loss (no member reachable, or a
// connection broke), operation_timeout (no answer within `timeout`), or the server's error for
// closeSession.
Result<void> expire_session(const std::string& host_port, std::int64_t session_id,
                            std::string_view password,
                            std::chrono::milliseconds timeout = scaled(std::chrono::seconds(10)));

}  // namespace zkit::testing
