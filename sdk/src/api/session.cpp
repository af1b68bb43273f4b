// Session: the public face of session::Core. Each operation validates its arguments, encodes
// its request through the Core and adapts the reply into a Result<T>; the coroutine forms are
// the callback forms with an Async<T> as the callback.
#include "zkit/session.hpp"

#include "proto/admin.hpp"
#include "proto/multi.hpp"
#include "proto/records.hpp"
#include "session/core.hpp"

namespace zkit {

using proto::Op;
using session::Completion;
using session::Core;
using session::Reply;

namespace {

constexpr std::int64_t kMaxTtl = (std::int64_t{1} << 40) - 1;

// The message of a failed request, built only when it fails: "get /a: no node". The path is
// the request's own (Reply::path), shown as the caller named it (without the chroot).
std::string error_message(const char* op, const Core& core, const Reply& r) {
  std::string message(op);
  if (!r.path.empty()) {
    message += ' ';
    message += core.client_path(r.path);
  }
  message += ": ";
  message += r.reason.empty() ? to_string(r.err) : r.reason;
  return message;
}

// Makes the completion that turns a Reply into the user's Result<T>. `decode` reads the body
// into a T and returns false on malformed input. `op` names the operation in error messages.
// It holds no string of its own: for the common operations it fits Completion's inline
// buffer, so a request allocates nothing for it (checked where those operations call it).
// `rides`: the request rides on a persistent watch (ride_if_served_locally); the core is told
// once its reply is handled, whatever the outcome, after the decoder registered the watcher.
// A reply that fails to decode is not handled yet: it comes back with connection_loss.
template <class T, class Decode>
auto complete(const char* op, Core* core, Callback<T> done, Decode decode, bool rides = false) {
  return [op, core, rides, done = std::move(done), decode = std::move(decode)](Reply& r) mutable -> bool {
    if (r.err != Errc::ok) {
      if (rides) core->rider_done(r.path);
      done(Error(r.err, error_message(op, *core, r)));
      return true;
    }
    if constexpr (std::is_void_v<T>) {
      if (!decode(r)) return false;
      if (rides) core->rider_done(r.path);
      done(Result<void>());
    } else {
      T value{};
      if (!decode(r, value)) return false;
      if (rides) core->rider_done(r.path);
      done(std::move(value));
    }
    return true;
  };
}

// A completion that must not allocate: the hot operations' closures.
template <class F>
Completion inline_completion(F&& f) {
  static_assert(Completion::stores_inline<std::decay_t<F>>, "this operation's completion no longer fits in place");
  return Completion(std::forward<F>(f));
}

// Marks a request as riding when it has a watcher the server is not asked to arm.
bool ride_if_served_locally(Core& core, const Watcher& watch, const proto::PathWatchRequest& req) {
  if (!watch || req.watch) return false;
  core.watches().ride(std::string(req.path));
  return true;
}

std::string context(const char* op, std::string_view path) {
  std::string s(op);
  s += ' ';
  s += path;
  return s;
}

Result<void> validate_acl(const AclList& acl) {
  if (acl.empty()) return Error(Errc::invalid_acl, "ACL is empty: the server refuses a node no one may access");
  for (const Acl& a : acl) {
    if (a.perms == 0 || (a.perms & ~perm_all) != 0)
      return Error(Errc::invalid_acl, "ACL entry for " + a.id.scheme + ":" + a.id.id +
                                          " has invalid permission bits " + std::to_string(a.perms));
    if (a.id.scheme.empty()) return Error(Errc::invalid_acl, "ACL entry has an empty scheme");
  }
  return {};
}

// Checks a create's arguments; returns the opcode that makes this kind of node.
Result<Op> check_create(std::string_view path, const CreateOptions& o) {
  bool sequential = o.mode == CreateMode::persistent_sequential ||
                    o.mode == CreateMode::ephemeral_sequential ||
                    o.mode == CreateMode::persistent_sequential_with_ttl;
  bool ttl_mode = o.mode == CreateMode::persistent_with_ttl ||
                  o.mode == CreateMode::persistent_sequential_with_ttl;
  if (auto v = validate_path(path, sequential); !v) return std::move(v).error();
  if (static_cast<int>(o.mode) < 0 || static_cast<int>(o.mode) > 6)
    return Error(Errc::bad_arguments, "unknown create mode");
  if (ttl_mode && (o.ttl.count() <= 0 || o.ttl.count() > kMaxTtl))
    return Error(Errc::bad_arguments, "a TTL mode needs a ttl between 1 ms and 2^40-1 ms");
  if (!ttl_mode && o.ttl.count() != 0) return Error(Errc::bad_arguments, "ttl given for a mode without TTL");
  if (auto v = validate_acl(o.acl); !v) return std::move(v).error();
  // Containers and TTL nodes have opcodes of their own: through create they would silently
  // become plain persistent nodes (protocol doc §6.3).
  return o.mode == CreateMode::container ? Op::create_container : ttl_mode ? Op::create_ttl : Op::create2;
}

// Whether a one-shot watch goes to the server. Not where a persistent watch of this session
// is: the server keeps one watch per path and a one-shot request would downgrade the
// persistent one (fixed only in 3.9, protocol doc §13); its events serve the one-shot locally.
bool arm_on_server(Core& core, const Watcher& watch, std::string_view server_path) {
  if (!watch) return false;
  return !core.watches().has_persistent() || core.watches().persistent_mode(std::string(server_path)) == 0;
}

template <class T>
void fail_now(Callback<T>& done, const char* op, std::string_view path, Error e) {
  done(Error(e.code(), context(op, path) + ": " + e.message()));
}

}  // namespace

Session::Session(std::shared_ptr<session::Core> core) : core_(std::move(core)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&& o) noexcept {
  if (this != &o) {
    if (core_) {
      core_->remove_all_listeners();
      core_->close({});
    }
    core_ = std::move(o.core_);
  }
  return *this;
}
Session::~Session() {
  if (core_) {
    core_->remove_all_listeners();
    core_->close({});
  }
}

Result<Session> Session::start(uv_loop_t* loop, Options options) {
  if (!loop) return Error(Errc::bad_arguments, "Session::start: loop is null");
  auto cs = parse_connect_string(options.connect);
  if (!cs) return std::move(cs).error();
  if (options.session_timeout.count() <= 0 || options.session_timeout.count() > INT32_MAX)
    return Error(Errc::bad_arguments, "session_timeout must be positive");
  if (options.max_frame < 1024)
    return Error(Errc::bad_arguments, "max_frame must be at least 1024 bytes");
  if (options.backoff_initial.count() <= 0 || options.backoff_max < options.backoff_initial)
    return Error(Errc::bad_arguments, "backoff_initial must be positive and not above backoff_max");
  auto core = std::make_shared<Core>(loop, std::move(options), std::move(cs).value());
  core->start();
  return Session(std::move(core));
}

// --- operations ---------------------------------------------------------------------------

void Session::create(std::string_view path, std::string_view data, const CreateOptions& o,
                     Callback<Created> done) {
  auto checked = check_create(path, o);
  if (!checked) return fail_now(done, "create", path, std::move(checked).error());
  Op op = *checked;
  bool ttl_mode = op == Op::create_ttl;
  std::string scratch;
  proto::CreateRequest req{core_->server_path(path, scratch), data, o.acl,
                           static_cast<std::int32_t>(o.mode), ttl_mode ? o.ttl.count() : -1};
  Core* core = core_.get();
  core_->submit(
      op, req.path, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, op, req); },
      inline_completion(complete<Created>("create", core, std::move(done), [core](Reply& r, Created& c) {
        // Decoded straight into the result; the chroot, if any, comes off in place.
        if (!proto::decode_create2_response(r.body, c.path, c.stat)) return false;
        core->strip_chroot(c.path);
        return true;
      })));
}

