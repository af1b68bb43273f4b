// Session's operations on nodes: create, remove, multi, exists, get, set, get_children, sync,
// ACLs and credentials. Each validates its arguments, submits its request through the Core
// and adapts the reply; the coroutine forms are the callback forms through api::awaitable.
#include "api/arguments.hpp"
#include "api/completion.hpp"
#include "proto/multi.hpp"
#include "proto/records.hpp"
#include "zkit/session.hpp"

namespace zkit {

using namespace api;
using proto::Op;

namespace {

// The byte forms of create and set, named: the null-data overloads make the names ambiguous
// where a member pointer is taken.
using CreateBytes = void (Session::*)(std::string_view, std::string_view, const CreateOptions&, Callback<Created>);
using CreateNull = void (Session::*)(std::string_view, NullData, const CreateOptions&, Callback<Created>);
using SetBytes = void (Session::*)(std::string_view, std::string_view, std::int32_t, Callback<Stat>);
using SetNull = void (Session::*)(std::string_view, NullData, std::int32_t, Callback<Stat>);

}  // namespace

void Session::create(std::string_view path, std::string_view data, const CreateOptions& o, Callback<Created> done) {
  create_node(path, data, false, o, std::move(done));
}

void Session::create(std::string_view path, NullData, const CreateOptions& o, Callback<Created> done) {
  create_node(path, {}, true, o, std::move(done));
}

void Session::create_node(std::string_view path, std::string_view data, bool null_data, const CreateOptions& o,
                          Callback<Created> done) {
  auto checked = check_create(path, o);
  if (!checked) return fail_now(done, "create", path, checked.error());
  Op op = *checked;
  std::string scratch;
  proto::CreateRequest req{core_->chroot().server_path(path, scratch), data, o.acl.list(), static_cast<std::int32_t>(o.mode),
                           op == Op::create_ttl ? o.ttl.count() : -1, null_data};
  Core* core = core_.get();
  core_->submit(
      op, req.path, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, op, req); },
      inline_completion(complete<Created>("create", core, std::move(done), [core](Reply& r, Created& c) {
        // Decoded straight into the result; the chroot, if any, comes off in place.
        if (!proto::decode_create2_response(r.body, c.path, c.stat)) return false;
        core->chroot().strip(c.path);
        return true;
      })));
}

Async<Created> Session::create(std::string_view path, std::string_view data, const CreateOptions& o) {
  return awaitable(*this, CreateBytes(&Session::create), path, data, o);
}

Async<Created> Session::create(std::string_view path, std::string_view data) {
  const CreateOptions persistent;
  return awaitable(*this, CreateBytes(&Session::create), path, data, persistent);
}

Async<Created> Session::create(std::string_view path, NullData null, const CreateOptions& o) {
  return awaitable(*this, CreateNull(&Session::create), path, null, o);
}

Async<Created> Session::create(std::string_view path, NullData null) {
  const CreateOptions persistent;
  return awaitable(*this, CreateNull(&Session::create), path, null, persistent);
}

void Session::remove(std::string_view path, std::int32_t version, Callback<void> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "remove", path, v.error());
  std::string scratch;
  proto::PathVersionRequest req{core_->chroot().server_path(path, scratch), version};
  core_->submit(
      Op::remove, req.path, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::remove, req); },
      inline_completion(complete<void>("remove", core_.get(), std::move(done), [](Reply&) { return true; })));
}

Async<void> Session::remove(std::string_view path, std::int32_t version) {
  return awaitable(*this, &Session::remove, path, version);
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
      return fail_now(done, "multi", what,
                      Error(Errc::bad_arguments, "reads (get, get_children) and writes cannot mix in one multi"));
    proto::MultiOp& w = wire[i];
    if (op.kind == TxnOp::Kind::create) {
      CreateOptions asked = op.create_options;
      asked.acl = op.acl;
      auto checked = check_create(op.path, asked);
      if (!checked) return fail_now(done, "multi", what + " (create " + op.path + ")", checked.error());
      // Inside multi, create2 answers as a plain create (path only); containers and TTL
      // nodes answer with a Stat.
      w.type = *checked;
      w.data = op.data;
      w.null_data = op.null_data;
      w.acl = op.acl;
      w.flags = static_cast<std::int32_t>(op.create_options.mode);
      w.ttl = w.type == Op::create_ttl ? op.create_options.ttl.count() : -1;
    } else {
      if (auto v = validate_path(op.path); !v) return fail_now(done, "multi", what, v.error());
      switch (op.kind) {
        case TxnOp::Kind::remove: w.type = Op::remove; break;
        case TxnOp::Kind::set:
          w.type = Op::set_data;
          w.data = op.data;
          w.null_data = op.null_data;
          break;
        case TxnOp::Kind::check: w.type = Op::check; break;
        case TxnOp::Kind::get: w.type = Op::get_data; break;
        case TxnOp::Kind::get_children: w.type = Op::get_children; break;
        case TxnOp::Kind::create: break;
      }
      w.version = op.version;
    }
    std::string scratch;
    std::string_view server = core_->chroot().server_path(op.path, scratch);
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
          if (!res.path.empty()) res.path = core->chroot().client_path(res.path);
        }
        return true;
      }));
}

