#include "session_loop.hpp"

namespace zkit::cli {

SessionLoop::~SessionLoop() {
  if (handles_open_ && !shutting_down_) shutdown();
  // Callbacks still owed (a closing session's, recipes finishing in the background) run
  // while the session still exists; then whatever its destruction leaves.
  loop_.run();
  session_.reset();
}  // then the handles close, and loop_ runs until they have

Result<void> SessionLoop::start(Options options, const std::vector<SecurityFlags::Credential>& auth,
                                std::function<void(int)> on_signal, std::function<void()> on_connected,
                                std::function<void(const Error&)> on_no_server) {
  on_signal_ = std::move(on_signal);
  on_connected_ = std::move(on_connected);
  on_no_server_ = std::move(on_no_server);
  connect_ = options.connect;
  timeout_ = options.session_timeout;
  started_ = std::chrono::steady_clock::now();
  auto s = Session::start(loop_.get(), std::move(options));
  if (!s) return std::move(s).error();
  session_.emplace(std::move(*s));
  // Queued now, sent first once connected (and replayed by the session after a reconnect).
  for (const auto& c : auth)
    session_->add_auth(c.scheme, c.credentials, [this, scheme = c.scheme](Result<void> r) {
      if (!r && r.code() != Errc::closing && on_no_server_)
        on_no_server_(Error(r.code(), "--auth " + scheme + ": the server refused the credentials"));
    });

  sigint_ = uv::Handle<uv_signal_t>(loop_.get(), uv_signal_init);
  sigterm_ = uv::Handle<uv_signal_t>(loop_.get(), uv_signal_init);
  sigint_->data = sigterm_->data = this;
  handles_open_ = true;
  auto signalled = [](uv_signal_t* h, int sig) {
    auto* self = static_cast<SessionLoop*>(h->data);
    if (self->on_signal_) self->on_signal_(sig);
  };
  uv_signal_start(sigint_.get(), signalled, SIGINT);
  uv_signal_start(sigterm_.get(), signalled, SIGTERM);

  session_->add_listener([this](SessionState st) {
    if (st != SessionState::connected || !on_connected_) return;
    deadline_.stop();
    auto first = std::move(on_connected_);
    on_connected_ = nullptr;
    first();
  });
  deadline_.start(timeout_, [this] {
    if (session_->state() != SessionState::connecting || !on_no_server_) return;
    on_no_server_(Error(Errc::connection_loss, "no ZooKeeper server at " + connect_ +
                                                   " answered within " +
                                                   std::to_string(timeout_.count()) + " ms" + (session_->last_failure().empty() ? "" : " (last attempt: " + session_->last_failure() + ")")));
  });
  return {};
}

void SessionLoop::shutdown(std::function<void()> done) {
  if (shutting_down_) return;
  shutting_down_ = true;
  if (handles_open_) {
    sigint_.close();
    sigterm_.close();
    deadline_.stop();
    handles_open_ = false;
  }
  if (!session_) {
    if (done) done();
    return;
  }
  // A server that does not answer closeSession must not hold the command up for the read
  // timeout: after half a second, stop waiting (the closeSession has been sent all the same,
  // so a server that is merely slow still ends the session and its ephemerals).
  deadline_.start(std::chrono::milliseconds(500), [this] { session_->close_now({}); });
  session_->close([this, done = std::move(done)] {
    deadline_.stop();
    if (done) done();
  });
}

void SessionLoop::run() { loop_.run(); }

std::int64_t SessionLoop::elapsed_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               started_)
      .count();
}

}  // namespace zkit::cli
