#include "client.hpp"

#include <uv.h>

#include <string>
#include <utility>
#include <vector>

#include "convert.hpp"
#include "options.hpp"

namespace zkit::node {

namespace {

// A Promise for a reply, and the deferred that settles it.
struct Pending {
  napi_value promise = nullptr;
  napi_deferred deferred = nullptr;
};

Pending pending(Napi::Env env) {
  Pending p;
  if (napi_create_promise(env, &p.deferred, &p.promise) != napi_ok)
    throw Napi::Error::New(env, "zkit: cannot make a Promise");
  return p;
}

// The completion that settles `deferred` in the loop turn's batch: resolved with
// `value(env, result)` (undefined for void), or rejected with zkit's Error subclass. No
// JavaScript runs in between: the Promise is the one the caller got.
template <class T, class Value>
Callback<T> settle(const std::shared_ptr<JsContext>& ctx, napi_deferred deferred, Value value) {
  return [ctx, deferred, value](Result<T> r) mutable {
    // A Promise settles once whatever settles it: a second completion would show nowhere (and
    // the deferred is gone by then), so it stops the process instead.
    if (!deferred) napi_fatal_error("zkit", NAPI_AUTO_LENGTH, "a request completed twice", NAPI_AUTO_LENGTH);
    auto now = [deferred = std::exchange(deferred, nullptr), value, r = std::move(r)](Napi::Env env) mutable {
      if (!r) {
        napi_reject_deferred(env, deferred, error_to_js(env, r.error()));
      } else if constexpr (std::is_void_v<T>) {
        (void)value;
        napi_resolve_deferred(env, deferred, env.Undefined());
      } else {
        napi_resolve_deferred(env, deferred, value(env, *r));
      }
    };
    static_assert(Deliveries::Call::stores_inline<decltype(now)>, "a queued reply is stored without allocating");
    ctx->deliver(std::move(now));
  };
}

// Starts `op(completion)` and returns the Promise the completion settles.
template <class T, class Value, class Op>
Napi::Value promised(Napi::Env env, const std::shared_ptr<JsContext>& ctx, Value value, Op&& op) {
  Pending p = pending(env);
  op(settle<T>(ctx, p.deferred, std::move(value)));
  return Napi::Value(env, p.promise);
}

constexpr auto no_value = 0;

napi_value stat_value(Napi::Env env, const Stat& st) { return stat_to_js(env, st); }

CreateMode create_mode(const Napi::Value& v) {
  std::int32_t m = int_from_js(v, "mode", 0);
  if (m < 0 || m > static_cast<std::int32_t>(CreateMode::persistent_sequential_with_ttl))
    throw Napi::RangeError::New(v.Env(), "mode must be one of zkit.CreateMode's values (0-6)");
  return static_cast<CreateMode>(m);
}

TxnOp txn_op(const Napi::Value& v) {
  if (!v.IsObject()) throw Napi::TypeError::New(v.Env(), "each transaction op must be an object");
  auto o = v.As<Napi::Object>();
  std::string kind = string_from_js(o.Get("op"), "op");
  std::string path = string_from_js(o.Get("path"), "path");
  std::int32_t version = int_from_js(o.Get("version"), "version", -1);
  if (kind == "create") {
    CreateOptions co{.mode = create_mode(o.Get("mode")), .ttl = millis_from_js(o.Get("ttl"), "ttl", 0)};
    auto data = node_data_from_js(o.Get("data"), "data");
    TxnOp op = data ? TxnOp::create(std::move(path), std::move(*data), co) : TxnOp::create(std::move(path), null_data, co);
    if (Napi::Value acl = o.Get("acl"); !acl.IsNull() && !acl.IsUndefined()) op.acl = acl_from_js(acl);
    return op;
  }
  if (kind == "delete") return TxnOp::remove(std::move(path), version);
  if (kind == "set") {
    auto data = node_data_from_js(o.Get("data"), "data");
    return data ? TxnOp::set(std::move(path), std::move(*data), version) : TxnOp::set(std::move(path), null_data, version);
  }
  if (kind == "check") return TxnOp::check(std::move(path), version);
  if (kind == "get") return TxnOp::get(std::move(path));
  if (kind == "getChildren") return TxnOp::get_children(std::move(path));
  throw Napi::TypeError::New(v.Env(), "unknown transaction op '" + kind + "'");
}

Napi::Value children_to_js(Napi::Env env, const std::vector<std::string>& names) {
  Napi::Array a = Napi::Array::New(env, names.size());
  for (std::size_t i = 0; i < names.size(); ++i) a.Set(static_cast<std::uint32_t>(i), names[i]);
  return a;
}

Napi::Value multi_to_js(Napi::Env env, const MultiResult& m) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("committed", m.committed);
  Napi::Array results = Napi::Array::New(env, m.results.size());
  for (std::size_t i = 0; i < m.results.size(); ++i) {
    const OpResult& r = m.results[i];
    Napi::Object e = Napi::Object::New(env);
    e.Set("code", static_cast<std::int32_t>(r.error));
    e.Set("name", std::string(to_string(r.error)));
    if (!r.path.empty()) e.Set("path", r.path);
    if (r.stat) e.Set("stat", stat_to_js(env, *r.stat));
    e.Set("data", node_data_to_js(env, r.data, r.null_data));
    e.Set("children", children_to_js(env, r.children));
    results.Set(static_cast<std::uint32_t>(i), e);
  }
  o.Set("results", results);
  return o;
}

}  // namespace