Async<Created> Session::create(std::string_view path, std::string_view data, const CreateOptions& o) {
  auto [a, cb] = Async<Created>::make();
  create(path, data, o, std::move(cb));
  return std::move(a);
}

void Session::remove(std::string_view path, std::int32_t version, Callback<void> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "delete", path, std::move(v).error());
  std::string scratch;
  proto::PathVersionRequest req{core_->server_path(path, scratch), version};
  core_->submit(
      Op::remove, req.path, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::remove, req); },
      inline_completion(complete<void>("delete", core_.get(), std::move(done), [](Reply&) { return true; })));
}

Async<Created> Session::create(std::string_view path, std::string_view data) {
  const CreateOptions persistent;
  return create(path, data, persistent);
}

void Session::multi(std::span<const TxnOp> ops, Callback<MultiResult> done) {
  bool reads = !ops.empty() && (ops[0].kind == TxnOp::Kind::get || ops[0].kind == TxnOp::Kind::get_children);
  std::vector<std::string> paths(ops.size());  // server paths (with the chroot)
  std::vector<proto::MultiOp> wire(ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const TxnOp& op = ops[i];
    bool read = op.kind == TxnOp::Kind::get || op.kind == TxnOp::Kind::get_children;
    std::string what = "op " + std::to_string(i);
    if (read != reads)
      return fail_now(done, "multi", what, Error(Errc::bad_arguments, "reads (get, get_children) and writes cannot mix in one multi"));
    proto::MultiOp& w = wire[i];
    if (op.kind == TxnOp::Kind::create) {
      auto checked = check_create(op.path, op.create_options);
      if (!checked) return fail_now(done, "multi", what + " (create " + op.path + ")", std::move(checked).error());
      // Inside multi, create2 answers as a plain create (path only); containers and TTL
      // nodes answer with a Stat.
      w.type = *checked;
      w.data = op.data;
      w.acl = op.create_options.acl;
      w.flags = static_cast<std::int32_t>(op.create_options.mode);
      w.ttl = w.type == Op::create_ttl ? op.create_options.ttl.count() : -1;
    } else {
      if (auto v = validate_path(op.path); !v) return fail_now(done, "multi", what, std::move(v).error());
      switch (op.kind) {
        case TxnOp::Kind::remove: w.type = Op::remove; break;
        case TxnOp::Kind::set: w.type = Op::set_data; w.data = op.data; break;
        case TxnOp::Kind::check: w.type = Op::check; break;
        case TxnOp::Kind::get: w.type = Op::get_data; break;
        case TxnOp::Kind::get_children: w.type = Op::get_children; break;
        case TxnOp::Kind::create: break;
      }
      w.version = op.version;
    }
    std::string scratch;
    std::string_view server = core_->server_path(op.path, scratch);
    paths[i] = scratch.empty() ? std::string(server) : std::move(scratch);
  }
  for (std::size_t i = 0; i < ops.size(); ++i) wire[i].path = paths[i];
  Op type = reads ? Op::multi_read : Op::multi;
  Core* core = core_.get();
  std::size_t count = ops.size();
  core_->submit(
      type, {},
      [&](std::string& buf, std::int32_t xid) {
        proto::Writer w(buf);
        std::size_t start = w.begin_frame();
        proto::encode(w, proto::RequestHeader{xid, type});
        proto::encode_multi(w, wire);
        w.end_frame(start);
      },
      complete<MultiResult>(reads ? "multi_read" : "multi", core, std::move(done), [core, count](Reply& r, MultiResult& m) {
        if (!proto::decode_multi_response(r.body, m.results, count) || m.results.size() != count) return false;
        m.committed = true;
        for (OpResult& res : m.results) {
          if (res.error != Errc::ok) m.committed = false;
          if (!res.path.empty()) res.path = core->client_path(res.path);
        }
        return true;
      }));
}

