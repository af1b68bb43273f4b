#include "leader_latch.hpp"

#include "recipe_call.hpp"

namespace zkit::node {

namespace {
const char* event_name(recipes::OwnershipEvent e) noexcept {
  switch (e) {
    case recipes::OwnershipEvent::acquired: return "acquired";
    case recipes::OwnershipEvent::suspended: return "suspended";
    case recipes::OwnershipEvent::reconnected: return "reconnected";
    case recipes::OwnershipEvent::lost: return "lost";
  }
  return "unknown";
}
}  // namespace

Napi::Function NativeLeaderLatch::define(Napi::Env env) {
  return DefineClass(env, "NativeLeaderLatch",
                     {InstanceMethod<&NativeLeaderLatch::start>("start"),
                      InstanceMethod<&NativeLeaderLatch::await_leadership>("awaitLeadership"),
                      InstanceMethod<&NativeLeaderLatch::close>("close"),
                      InstanceMethod<&NativeLeaderLatch::has_leadership>("hasLeadership"),
                      InstanceMethod<&NativeLeaderLatch::token>("token")});
}

NativeLeaderLatch::NativeLeaderLatch(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeLeaderLatch>(info) {
  if (!info[0].IsObject()) throw Napi::TypeError::New(info.Env(), "NativeLeaderLatch(client, path, id, onEvent)");
  auto* client = NativeClient::Unwrap(info[0].As<Napi::Object>());
  std::string path = string_from_js(info[1], "path");
  std::string id = bytes_from_js(info[2], "id");
  if (!info[3].IsFunction()) throw Napi::TypeError::New(info.Env(), "onEvent must be a function");
  JsFunction on_event(client->context(), info[3].As<Napi::Function>());
  latch_ = std::make_shared<recipes::LeaderLatch>(client->session(info.Env()), std::move(path), std::move(id));
  latch_->add_listener([on_event = std::move(on_event)](recipes::OwnershipEvent e) mutable {
    on_event.call([e](Napi::Env env) { return std::vector<napi_value>{Napi::String::New(env, event_name(e))}; });
  });
  client_ = Napi::Persistent(info[0].As<Napi::Object>());
}

Napi::Value NativeLeaderLatch::start(const Napi::CallbackInfo& info) {
  JsFunction cb = recipe_callback(client_, info[0]);
  spawn(drive_to_js<void>(latch_, latch_->start(), std::move(cb)));
  return info.Env().Undefined();
}

Napi::Value NativeLeaderLatch::await_leadership(const Napi::CallbackInfo& info) {
  auto timeout = timeout_from_js(info[0]);
  JsFunction cb = recipe_callback(client_, info[1]);
  auto task = timeout.count() < 0 ? latch_->await_leadership() : latch_->await_leadership(timeout);
  spawn(drive_to_js<recipes::FencingToken>(latch_, std::move(task), std::move(cb)));
  return info.Env().Undefined();
}

Napi::Value NativeLeaderLatch::close(const Napi::CallbackInfo& info) {
  JsFunction cb = recipe_callback(client_, info[0]);
  spawn(drive_void_to_js(latch_, latch_->close(), std::move(cb)));
  return info.Env().Undefined();
}

Napi::Value NativeLeaderLatch::has_leadership(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), latch_->has_leadership());
}

Napi::Value NativeLeaderLatch::token(const Napi::CallbackInfo& info) {
  return token_to_js(info.Env(), latch_->token());
}

}  // namespace zkit::node
