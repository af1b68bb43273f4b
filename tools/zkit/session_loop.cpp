#include "session_loop.hpp"

namespace zkit::cli {

SessionLoop::SessionLoop() { uv_loop_init(&loop_); }

SessionLoop::~SessionLoop() {
  if (handles_open_ && !shutting_down_) shutdown();
  // Callbacks still owed (a closing session's, recipes finishing in the background) run
  // while the session still exists; then whatever its destruction leaves.
  uv_run(&loop_, UV_RUN_DEFAULT);
  session_.reset();
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_loop_close(&loop_);
}

Result<void> SessionLoop::start(Options options, std::function<void(int)> on_signal,
                                std::function<void()> on_connected,
                                std::function<void(const Error&)> on_no_server) {
  on_signal_ = std::move(on_signal);
  on_connected_ = std::move(on_connected);
  on_no_server_ = std::move(on_no_server);
  connect_ = options.connect;
  timeout_ = options.session_timeout;
  started_ = std::chrono::steady_clock::now();
  auto s = Session::start(&loop_, std::move(options));
  if (!s) return std::move(s).error();
  session_.emplace(std::move(*s));

  uv_signal_init(&loop_, &sigint_);
  uv_signal_init(&loop_, &sigterm_);
  uv_timer_init(&loop_, &connect_deadline_);
  sigint_.data = sigterm_.data = connect_deadline_.data = this;
  handles_open_ = true;
  auto signalled = [](uv_signal_t* h, int sig) {
    auto* self = static_cast<SessionLoop*>(h->data);
    if (self->on_signal_) self->on_signal_(sig);
  };
  uv_signal_start(&sigint_, signalled, SIGINT);
  uv_signal_start(&sigterm_, signalled, SIGTERM);

  session_->add_listener([this](SessionState st) {
    if (st != SessionState::connected || !on_connected_) return;
    uv_timer_stop(&connect_deadline_);
    auto first = std::move(on_connected_);
    on_connected_ = nullptr;
    first();
  });
  uv_timer_start(&connect_deadline_, [](uv_timer_t* t) {
    auto* self = static_cast<SessionLoop*>(t->data);
    if (self->session_->state() != SessionState::connecting || !self->on_no_server_) return;
    self->on_no_server_(Error(Errc::connection_loss,
                              "no ZooKeeper server at " + self->connect_ + " answered within " +
                                  std::to_string(self->timeout_.count()) + " ms"));
  }, static_cast<std::uint64_t>(timeout_.count()), 0);
  return {};
}

void SessionLoop::shutdown(std::function<void()> done) {
  if (shutting_down_) return;
  shutting_down_ = true;
  if (handles_open_) {
    for (auto* h : {reinterpret_cast<uv_handle_t*>(&sigint_), reinterpret_cast<uv_handle_t*>(&sigterm_),
                    reinterpret_cast<uv_handle_t*>(&connect_deadline_)})
      uv_close(h, nullptr);
    handles_open_ = false;
  }
  if (!session_) {
    if (done) done();
    return;
  }
  session_->close([done = std::move(done)] {
    if (done) done();
  });
}

void SessionLoop::run() { uv_run(&loop_, UV_RUN_DEFAULT); }

std::int64_t SessionLoop::elapsed_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               started_)
      .count();
}

}  // namespace zkit::cli
