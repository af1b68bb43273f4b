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
#include <vector>

#include "zkit/options.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/types.hpp"

namespace zkit {

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

  Result<Created> create(std::string_view path, std::string_view data,
                         const CreateOptions& options = {});
  Result<void> remove(std::string_view path, std::int32_t version = -1);
  Result<MultiResult> multi(std::span<const TxnOp> ops);
  Result<std::optional<Stat>> exists(std::string_view path, Watcher watch = {});
  Result<Data> get(std::string_view path, Watcher watch = {});
  Result<Stat> set(std::string_view path, std::string_view data, std::int32_t version = -1);
  Result<Children> get_children(std::string_view path, Watcher watch = {});
  Result<void> sync(std::string_view path);
  Result<Acls> get_acl(std::string_view path);
  Result<Stat> set_acl(std::string_view path, const AclList& acl, std::int32_t version = -1);
  Result<void> add_auth(std::string_view scheme, std::string_view credentials);

  // A persistent watch; the handle may be dropped on any thread.
  Result<WatchHandle> add_watch(std::string_view path, WatchMode mode, Watcher watch);
  Result<void> remove_watches(std::string_view path, WatcherKind kind, bool local = false);
  Result<void> check_watches(std::string_view path, WatcherKind kind);
  Result<std::vector<std::string>> get_ephemerals(std::string_view prefix = "/");
  Result<std::int32_t> get_all_children_number(std::string_view path);
  Result<std::vector<ClientInfo>> who_am_i();
  Result<Data> get_config(Watcher watch = {});
  Result<Data> reconfig(const Reconfig& change);
  Result<void> update_servers(std::string_view hosts);

  // Closes the session now (idempotent); later calls fail with `closing`.
  void close();
  // Ends every blocking call now in progress on other threads: each returns at once with
  // `closing` ("interrupted"), exactly once; a request already sent may still be applied (like
  // connection_loss), and one not yet sent is not sent. Calls made afterwards work as usual;
  // the Client's close no longer waits for the server's answer to closeSession.
  // Thread-safe; for a Ctrl-C handler, call it from a thread of your own (it takes a lock).
  void interrupt();

  Session::ListenerId add_listener(StateListener listener);
  void remove_listener(Session::ListenerId id);
  SessionState state() const;
  std::int64_t session_id() const;
  std::string session_password() const;
  std::chrono::milliseconds negotiated_timeout() const;

 private:
  class Impl;
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace zkit