Async<MultiResult> Session::multi(std::span<const TxnOp> ops) {
  auto [a, cb] = Async<MultiResult>::make();
  multi(ops, std::move(cb));
  return std::move(a);
}

Async<void> Session::remove(std::string_view path, std::int32_t version) {
  auto [a, cb] = Async<void>::make();
  remove(path, version, std::move(cb));
  return std::move(a);
}

void Session::exists(std::string_view path, Watcher watch, Callback<std::optional<Stat>> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "exists", path, std::move(v).error());
  std::string scratch;
  std::string_view server = core_->server_path(path, scratch);
  proto::PathWatchRequest req{server, arm_on_server(*core_, watch, server)};
  Core* core = core_.get();
  bool rides = ride_if_served_locally(*core, watch, req);
  // A missing node is an answer, not an error, and still sets the watch (for its creation).
  core_->submit(
      Op::exists, server, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::exists, req); },
      inline_completion([core, rides, watch = std::move(watch), done = std::move(done)](Reply& r) mutable {
        if (r.err == Errc::ok || r.err == Errc::no_node) {
          std::optional<Stat> stat;
          if (r.err == Errc::ok && !proto::decode(r.body, stat.emplace())) return false;
          if (watch) core->watches().add(stat ? watch::Kind::data : watch::Kind::exist, std::string(r.path), std::move(watch));
          if (rides) core->rider_done(r.path);
          done(std::move(stat));
          return true;
        }
        if (rides) core->rider_done(r.path);
        done(Error(r.err, error_message("exists", *core, r)));
        return true;
      }));
}

