// zkit::Client: a blocking, thread-safe ZooKeeper client for code that runs no event loop.
//
// A Client owns a thread running a libuv loop with one zkit::Session on it; each call posts
// the operation to that thread and waits for its result. Semantics are exactly the Session's.
// Watchers and listeners run on the Client's own thread: keep them short, and do not call a
// blocking Client method from inside one (that would wait on itself; such a call fails with
// bad_arguments instead of deadlocking).
//
//   auto c = zkit::Client::open({.connect = "127.0.0.1:2181"});
//   if (!c) return fail(c.error());
//   auto r = c->create("/config", "v1");
//   auto d = c->get("/config");
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "zkit/options.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"
#include "zkit/types.hpp"

namespace zkit {

namespace detail {
template <class T>
struct IsResult : std::false_type {};
template <class T>
struct IsResult<Result<T>> : std::true_type {};
template <class T>
struct TaskValue;
template <class T>
struct TaskValue<Task<T>> {
  using type = T;
};
// What Client::run returns for a Task<T>: a Result<X> as it is, void as Result<void>, any
// other T as Result<T>; the client's own errors (closed, interrupted) take its place.
template <class T>
using RunResult = std::conditional_t<IsResult<T>::value, T, Result<T>>;

// Runs `t` to its end and stores its result in `*out` (shared: an interrupted Client::run
// returns while the task keeps running on the loop), then calls `done`.
template <class T>
Task<void> run_and_store(Task<T> t, std::shared_ptr<std::optional<RunResult<T>>> out, Callback<void> done) {
  if constexpr (std::is_void_v<T>) {
    co_await std::move(t);
    out->emplace();
  } else {
    T value = co_await std::move(t);
    out->emplace(std::move(value));
  }
  done(Result<void>());
}
}  // namespace detail

class Client {
 public:
  // Starts the thread and the session and waits until it is connected. Fails with the
  // session's error (expired, auth_failed) or connection_loss when no server answered within
  // the session timeout; bad_arguments for invalid options.
  static Result<Client> open(Options options);

  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  // Closes the session and joins the thread.
  ~Client();

  // create, blocking: as Session::create, with its errors.
  Result<Created> create(std::string_view path, std::string_view data,
                         const CreateOptions& options = {});
  // create with null data (`c.create(p, zkit::null_data)`), blocking: as Session::create.
  Result<Created> create(std::string_view path, NullData, const CreateOptions& options = {});
  // remove, blocking: as Session::remove.
  Result<void> remove(std::string_view path, std::int32_t version = -1);
  // multi, blocking: as Session::multi.
  Result<MultiResult> multi(std::span<const TxnOp> ops);
  // exists, blocking: as Session::exists; the watcher runs on the client's thread.
  Result<std::optional<Stat>> exists(std::string_view path, Watcher watch = {});
  // get, blocking: as Session::get; the watcher runs on the client's thread.
  Result<Data> get(std::string_view path, Watcher watch = {});
  // set, blocking: as Session::set.
  Result<Stat> set(std::string_view path, std::string_view data, std::int32_t version = -1);
  // set with null data (`c.set(p, zkit::null_data)`), blocking: as Session::set.
  Result<Stat> set(std::string_view path, NullData, std::int32_t version = -1);
  // get_children, blocking: as Session::get_children; the watcher runs on the client's thread.
  Result<Children> get_children(std::string_view path, Watcher watch = {});
  // sync, blocking: as Session::sync.
  Result<void> sync(std::string_view path);
  // get_acl, blocking: as Session::get_acl.
  Result<Acls> get_acl(std::string_view path);
  // set_acl, blocking: as Session::set_acl.
  Result<Stat> set_acl(std::string_view path, const AclList& acl, std::int32_t version = -1);
  // add_auth, blocking: as Session::add_auth.
  Result<void> add_auth(std::string_view scheme, std::string_view credentials);

