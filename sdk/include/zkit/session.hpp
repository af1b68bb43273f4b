// zkit::Session: one ZooKeeper session, driven by a libuv loop the caller owns.
//
// Every operation has two forms over one completion path: a callback form, and a coroutine
// form that returns zkit::Async<T> for `co_await`. Both validate their arguments and queue
// the request before returning, so requests leave (and replies complete) in call order, and
// a bad argument fails at once with nothing sent. Callbacks, watches and listeners run on
// the loop thread; the Session must be used from that thread only (zkit::Client is the
// thread-safe, blocking face).
//
//   uv_loop_t* loop = uv_default_loop();
//   auto s = zkit::Session::start(loop, {.connect = "127.0.0.1:2181"});
//   if (!s) { std::puts(s.error().message().c_str()); return 1; }
//   s->create("/hello", "world", {}, [&](zkit::Result<zkit::Created> r) {
//     std::printf("%s\n", r ? r->path.c_str() : r.error().message().c_str());
//     s->close([] {});
//   });
//   uv_run(loop, UV_RUN_DEFAULT);   // returns once the session is closed
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "zkit/async.hpp"
#include "zkit/metrics.hpp"
#include "zkit/function.hpp"
#include "zkit/multi.hpp"
#include "zkit/options.hpp"
#include "zkit/result.hpp"
#include "zkit/types.hpp"
#include "zkit/watch.hpp"

// The one libuv type in zkit's API: the loop a caller hands in.
typedef struct uv_loop_s uv_loop_t;

namespace zkit {

namespace session {
class Core;
}

class Session {
 public:
  // Checks the options (the connection string and chroot are parsed here; a bad one is
  // refused with bad_arguments) and starts connecting on `loop`.
  static Result<Session> start(uv_loop_t* loop, Options options);

  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  // Closes the session if close() was not called, without waiting for the server's answer.
  // State listeners are dropped first, so none runs after the Session is gone. Callbacks of
  // requests still pending and watches still set run once each as the loop finishes the close
  // (with closing, or EventType::none): what they capture must outlive the loop's last turns.
  ~Session();

  // --- operations -------------------------------------------------------------------------
  // Errors every operation can return: bad_arguments (invalid path or size; nothing sent),
  // connection_loss (the connection broke while it was outstanding: applied or not),
  // session_expired, auth_failed, closing (after close()).

  // create: makes a node. Also: node_exists, no_node (no parent), no_children_for_ephemerals,
  // invalid_acl, no_auth, unimplemented (TTL disabled on the server).
  void create(std::string_view path, std::string_view data, const CreateOptions& options,
              Callback<Created> done);
  // `co_await s.create(p, d, {.mode = zkit::CreateMode::ephemeral})` is safe with every
  // compiler: CreateOptions is trivially destructible (its ACL is an AclRef).
  Async<Created> create(std::string_view path, std::string_view data, const CreateOptions& options);
  // A persistent node with an open ACL.
  Async<Created> create(std::string_view path, std::string_view data);
  // The same with null data (`s.create(p, zkit::null_data)`): get then reports Data::null.
  void create(std::string_view path, NullData, const CreateOptions& options, Callback<Created> done);
  Async<Created> create(std::string_view path, NullData, const CreateOptions& options);
  Async<Created> create(std::string_view path, NullData);

  // multi: a transaction (create / remove / set / check ops, applied all or nothing) or a
  // multi-read (get / get_children ops, each answered on its own); reads and writes cannot
  // mix. The Result fails only for the request as a whole (bad_arguments naming the bad op,
  // connection_loss, ...); a transaction the server refused is a MultiResult with
  // committed == false and the server's code on each op (see zkit/multi.hpp).
  void multi(std::span<const TxnOp> ops, Callback<MultiResult> done);
  Async<MultiResult> multi(std::span<const TxnOp> ops);

  // remove: deletes a node if its version matches (-1: any). Also: no_node, bad_version,
  // not_empty, no_auth.
  void remove(std::string_view path, std::int32_t version, Callback<void> done);
  Async<void> remove(std::string_view path, std::int32_t version = -1);

  // exists: the node's Stat, or nullopt if there is none. With a watcher: fires on creation
  // if the node is missing, on change or deletion if it exists.
  void exists(std::string_view path, Watcher watch, Callback<std::optional<Stat>> done);
  Async<std::optional<Stat>> exists(std::string_view path, Watcher watch = {});
  // The coroutine forms that take a watcher also take a lambda built in place; with GCC 12 it
  // must not capture by value (a compile error says so: see zkit/async.hpp).
  template <class F>
    requires detail::TemporaryCallable<F, Watcher>
  Async<std::optional<Stat>> exists(std::string_view path, F&& watch) {
    detail::require_safe_in_co_await<F>();
    return exists(path, Watcher(std::forward<F>(watch)));
  }

  // get: the node's data and Stat. Also: no_node, no_auth. The watcher (set only on success)
  // fires on a data change or deletion.
  void get(std::string_view path, Watcher watch, Callback<Data> done);
  Async<Data> get(std::string_view path, Watcher watch = {});
  template <class F>
    requires detail::TemporaryCallable<F, Watcher>
  Async<Data> get(std::string_view path, F&& watch) {
    detail::require_safe_in_co_await<F>();
    return get(path, Watcher(std::forward<F>(watch)));
  }