Async<std::optional<Stat>> Session::exists(std::string_view path, Watcher watch) {
  auto [a, cb] = Async<std::optional<Stat>>::make();
  exists(path, std::move(watch), std::move(cb));
  return std::move(a);
}

void Session::get(std::string_view path, Watcher watch, Callback<Data> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "get", path, std::move(v).error());
  std::string scratch;
  std::string_view server = core_->server_path(path, scratch);
  proto::PathWatchRequest req{server, arm_on_server(*core_, watch, server)};
  Core* core = core_.get();
  bool rides = ride_if_served_locally(*core, watch, req);
  core_->submit(
      Op::get_data, server, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::get_data, req); },
      inline_completion(complete<Data>("get", core, std::move(done), [core, watch = std::move(watch)](Reply& r, Data& d) mutable {
        if (!proto::decode_get_data_response(r.body, d.data, d.stat)) return false;
        if (watch) core->watches().add(watch::Kind::data, std::string(r.path), std::move(watch));
        return true;
      }, rides)));
}

Async<Data> Session::get(std::string_view path, Watcher watch) {
  auto [a, cb] = Async<Data>::make();
  get(path, std::move(watch), std::move(cb));
  return std::move(a);
}

void Session::set(std::string_view path, std::string_view data, std::int32_t version, Callback<Stat> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "set", path, std::move(v).error());
  std::string scratch;
  proto::SetDataRequest req{core_->server_path(path, scratch), data, version};
  core_->submit(
      Op::set_data, req.path, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::set_data, req); },
      inline_completion(complete<Stat>("set", core_.get(), std::move(done),
                                       [](Reply& r, Stat& s) { return proto::decode(r.body, s); })));
}

Async<Stat> Session::set(std::string_view path, std::string_view data, std::int32_t version) {
  auto [a, cb] = Async<Stat>::make();
  set(path, data, version, std::move(cb));
  return std::move(a);
}

