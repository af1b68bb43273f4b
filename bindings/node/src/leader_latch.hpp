// NativeLeaderLatch: zkit::recipes::LeaderLatch (Curator's LeaderLatch layout, a fencing
// token per term) for lib/recipes.js, which turns its ownership events into JS events.
#pragma once

#include <napi.h>

#include <memory>

#include "zkit/recipes/election/leader_latch.hpp"

namespace zkit::node {

class NativeLeaderLatch : public Napi::ObjectWrap<NativeLeaderLatch> {
 public:
  static Napi::Function define(Napi::Env env);
  // new NativeLeaderLatch(nativeClient, path, id, onEvent("acquired" | "suspended" | ...))
  explicit NativeLeaderLatch(const Napi::CallbackInfo& info);

 private:
  Napi::Value start(const Napi::CallbackInfo& info);             // (cb(err))
  Napi::Value await_leadership(const Napi::CallbackInfo& info);  // (timeoutMs | null, cb(err, token))
  Napi::Value close(const Napi::CallbackInfo& info);             // (cb())
  Napi::Value has_leadership(const Napi::CallbackInfo& info);
  Napi::Value token(const Napi::CallbackInfo& info);

  Napi::ObjectReference client_;  // the session must outlive the latch
  std::shared_ptr<recipes::LeaderLatch> latch_;
};

}  // namespace zkit::node
