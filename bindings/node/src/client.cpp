#include "client.hpp"

#include <uv.h>

#include <string>
#include <utility>
#include <vector>

#include "convert.hpp"
#include "options.hpp"

namespace zkit::node {

namespace {

// Sends `r` to the JavaScript callback `cb` as (error) or (null, ...values(env, value)).
template <class T, class Values>
Callback<T> reply(JsFunction cb, Values values) {
  return [cb = std::move(cb), values = std::move(values)](Result<T> r) mutable {
    cb.call([&](Napi::Env env) {
      std::vector<napi_value> args;
      if (!r) {
        args.push_back(error_to_js(env, r.error()));
        return args;
      }
      args.push_back(env.Null());
      if constexpr (std::is_void_v<T>) {
        (void)values;
      } else {
        for (napi_value v : values(env, *r)) args.push_back(v);
      }
      return args;
    });
  };
}

Callback<void> reply_void(JsFunction cb) {
  return reply<void>(std::move(cb), 0);
}

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
    TxnOp op = TxnOp::create(std::move(path), bytes_from_js(o.Get("data"), "data"), co);
    if (Napi::Value acl = o.Get("acl"); !acl.IsNull() && !acl.IsUndefined()) op.acl = acl_from_js(acl);
    return op;
  }
  if (kind == "delete") return TxnOp::remove(std::move(path), version);
  if (kind == "set") return TxnOp::set(std::move(path), bytes_from_js(o.Get("data"), "data"), version);
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
    e.Set("data", bytes_to_js(env, r.data));
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
    fn.call([&](Napi::Env env) {
      return std::vector<napi_value>{Napi::Number::New(env, static_cast<int>(e.type)),
                                     state_to_js(env, e.state),
                                     Napi::String::New(env, e.path)};
    });
  };
}

Napi::Value NativeClient::create(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  std::string path = string_from_js(info[0], "path");
  std::string data = bytes_from_js(info[1], "data");
  CreateOptions co{.mode = create_mode(info[2]), .ttl = millis_from_js(info[3], "ttl", 0)};
  AclList acl;
  if (!info[4].IsNull() && !info[4].IsUndefined()) {
    acl = acl_from_js(info[4]);
    co.acl = acl;  // the call copies it into the request
  }
  s.create(path, data, co, reply<Created>(callback(info[5]), [](Napi::Env env, const Created& c) {
    return std::vector<napi_value>{Napi::String::New(env, c.path), stat_to_js(env, c.stat)};
  }));
  return info.Env().Undefined();
}

Napi::Value NativeClient::remove(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  s.remove(string_from_js(info[0], "path"), int_from_js(info[1], "version", -1), reply_void(callback(info[2])));
  return info.Env().Undefined();
}

Napi::Value NativeClient::exists(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  s.exists(string_from_js(info[0], "path"), watcher(info[1]),
           reply<std::optional<Stat>>(callback(info[2]), [](Napi::Env env, const std::optional<Stat>& st) {
             return std::vector<napi_value>{st ? napi_value(stat_to_js(env, *st)) : napi_value(env.Null())};
           }));
  return info.Env().Undefined();
}

Napi::Value NativeClient::get(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  s.get(string_from_js(info[0], "path"), watcher(info[1]),
        reply<Data>(callback(info[2]), [](Napi::Env env, const Data& d) {
          return std::vector<napi_value>{bytes_to_js(env, d.data), stat_to_js(env, d.stat)};
        }));
  return info.Env().Undefined();
}

Napi::Value NativeClient::set(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  s.set(string_from_js(info[0], "path"), bytes_from_js(info[1], "data"), int_from_js(info[2], "version", -1),
        reply<Stat>(callback(info[3]), [](Napi::Env env, const Stat& st) {
          return std::vector<napi_value>{stat_to_js(env, st)};
        }));
  return info.Env().Undefined();
}

Napi::Value NativeClient::get_children(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  s.get_children(string_from_js(info[0], "path"), watcher(info[1]),
                 reply<Children>(callback(info[2]), [](Napi::Env env, const Children& c) {
                   return std::vector<napi_value>{children_to_js(env, c.names), stat_to_js(env, c.stat)};
                 }));
  return info.Env().Undefined();
}

Napi::Value NativeClient::sync(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  s.sync(string_from_js(info[0], "path"), reply_void(callback(info[1])));
  return info.Env().Undefined();
}

Napi::Value NativeClient::get_acl(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  s.get_acl(string_from_js(info[0], "path"), reply<Acls>(callback(info[1]), [](Napi::Env env, const Acls& a) {
    return std::vector<napi_value>{acl_to_js(env, a.acl), stat_to_js(env, a.stat)};
  }));
  return info.Env().Undefined();
}

Napi::Value NativeClient::set_acl(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  AclList acl = acl_from_js(info[1]);
  s.set_acl(string_from_js(info[0], "path"), acl, int_from_js(info[2], "version", -1),
            reply<Stat>(callback(info[3]), [](Napi::Env env, const Stat& st) {
              return std::vector<napi_value>{stat_to_js(env, st)};
            }));
  return info.Env().Undefined();
}

Napi::Value NativeClient::add_auth(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  s.add_auth(string_from_js(info[0], "scheme"), bytes_from_js(info[1], "credentials"), reply_void(callback(info[2])));
  return info.Env().Undefined();
}

Napi::Value NativeClient::multi(const Napi::CallbackInfo& info) {
  Session& s = session(info.Env());
  if (!info[0].IsArray()) throw Napi::TypeError::New(info.Env(), "ops must be an array");
  auto a = info[0].As<Napi::Array>();
  std::vector<TxnOp> ops;
  for (std::uint32_t i = 0; i < a.Length(); ++i) ops.push_back(txn_op(a.Get(i)));
  s.multi(ops, reply<MultiResult>(callback(info[1]), [](Napi::Env env, const MultiResult& m) {
    return std::vector<napi_value>{multi_to_js(env, m)};
  }));
  return info.Env().Undefined();
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
    if (r) watches_.emplace(id, std::move(*r));
    done.call([&](Napi::Env env) {
      if (!r) return std::vector<napi_value>{error_to_js(env, r.error())};
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
  s.remove_watches(string_from_js(info[0], "path"), static_cast<WatcherKind>(kind), info[2].ToBoolean(),
                   reply_void(callback(info[3])));
  return info.Env().Undefined();
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