void Session::get_children(std::string_view path, Watcher watch, Callback<Children> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "get_children", path, std::move(v).error());
  std::string scratch;
  std::string_view server = core_->server_path(path, scratch);
  proto::PathWatchRequest req{server, arm_on_server(*core_, watch, server)};
  Core* core = core_.get();
  bool rides = ride_if_served_locally(*core, watch, req);
  core_->submit(
      Op::get_children2, server,
      [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::get_children2, req); },
      inline_completion(complete<Children>("get_children", core, std::move(done),
                                           [core, watch = std::move(watch)](Reply& r, Children& c) mutable {
                                             if (!proto::decode_children2(r.body, c.names, c.stat)) return false;
                                             if (watch) core->watches().add(watch::Kind::child, std::string(r.path), std::move(watch));
                                             return true;
                                           }, rides)));
}

Async<Children> Session::get_children(std::string_view path, Watcher watch) {
  auto [a, cb] = Async<Children>::make();
  get_children(path, std::move(watch), std::move(cb));
  return std::move(a);
}

void Session::sync(std::string_view path, Callback<void> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "sync", path, std::move(v).error());
  std::string scratch;
  proto::PathRequest req{core_->server_path(path, scratch)};
  core_->submit(
      Op::sync, req.path, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::sync, req); },
      complete<void>("sync", core_.get(), std::move(done), [](Reply& r) {
        std::string echo;
        return proto::decode_path(r.body, echo);
      }));
}

Async<void> Session::sync(std::string_view path) {
  auto [a, cb] = Async<void>::make();
  sync(path, std::move(cb));
  return std::move(a);
}

void Session::get_acl(std::string_view path, Callback<Acls> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "get_acl", path, std::move(v).error());
  std::string scratch;
  proto::PathRequest req{core_->server_path(path, scratch)};
  core_->submit(
      Op::get_acl, req.path, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::get_acl, req); },
      complete<Acls>("get_acl", core_.get(), std::move(done),
                     [](Reply& r, Acls& a) { return proto::decode_get_acl_response(r.body, a.acl, a.stat); }));
}

Async<Acls> Session::get_acl(std::string_view path) {
  auto [a, cb] = Async<Acls>::make();
  get_acl(path, std::move(cb));
  return std::move(a);
}

void Session::set_acl(std::string_view path, const AclList& acl, std::int32_t version, Callback<Stat> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "set_acl", path, std::move(v).error());
  if (auto v = validate_acl(acl); !v) return fail_now(done, "set_acl", path, std::move(v).error());
  std::string scratch;
  proto::SetAclRequest req{core_->server_path(path, scratch), acl, version};
  core_->submit(
      Op::set_acl, req.path, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::set_acl, req); },
      complete<Stat>("set_acl", core_.get(), std::move(done),
                     [](Reply& r, Stat& s) { return proto::decode(r.body, s); }));
}

Async<Stat> Session::set_acl(std::string_view path, const AclList& acl, std::int32_t version) {
  auto [a, cb] = Async<Stat>::make();
  set_acl(path, acl, version, std::move(cb));
  return std::move(a);
}

void Session::add_auth(std::string_view scheme, std::string_view credentials, Callback<void> done) {
  if (scheme.empty()) return fail_now(done, "add_auth", scheme, Error(Errc::bad_arguments, "scheme is empty"));
  core_->add_auth(std::string(scheme), std::string(credentials),
                  complete<void>("add_auth", core_.get(), std::move(done), [](Reply&) { return true; }));
}

Async<void> Session::add_auth(std::string_view scheme, std::string_view credentials) {
  auto [a, cb] = Async<void>::make();
  add_auth(scheme, credentials, std::move(cb));
  return std::move(a);
}

// --- watches ----------------------------------------------------------------------------

