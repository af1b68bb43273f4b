// The session handshake: the ConnectRequest a new connection starts with, and the checks its
// answer must pass before the session adopts anything from it. Every refusal says what was
// wrong, so a user whose connection fails learns why (not only that no server answered).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "proto/records.hpp"
#include "zkit/result.hpp"

namespace zkit::session {

// Appends the ConnectRequest frame: a new session when `session_id` is 0, else a resumption.
void write_connect_request(std::string& out, std::int64_t last_zxid, std::chrono::milliseconds asked,
                           std::int64_t session_id, std::string_view password, bool read_only);

// The server's answer, judged.
struct Handshake {
  enum class Outcome {
    accepted,  // `response` holds the grant (its timeout clamped, see below)
    refused,   // a bare error header: this server will not serve the session (read-only member)
    expired,   // the session is gone: timeout 0, or another session id than the one resumed
    malformed  // not a ConnectResponse: `reason` says what was wrong with it
  } outcome = Outcome::malformed;
  proto::ConnectResponse response;
  std::string reason;
  // The server granted more than was asked: the session uses what it asked (ZooKeeper clamps
  // a request to [2, 20] ticks, so a grant above the ask is only sane when the ask was under 2
  // ticks; a grant of days is a broken server whose stall would otherwise never be noticed).
  bool clamped = false;
  std::int32_t granted_ms = 0;
};

Handshake judge_connect_response(std::string_view frame, std::chrono::milliseconds asked, std::int64_t resumed_id);

}  // namespace zkit::session
