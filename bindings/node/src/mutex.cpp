#include "mutex.hpp"

#include "recipe_call.hpp"

namespace zkit::node {

Napi::Function NativeMutex::define(Napi::Env env) {
  return DefineClass(env, "NativeMutex",
                     {InstanceMethod<&NativeMutex::acquire>("acquire"),
                      InstanceMethod<&NativeMutex::release>("release"),
                      InstanceMethod<&NativeMutex::close>("close"),
                      InstanceMethod<&NativeMutex::is_held>("isHeld")});
}

NativeMutex::NativeMutex(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeMutex>(info) {
  if (!info[0].IsObject()) throw Napi::TypeError::New(info.Env(), "NativeMutex(client, path)");
  auto* client = NativeClient::Unwrap(info[0].As<Napi::Object>());
  std::string path = string_from_js(info[1], "path");
  mutex_ = std::make_shared<recipes::Mutex>(client->session(info.Env()), std::move(path));
  client_ = Napi::Persistent(info[0].As<Napi::Object>());
}

Napi::Value NativeMutex::acquire(const Napi::CallbackInfo& info) {
  auto timeout = timeout_from_js(info[0]);
  JsFunction cb = recipe_callback(client_, info[1]);
  auto task = timeout.count() < 0 ? mutex_->acquire() : mutex_->acquire(timeout);
  spawn(drive_to_js<recipes::FencingToken>(mutex_, std::move(task), std::move(cb)));
  return info.Env().Undefined();
}

Napi::Value NativeMutex::release(const Napi::CallbackInfo& info) {
  JsFunction cb = recipe_callback(client_, info[0]);
  spawn(drive_to_js<void>(mutex_, mutex_->release(), std::move(cb)));
  return info.Env().Undefined();
}

Napi::Value NativeMutex::close(const Napi::CallbackInfo& info) {
  JsFunction cb = recipe_callback(client_, info[0]);
  spawn(drive_void_to_js(mutex_, mutex_->close(), std::move(cb)));
  return info.Env().Undefined();
}

Napi::Value NativeMutex::is_held(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), mutex_->is_held());
}

}  // namespace zkit::node