void Session::add_watch(std::string_view path, WatchMode mode, Watcher watch, Callback<WatchHandle> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "add_watch", path, std::move(v).error());
  if (!watch) return fail_now(done, "add_watch", path, Error(Errc::bad_arguments, "the watcher is empty"));
  std::string scratch;
  std::string key(core_->server_path(path, scratch));
  int want = mode == WatchMode::persistent ? 1 : 2;
  int have = core_->watches().persistent_mode(key);
  if (have != 0 && have != want)
    return fail_now(done, "add_watch", path,
                    Error(Errc::bad_arguments, "the path already has a persistent watch of the other mode"));
  proto::AddWatchRequest req{key, mode == WatchMode::persistent ? proto::AddWatchMode::persistent
                                                                  : proto::AddWatchMode::persistent_recursive};
  Core* core = core_.get();
  std::weak_ptr<Core> weak = core_;
  if (core_->refusal() != Errc::ok) return fail_now(done, "add_watch", path, Error(core_->refusal()));
  // From now on the path counts as persistently watched, so a one-shot watch requested before
  // the reply is served locally too (ZOOKEEPER-4466).
  core_->watches().begin_persistent(key, want == 2);
  core_->submit(
      Op::add_watch, key, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::add_watch, req); },
      [core, key,
       finish = complete<WatchHandle>("add_watch", core_.get(), std::move(done),
                            [core, weak, key, recursive = want == 2, watch = std::move(watch)](Reply& r, WatchHandle& h) mutable {
                              proto::ErrorResponse er;
                              if (!proto::decode(r.body, er)) return false;
                              std::uint64_t id = core->watches().add_persistent(std::move(key), recursive, std::move(watch));
                              h = WatchHandle([weak, id] {
                                if (auto c = weak.lock()) c->remove_persistent(id);
                              });
                              return true;
                            })](Reply& r) mutable {
        core->watches().end_persistent(key);
        return finish(r);
      });
}

Async<WatchHandle> Session::add_watch(std::string_view path, WatchMode mode, Watcher watch) {
  auto [a, cb] = Async<WatchHandle>::make();
  add_watch(path, mode, std::move(watch), std::move(cb));
  return std::move(a);
}

namespace {

// Takes the local watches remove_watches removes and runs each once with its removal event.
void fire_removed(Core& core, const std::string& key, WatcherKind kind, const std::string& client) {
  bool data = kind != WatcherKind::children, child = kind != WatcherKind::data;
  std::vector<std::pair<Watcher, EventType>> removed;
  for (auto& w : core.watches().take_kinds(key, data, false)) removed.emplace_back(std::move(w), EventType::data_watch_removed);
  for (auto& w : core.watches().take_kinds(key, false, child)) removed.emplace_back(std::move(w), EventType::child_watch_removed);
  if (kind == WatcherKind::any)
    for (std::uint64_t id : core.watches().persistent_ids(key)) {
      Watcher* w = core.watches().find_persistent(id);
      removed.emplace_back(std::move(*w), EventType::persistent_watch_removed);
      core.watches().remove_persistent(id);
    }
  for (auto& [w, type] : removed) w(WatchEvent{type, SessionState::connected, client});
}

bool has_watch(Core& core, const std::string& key, WatcherKind kind) {
  bool data = kind != WatcherKind::children, child = kind != WatcherKind::data;
  return core.watches().has(key, data, child) || (kind == WatcherKind::any && core.watches().persistent_mode(key) != 0);
}

}  // namespace

void Session::remove_watches(std::string_view path, WatcherKind kind, bool local, Callback<void> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "remove_watches", path, std::move(v).error());
  std::string scratch;
  std::string key(core_->server_path(path, scratch));
  if (Errc e = core_->refusal(); e != Errc::ok) return fail_now(done, "remove_watches", path, Error(e));
  if (!has_watch(*core_, key, kind))
    return fail_now(done, "remove_watches", path, Error(Errc::no_watcher, "no watch of that kind on the path"));
  // Where a persistent watch holds the server's one watch for the path, removing only the
  // data or child half on the server would cut the persistent watch: remove locally.
  if (local || (kind != WatcherKind::any && core_->watches().persistent_mode(key) != 0)) {
    fire_removed(*core_, key, kind, std::string(path));
    return done(Result<void>());
  }
  proto::WatchesRequest req{key, static_cast<proto::WatcherType>(kind)};
  Core* core = core_.get();
  core_->submit(
      Op::remove_watches, key,
      [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::remove_watches, req); },
      complete<void>("remove_watches", core_.get(), std::move(done),
                     [core, key, kind, client = std::string(path)](Reply&) {
                       fire_removed(*core, key, kind, client);
                       return true;
                     }));
}

