// zkit.node: the native half of zkit's Node.js binding (lib/ is the JavaScript half users
// import). No thread of its own: the sessions run on Node's libuv loop.
#include <napi.h>

#include <string>

#include "addon.hpp"
#include "client.hpp"
#include "double_barrier.hpp"
#include "leader_latch.hpp"
#include "mutex.hpp"

namespace {

Napi::FunctionReference factory(const Napi::Object& from, const char* name) {
  Napi::Value f = from.Get(name);
  if (!f.IsFunction()) throw Napi::TypeError::New(from.Env(), std::string("setFactories: ") + name + " must be a function");
  return Napi::Persistent(f.As<Napi::Function>());
}

// setFactories({error, stat, data}): what errors, Stats and getData's answers are made with.
Napi::Value set_factories(const Napi::CallbackInfo& info) {
  if (!info[0].IsObject()) throw Napi::TypeError::New(info.Env(), "setFactories({error, stat, data})");
  auto from = info[0].As<Napi::Object>();
  zkit::node::Addon& addon = zkit::node::Addon::of(info.Env());
  addon.make_error = factory(from, "error");
  addon.make_stat = factory(from, "stat");
  addon.make_data = factory(from, "data");
  return info.Env().Undefined();
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  zkit::node::Addon::install(env);
  exports.Set("setFactories", Napi::Function::New(env, set_factories, "setFactories"));
  exports.Set("NativeClient", zkit::node::NativeClient::define(env));
  exports.Set("NativeMutex", zkit::node::NativeMutex::define(env));
  exports.Set("NativeLeaderLatch", zkit::node::NativeLeaderLatch::define(env));
  exports.Set("NativeDoubleBarrier", zkit::node::NativeDoubleBarrier::define(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(zkit, init)
