// Calling JavaScript from zkit's callbacks, which run from Node's own libuv loop with no
// JavaScript on the stack: each call is queued on the environment's Deliveries, which makes the
// calls of one loop turn in one callback scope, after which Node drains promise jobs and
// nextTicks as after any I/O callback.
#pragma once

#include <node_api.h>

#include <memory>
#include <utility>
#include <vector>

#include <napi.h>

#include "addon.hpp"

namespace zkit::node {

// What every JavaScript call of one client needs: its env and where its calls are queued.
// `alive` turns false when Node tears the env down, after which no call is queued.
struct JsContext {
  explicit JsContext(Napi::Env e) : env(e), deliveries(&Addon::of(e).deliveries) {}
  Napi::Env env;
  Deliveries* deliveries;  // the environment's; it outlives every context while `alive`
  bool alive = true;

  // Queues `call(env)` for this loop turn's batch.
  void deliver(Deliveries::Call call) {
    if (alive) deliveries->push(std::move(call));
  }
};

// A JavaScript function kept for later calls from the loop. Copies share the function (a
// watcher or listener is called many times, each call queued with its own values).
class JsFunction {
 public:
  JsFunction() = default;
  JsFunction(std::shared_ptr<JsContext> ctx, const Napi::Function& f)
      : ctx_(std::move(ctx)), fn_(std::make_shared<Napi::FunctionReference>(Napi::Persistent(f))) {}

  // Calls the function, in this loop turn's batch, with the values `make(env)` returns; `make`
  // owns what it needs (it runs after the caller returned). An exception the function throws
  // becomes the process's uncaught exception, as from any other Node callback.
  template <class Make>
  void call(Make make) {
    if (!ctx_ || !fn_) return;
    ctx_->deliver([ctx = ctx_, fn = fn_, make = std::move(make)](Napi::Env env) mutable {
      if (!ctx->alive) return;
      std::vector<napi_value> args = make(env);
      napi_value result = nullptr;
      if (napi_call_function(env, env.Global(), fn->Value(), args.size(), args.data(), &result) != napi_ok)
        report_pending_exception(env);
    });
  }

  explicit operator bool() const noexcept { return fn_ != nullptr; }

 private:
  std::shared_ptr<JsContext> ctx_;
  std::shared_ptr<Napi::FunctionReference> fn_;
};

}  // namespace zkit::node
