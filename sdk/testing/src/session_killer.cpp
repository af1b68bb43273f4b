#include "zkit/testing/session_killer.hpp"

#include <cstdio>

#include "raw_session.hpp"

namespace zkit::testing {

namespace {
std::string hex_id(std::int64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(id));
  return buf;
}
}  // namespace

Result<void> expire_session(const std::string& host_port, std::int64_t session_id,
                            std::string_view password, std::chrono::milliseconds timeout) {
  using namespace detail;
  auto deadline = deadline_after(timeout);
  if (session_id == 0)
    return Error(Errc::bad_arguments, "expire_session: session id 0 is no session");
  auto hosts = split_hosts(host_port);
  if (hosts.empty()) return Error(Errc::bad_arguments, "expire_session: no server address");

  std::string failures;
  for (const auto& host : hosts) {
    // Resuming the session moves it to this connection: the server drops the victim's own
    // connection at once, so the victim cannot race the closeSession below.
    auto s = RawSession::open(host, {.session_id = session_id, .password = password}, deadline);
    if (!s) {
      // Unreachable member (stopped, or not serving without quorum): try the next one.
      failures += "\n  " + s.error().message();
      if (s.code() == Errc::operation_timeout) return std::move(s).error();
      continue;
    }
    if (s->response().timeout_ms <= 0)
      return Error(Errc::session_expired,
                   "session " + hex_id(session_id) + " could not be resumed at " + host +
                       ": it has expired already, was never issued, or the password is wrong");
    auto reply = s->call(proto::Op::close_session, deadline);
    if (!reply) return std::move(reply).error();
    if (reply->header.err != 0)
      return Error(static_cast<Errc>(reply->header.err),
                   "closeSession of " + hex_id(session_id) + " at " + host + " failed with " +
                       std::string(to_string(static_cast<Errc>(reply->header.err))));
    return {};
  }
  return Error(Errc::connection_loss, "expire_session: no server of \"" + host_port +
                                          "\" accepted a connection:" + failures);
}

}  // namespace zkit::testing
