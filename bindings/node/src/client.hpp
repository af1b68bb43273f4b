// NativeClient: one zkit::Session on Node's own libuv loop, with callback-style methods that
// lib/client.js turns into Promises and events. Every method runs on the JavaScript thread,
// which is the loop thread, so the Session is used exactly as its header asks.
#pragma once

#include <napi.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>

#include "js_call.hpp"
#include "zkit/session.hpp"

namespace zkit::node {

class NativeClient : public Napi::ObjectWrap<NativeClient> {
 public:
  static Napi::Function define(Napi::Env env);
  // new NativeClient({connect, sessionTimeout, requestTimeout, canBeReadOnly}, onState)
  explicit NativeClient(const Napi::CallbackInfo& info);
  ~NativeClient() override;

  // For the recipes: the session, or a thrown `closing` error once the client is closed.
  Session& session(Napi::Env env);
  const std::shared_ptr<JsContext>& context() const noexcept { return ctx_; }

 private:
  Napi::Value create(const Napi::CallbackInfo& info);
  Napi::Value remove(const Napi::CallbackInfo& info);
  Napi::Value exists(const Napi::CallbackInfo& info);
  Napi::Value get(const Napi::CallbackInfo& info);
  Napi::Value set(const Napi::CallbackInfo& info);
  Napi::Value get_children(const Napi::CallbackInfo& info);
  Napi::Value sync(const Napi::CallbackInfo& info);
  Napi::Value get_acl(const Napi::CallbackInfo& info);
  Napi::Value set_acl(const Napi::CallbackInfo& info);
  Napi::Value add_auth(const Napi::CallbackInfo& info);
  Napi::Value multi(const Napi::CallbackInfo& info);
  Napi::Value add_watch(const Napi::CallbackInfo& info);
  Napi::Value remove_watch(const Napi::CallbackInfo& info);
  Napi::Value remove_watches(const Napi::CallbackInfo& info);
  Napi::Value close(const Napi::CallbackInfo& info);
  Napi::Value state(const Napi::CallbackInfo& info);
  Napi::Value session_id(const Napi::CallbackInfo& info);
  Napi::Value session_password(const Napi::CallbackInfo& info);
  Napi::Value negotiated_timeout(const Napi::CallbackInfo& info);
  Napi::Value pending_requests(const Napi::CallbackInfo& info);

  JsFunction callback(const Napi::Value& v);
  Watcher watcher(const Napi::Value& v);
  static void on_env_teardown(void* self);

  std::shared_ptr<JsContext> ctx_;
  std::optional<Session> session_;
  ListenerId listener_ = 0;
  bool closing_ = false;
  bool referenced_ = false;  // the JS object is kept from GC while the session is open
  std::uint64_t next_watch_ = 1;
  std::map<std::uint64_t, WatchHandle> watches_;  // persistent watches by the id JS holds
};

}  // namespace zkit::node