Async<void> Session::remove_watches(std::string_view path, WatcherKind kind, bool local) {
  auto [a, cb] = Async<void>::make();
  remove_watches(path, kind, local, std::move(cb));
  return std::move(a);
}

void Session::check_watches(std::string_view path, WatcherKind kind, Callback<void> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "check_watches", path, std::move(v).error());
  std::string scratch;
  std::string key(core_->server_path(path, scratch));
  if (Errc e = core_->refusal(); e != Errc::ok) return fail_now(done, "check_watches", path, Error(e));
  if (!has_watch(*core_, key, kind))
    return fail_now(done, "check_watches", path, Error(Errc::no_watcher, "no watch of that kind on the path"));
  proto::WatchesRequest req{key, static_cast<proto::WatcherType>(kind)};
  core_->submit(
      Op::check_watches, key,
      [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::check_watches, req); },
      complete<void>("check_watches", core_.get(), std::move(done), [](Reply&) { return true; }));
}

Async<void> Session::check_watches(std::string_view path, WatcherKind kind) {
  auto [a, cb] = Async<void>::make();
  check_watches(path, kind, std::move(cb));
  return std::move(a);
}

// --- introspection and administration ---------------------------------------------------

void Session::get_ephemerals(std::string_view prefix, Callback<std::vector<std::string>> done) {
  if (prefix.empty() || prefix.front() != '/')
    return fail_now(done, "get_ephemerals", prefix, Error(Errc::bad_arguments, "prefix must start with '/'"));
  // The chroot goes in front of the prefix and comes off the results (the Java 3.8 client
  // forgets both, protocol doc §11.6). With a chroot, "/" means "under the chroot".
  std::string scratch;
  std::string server(core_->server_path(prefix, scratch));
  if (prefix == "/" && server != "/") server += '/';
  Core* core = core_.get();
  core_->submit(
      Op::get_ephemerals, server,
      [&](std::string& buf, std::int32_t xid) {
        proto::write_request(buf, xid, Op::get_ephemerals, proto::PathRequest{server});
      },
      complete<std::vector<std::string>>("get_ephemerals", core_.get(), std::move(done),
                                         [core](Reply& r, std::vector<std::string>& paths) {
                                           if (!proto::decode_get_ephemerals_response(r.body, paths)) return false;
                                           for (auto& p : paths) p = core->client_path(p);
                                           return true;
                                         }));
}

Async<std::vector<std::string>> Session::get_ephemerals(std::string_view prefix) {
  auto [a, cb] = Async<std::vector<std::string>>::make();
  get_ephemerals(prefix, std::move(cb));
  return std::move(a);
}

void Session::get_all_children_number(std::string_view path, Callback<std::int32_t> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "get_all_children_number", path, std::move(v).error());
  std::string scratch;
  proto::PathRequest req{core_->server_path(path, scratch)};
  core_->submit(
      Op::get_all_children_number, req.path,
      [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::get_all_children_number, req); },
      complete<std::int32_t>("get_all_children_number", core_.get(), std::move(done),
                             [](Reply& r, std::int32_t& n) { return proto::decode_get_all_children_number_response(r.body, n); }));
}

Async<std::int32_t> Session::get_all_children_number(std::string_view path) {
  auto [a, cb] = Async<std::int32_t>::make();
  get_all_children_number(path, std::move(cb));
  return std::move(a);
}

