// Session: the public face of session::Core: starting, closing, listeners and what the
// session knows of itself. The operations live beside it, one family per file
// (data_operations.cpp, watch_operations.cpp, admin_operations.cpp).
#include "zkit/session.hpp"

#include "net/tls_context.hpp"
#include "session/core.hpp"
#include "session/sasl_authenticator.hpp"

namespace zkit {

using session::Core;

Session::Session(std::shared_ptr<Core> core, bool owner) : core_(std::move(core)), owner_(owner) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&& o) noexcept {
  if (this != &o) {
    if (core_ && owner_) {
      core_->remove_all_listeners();
      core_->close({});
    }
    core_ = std::move(o.core_);
    owner_ = o.owner_;
  }
  return *this;
}
Session::~Session() {
  if (core_ && owner_) {
    core_->remove_all_listeners();
    core_->close({});
  }
}

Session Session::borrow() const { return Session(core_, false); }

Result<Session> Session::start(uv_loop_t* loop, Options options) {
  if (!loop) return Error(Errc::bad_arguments, "Session::start: loop is null");
  auto cs = parse_connect_string(options.connect);
  if (!cs) return std::move(cs).error();
  if (options.session_timeout.count() <= 0 || options.session_timeout.count() > INT32_MAX)
    return Error(Errc::bad_arguments, "session_timeout must be positive");
  if (options.max_frame < 1024) return Error(Errc::bad_arguments, "max_frame must be at least 1024 bytes");
  if (options.request_timeout.count() < -1 || options.request_timeout.count() > INT32_MAX)
    return Error(Errc::bad_arguments, "request_timeout must be -1 (the session timeout), 0 (none) or positive");
  if (options.connect_timeout.count() < 0)
    return Error(Errc::bad_arguments, "connect_timeout must be 0 (derived from the session timeout) or positive");
  if (options.backoff_initial.count() <= 0 || options.backoff_max < options.backoff_initial)
    return Error(Errc::bad_arguments, "backoff_initial must be positive and not above backoff_max");
  if (auto tls = net::TlsContext::attach(options.tls, cs.value().hosts); !tls) return std::move(tls).error();
  if (auto sasl = session::prepare_sasl(options.sasl); !sasl) return std::move(sasl).error();
  auto core = std::make_shared<Core>(loop, std::move(options), std::move(cs).value());
  core->start();
  return Session(std::move(core), true);
}

void Session::close(Function<void()> done) { core_->close(std::move(done)); }
void Session::close_now(Function<void()> done) { core_->close(std::move(done), false); }

Async<void> Session::close() {
  auto [a, cb] = Async<void>::make();
  core_->close([cb = std::move(cb)]() mutable { cb(Result<void>()); });
  return std::move(a);
}

ListenerId Session::add_listener(StateListener l) { return core_->add_listener(std::move(l)); }
void Session::remove_listener(ListenerId id) { core_->remove_listener(id); }

Result<void> Session::update_servers(std::string_view hosts) {
  auto cs = parse_connect_string(hosts);
  if (!cs) return std::move(cs).error();
  if (auto tls = net::TlsContext::attach(core_->options().tls, cs.value().hosts); !tls) return std::move(tls).error();
  return core_->update_hosts(std::move(cs).value());
}

Result<void> Session::set_request_timeout(std::chrono::milliseconds timeout) {
  if (timeout.count() < -1 || timeout.count() > INT32_MAX)
    return Error(Errc::bad_arguments, "request_timeout must be -1 (the session timeout), 0 (none) or positive");
  core_->set_request_timeout(timeout);
  return {};
}
std::chrono::milliseconds Session::request_timeout() const noexcept { return core_->request_timeout(); }

std::size_t Session::pending_requests() const noexcept { return core_->pending_requests(); }
std::size_t Session::awaiting_replies() const noexcept { return core_->awaiting_replies(); }
Metrics Session::metrics() const { return core_->metrics(); }
SessionState Session::state() const noexcept { return core_->state(); }
std::int64_t Session::session_id() const noexcept { return core_->session_id(); }
std::string Session::session_password() const { return core_->password(); }
std::chrono::milliseconds Session::negotiated_timeout() const noexcept { return core_->negotiated_timeout(); }
std::int64_t Session::last_zxid() const noexcept { return core_->last_zxid(); }
std::string Session::connected_host() const { return core_->connected_host(); }
std::string Session::last_failure() const { return core_->last_failure(); }
uv_loop_t* Session::loop() const noexcept { return core_->loop(); }

}  // namespace zkit
