// Calling JavaScript from zkit's callbacks, which run from Node's own libuv loop with no
// JavaScript on the stack: each call opens a handle scope and goes through napi_make_callback,
// so Node drains promise jobs and nextTicks after it as after any I/O callback.
#pragma once

#include <node_api.h>

#include <memory>
#include <vector>

#include <napi.h>

namespace zkit::node {

// What every JavaScript call of one client needs: its env and the async context the calls
// belong to (async_hooks see them as one resource). `alive` turns false when Node tears the
// env down, after which no call is made.
struct JsContext {
  // The async resource is an object of its own, not the client: a context keeps its resource
  // alive, and the client must stay collectable once closed.
  explicit JsContext(Napi::Env e) : env(e), async(e, "zkit") {}
  Napi::Env env;
  Napi::AsyncContext async;
  bool alive = true;
};

// A JavaScript function kept for a later call from the loop. Move-only, like the zkit
// callbacks that hold it.
class JsFunction {
 public:
  JsFunction() = default;
  JsFunction(std::shared_ptr<JsContext> ctx, const Napi::Function& f)
      : ctx_(std::move(ctx)), fn_(Napi::Persistent(f)) {}

  // Calls the function with the values `make(env)` returns. An exception the function
  // throws becomes the process's uncaught exception, as from any other Node callback.
  template <class Make>
  void call(Make&& make) {
    if (!ctx_ || !ctx_->alive || fn_.IsEmpty()) return;
    Napi::Env env = ctx_->env;
    Napi::HandleScope scope(env);
    std::vector<napi_value> args;
    try {
      args = make(env);
    } catch (const Napi::Error& e) {
      napi_fatal_exception(env, e.Value());
      return;
    }
    napi_value result = nullptr;
    napi_status status = napi_make_callback(env, ctx_->async, env.Global(), fn_.Value(),
                                            args.size(), args.data(), &result);
    if (status != napi_ok) {
      bool pending = false;
      napi_is_exception_pending(env, &pending);
      if (pending) {
        napi_value exception = nullptr;
        napi_get_and_clear_last_exception(env, &exception);
        napi_fatal_exception(env, exception);
      }
    }
  }

  explicit operator bool() const noexcept { return !fn_.IsEmpty(); }

 private:
  std::shared_ptr<JsContext> ctx_;
  Napi::FunctionReference fn_;
};

}  // namespace zkit::node