  // A persistent watch; the handle may be dropped on any thread.
  Result<WatchHandle> add_watch(std::string_view path, WatchMode mode, Watcher watch);
  // remove_watches, blocking: as Session::remove_watches.
  Result<void> remove_watches(std::string_view path, WatcherKind kind, bool local = false);
  // check_watches, blocking: as Session::check_watches.
  Result<void> check_watches(std::string_view path, WatcherKind kind);
  // get_ephemerals, blocking: as Session::get_ephemerals.
  Result<std::vector<std::string>> get_ephemerals(std::string_view prefix = "/");
  // get_all_children_number, blocking: as Session::get_all_children_number.
  Result<std::int32_t> get_all_children_number(std::string_view path);
  // who_am_i, blocking: as Session::who_am_i.
  Result<std::vector<ClientInfo>> who_am_i();
  // get_config, blocking: as Session::get_config.
  Result<Data> get_config(Watcher watch = {});
  // reconfig, blocking: as Session::reconfig.
  Result<Data> reconfig(const Reconfig& change);
  // Replaces the server list at runtime: as Session::update_servers.
  Result<void> update_servers(std::string_view hosts);

  // Runs a coroutine on the client's thread and waits for its end: `make(session)` is called
  // there and returns the Task (a recipe's acquire(), start(), ...), which runs on the loop;
  // its result comes back to the calling thread. This is how thread-based code drives the
  // recipes (zkit/recipes/blocking/ wraps the common ones). A Task<Result<X>> gives a
  // Result<X>, a Task<void> a Result<void>, a Task<T> a Result<T>. Errors besides the
  // task's own: closing (client closed, or interrupt(): the task then runs on alone),
  // bad_arguments (called on the client's own thread, from a watcher or listener).
  //   auto r = client.run([&](zkit::Session& s) { return counter_task(s, "/counter"); });
  template <class F>
  auto run(F&& make) -> detail::RunResult<typename detail::TaskValue<std::invoke_result_t<F&, Session&>>::type> {
    using T = typename detail::TaskValue<std::invoke_result_t<F&, Session&>>::type;
    using R = detail::RunResult<T>;
    auto out = std::make_shared<std::optional<R>>();
    Result<void> ran = run_on_loop([&make, out](Session& s, Callback<void> done) {
      spawn(detail::run_and_store<T>(make(s), out, std::move(done)));
    });
    if (!ran) return R(std::move(ran).error());
    return std::move(**out);
  }

  // Closes the session now (idempotent); later calls fail with `closing`.
  void close();
  // Ends every blocking call now in progress on other threads: each returns at once with
  // `closing` ("interrupted"), exactly once; a request already sent may still be applied (like
  // connection_loss), and one not yet sent is not sent. Calls made afterwards work as usual;
  // the Client's close no longer waits for the server's answer to closeSession.
  // Thread-safe; for a Ctrl-C handler, call it from a thread of your own (it takes a lock).
  void interrupt();

  // Adds a state listener; it runs on the client's thread and is not told of the current state.
  Session::ListenerId add_listener(StateListener listener);
  // Removes a state listener.
  void remove_listener(Session::ListenerId id);
  // The session's state as last reported.
  SessionState state() const;
  // The session id (0 until connected), cached at each transition.
  std::int64_t session_id() const;
  // The session password, for handing a session over or expiring it in tests.
  std::string session_password() const;
  // The timeout the server granted.
  std::chrono::milliseconds negotiated_timeout() const;
  // A copy of the session's figures (Session::metrics), taken on the client's thread; callable
  // from any thread. Errors: closing (the client is closed), bad_arguments (called from the
  // client's own thread, from a watcher or listener: use the Session there).
  Result<Metrics> metrics();

 private:
  // Runs `start(session, done)` on the loop thread and waits until `done` is called.
  Result<void> run_on_loop(Function<void(Session&, Callback<void>)> start);
  class Impl;
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace zkit
