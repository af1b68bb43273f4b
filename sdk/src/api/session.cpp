// Session: the public face of session::Core. Each operation validates its arguments, encodes
// its request through the Core and adapts the reply into a Result<T>; the coroutine forms are
// the callback forms with an Async<T> as the callback.
#include "zkit/session.hpp"

#include "proto/records.hpp"
#include "session/core.hpp"

namespace zkit {

using proto::Op;
using session::Completion;
using session::Core;
using session::Reply;

namespace {

constexpr std::int64_t kMaxTtl = (std::int64_t{1} << 40) - 1;

// Makes the completion that turns a Reply into the user's Result<T>. `decode` reads the body
// into a T and returns false on malformed input. `context` prefixes error messages, e.g.
// "get /a".
template <class T, class Decode>
Completion complete(std::string context, Callback<T> done, Decode decode) {
  return [context = std::move(context), done = std::move(done),
          decode = std::move(decode)](Reply& r) mutable -> bool {
    if (r.err != Errc::ok) {
      std::string message = std::move(context);
      message += ": ";
      message += r.reason.empty() ? to_string(r.err) : r.reason;
      done(Error(r.err, std::move(message)));
      return true;
    }
    if constexpr (std::is_void_v<T>) {
      if (!decode(r)) return false;
      done(Result<void>());
    } else {
      T value{};
      if (!decode(r, value)) return false;
      done(std::move(value));
    }
    return true;
  };
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

template <class T>
void fail_now(Callback<T>& done, const char* op, std::string_view path, Error e) {
  done(Error(e.code(), context(op, path) + ": " + e.message()));
}

}  // namespace

Session::Session(std::shared_ptr<session::Core> core) : core_(std::move(core)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&& o) noexcept {
  if (this != &o) {
    if (core_) core_->close({});
    core_ = std::move(o.core_);
  }
  return *this;
}
Session::~Session() {
  if (core_) core_->close({});
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
  bool sequential = o.mode == CreateMode::persistent_sequential ||
                    o.mode == CreateMode::ephemeral_sequential ||
                    o.mode == CreateMode::persistent_sequential_with_ttl;
  bool ttl_mode = o.mode == CreateMode::persistent_with_ttl ||
                  o.mode == CreateMode::persistent_sequential_with_ttl;
  if (auto v = validate_path(path, sequential); !v) return fail_now(done, "create", path, std::move(v).error());
  if (static_cast<int>(o.mode) < 0 || static_cast<int>(o.mode) > 6)
    return fail_now(done, "create", path, Error(Errc::bad_arguments, "unknown create mode"));
  if (ttl_mode && (o.ttl.count() <= 0 || o.ttl.count() > kMaxTtl))
    return fail_now(done, "create", path, Error(Errc::bad_arguments, "a TTL mode needs a ttl between 1 ms and 2^40-1 ms"));
  if (!ttl_mode && o.ttl.count() != 0)
    return fail_now(done, "create", path, Error(Errc::bad_arguments, "ttl given for a mode without TTL"));
  if (auto v = validate_acl(o.acl); !v) return fail_now(done, "create", path, std::move(v).error());

  Op op = o.mode == CreateMode::container ? Op::create_container : ttl_mode ? Op::create_ttl : Op::create2;
  std::string scratch;
  proto::CreateRequest req{core_->server_path(path, scratch), data, o.acl,
                           static_cast<std::int32_t>(o.mode), ttl_mode ? o.ttl.count() : -1};
  Core* core = core_.get();
  core_->submit(
      op, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, op, req); },
      complete<Created>(context("create", path), std::move(done), [core](Reply& r, Created& c) {
        std::string server;
        if (!proto::decode_create2_response(r.body, server, c.stat)) return false;
        c.path = core->client_path(server);
        return true;
      }));
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
      Op::remove, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::remove, req); },
      complete<void>(context("delete", path), std::move(done), [](Reply&) { return true; }));
}

Async<Created> Session::create(std::string_view path, std::string_view data) {
  const CreateOptions persistent;
  return create(path, data, persistent);
}

