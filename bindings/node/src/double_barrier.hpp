// NativeDoubleBarrier: zkit::recipes::DoubleBarrier (Curator's DistributedDoubleBarrier
// layout) for lib/recipes.js.
#pragma once

#include <napi.h>

#include <memory>

#include "zkit/recipes/barriers/double_barrier.hpp"

namespace zkit::node {

class NativeDoubleBarrier : public Napi::ObjectWrap<NativeDoubleBarrier> {
 public:
  static Napi::Function define(Napi::Env env);
  // new NativeDoubleBarrier(nativeClient, path, memberCount)
  explicit NativeDoubleBarrier(const Napi::CallbackInfo& info);

 private:
  Napi::Value enter(const Napi::CallbackInfo& info);  // (timeoutMs | null, cb(err))
  Napi::Value leave(const Napi::CallbackInfo& info);  // (timeoutMs | null, cb(err))

  Napi::ObjectReference client_;  // the session must outlive the barrier
  std::shared_ptr<recipes::DoubleBarrier> barrier_;
};

}  // namespace zkit::node