Napi::Function NativeClient::define(Napi::Env env) {
  return DefineClass(env, "NativeClient",
                     {InstanceMethod<&NativeClient::create>("create"),
                      InstanceMethod<&NativeClient::remove>("remove"),
                      InstanceMethod<&NativeClient::exists>("exists"),
                      InstanceMethod<&NativeClient::get>("get"),
                      InstanceMethod<&NativeClient::set>("set"),
                      InstanceMethod<&NativeClient::get_children>("getChildren"),
                      InstanceMethod<&NativeClient::sync>("sync"),
                      InstanceMethod<&NativeClient::get_acl>("getACL"),
                      InstanceMethod<&NativeClient::set_acl>("setACL"),
                      InstanceMethod<&NativeClient::add_auth>("addAuth"),
                      InstanceMethod<&NativeClient::multi>("multi"),
                      InstanceMethod<&NativeClient::add_watch>("addWatch"),
                      InstanceMethod<&NativeClient::remove_watch>("removeWatch"),
                      InstanceMethod<&NativeClient::remove_watches>("removeWatches"),
                      InstanceMethod<&NativeClient::close>("close"),
                      InstanceMethod<&NativeClient::state>("state"),
                      InstanceMethod<&NativeClient::session_id>("sessionId"),
                      InstanceMethod<&NativeClient::session_password>("sessionPassword"),
                      InstanceMethod<&NativeClient::negotiated_timeout>("negotiatedTimeout"),
                      InstanceMethod<&NativeClient::pending_requests>("pendingRequests")});
}

NativeClient::NativeClient(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeClient>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction())
    throw Napi::TypeError::New(env, "NativeClient(options, onState)");
  Options options = options_from_js(info[0].As<Napi::Object>());

  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || !loop)
    throw Napi::Error::New(env, "zkit: this Node has no libuv loop to run on");
  ctx_ = std::make_shared<JsContext>(env);
  auto s = Session::start(loop, std::move(options));
  if (!s) throw error_to_exception(env, s.error());
  session_.emplace(std::move(*s));
  JsFunction on_state(ctx_, info[1].As<Napi::Function>());
  listener_ = session_->add_listener([on_state = std::move(on_state)](SessionState st) mutable {
    on_state.call([st](Napi::Env e) { return std::vector<napi_value>{state_to_js(e, st)}; });
  });
  // An open session's own handles keep Node's loop running; the wrapper must live as long.
  Ref();
  referenced_ = true;
  napi_add_env_cleanup_hook(env, &NativeClient::on_env_teardown, this);
}

NativeClient::~NativeClient() {
  if (ctx_) napi_remove_env_cleanup_hook(ctx_->env, &NativeClient::on_env_teardown, this);
}

void NativeClient::on_env_teardown(void* self) {
  auto* c = static_cast<NativeClient*>(self);
  c->ctx_->alive = false;  // the loop's last turns must not call into a dead env
  if (c->session_ && !c->closing_) c->session_->close_now([] {});
}

Session& NativeClient::session(Napi::Env env) {
  if (!session_ || closing_) throw error_to_exception(env, Error(Errc::closing, "the client is closed"));
  return *session_;
}

JsFunction NativeClient::callback(const Napi::Value& v) {
  if (!v.IsFunction()) throw Napi::TypeError::New(v.Env(), "callback must be a function");
  return JsFunction(ctx_, v.As<Napi::Function>());
}