Async<void> Session::remove(std::string_view path, std::int32_t version) {
  auto [a, cb] = Async<void>::make();
  remove(path, version, std::move(cb));
  return std::move(a);
}

void Session::exists(std::string_view path, Watcher watch, Callback<std::optional<Stat>> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "exists", path, std::move(v).error());
  std::string scratch;
  proto::PathWatchRequest req{core_->server_path(path, scratch), static_cast<bool>(watch)};
  Core* core = core_.get();
  // A missing node is an answer, not an error, and still sets the watch (for its creation).
  core_->submit(
      Op::exists, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::exists, req); },
      [core, path = std::string(path), watch = std::move(watch), done = std::move(done)](Reply& r) mutable {
        if (r.err == Errc::ok || r.err == Errc::no_node) {
          std::optional<Stat> stat;
          if (r.err == Errc::ok && !proto::decode(r.body, stat.emplace())) return false;
          if (watch) core->watches().add(stat ? watch::Kind::data : watch::Kind::exist, path, std::move(watch));
          done(std::move(stat));
          return true;
        }
        done(Error(r.err, context("exists", path) + ": " + std::string(r.reason.empty() ? to_string(r.err) : r.reason)));
        return true;
      });
}

Async<std::optional<Stat>> Session::exists(std::string_view path, Watcher watch) {
  auto [a, cb] = Async<std::optional<Stat>>::make();
  exists(path, std::move(watch), std::move(cb));
  return std::move(a);
}

void Session::get(std::string_view path, Watcher watch, Callback<Data> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "get", path, std::move(v).error());
  std::string scratch;
  proto::PathWatchRequest req{core_->server_path(path, scratch), static_cast<bool>(watch)};
  Core* core = core_.get();
  core_->submit(
      Op::get_data, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::get_data, req); },
      complete<Data>(context("get", path), std::move(done),
                     [core, path = std::string(path), watch = std::move(watch)](Reply& r, Data& d) mutable {
                       if (!proto::decode_get_data_response(r.body, d.data, d.stat)) return false;
                       if (watch) core->watches().add(watch::Kind::data, std::move(path), std::move(watch));
                       return true;
                     }));
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
      Op::set_data, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::set_data, req); },
      complete<Stat>(context("set", path), std::move(done),
                     [](Reply& r, Stat& s) { return proto::decode(r.body, s); }));
}

Async<Stat> Session::set(std::string_view path, std::string_view data, std::int32_t version) {
  auto [a, cb] = Async<Stat>::make();
  set(path, data, version, std::move(cb));
  return std::move(a);
}

void Session::get_children(std::string_view path, Watcher watch, Callback<Children> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "get_children", path, std::move(v).error());
  std::string scratch;
  proto::PathWatchRequest req{core_->server_path(path, scratch), static_cast<bool>(watch)};
  Core* core = core_.get();
  core_->submit(
      Op::get_children2,
      [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::get_children2, req); },
      complete<Children>(context("get_children", path), std::move(done),
                         [core, path = std::string(path), watch = std::move(watch)](Reply& r, Children& c) mutable {
                           if (!proto::decode_children2(r.body, c.names, c.stat)) return false;
                           if (watch) core->watches().add(watch::Kind::child, std::move(path), std::move(watch));
                           return true;
                         }));
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
      Op::sync, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::sync, req); },
      complete<void>(context("sync", path), std::move(done), [](Reply& r) {
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
      Op::get_acl, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::get_acl, req); },
      complete<Acls>(context("get_acl", path), std::move(done),
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
      Op::set_acl, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::set_acl, req); },
      complete<Stat>(context("set_acl", path), std::move(done),
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
                  complete<void>(context("add_auth", scheme), std::move(done), [](Reply&) { return true; }));
}

Async<void> Session::add_auth(std::string_view scheme, std::string_view credentials) {
  auto [a, cb] = Async<void>::make();
  add_auth(scheme, credentials, std::move(cb));
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

}  // namespace zkit