Async<MultiResult> Session::multi(std::span<const TxnOp> ops) { return awaitable(*this, &Session::multi, ops); }

void Session::exists(std::string_view path, Watcher watch, Callback<std::optional<Stat>> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "exists", path, v.error());
  std::string scratch;
  std::string_view server = core_->chroot().server_path(path, scratch);
  auto arming = core_->watches().arm(server, static_cast<bool>(watch));
  proto::PathWatchRequest req{server, arming.server_flag};
  Core* core = core_.get();
  // A missing node is an answer, not an error, and still sets the watch (for its creation).
  core_->submit(
      Op::exists, server, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::exists, req); },
      inline_completion([core, rides = arming.rides, watch = std::move(watch), done = std::move(done)](Reply& r) mutable {
        if (r.err == Errc::ok || r.err == Errc::no_node) {
          std::optional<Stat> stat;
          if (r.err == Errc::ok && !proto::decode(r.body, stat.emplace())) return false;
          if (watch) core->watches().add(stat ? watch::Kind::data : watch::Kind::exist, std::string(r.path), std::move(watch));
          if (rides) core->watches().read_done(r.path);
          done(std::move(stat));
          return true;
        }
        Error e(r.err, error_message("exists", *core, r));
        if (rides) core->watches().read_done(r.path);
        done(std::move(e));
        return true;
      }));
}

Async<std::optional<Stat>> Session::exists(std::string_view path, Watcher watch) {
  return awaitable(*this, WatchedRead<std::optional<Stat>>(&Session::exists), path, std::move(watch));
}

namespace {

// get and get_config: a data read whose watcher, if any, is registered under `key`.
void read_data(Core* core, const char* op, std::string_view key, Watcher watch, Callback<Data> done) {
  auto arming = core->watches().arm(key, static_cast<bool>(watch));
  proto::PathWatchRequest req{key, arming.server_flag};
  core->submit(
      Op::get_data, key, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::get_data, req); },
      inline_completion(complete<Data>(op, core, std::move(done), [core, watch = std::move(watch)](Reply& r, Data& d) mutable {
        if (!proto::decode_get_data_response(r.body, d.data, d.stat, &d.null)) return false;
        if (watch) core->watches().add(watch::Kind::data, std::string(r.path), std::move(watch));
        return true;
      }, arming.rides)));
}

}  // namespace

void Session::get(std::string_view path, Watcher watch, Callback<Data> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "get", path, v.error());
  std::string scratch;
  read_data(core_.get(), "get", core_->chroot().server_path(path, scratch), std::move(watch), std::move(done));
}

Async<Data> Session::get(std::string_view path, Watcher watch) {
  return awaitable(*this, WatchedRead<Data>(&Session::get), path, std::move(watch));
}

void Session::get_config(Watcher watch, Callback<Data> done) {
  // The config node is outside any chroot: it is addressed and registered by its server path
  // (and error messages name it so).
  read_data(core_.get(), "get_config", "/zookeeper/config", std::move(watch), std::move(done));
}

Async<Data> Session::get_config(Watcher watch) {
  return awaitable(*this, WatchedConfig(&Session::get_config), std::move(watch));
}

void Session::set(std::string_view path, std::string_view data, std::int32_t version, Callback<Stat> done) {
  set_node(path, data, false, version, std::move(done));
}

void Session::set(std::string_view path, NullData, std::int32_t version, Callback<Stat> done) {
  set_node(path, {}, true, version, std::move(done));
}

