// RawSession: a minimal ZooKeeper session over one socket, built from the codec, for the kit
// (expire_session) and for tests that must see the protocol itself. One request at a time, no
// pings: keep its uses shorter than the session timeout. Private to the kit and its tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "proto/records.hpp"
#include "socket.hpp"

namespace zkit::testing::detail {

// Reply: a reply's header and its body, still encoded.
struct Reply {
  proto::ReplyHeader header;
  std::string body;
};

class RawSession {
 public:
  struct Params {
    std::int64_t session_id = 0;  // 0: a new session
    std::string_view password;    // empty: 16 zero bytes (a new session)
    std::int32_t timeout_ms = 30'000;
    std::int64_t last_zxid_seen = 0;
  };

  // Connects and does the handshake. A refused handshake (the server answers timeout_ms <= 0
  // for an expired or unknown session) is not an error: look at response().
  // Errors: connection_loss, operation_timeout.
  static Result<RawSession> open(const std::string& host_port, const Params& params,
                                 Deadline deadline);

  const proto::ConnectResponse& response() const noexcept { return response_; }
  Connection& connection() noexcept { return conn_; }

  // Sends one request and returns its reply, skipping watch notifications that come first.
  // Errors: connection_loss, operation_timeout; the server's error is in header.err.
  template <class Body>
  Result<Reply> call(proto::Op op, const Body& body, Deadline deadline) {
    std::string frame;
    std::int32_t xid = next_xid_++;
    proto::write_request(frame, xid, op, body);
    return exchange(frame, xid, deadline);
  }
  // A request without a body (closeSession, ping).
  Result<Reply> call(proto::Op op, Deadline deadline);

 private:
  explicit RawSession(Connection conn) : conn_(std::move(conn)) {}
  Result<Reply> exchange(std::string_view frame, std::int32_t xid, Deadline deadline);

  Connection conn_;
  proto::ConnectResponse response_;
  std::int32_t next_xid_ = 1;
};

}  // namespace zkit::testing::detail
