#include "host.hpp"

namespace zkit::bindings {

Result<std::shared_ptr<Host>> Host::open(Options options) {
  std::shared_ptr<Host> h(new Host());
  auto t = uv::LoopThread::start("zkit-binding");
  if (!t) return std::move(t).error();
  h->thread_ = std::move(t).value();

  auto timeout = options.session_timeout;
  std::string where = options.connect;
  Host* self = h.get();
  std::optional<Error> refused;
  h->thread_->run([&] {
    auto s = Session::start(self->thread_->loop(), std::move(options));
    if (!s) {
      refused = std::move(s).error();
      return;
    }
    self->check_ = uv::Handle<uv_check_t>(self->thread_->loop(), uv_check_init);
    self->check_->data = self;
    self->session_.emplace(std::move(s).value());
    self->listener_ = self->session_->add_listener([self](SessionState st) { self->on_state(st); });
    // A pipelining caller's requests ride on the turns its replies wake, instead of waking the
    // loop thread once per call as well (see LoopThread::skip_wakeups_while).
    self->thread_->skip_wakeups_while(
        [self] { return self->session_ && self->session_->awaiting_replies() >= kRepliesAheadToSkipWakeups; });
  });
  if (refused) return std::move(*refused);

  SessionState s = h->wait_state_change(SessionState::connecting, timeout);
  if (s == SessionState::connecting) {
    std::string why;
    h->thread_->run([&] { why = self->session_ ? self->session_->last_failure() : ""; });
    return Error(Errc::connection_loss, "no ZooKeeper server at " + where + " answered within " +
                                            std::to_string(timeout.count()) + " ms" +
                                            (why.empty() ? "" : " (last attempt: " + why + ")"));
  }
  if (s == SessionState::expired) return Error(Errc::session_expired, "the session expired while connecting");
  if (s == SessionState::auth_failed) return Error(Errc::auth_failed, "authentication failed");
  if (s == SessionState::closed) return Error(Errc::closing, "the session was closed while connecting");
  return h;
}

Host::~Host() { close(); }

bool Host::run(Function<void(Session&)> f) {
  bool ran = false;
  bool alive = thread_->run([&] {
    if (!session_) return;
    f(*session_);
    ran = true;
  });
  return alive && ran;
}

bool Host::post(Function<void(Session&)> f) {
  return thread_->post([this, f = std::move(f)]() mutable {
    if (session_) f(*session_);
  });
}

void Host::defer(Function<void()> f) {
  if (!check_) {
    f();
    return;
  }
  deferred_.push_back(std::move(f));
  if (deferred_.size() == 1)
    uv_check_start(check_.get(), [](uv_check_t* c) { static_cast<Host*>(c->data)->run_deferred(); });
}

void Host::run_deferred() {
  // Work deferred while this runs waits for the next turn's check.
  auto now = std::move(deferred_);
  deferred_.clear();
  if (check_) uv_check_stop(check_.get());
  for (auto& f : now) f();
}

void Host::on_state(SessionState s) {
  {
    std::lock_guard lock(mu_);
    state_ = s;
    session_id_ = session_->session_id();
    password_ = session_->session_password();
    timeout_ms_ = session_->negotiated_timeout().count();
  }
  cv_.notify_all();
}

std::string Host::session_password() const {
  std::lock_guard lock(mu_);
  return password_;
}

SessionState Host::wait_state_change(SessionState from, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return state_.load() != from; });
  return state_.load();
}

void Host::close() {
  std::call_once(closed_, [this] {
    if (thread_->on_loop_thread()) {
      // The thread finishes the close after this callback returns. Work posted before still
      // runs on the session, so the last step keeps this Host (and the session) alive.
      thread_->stop([self = shared_from_this()](Function<void()> done) {
        self->close_session(std::move(done));
      });
      return;
    }
    thread_->stop([this](Function<void()> done) { close_session(std::move(done)); });
    thread_->join();
    session_.reset();
  });
}

void Host::close_session(Function<void()> done) {
  // The session's close fails its pending requests, whose completions may defer work: that
  // runs, then the check handle closes (later deferrals run at once) and the loop may end.
  auto finish = [this, done = std::move(done)]() mutable {
    run_deferred();
    check_.close();
    done();
  };
  if (session_) session_->close(std::move(finish));
  else finish();
}

}  // namespace zkit::bindings