Watcher NativeClient::watcher(const Napi::Value& v) {
  if (v.IsNull() || v.IsUndefined()) return {};
  JsFunction fn = callback(v);
  return [fn = std::move(fn)](const WatchEvent& e) mutable {
    fn.call([type = e.type, state = e.state, path = e.path](Napi::Env env) {
      return std::vector<napi_value>{Napi::Number::New(env, static_cast<int>(type)), state_to_js(env, state),
                                     Napi::String::New(env, path)};
    });
  };
}

Napi::Value NativeClient::create(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  std::string path = string_from_js(info[0], "path");
  auto data = node_data_from_js(info[1], "data");
  CreateOptions co{.mode = create_mode(info[2]), .ttl = millis_from_js(info[3], "ttl", 0)};
  AclList acl;
  if (!info[4].IsNull() && !info[4].IsUndefined()) {
    acl = acl_from_js(info[4]);
    co.acl = acl;  // the call copies it into the request
  }
  return promised<Created>(info.Env(), ctx_, [](Napi::Env env, const Created& c) -> napi_value {
    return Napi::String::New(env, c.path);
  }, [&](Callback<Created> done) {
    if (data)
      s.create(path, *data, co, std::move(done));
    else
      s.create(path, null_data, co, std::move(done));
  });
}

Napi::Value NativeClient::remove(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  std::string path = string_from_js(info[0], "path");
  std::int32_t version = int_from_js(info[1], "version", -1);
  return promised<void>(info.Env(), ctx_, no_value,
                        [&](Callback<void> done) { s.remove(path, version, std::move(done)); });
}

Napi::Value NativeClient::exists(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  std::string path = string_from_js(info[0], "path");
  Watcher w = watcher(info[1]);
  return promised<std::optional<Stat>>(
      info.Env(), ctx_,
      [](Napi::Env env, const std::optional<Stat>& st) { return st ? stat_value(env, *st) : napi_value(env.Null()); },
      [&](Callback<std::optional<Stat>> done) { s.exists(path, std::move(w), std::move(done)); });
}

Napi::Value NativeClient::get(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  std::string path = string_from_js(info[0], "path");
  Watcher w = watcher(info[1]);
  return promised<Data>(info.Env(), ctx_, [](Napi::Env env, const Data& d) -> napi_value {
    return data_to_js(env, d);
  }, [&](Callback<Data> done) { s.get(path, std::move(w), std::move(done)); });
}

Napi::Value NativeClient::set(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  std::string path = string_from_js(info[0], "path");
  auto data = node_data_from_js(info[1], "data");
  std::int32_t version = int_from_js(info[2], "version", -1);
  return promised<Stat>(info.Env(), ctx_, stat_value, [&](Callback<Stat> done) {
    if (data)
      s.set(path, *data, version, std::move(done));
    else
      s.set(path, null_data, version, std::move(done));
  });
}

Napi::Value NativeClient::get_children(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  std::string path = string_from_js(info[0], "path");
  Watcher w = watcher(info[1]);
  return promised<Children>(info.Env(), ctx_, [](Napi::Env env, const Children& c) -> napi_value {
    return pair_to_js(env, "children", children_to_js(env, c.names), c.stat);
  }, [&](Callback<Children> done) { s.get_children(path, std::move(w), std::move(done)); });
}

Napi::Value NativeClient::sync(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  std::string path = string_from_js(info[0], "path");
  return promised<void>(info.Env(), ctx_, no_value, [&](Callback<void> done) { s.sync(path, std::move(done)); });
}

Napi::Value NativeClient::get_acl(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  std::string path = string_from_js(info[0], "path");
  return promised<Acls>(info.Env(), ctx_, [](Napi::Env env, const Acls& a) -> napi_value {
    return pair_to_js(env, "acl", acl_to_js(env, a.acl), a.stat);
  }, [&](Callback<Acls> done) { s.get_acl(path, std::move(done)); });
}

Napi::Value NativeClient::set_acl(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  std::string path = string_from_js(info[0], "path");
  AclList acl = acl_from_js(info[1]);
  std::int32_t version = int_from_js(info[2], "version", -1);
  return promised<Stat>(info.Env(), ctx_, stat_value,
                        [&](Callback<Stat> done) { s.set_acl(path, acl, version, std::move(done)); });
}