void Session::who_am_i(Callback<std::vector<ClientInfo>> done) {
  core_->submit(
      Op::who_am_i, {}, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::who_am_i); },
      complete<std::vector<ClientInfo>>("who_am_i", core_.get(), std::move(done), [](Reply& r, std::vector<ClientInfo>& ids) {
        return proto::decode_who_am_i_response(r.body, ids);
      }));
}

Async<std::vector<ClientInfo>> Session::who_am_i() {
  auto [a, cb] = Async<std::vector<ClientInfo>>::make();
  who_am_i(std::move(cb));
  return std::move(a);
}

namespace {
constexpr std::string_view kConfigNode = "/zookeeper/config";
}

void Session::get_config(Watcher watch, Callback<Data> done) {
  // The config node is outside any chroot: it is addressed and registered by its server path.
  proto::PathWatchRequest req{kConfigNode, arm_on_server(*core_, watch, kConfigNode)};
  Core* core = core_.get();
  core_->submit(
      Op::get_data, {}, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::get_data, req); },
      complete<Data>("get_config", core, std::move(done), [core, watch = std::move(watch)](Reply& r, Data& d) mutable {
        if (!proto::decode_get_data_response(r.body, d.data, d.stat)) return false;
        if (watch) core->watches().add(watch::Kind::data, std::string(kConfigNode), std::move(watch));
        return true;
      }));
}

Async<Data> Session::get_config(Watcher watch) {
  auto [a, cb] = Async<Data>::make();
  get_config(std::move(watch), std::move(cb));
  return std::move(a);
}

void Session::reconfig(const Reconfig& change, Callback<Data> done) {
  if (!change.joining && !change.leaving && !change.new_members)
    return fail_now(done, "reconfig", "", Error(Errc::bad_arguments, "nothing to change"));
  if (change.new_members && (change.joining || change.leaving))
    return fail_now(done, "reconfig", "", Error(Errc::bad_arguments, "new_members (bulk) excludes joining and leaving (incremental)"));
  auto view = [](const std::optional<std::string>& s) -> std::optional<std::string_view> {
    if (!s) return std::nullopt;
    return std::string_view(*s);
  };
  proto::ReconfigRequest req{view(change.joining), view(change.leaving), view(change.new_members), change.from_config};
  core_->submit(
      Op::reconfig, {}, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::reconfig, req); },
      complete<Data>("reconfig", core_.get(), std::move(done),
                     [](Reply& r, Data& d) { return proto::decode_get_data_response(r.body, d.data, d.stat); }));
}

Async<Data> Session::reconfig(const Reconfig& change) {
  auto [a, cb] = Async<Data>::make();
  reconfig(change, std::move(cb));
  return std::move(a);
}

// --- session --------------------------------------------------------------------------------

void Session::close(Function<void()> done) { core_->close(std::move(done)); }

Async<void> Session::close() {
  auto [a, cb] = Async<void>::make();
  core_->close([cb = std::move(cb)]() mutable { cb(Result<void>()); });
  return std::move(a);
}

Session::ListenerId Session::add_listener(StateListener l) { return core_->add_listener(std::move(l)); }
void Session::remove_listener(ListenerId id) { core_->remove_listener(id); }
Result<void> Session::update_servers(std::string_view hosts) {
  auto cs = parse_connect_string(hosts);
  if (!cs) return std::move(cs).error();
  return core_->update_hosts(std::move(cs).value());
}

std::size_t Session::pending_requests() const noexcept { return core_->pending_requests(); }
SessionState Session::state() const noexcept { return core_->state(); }
std::int64_t Session::session_id() const noexcept { return core_->session_id(); }
std::string Session::session_password() const { return core_->password(); }
std::chrono::milliseconds Session::negotiated_timeout() const noexcept { return core_->negotiated_timeout(); }
std::int64_t Session::last_zxid() const noexcept { return core_->last_zxid(); }
std::string Session::connected_host() const { return core_->connected_host(); }
uv_loop_t* Session::loop() const noexcept { return core_->loop(); }

}  // namespace zkit
