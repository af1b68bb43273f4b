#include "tasks.hpp"

#include <coroutine>

#include "zkit/timer.hpp"

namespace zkit::test_support {

Task<void> sleep_for(uv_loop_t* loop, std::chrono::milliseconds d) {
  struct Awaiter {
    Timer timer;
    std::chrono::milliseconds d;
    bool await_ready() const noexcept { return false; }
    // Resumed from inside the timer's callback; the Awaiter (and its Timer) goes right after.
    void await_suspend(std::coroutine_handle<> h) { timer.start(d, [h] { h.resume(); }); }
    void await_resume() const noexcept {}
  };
  // A named awaiter: GCC 12 destroys an aggregate temporary inside co_await twice.
  Awaiter sleeping{Timer(loop), d};
  co_await sleeping;
}

double now_ms() {
  static const auto t0 = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace zkit::test_support
