// sleep_for: a libuv timer to co_await (the demo's pauses between ledger writes).
#pragma once

#include <uv.h>

#include <chrono>
#include <coroutine>

namespace zkit::demo {

class SleepFor {
 public:
  SleepFor(uv_loop_t* loop, std::chrono::milliseconds d) : loop_(loop), d_(d) {}
  bool await_ready() const noexcept { return d_.count() <= 0; }
  void await_suspend(std::coroutine_handle<> h) {
    // The handle lives on the heap until libuv has closed it, after the coroutine resumed.
    auto* timer = new uv_timer_t;
    uv_timer_init(loop_, timer);
    timer->data = h.address();
    uv_timer_start(timer, [](uv_timer_t* t) {
      auto h = std::coroutine_handle<>::from_address(t->data);
      uv_close(reinterpret_cast<uv_handle_t*>(t),
               [](uv_handle_t* handle) { delete reinterpret_cast<uv_timer_t*>(handle); });
      h.resume();
    }, static_cast<std::uint64_t>(d_.count()), 0);
  }
  void await_resume() const noexcept {}

 private:
  uv_loop_t* loop_;
  std::chrono::milliseconds d_;
};

inline SleepFor sleep_for(uv_loop_t* loop, std::chrono::milliseconds d) { return {loop, d}; }

}  // namespace zkit::demo