  // set: replaces the data if the version matches (-1: any). Also: no_node, bad_version, no_auth.
  void set(std::string_view path, std::string_view data, std::int32_t version, Callback<Stat> done);
  Async<Stat> set(std::string_view path, std::string_view data, std::int32_t version = -1);
  // The same with null data (`s.set(p, zkit::null_data)`): get then reports Data::null.
  void set(std::string_view path, NullData, std::int32_t version, Callback<Stat> done);
  Async<Stat> set(std::string_view path, NullData, std::int32_t version = -1);

  // get_children: child names and the parent's Stat. Also: no_node, no_auth. The watcher fires
  // when a child is created or deleted, or the node itself is deleted.
  void get_children(std::string_view path, Watcher watch, Callback<Children> done);
  Async<Children> get_children(std::string_view path, Watcher watch = {});
  template <class F>
    requires detail::TemporaryCallable<F, Watcher>
  Async<Children> get_children(std::string_view path, F&& watch) {
    detail::require_safe_in_co_await<F>();
    return get_children(path, Watcher(std::forward<F>(watch)));
  }

  // sync: completes once the server this session is connected to has caught up with the
  // leader, so a read after it sees every write committed before it.
  void sync(std::string_view path, Callback<void> done);
  Async<void> sync(std::string_view path);

  // get_acl / set_acl: a node's ACL. set_acl checks the ACL version (-1: any). Also: no_node,
  // bad_version, invalid_acl, no_auth.
  void get_acl(std::string_view path, Callback<Acls> done);
  Async<Acls> get_acl(std::string_view path);
  // set_acl: replaces a node's ACL if the ACL version matches (-1: any); errors as get_acl.
  void set_acl(std::string_view path, const AclList& acl, std::int32_t version, Callback<Stat> done);
  Async<Stat> set_acl(std::string_view path, const AclList& acl, std::int32_t version = -1);

  // add_auth: adds credentials to the session, e.g. ("digest", "alice:secret"). They are
  // replayed after every reconnect. Also: auth_failed (unknown scheme; the session is then
  // unusable and moves to SessionState::auth_failed).
  void add_auth(std::string_view scheme, std::string_view credentials, Callback<void> done);
  Async<void> add_auth(std::string_view scheme, std::string_view credentials);

  // --- watches ----------------------------------------------------------------------------

  // add_watch: a persistent watch (addWatch) on `path`, which need not exist. The watcher runs
  // for every matching change until the handle is dropped, and is told of connection loss,
  // resumption and the end of the session (see WatchEvent). A path holds watches of one mode:
  // adding the other mode where one exists fails with bad_arguments. Also: no_auth... as reads.
  void add_watch(std::string_view path, WatchMode mode, Watcher watch, Callback<WatchHandle> done);
  Async<WatchHandle> add_watch(std::string_view path, WatchMode mode, Watcher watch);
  template <class F>
    requires detail::TemporaryCallable<F, Watcher>
  Async<WatchHandle> add_watch(std::string_view path, WatchMode mode, F&& watch) {
    detail::require_safe_in_co_await<F>();
    return add_watch(path, mode, Watcher(std::forward<F>(watch)));
  }

  // remove_watches: removes this session's watches of `kind` on `path`; each removed one-shot
  // watcher runs once with data_watch_removed or child_watch_removed, each persistent one
  // (kind any) with persistent_watch_removed. With `local`, only the local registrations go
  // (works while disconnected; the server may still send an event, which is then ignored).
  // Errors: no_watcher (none of that kind).
  void remove_watches(std::string_view path, WatcherKind kind, bool local, Callback<void> done);
  Async<void> remove_watches(std::string_view path, WatcherKind kind, bool local = false);

  // check_watches: succeeds if a watch of `kind` on `path` is set (here and on the server).
  // Errors: no_watcher.
  void check_watches(std::string_view path, WatcherKind kind, Callback<void> done);
  Async<void> check_watches(std::string_view path, WatcherKind kind);

  // --- introspection and ensemble administration ------------------------------------------

  // get_ephemerals: this session's ephemeral nodes whose path starts with `prefix` ("/": all).
  void get_ephemerals(std::string_view prefix, Callback<std::vector<std::string>> done);
  Async<std::vector<std::string>> get_ephemerals(std::string_view prefix = "/");

  // get_all_children_number: the number of all descendants of `path`. Also: no_node.
  void get_all_children_number(std::string_view path, Callback<std::int32_t> done);
  Async<std::int32_t> get_all_children_number(std::string_view path);

  // who_am_i: the identities the server knows this session by (ip, digest, x509, sasl...).
  void who_am_i(Callback<std::vector<ClientInfo>> done);
  Async<std::vector<ClientInfo>> who_am_i();

