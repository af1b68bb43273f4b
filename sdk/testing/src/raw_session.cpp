#include "raw_session.hpp"

#include "proto/jute.hpp"

namespace zkit::testing::detail {

Result<RawSession> RawSession::open(const std::string& host_port, const Params& params,
                                    Deadline deadline) {
  auto conn = Connection::open(host_port, deadline);
  if (!conn) return std::move(conn).error();
  RawSession s(std::move(conn).value());

  std::string frame;
  proto::Writer w(frame);
  auto start = w.begin_frame();
  proto::encode(w, proto::ConnectRequest{.protocol_version = 0,
                                         .last_zxid_seen = params.last_zxid_seen,
                                         .timeout_ms = params.timeout_ms,
                                         .session_id = params.session_id,
                                         .password = params.password});
  w.end_frame(start);
  if (auto r = s.conn_.send(frame, deadline); !r) return std::move(r).error();

  auto body = s.conn_.read_frame(deadline);
  if (!body) return std::move(body).error();
  proto::Reader rd(*body);
  if (!proto::decode(rd, s.response_))
    return Error(Errc::connection_loss, "malformed ConnectResponse from " + host_port);
  return s;
}

Result<Reply> RawSession::call(proto::Op op, Deadline deadline) {
  std::string frame;
  std::int32_t xid = next_xid_++;
  proto::write_request(frame, xid, op);
  return exchange(frame, xid, deadline);
}

Result<Reply> RawSession::exchange(std::string_view frame, std::int32_t xid, Deadline deadline) {
  if (auto r = conn_.send(frame, deadline); !r) return std::move(r).error();
  for (;;) {
    auto body = conn_.read_frame(deadline);
    if (!body) return std::move(body).error();
    proto::Reader rd(*body);
    Reply reply;
    if (!proto::decode(rd, reply.header))
      return Error(Errc::connection_loss, "malformed reply header from " + conn_.peer());
    // Notifications may precede the reply; this session has no use for them.
    if (reply.header.xid == proto::kNotificationXid || reply.header.xid == proto::kPingXid)
      continue;
    if (reply.header.xid != xid)
      return Error(Errc::connection_loss, "reply with xid " + std::to_string(reply.header.xid) +
                                              " from " + conn_.peer() + ", expected " +
                                              std::to_string(xid));
    reply.body = body->substr(proto::kReplyHeaderSize);
    return reply;
  }
}

}  // namespace zkit::testing::detail
