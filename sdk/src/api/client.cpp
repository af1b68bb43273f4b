// Client: a Session on a loop thread of its own. Calls from other threads are posted through
// one mutex-guarded inbox woken by a uv_async_t, and wait on a promise for the Result.
#include "zkit/client.hpp"

#include <uv.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace zkit {

class Client::Impl {
 public:
  ~Impl() { shutdown(); }

  Result<void> start(Options options) {
    uv_loop_init(&loop_);
    uv_async_init(&loop_, &inbox_, [](uv_async_t* a) { static_cast<Impl*>(a->data)->drain(); });
    inbox_.data = this;
    thread_ = std::thread([this] {
      uv_run(&loop_, UV_RUN_DEFAULT);
      uv_loop_close(&loop_);
    });
    loop_thread_ = thread_.get_id();

    auto timeout = options.session_timeout;
    std::string where = options.connect;
    auto started = call<void>([&](Callback<void> done) {
      auto s = Session::start(&loop_, std::move(options));
      if (!s) return done(std::move(s).error());
      session_.emplace(std::move(s).value());
      session_->add_listener([this](SessionState st) { on_state(st); });
      done(Result<void>());
    });
    if (!started) return started;

    std::unique_lock lock(mu_);
    bool settled = cv_.wait_for(lock, timeout, [&] {
      SessionState s = state_.load();
      return s != SessionState::connecting;
    });
    SessionState s = state_.load();
    lock.unlock();
    if (!settled) return Error(Errc::connection_loss, "no ZooKeeper server at " + where + " answered within " +
                                                          std::to_string(timeout.count()) + " ms");
    if (s == SessionState::expired) return Error(Errc::session_expired, "the session expired while connecting");
    if (s == SessionState::auth_failed) return Error(Errc::auth_failed, "authentication failed");
    if (s == SessionState::closed) return Error(Errc::closing, "the session was closed while connecting");
    return {};
  }

  // Runs `start(callback)` on the loop thread and waits for the callback's result.
  template <class T, class Start>
  Result<T> call(Start&& start) {
    if (std::this_thread::get_id() == loop_thread_)
      return Error(Errc::bad_arguments,
                   "a blocking zkit::Client call was made on the client's own thread (from a watcher "
                   "or listener): it would wait on itself");
    std::promise<Result<T>> promise;
    auto future = promise.get_future();
    bool posted = post([&] {
      if (!session_ && !std::is_void_v<T>) {
        promise.set_value(Error(Errc::closing, "the client is closed"));
        return;
      }
      start(Callback<T>([&promise](Result<T> r) { promise.set_value(std::move(r)); }));
    });
    if (!posted) return Error(Errc::closing, "the client is closed");
    return future.get();
  }

  // Runs `f(session)` on the loop thread; fails with `closing` once the client is closed.
  template <class T, class F>
  Result<T> op(F&& f) {
    return call<T>([&](Callback<T> done) {
      if (!session_) return done(Error(Errc::closing, "the client is closed"));
      f(*session_, std::move(done));
    });
  }

  void shutdown() {
    {
      std::lock_guard lock(mu_);
      if (closed_ || !thread_.joinable()) return;
      closed_ = true;
      // The last item: close the session, then let the loop end by closing the inbox handle.
      inbox_items_.push_back([this] {
        auto finish = [this] {
          drain();  // nothing can be posted any more; run what came before the close
          uv_close(reinterpret_cast<uv_handle_t*>(&inbox_), nullptr);
        };
        if (session_) session_->close(finish);
        else finish();
      });
    }
    uv_async_send(&inbox_);
    if (std::this_thread::get_id() == loop_thread_) {
      thread_.detach();  // closed from a watcher: the loop ends on its own after this callback
      return;
    }
    thread_.join();
    session_.reset();
  }

  SessionState state() const { return state_.load(); }
  std::int64_t session_id() const { return session_id_.load(); }
  std::string password() const {
    std::lock_guard lock(mu_);
    return password_;
  }
  std::chrono::milliseconds timeout() const { return std::chrono::milliseconds(timeout_ms_.load()); }

  std::optional<Session>& session() { return session_; }

 private:
  bool post(Function<void()> f) {
    {
      std::lock_guard lock(mu_);
      if (closed_) return false;
      inbox_items_.push_back(std::move(f));
    }
    uv_async_send(&inbox_);
    return true;
  }

