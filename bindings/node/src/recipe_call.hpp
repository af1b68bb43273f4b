// Runs a recipe's coroutine on Node's loop and hands its Result to a JavaScript callback as
// (error) or (null, value). The recipes are zkit's own (recipes/), used one to one.
#pragma once

#include <napi.h>

#include <memory>
#include <vector>

#include "client.hpp"
#include "convert.hpp"
#include "js_call.hpp"
#include "zkit/recipes/fencing.hpp"
#include "zkit/result.hpp"
#include "zkit/task.hpp"

namespace zkit::node {

inline Napi::Value token_to_js(Napi::Env env, recipes::FencingToken t) {
  return Napi::BigInt::New(env, t.zxid);
}

// `keep` holds the recipe object until the coroutine is done, whatever JS drops meanwhile.
template <class T, class Keep>
Task<void> drive_to_js(std::shared_ptr<Keep> keep, Task<Result<T>> task, JsFunction cb) {
  Result<T> r = co_await task;
  cb.call([r = std::move(r)](Napi::Env env) {
    if (!r) return std::vector<napi_value>{error_to_js(env, r.error())};
    if constexpr (std::is_same_v<T, recipes::FencingToken>)
      return std::vector<napi_value>{env.Null(), token_to_js(env, *r)};
    else
      return std::vector<napi_value>{env.Null()};
  });
  (void)keep;
}

template <class Keep>
Task<void> drive_void_to_js(std::shared_ptr<Keep> keep, Task<void> task, JsFunction cb) {
  co_await task;
  cb.call([](Napi::Env env) { return std::vector<napi_value>{env.Null()}; });
  (void)keep;
}

// A recipe call's callback argument, bound to its client's context.
inline JsFunction recipe_callback(const Napi::ObjectReference& client, const Napi::Value& v) {
  if (!v.IsFunction()) throw Napi::TypeError::New(v.Env(), "callback must be a function");
  return JsFunction(NativeClient::Unwrap(client.Value())->context(), v.As<Napi::Function>());
}

inline std::chrono::milliseconds timeout_from_js(const Napi::Value& v) {
  if (v.IsNull() || v.IsUndefined()) return std::chrono::milliseconds(-1);
  if (!v.IsNumber()) throw Napi::TypeError::New(v.Env(), "timeout must be a number of milliseconds");
  return std::chrono::milliseconds(v.As<Napi::Number>().Int64Value());
}

}  // namespace zkit::node