  // get_config: the ensemble's dynamic configuration ("server.N=..." lines and "version=<hex>";
  // empty on a standalone server), from /zookeeper/config whatever the chroot. The watcher
  // fires when a reconfig changes it.
  void get_config(Watcher watch, Callback<Data> done);
  Async<Data> get_config(Watcher watch = {});
  template <class F>
    requires detail::TemporaryCallable<F, Watcher>
  Async<Data> get_config(F&& watch) {
    detail::require_safe_in_co_await<F>();
    return get_config(Watcher(std::forward<F>(watch)));
  }

  // reconfig: changes the ensemble's membership; returns the new configuration. Needs the
  // super user or reconfig ACLs. Errors: reconfig_disabled, new_config_no_quorum,
  // reconfig_in_progress, bad_version (from_config is not current), no_auth, bad_arguments.
  void reconfig(const Reconfig& change, Callback<Data> done);
  Async<Data> reconfig(const Reconfig& change);

  // --- session ------------------------------------------------------------------------------

  // Sends closeSession, waits for the server's answer (bounded by the read timeout), fails
  // every request still pending with `closing`, releases every libuv handle, then calls
  // `done`. Safe to call from any zkit callback; calling it again only adds `done`.
  void close(Function<void()> done);
  Async<void> close();
  // The same without waiting for the server's answer to closeSession (sent all the same): for
  // a process that is stopping, or a server that has stopped answering. The server removes the
  // session's ephemerals when it processes the closeSession, or when the session expires.
  void close_now(Function<void()> done);

  // Names a state listener, for remove_listener.
  using ListenerId = zkit::ListenerId;
  // Adds a listener for state transitions; it is not told of the current state.
  ListenerId add_listener(StateListener listener);
  // Removes a state listener; it is not called again.
  void remove_listener(ListenerId id);

  // Replaces the server list at runtime (Java's updateServerList), e.g. after an ensemble
  // was resized: "host:port,..." with no chroot, or the session's own chroot. If the server
  // the session is connected to is not in the new list, the session moves (in-flight requests
  // then fail with connection_loss, as on any move). Errors: bad_arguments.
  Result<void> update_servers(std::string_view hosts);

  // The deadline of the calls made from now on, as Options::request_timeout (-1: the session
  // timeout; 0: none); calls already made keep theirs. Calls are queued when made, so setting
  // it around one call overrides the deadline for that call alone:
  //   s.set_request_timeout(200ms); auto quick = s.get("/hint"); s.set_request_timeout(-1ms);
  // Errors: bad_arguments (below -1).
  Result<void> set_request_timeout(std::chrono::milliseconds timeout);
  // The deadline calls get now (the session timeout resolved; 0: none).
  std::chrono::milliseconds request_timeout() const noexcept;

  // Requests outstanding: sent and awaiting a reply, or held unsent (see Options::max_pending).
  std::size_t pending_requests() const noexcept;
  // Of those, the ones written on the current connection and not answered yet (0 while
  // disconnected): while it is not 0 a reply, or the connection's loss, is on its way.
  std::size_t awaiting_replies() const noexcept;
  // A snapshot of the session's figures (zkit/metrics.hpp): latency per operation,
  // disconnects by cause, reconnects, bytes, slow callbacks, ...; to_json() and
  // to_prometheus() export it.
  Metrics metrics() const;

  // Where the session stands now.
  SessionState state() const noexcept;
  // The session id (0 until the first connection) and password: needed to hand a session over,
  // or to expire one on purpose in tests (zkit::testing).
  std::int64_t session_id() const noexcept;
  // The session password (see session_id).
  std::string session_password() const;
  // The timeout the server granted (the asked one until connected).
  std::chrono::milliseconds negotiated_timeout() const noexcept;
  // The highest zxid seen in any reply.
  std::int64_t last_zxid() const noexcept;
  // "host:port" of the server the session is connected to, or "" while disconnected.
  std::string connected_host() const;
  // Why the last connection attempt failed or the last connection ended, naming the server
  // ("cannot connect to 127.0.0.1:2181: connection refused", "handshake reply with a password
  // of length -5 (expected 16) from ..."); "" before any failure and once connected again.
  std::string last_failure() const;
  // The loop the session runs on (the one given to start()); zkit::Timer uses it.
  uv_loop_t* loop() const noexcept;

  // Another handle on this same session that does not own it: destroying or moving onto it
  // neither closes the session nor drops its listeners; once the owning Session closed it,
  // its calls fail with closing. The recipes keep one, so the Session they were given may be
  // moved (into a container, out of a function) while they use it. Use it on the loop thread.
  Session borrow() const;
  // Whether `other` is a handle on this same session (the owner or a borrowed one).
  bool same_session(const Session& other) const noexcept { return core_ == other.core_; }

 private:
  Session(std::shared_ptr<session::Core> core, bool owner);
  // create and set, for bytes or (null_data) a null buffer.
  void create_node(std::string_view path, std::string_view data, bool null_data, const CreateOptions& options,
                   Callback<Created> done);
  void set_node(std::string_view path, std::string_view data, bool null_data, std::int32_t version, Callback<Stat> done);
  std::shared_ptr<session::Core> core_;
  bool owner_ = true;  // closes the session when destroyed (false: a borrowed handle)
};

}  // namespace zkit
