// Client: a Session on a loop thread of its own. Calls from other threads are posted through
// one mutex-guarded inbox woken by a uv_async_t, and wait on a promise for the Result.
#include "zkit/client.hpp"

#include <pthread.h>
#include <uv.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace zkit {

// The queue other threads post work through; shared with the handles a Client hands out
// (a WatchHandle may outlive its Client), which then find it closed.
struct Inbox {
  std::mutex mu;
  std::vector<Function<void()>> items;
  bool closed = false;
  uv_async_t* async = nullptr;

  bool post(Function<void()> f) {
    {
      std::lock_guard lock(mu);
      if (closed) return false;
      items.push_back(std::move(f));
    }
    uv_async_send(async);
    return true;
  }
};

class Client::Impl {
 public:
  ~Impl() {
    shutdown();
    // Destroyed on its own loop thread (from inside a watcher): the thread cannot join itself;
    // let it finish the close it is running.
    if (thread_.joinable()) thread_.detach();
  }

  Result<void> start(Options options) {
    uv_loop_init(&loop_);
    uv_async_init(&loop_, &inbox_async_, [](uv_async_t* a) { static_cast<Impl*>(a->data)->drain(); });
    inbox_async_.data = this;
    inbox_->async = &inbox_async_;
    thread_ = std::thread([this] {
      // A write to a connection the server has just closed raises SIGPIPE in the writing
      // thread, which by default ends the process. Blocked here, libuv sees EPIPE and the
      // session reconnects; the application's own signal handling stays as it was.
      sigset_t pipe;
      sigemptyset(&pipe);
      sigaddset(&pipe, SIGPIPE);
      pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
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

  // Closes the session and ends the loop thread. Called on the loop thread itself (from a
  // watcher or listener), it only starts the close: the thread is joined by ~Impl.
  void shutdown() {
    bool first = false;
    {
      std::lock_guard lock(inbox_->mu);
      if (!inbox_->closed && thread_.joinable()) {
        inbox_->closed = true;
        first = true;
        // The last item: close the session, then let the loop end by closing the inbox handle.
        inbox_->items.push_back([this] {
          auto finish = [this] {
            drain();  // nothing can be posted any more; run what came before the close
            uv_close(reinterpret_cast<uv_handle_t*>(&inbox_async_), nullptr);
          };
          if (session_) session_->close(finish);
          else finish();
        });
      }
    }
    if (first) uv_async_send(&inbox_async_);
    if (std::this_thread::get_id() == loop_thread_ || !thread_.joinable()) return;
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

  // A handle usable from any thread: removal is posted to the loop thread.
  WatchHandle wrap(WatchHandle h) {
    // Removal must run on the loop thread; if the client is closed by then, the session took
    // its watches with it and the handle is only let go (detached, never touched off-thread).
    struct Removal {
      WatchHandle handle;
      bool ran = false;
      ~Removal() {
        if (!ran) handle.detach();
      }
    };
    return WatchHandle([inbox = inbox_, h = std::move(h)]() mutable {
      auto removal = std::make_unique<Removal>();
      removal->handle = std::move(h);
      inbox->post([removal = std::move(removal)]() mutable {
        removal->ran = true;
        removal->handle.remove();
      });
    });
  }

 private:
  bool post(Function<void()> f) { return inbox_->post(std::move(f)); }

  void drain() {
    std::vector<Function<void()>> items;
    {
      std::lock_guard lock(inbox_->mu);
      items.swap(inbox_->items);
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
  uv_async_t inbox_async_{};
  std::shared_ptr<Inbox> inbox_ = std::make_shared<Inbox>();
  std::thread thread_;
  std::thread::id loop_thread_;
  std::optional<Session> session_;  // touched on the loop thread only (and after join)

  mutable std::mutex mu_;
  std::condition_variable cv_;
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
Result<MultiResult> Client::multi(std::span<const TxnOp> ops) {
  return impl_->op<MultiResult>([&](Session& s, Callback<MultiResult> d) { s.multi(ops, std::move(d)); });
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

Result<WatchHandle> Client::add_watch(std::string_view path, WatchMode mode, Watcher watch) {
  auto r = impl_->op<WatchHandle>(
      [&](Session& s, Callback<WatchHandle> d) { s.add_watch(path, mode, std::move(watch), std::move(d)); });
  if (!r) return r;
  return impl_->wrap(std::move(r).value());
}
Result<void> Client::remove_watches(std::string_view path, WatcherKind kind, bool local) {
  return impl_->op<void>([&](Session& s, Callback<void> d) { s.remove_watches(path, kind, local, std::move(d)); });
}
Result<void> Client::check_watches(std::string_view path, WatcherKind kind) {
  return impl_->op<void>([&](Session& s, Callback<void> d) { s.check_watches(path, kind, std::move(d)); });
}
Result<std::vector<std::string>> Client::get_ephemerals(std::string_view prefix) {
  return impl_->op<std::vector<std::string>>(
      [&](Session& s, Callback<std::vector<std::string>> d) { s.get_ephemerals(prefix, std::move(d)); });
}
Result<std::int32_t> Client::get_all_children_number(std::string_view path) {
  return impl_->op<std::int32_t>([&](Session& s, Callback<std::int32_t> d) { s.get_all_children_number(path, std::move(d)); });
}
Result<std::vector<ClientInfo>> Client::who_am_i() {
  return impl_->op<std::vector<ClientInfo>>([&](Session& s, Callback<std::vector<ClientInfo>> d) { s.who_am_i(std::move(d)); });
}
Result<Data> Client::get_config(Watcher watch) {
  return impl_->op<Data>([&](Session& s, Callback<Data> d) { s.get_config(std::move(watch), std::move(d)); });
}
Result<Data> Client::reconfig(const Reconfig& change) {
  return impl_->op<Data>([&](Session& s, Callback<Data> d) { s.reconfig(change, std::move(d)); });
}
Result<void> Client::update_servers(std::string_view hosts) {
  std::string copy(hosts);
  return impl_->op<void>([&](Session& s, Callback<void> d) { d(s.update_servers(copy)); });
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
