// zkit.node: the native half of zkit's Node.js binding (lib/ is the JavaScript half users
// import). No thread of its own: the sessions run on Node's libuv loop.
#include <napi.h>

#include "client.hpp"
#include "double_barrier.hpp"
#include "leader_latch.hpp"
#include "mutex.hpp"

namespace {

Napi::Object init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeClient", zkit::node::NativeClient::define(env));
  exports.Set("NativeMutex", zkit::node::NativeMutex::define(env));
  exports.Set("NativeLeaderLatch", zkit::node::NativeLeaderLatch::define(env));
  exports.Set("NativeDoubleBarrier", zkit::node::NativeDoubleBarrier::define(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(zkit, init)