Napi::Value NativeClient::add_auth(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  std::string scheme = string_from_js(info[0], "scheme");
  std::string credentials = bytes_from_js(info[1], "credentials");
  return promised<void>(info.Env(), ctx_, no_value,
                        [&](Callback<void> done) { s.add_auth(scheme, credentials, std::move(done)); });
}

Napi::Value NativeClient::multi(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  if (!info[0].IsArray()) throw Napi::TypeError::New(info.Env(), "ops must be an array");
  auto a = info[0].As<Napi::Array>();
  std::vector<TxnOp> ops;
  for (std::uint32_t i = 0; i < a.Length(); ++i) ops.push_back(txn_op(a.Get(i)));
  return promised<MultiResult>(info.Env(), ctx_, [](Napi::Env env, const MultiResult& m) -> napi_value {
    return multi_to_js(env, m);
  }, [&](Callback<MultiResult> done) { s.multi(ops, std::move(done)); });
}

Napi::Value NativeClient::add_watch(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  std::string path = string_from_js(info[0], "path");
  WatchMode mode = info[1].ToBoolean() ? WatchMode::persistent_recursive : WatchMode::persistent;
  if (!info[2].IsFunction()) throw Napi::TypeError::New(info.Env(), "watcher must be a function");
  Watcher w = watcher(info[2]);
  JsFunction done = callback(info[3]);
  std::uint64_t id = next_watch_++;
  // The handle is kept here under an id; JS removes it by id (removeWatch) or close drops all.
  s.add_watch(path, mode, std::move(w), [this, id, done = std::move(done)](Result<WatchHandle> r) mutable {
    std::optional<Error> failed;
    if (r) watches_.emplace(id, std::move(*r));
    else failed = r.error();
    done.call([id, failed = std::move(failed)](Napi::Env env) {
      if (failed) return std::vector<napi_value>{error_to_js(env, *failed)};
      return std::vector<napi_value>{env.Null(), Napi::Number::New(env, static_cast<double>(id))};
    });
  });
  return info.Env().Undefined();
}

Napi::Value NativeClient::remove_watch(const Napi::CallbackInfo& info) {
  auto id = static_cast<std::uint64_t>(info[0].ToNumber().Int64Value());
  auto it = watches_.find(id);
  if (it != watches_.end()) {
    WatchHandle h = std::move(it->second);
    watches_.erase(it);
    h.remove();
  }
  return info.Env().Undefined();
}

Napi::Value NativeClient::remove_watches(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  std::int32_t kind = int_from_js(info[1], "kind", static_cast<std::int32_t>(WatcherKind::any));
  if (kind < 1 || kind > 3) throw Napi::RangeError::New(info.Env(), "kind must be 1 (children), 2 (data) or 3 (any)");
  std::string path = string_from_js(info[0], "path");
  bool local = info[2].ToBoolean();
  return promised<void>(info.Env(), ctx_, no_value, [&](Callback<void> done) {
    s.remove_watches(path, static_cast<WatcherKind>(kind), local, std::move(done));
  });
}

Napi::Value NativeClient::close(const Napi::CallbackInfo& info) {
  JsFunction done = callback(info[0]);
  if (!session_) return info.Env().Undefined();
  closing_ = true;
  session_->close([this, done = std::move(done)]() mutable {
    watches_.clear();
    // The listener holds the JS client (through its closure) from C++: dropping it lets a
    // closed client be collected.
    session_->remove_listener(listener_);
    done.call([](Napi::Env) { return std::vector<napi_value>{}; });
    // Closed: nothing of ours holds Node's loop any more, and the wrapper may be collected.
    if (referenced_) {
      referenced_ = false;
      Unref();
    }
  });
  return info.Env().Undefined();
}

Napi::Value NativeClient::state(const Napi::CallbackInfo& info) {
  return state_to_js(info.Env(), session_ ? session_->state() : SessionState::closed);
}

Napi::Value NativeClient::session_id(const Napi::CallbackInfo& info) {
  return Napi::BigInt::New(info.Env(), session_ ? session_->session_id() : 0);
}

Napi::Value NativeClient::session_password(const Napi::CallbackInfo& info) {
  return bytes_to_js(info.Env(), session_ ? session_->session_password() : std::string());
}

Napi::Value NativeClient::negotiated_timeout(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), session_ ? static_cast<double>(session_->negotiated_timeout().count()) : 0);
}

Napi::Value NativeClient::pending_requests(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), session_ ? static_cast<double>(session_->pending_requests()) : 0);
}

}  // namespace zkit::node