void Session::set_node(std::string_view path, std::string_view data, bool null_data, std::int32_t version,
                       Callback<Stat> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "set", path, v.error());
  std::string scratch;
  proto::SetDataRequest req{core_->chroot().server_path(path, scratch), data, version, null_data};
  core_->submit(
      Op::set_data, req.path, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::set_data, req); },
      inline_completion(complete<Stat>("set", core_.get(), std::move(done), [](Reply& r, Stat& s) { return proto::decode(r.body, s); })));
}

Async<Stat> Session::set(std::string_view path, std::string_view data, std::int32_t version) {
  return awaitable(*this, SetBytes(&Session::set), path, data, version);
}

Async<Stat> Session::set(std::string_view path, NullData null, std::int32_t version) {
  return awaitable(*this, SetNull(&Session::set), path, null, version);
}

void Session::get_children(std::string_view path, Watcher watch, Callback<Children> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "get_children", path, v.error());
  std::string scratch;
  std::string_view server = core_->chroot().server_path(path, scratch);
  auto arming = core_->watches().arm(server, static_cast<bool>(watch));
  proto::PathWatchRequest req{server, arming.server_flag};
  Core* core = core_.get();
  core_->submit(
      Op::get_children2, server,
      [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::get_children2, req); },
      inline_completion(complete<Children>("get_children", core, std::move(done),
                                           [core, watch = std::move(watch)](Reply& r, Children& c) mutable {
                                             if (!proto::decode_children2(r.body, c.names, c.stat)) return false;
                                             if (watch) core->watches().add(watch::Kind::child, std::string(r.path), std::move(watch));
                                             return true;
                                           }, arming.rides)));
}

Async<Children> Session::get_children(std::string_view path, Watcher watch) {
  return awaitable(*this, WatchedRead<Children>(&Session::get_children), path, std::move(watch));
}

void Session::sync(std::string_view path, Callback<void> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "sync", path, v.error());
  std::string scratch;
  proto::PathRequest req{core_->chroot().server_path(path, scratch)};
  core_->submit(
      Op::sync, req.path, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::sync, req); },
      complete<void>("sync", core_.get(), std::move(done), [](Reply& r) {
        std::string echo;
        return proto::decode_path(r.body, echo);
      }));
}

Async<void> Session::sync(std::string_view path) { return awaitable(*this, &Session::sync, path); }

void Session::get_acl(std::string_view path, Callback<Acls> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "get_acl", path, v.error());
  std::string scratch;
  proto::PathRequest req{core_->chroot().server_path(path, scratch)};
  core_->submit(
      Op::get_acl, req.path, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::get_acl, req); },
      complete<Acls>("get_acl", core_.get(), std::move(done),
                     [](Reply& r, Acls& a) { return proto::decode_get_acl_response(r.body, a.acl, a.stat); }));
}

Async<Acls> Session::get_acl(std::string_view path) { return awaitable(*this, &Session::get_acl, path); }

void Session::set_acl(std::string_view path, const AclList& acl, std::int32_t version, Callback<Stat> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "set_acl", path, v.error());
  if (auto v = validate_acl(acl); !v) return fail_now(done, "set_acl", path, v.error());
  std::string scratch;
  proto::SetAclRequest req{core_->chroot().server_path(path, scratch), acl, version};
  core_->submit(
      Op::set_acl, req.path, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::set_acl, req); },
      complete<Stat>("set_acl", core_.get(), std::move(done), [](Reply& r, Stat& s) { return proto::decode(r.body, s); }));
}

Async<Stat> Session::set_acl(std::string_view path, const AclList& acl, std::int32_t version) {
  return awaitable(*this, &Session::set_acl, path, acl, version);
}

void Session::add_auth(std::string_view scheme, std::string_view credentials, Callback<void> done) {
  if (scheme.empty()) return fail_now(done, "add_auth", scheme, Error(Errc::bad_arguments, "scheme is empty"));
  core_->add_auth(std::string(scheme), std::string(credentials),
                  complete<void>("add_auth", core_.get(), std::move(done), [](Reply&) { return true; }));
}

Async<void> Session::add_auth(std::string_view scheme, std::string_view credentials) {
  return awaitable(*this, &Session::add_auth, scheme, credentials);
}

}  // namespace zkit
