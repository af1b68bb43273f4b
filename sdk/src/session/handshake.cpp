#include "session/handshake.hpp"

#include <algorithm>

namespace zkit::session {

void write_connect_request(std::string& out, std::int64_t last_zxid, std::chrono::milliseconds asked,
                           std::int64_t session_id, std::string_view password, bool read_only) {
  proto::Writer w(out);
  std::size_t start = w.begin_frame();
  proto::encode(w, proto::ConnectRequest{
                       .protocol_version = 0,
                       .last_zxid_seen = last_zxid,
                       .timeout_ms = static_cast<std::int32_t>(asked.count()),
                       .session_id = session_id,
                       .password = session_id != 0 ? password : std::string_view(),
                       .read_only = read_only,
                   });
  w.end_frame(start);
}

Handshake judge_connect_response(std::string_view frame, std::chrono::milliseconds asked, std::int64_t resumed_id) {
  Handshake h;
  // A read-only member without local sessions answers with a bare error header (16 bytes).
  if (frame.size() == proto::kReplyHeaderSize) {
    proto::Reader r(frame);
    proto::ReplyHeader e;
    proto::decode(r, e);
    h.outcome = Handshake::Outcome::refused;
    h.reason = "refused the session (error " + std::to_string(e.err) + ")";
    return h;
  }
  // protocol version, timeout, session id, password length: 20 bytes before the password.
  constexpr std::size_t kFixed = 4 + 4 + 8 + 4;
  if (frame.size() < kFixed) {
    h.reason = "truncated handshake reply (" + std::to_string(frame.size()) + " bytes, at least " +
               std::to_string(kFixed + proto::kPasswordSize) + " expected)";
    return h;
  }
  proto::Reader fixed(frame.substr(16, 4));
  std::int32_t password_length = fixed.i32();
  if (password_length != static_cast<std::int32_t>(proto::kPasswordSize)) {
    h.reason = "handshake reply with a password of length " + std::to_string(password_length) + " (expected " +
               std::to_string(proto::kPasswordSize) + ")";
    return h;
  }
  if (frame.size() < kFixed + proto::kPasswordSize) {
    h.reason = "truncated handshake reply (" + std::to_string(frame.size()) + " bytes, password cut short)";
    return h;
  }
  proto::Reader r(frame);
  if (!proto::decode(r, h.response)) {
    h.reason = "malformed handshake reply";
    return h;
  }
  h.granted_ms = h.response.timeout_ms;
  if (h.response.timeout_ms <= 0 || (resumed_id != 0 && h.response.session_id != resumed_id)) {
    h.outcome = Handshake::Outcome::expired;
    return h;
  }
  if (h.response.timeout_ms > asked.count()) {
    h.clamped = true;
    h.response.timeout_ms = static_cast<std::int32_t>(asked.count());
  }
  h.outcome = Handshake::Outcome::accepted;
  return h;
}

}  // namespace zkit::session
