#include "deliveries.hpp"

#include <node_api.h>

namespace zkit::node {

namespace {
uv_loop_t* loop_of(Napi::Env env) {
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || !loop)
    throw Napi::Error::New(env, "zkit: this Node has no libuv loop to run on");
  return loop;
}
}  // namespace

Deliveries::Deliveries(Napi::Env env)
    : env_(env), async_(env, "zkit"), check_(loop_of(env), uv_check_init), idle_(loop_of(env), uv_idle_init) {
  if (!check_ || !idle_) throw Napi::Error::New(env, "zkit: cannot make the loop handles of the module");
  check_->data = this;
  idle_->data = this;
}

void Deliveries::push(Call call) {
  if (!alive_) return;
  if (queue_.empty()) {
    uv_check_start(check_.get(), [](uv_check_t* h) { static_cast<Deliveries*>(h->data)->flush(); });
    uv_idle_start(idle_.get(), [](uv_idle_t*) {});
  }
  queue_.push_back(std::move(call));
}

void Deliveries::shut_down() {
  alive_ = false;
  queue_.clear();
  check_.close();
  idle_.close();
}

void Deliveries::flush() {
  Napi::HandleScope scope(env_);
  napi_callback_scope callback_scope = nullptr;
  napi_open_callback_scope(env_, Napi::Object::New(env_), async_, &callback_scope);
  // Calls queued by JavaScript during the batch join it.
  while (alive_ && !queue_.empty()) {
    running_.swap(queue_);
    for (Call& call : running_) {
      if (!alive_) break;
      Napi::HandleScope one(env_);
      try {
        call(env_);
      } catch (const Napi::Error& e) {
        napi_fatal_exception(env_, e.Value());
      }
    }
    running_.clear();
  }
  uv_check_stop(check_.get());
  uv_idle_stop(idle_.get());
  // Closing the scope runs the promise continuations of the whole batch.
  napi_close_callback_scope(env_, callback_scope);
}

void report_pending_exception(Napi::Env env) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) return;
  napi_value exception = nullptr;
  napi_get_and_clear_last_exception(env, &exception);
  napi_fatal_exception(env, exception);
}

}  // namespace zkit::node