  void drain() {
    std::vector<Function<void()>> items;
    {
      std::lock_guard lock(mu_);
      items.swap(inbox_items_);
    }
    for (auto& f : items) f();
  }

  void on_state(SessionState s) {
    {
      std::lock_guard lock(mu_);
      state_ = s;
      session_id_ = session_->session_id();
      password_ = session_->session_password();
      timeout_ms_ = session_->negotiated_timeout().count();
    }
    cv_.notify_all();
  }

  uv_loop_t loop_{};
  uv_async_t inbox_{};
  std::thread thread_;
  std::thread::id loop_thread_;
  std::optional<Session> session_;  // touched on the loop thread only (and after join)

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Function<void()>> inbox_items_;
  bool closed_ = false;
  std::atomic<SessionState> state_{SessionState::connecting};
  std::atomic<std::int64_t> session_id_{0};
  std::atomic<std::int64_t> timeout_ms_{0};
  std::string password_;
};

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;
Client::~Client() = default;

Result<Client> Client::open(Options options) {
  auto impl = std::make_unique<Impl>();
  if (auto r = impl->start(std::move(options)); !r) return std::move(r).error();
  return Client(std::move(impl));
}

Result<Created> Client::create(std::string_view path, std::string_view data, const CreateOptions& o) {
  return impl_->op<Created>([&](Session& s, Callback<Created> d) { s.create(path, data, o, std::move(d)); });
}
Result<void> Client::remove(std::string_view path, std::int32_t version) {
  return impl_->op<void>([&](Session& s, Callback<void> d) { s.remove(path, version, std::move(d)); });
}
Result<std::optional<Stat>> Client::exists(std::string_view path, Watcher watch) {
  return impl_->op<std::optional<Stat>>(
      [&](Session& s, Callback<std::optional<Stat>> d) { s.exists(path, std::move(watch), std::move(d)); });
}
Result<Data> Client::get(std::string_view path, Watcher watch) {
  return impl_->op<Data>([&](Session& s, Callback<Data> d) { s.get(path, std::move(watch), std::move(d)); });
}
Result<Stat> Client::set(std::string_view path, std::string_view data, std::int32_t version) {
  return impl_->op<Stat>([&](Session& s, Callback<Stat> d) { s.set(path, data, version, std::move(d)); });
}
Result<Children> Client::get_children(std::string_view path, Watcher watch) {
  return impl_->op<Children>(
      [&](Session& s, Callback<Children> d) { s.get_children(path, std::move(watch), std::move(d)); });
}
Result<void> Client::sync(std::string_view path) {
  return impl_->op<void>([&](Session& s, Callback<void> d) { s.sync(path, std::move(d)); });
}
Result<Acls> Client::get_acl(std::string_view path) {
  return impl_->op<Acls>([&](Session& s, Callback<Acls> d) { s.get_acl(path, std::move(d)); });
}
Result<Stat> Client::set_acl(std::string_view path, const AclList& acl, std::int32_t version) {
  return impl_->op<Stat>([&](Session& s, Callback<Stat> d) { s.set_acl(path, acl, version, std::move(d)); });
}
Result<void> Client::add_auth(std::string_view scheme, std::string_view credentials) {
  return impl_->op<void>([&](Session& s, Callback<void> d) { s.add_auth(scheme, credentials, std::move(d)); });
}

void Client::close() { impl_->shutdown(); }

Session::ListenerId Client::add_listener(StateListener listener) {
  Session::ListenerId id = 0;
  (void)impl_->op<void>([&](Session& s, Callback<void> d) {
    id = s.add_listener(std::move(listener));
    d(Result<void>());
  });
  return id;
}

void Client::remove_listener(Session::ListenerId id) {
  (void)impl_->op<void>([&](Session& s, Callback<void> d) {
    s.remove_listener(id);
    d(Result<void>());
  });
}

SessionState Client::state() const { return impl_->state(); }
std::int64_t Client::session_id() const { return impl_->session_id(); }
std::string Client::session_password() const { return impl_->password(); }
std::chrono::milliseconds Client::negotiated_timeout() const { return impl_->timeout(); }

}  // namespace zkit
