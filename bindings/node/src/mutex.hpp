// NativeMutex: zkit::recipes::Mutex (Curator's InterProcessMutex layout, a fencing token per
// acquisition) for lib/recipes.js.
#pragma once

#include <napi.h>

#include <memory>

#include "zkit/recipes/locks/mutex.hpp"

namespace zkit::node {

class NativeMutex : public Napi::ObjectWrap<NativeMutex> {
 public:
  static Napi::Function define(Napi::Env env);
  // new NativeMutex(nativeClient, path)
  explicit NativeMutex(const Napi::CallbackInfo& info);

 private:
  Napi::Value acquire(const Napi::CallbackInfo& info);  // (timeoutMs | null, cb(err, token))
  Napi::Value release(const Napi::CallbackInfo& info);  // (cb(err))
  Napi::Value close(const Napi::CallbackInfo& info);    // (cb())
  Napi::Value is_held(const Napi::CallbackInfo& info);

  Napi::ObjectReference client_;  // the session must outlive the mutex
  std::shared_ptr<recipes::Mutex> mutex_;
};

}  // namespace zkit::node
