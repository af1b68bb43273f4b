#include "zkit/testing/session_killer.hpp"

#include <cstdio>
#include <vector>

#include "raw_session.hpp"

namespace zkit::testing {

namespace {

using detail::Deadline;
using detail::RawSession;

std::string hex_id(std::int64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(id));
  return buf;
}

// One try: resume the session on the first member that answers, then close it there.
Result<void> expire_once(const std::vector<std::string>& hosts, std::int64_t session_id,
                         std::string_view password, Deadline deadline, std::string& failures) {
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
    if (!reply) {
      failures += "\n  " + reply.error().message();
      return std::move(reply).error();
    }
    if (reply->header.err != 0)
      return Error(static_cast<Errc>(reply->header.err),
                   "closeSession of " + hex_id(session_id) + " at " + host + " failed with " +
                       std::string(to_string(static_cast<Errc>(reply->header.err))));
    return {};
  }
  return Error(Errc::connection_loss, "expire_session: no server accepted a connection:" + failures);
}

}  // namespace

Result<void> expire_session(const std::string& host_port, std::int64_t session_id,
                            std::string_view password, std::chrono::milliseconds timeout) {
  auto deadline = detail::deadline_after(timeout);
  if (session_id == 0)
    return Error(Errc::bad_arguments, "expire_session: session id 0 is no session");
  auto hosts = detail::split_hosts(host_port);
  if (hosts.empty()) return Error(Errc::bad_arguments, "expire_session: no server address");

  // The victim, dropped when its session moves to our connection, reconnects at once and may
  // take the session back before our closeSession is read: the server then closes our
  // connection. The victim's reconnect backoff grows, so another try wins the race.
  constexpr int kAttempts = 5;
  std::string failures;
  for (int attempt = 1;; ++attempt) {
    auto r = expire_once(hosts, session_id, password, deadline, failures);
    if (r || r.code() != Errc::connection_loss || attempt == kAttempts) return r;
  }
}

}  // namespace zkit::testing
