// Client: a Session on a loop thread of its own (uv::LoopThread). Calls from other threads
// are posted through the loop's inbox and wait on a promise for the Result.
#include "zkit/client.hpp"

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <set>
#include <tuple>

#include "api/callback_value.hpp"
#include "zkit/uv/loop_thread.hpp"

namespace zkit {
// A blocking call in progress: settled once, by its reply or by Client::interrupt().
struct WaitBase {
  virtual ~WaitBase() = default;
  virtual void interrupt() = 0;
  std::mutex mu;  // held while the loop thread runs the call's start (see Impl::call)
  std::atomic<bool> settled{false};
};

template <class T>
struct Wait final : WaitBase {
  std::promise<Result<T>> promise;
  void settle(Result<T> r) {
    if (!settled.exchange(true)) promise.set_value(std::move(r));
  }
  void interrupt() override { settle(Error(Errc::closing, "interrupted (Client::interrupt)")); }
};

class Client::Impl {
 public:
  ~Impl() { shutdown(); }

  Result<void> start(Options options) {
    auto t = uv::LoopThread::start("zkit-client");
    if (!t) return std::move(t).error();
    thread_ = std::move(t).value();

    auto timeout = options.session_timeout;
    std::string where = options.connect;
    auto started = call<void>([&](Callback<void> done) {
      auto s = Session::start(thread_->loop(), std::move(options));
      if (!s) return done(std::move(s).error());
      session_.emplace(std::move(s).value());
      listener_ = session_->add_listener([this](SessionState st) { on_state(st); });
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
    if (!settled) {
      std::string why;
      thread_->run([&] { why = session_ ? session_->last_failure() : ""; });
      return Error(Errc::connection_loss, "no ZooKeeper server at " + where + " answered within " +
                                              std::to_string(timeout.count()) + " ms" +
                                              (why.empty() ? "" : " (last attempt: " + why + ")"));
    }
    if (s == SessionState::expired) return Error(Errc::session_expired, "the session expired while connecting");
    if (s == SessionState::auth_failed) return Error(Errc::auth_failed, "authentication failed");
    if (s == SessionState::closed) return Error(Errc::closing, "the session was closed while connecting");
    return {};
  }

  // Runs `start(callback)` on the loop thread and waits for the callback's result, or for
  // interrupt(). `start` and what it refers to live on the caller's stack: the loop thread
  // runs it under the wait's lock, and the caller takes that lock before returning, so an
  // interrupted call never returns while the loop thread still reads its arguments.
  template <class T, class Start>
  Result<T> call(Start&& start) {
    if (thread_->on_loop_thread())
      return Error(Errc::bad_arguments,
                   "a blocking zkit::Client call was made on the client's own thread (from a watcher "
                   "or listener): it would wait on itself");
    auto wait = std::make_shared<Wait<T>>();
    auto future = wait->promise.get_future();
    track(wait);
    bool posted = thread_->post([&, wait] {
      std::lock_guard running(wait->mu);
      if (wait->settled.load()) return;  // interrupted before it started: nothing is sent
      if (!session_ && !std::is_void_v<T>) return wait->settle(Error(Errc::closing, "the client is closed"));
      start(Callback<T>([wait](Result<T> r) { wait->settle(std::move(r)); }));
    });
    if (!posted) wait->settle(Error(Errc::closing, "the client is closed"));
    Result<T> r = future.get();
    { std::lock_guard done_with_arguments(wait->mu); }
    untrack(wait.get());
    return r;
  }

  // Ends every blocking call in progress with `closing` (their requests may still be applied).
  void interrupt() {
    interrupted_ = true;
    std::lock_guard lock(waits_mu_);
    for (WaitBase* w : waits_) w->interrupt();
  }

  // Runs `f(session, callback)` on the loop thread; fails with `closing` once the client is closed.
  template <class T, class F>
  Result<T> op(F&& f) {
    return call<T>([&](Callback<T> done) {
      if (!session_) return done(Error(Errc::closing, "the client is closed"));
      f(*session_, std::move(done));
    });
  }

  // The blocking face of a Session operation: its callback form (the overload whose last
  // parameter is a Callback<T>) run on the loop thread, waited for here. The arguments are
  // used there by reference, while this thread waits.
  template <class... P, class... A>
  auto blocking(void (Session::*operation)(P...), A&&... args) {
    using T = api::last_callback_value_t<P...>;
    return op<T>([&](Session& s, Callback<T> d) { (s.*operation)(std::forward<A>(args)..., std::move(d)); });
  }

  // Closes the session and ends the loop thread. Called on the loop thread itself (from a
  // watcher or listener), it only starts the close: the thread finishes it.
  void shutdown() {
    if (!thread_) return;
    if (thread_->on_loop_thread()) {
      // This Impl may be gone before the close ends: the last step owns the session, and the
      // session no longer calls back into the Impl.
      std::optional<Session> s = std::move(session_);
      session_.reset();
      if (s) s->remove_listener(listener_);
      thread_->stop([s = std::move(s)](Function<void()> done) mutable {
        if (s) s->close(std::move(done));
        else done();
      });
      return;
    }
    thread_->stop([this](Function<void()> done) {
      // After interrupt() the server may be the reason: do not wait on it once more.
      if (session_ && interrupted_.load()) session_->close_now(std::move(done));
      else if (session_) session_->close(std::move(done));
      else done();
    });
    thread_->join();
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
    return WatchHandle([inbox = thread_->inbox(), h = std::move(h)]() mutable {
      auto removal = std::make_unique<Removal>();
      removal->handle = std::move(h);
      inbox->post([removal = std::move(removal)]() mutable {
        removal->ran = true;
        removal->handle.remove();
      });
    });
  }

 private:
  void track(const std::shared_ptr<WaitBase>& w) {
    std::lock_guard lock(waits_mu_);
    waits_.insert(w.get());
  }
  void untrack(WaitBase* w) {
    std::lock_guard lock(waits_mu_);
    waits_.erase(w);
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

  // Declared before the session: destroyed after it (the session's last callbacks run on it).
  std::unique_ptr<uv::LoopThread> thread_;
  std::optional<Session> session_;  // touched on the loop thread only (and after join)
  ListenerId listener_ = 0;

  std::mutex waits_mu_;
  std::set<WaitBase*> waits_;  // the blocking calls in progress, for interrupt()
  std::atomic<bool> interrupted_{false};  // then close() does not wait for the server

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

Result<void> Client::run_on_loop(Function<void(Session&, Callback<void>)> start) {
  return impl_->op<void>([&](Session& s, Callback<void> done) { start(s, std::move(done)); });
}

Result<Created> Client::create(std::string_view path, std::string_view data, const CreateOptions& o) {
  using Bytes = void (Session::*)(std::string_view, std::string_view, const CreateOptions&, Callback<Created>);
  return impl_->blocking(Bytes(&Session::create), path, data, o);
}
Result<Created> Client::create(std::string_view path, NullData null, const CreateOptions& o) {
  using Null = void (Session::*)(std::string_view, NullData, const CreateOptions&, Callback<Created>);
  return impl_->blocking(Null(&Session::create), path, null, o);
}
Result<void> Client::remove(std::string_view path, std::int32_t version) { return impl_->blocking(&Session::remove, path, version); }
Result<MultiResult> Client::multi(std::span<const TxnOp> ops) { return impl_->blocking(&Session::multi, ops); }
Result<std::optional<Stat>> Client::exists(std::string_view path, Watcher watch) {
  return impl_->blocking(api::WatchedRead<std::optional<Stat>>(&Session::exists), path, std::move(watch));
}
Result<Data> Client::get(std::string_view path, Watcher watch) { return impl_->blocking(api::WatchedRead<Data>(&Session::get), path, std::move(watch)); }
Result<Stat> Client::set(std::string_view path, std::string_view data, std::int32_t version) {
  using Bytes = void (Session::*)(std::string_view, std::string_view, std::int32_t, Callback<Stat>);
  return impl_->blocking(Bytes(&Session::set), path, data, version);
}
Result<Stat> Client::set(std::string_view path, NullData null, std::int32_t version) {
  using Null = void (Session::*)(std::string_view, NullData, std::int32_t, Callback<Stat>);
  return impl_->blocking(Null(&Session::set), path, null, version);
}
Result<Children> Client::get_children(std::string_view path, Watcher watch) {
  return impl_->blocking(api::WatchedRead<Children>(&Session::get_children), path, std::move(watch));
}
Result<void> Client::sync(std::string_view path) { return impl_->blocking(&Session::sync, path); }
Result<Acls> Client::get_acl(std::string_view path) { return impl_->blocking(&Session::get_acl, path); }
Result<Stat> Client::set_acl(std::string_view path, const AclList& acl, std::int32_t version) {
  return impl_->blocking(&Session::set_acl, path, acl, version);
}
Result<void> Client::add_auth(std::string_view scheme, std::string_view credentials) {
  return impl_->blocking(&Session::add_auth, scheme, credentials);
}

Result<WatchHandle> Client::add_watch(std::string_view path, WatchMode mode, Watcher watch) {
  auto r = impl_->blocking(api::AddWatch(&Session::add_watch), path, mode, std::move(watch));
  if (!r) return r;
  return impl_->wrap(std::move(r).value());
}
Result<void> Client::remove_watches(std::string_view path, WatcherKind kind, bool local) {
  return impl_->blocking(&Session::remove_watches, path, kind, local);
}
Result<void> Client::check_watches(std::string_view path, WatcherKind kind) {
  return impl_->blocking(&Session::check_watches, path, kind);
}
Result<std::vector<std::string>> Client::get_ephemerals(std::string_view prefix) {
  return impl_->blocking(&Session::get_ephemerals, prefix);
}
Result<std::int32_t> Client::get_all_children_number(std::string_view path) {
  return impl_->blocking(&Session::get_all_children_number, path);
}
Result<std::vector<ClientInfo>> Client::who_am_i() { return impl_->blocking(&Session::who_am_i); }
Result<Data> Client::get_config(Watcher watch) { return impl_->blocking(api::WatchedConfig(&Session::get_config), std::move(watch)); }
Result<Data> Client::reconfig(const Reconfig& change) { return impl_->blocking(&Session::reconfig, change); }
Result<void> Client::update_servers(std::string_view hosts) {
  std::string copy(hosts);
  return impl_->op<void>([&](Session& s, Callback<void> d) { d(s.update_servers(copy)); });
}

Result<Metrics> Client::metrics() {
  Metrics m;
  auto r = impl_->op<void>([&](Session& s, Callback<void> d) {
    m = s.metrics();
    d(Result<void>());
  });
  if (!r) return std::move(r).error();
  return m;
}

void Client::close() { impl_->shutdown(); }
void Client::interrupt() { impl_->interrupt(); }

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
