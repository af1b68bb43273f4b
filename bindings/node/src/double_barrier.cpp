#include "double_barrier.hpp"

#include "recipe_call.hpp"

namespace zkit::node {

Napi::Function NativeDoubleBarrier::define(Napi::Env env) {
  return DefineClass(env, "NativeDoubleBarrier",
                     {InstanceMethod<&NativeDoubleBarrier::enter>("enter"),
                      InstanceMethod<&NativeDoubleBarrier::leave>("leave")});
}

NativeDoubleBarrier::NativeDoubleBarrier(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<NativeDoubleBarrier>(info) {
  if (!info[0].IsObject()) throw Napi::TypeError::New(info.Env(), "NativeDoubleBarrier(client, path, memberCount)");
  auto* client = NativeClient::Unwrap(info[0].As<Napi::Object>());
  std::string path = string_from_js(info[1], "path");
  std::int32_t members = int_from_js(info[2], "memberCount", 0);
  barrier_ = std::make_shared<recipes::DoubleBarrier>(client->session(info.Env()), std::move(path), members);
  client_ = Napi::Persistent(info[0].As<Napi::Object>());
}

Napi::Value NativeDoubleBarrier::enter(const Napi::CallbackInfo& info) {
  auto timeout = timeout_from_js(info[0]);
  JsFunction cb = recipe_callback(client_, info[1]);
  auto task = timeout.count() < 0 ? barrier_->enter() : barrier_->enter(timeout);
  spawn(drive_to_js<void>(barrier_, std::move(task), std::move(cb)));
  return info.Env().Undefined();
}

Napi::Value NativeDoubleBarrier::leave(const Napi::CallbackInfo& info) {
  auto timeout = timeout_from_js(info[0]);
  JsFunction cb = recipe_callback(client_, info[1]);
  auto task = timeout.count() < 0 ? barrier_->leave() : barrier_->leave(timeout);
  spawn(drive_to_js<void>(barrier_, std::move(task), std::move(cb)));
  return info.Env().Undefined();
}

}  // namespace zkit::node
