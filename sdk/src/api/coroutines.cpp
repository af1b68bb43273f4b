// What zkit/coroutines.hpp needs from libuv, kept out of the public header.
#include "zkit/coroutines.hpp"

#include <uv.h>

namespace zkit {

namespace detail {
bool run_loop_until(uv_loop_t* loop, const bool& done) {
  while (!done) {
    // 0: nothing is left that could ever run a callback, so the task cannot end.
    if (uv_run(loop, UV_RUN_ONCE) == 0 && !done) return false;
  }
  return true;
}
}  // namespace detail

Task<void> sleep_for(uv_loop_t* loop, std::chrono::milliseconds d) {
  struct Sleep {
    Timer timer;
    std::chrono::milliseconds d;
    bool await_ready() const noexcept { return false; }
    // Resumed from inside the timer's callback; the Sleep (and its Timer) goes right after.
    void await_suspend(std::coroutine_handle<> h) { timer.start(d, [h] { h.resume(); }); }
    void await_resume() const noexcept {}
  };
  Sleep sleeping{Timer(loop), d};  // named: GCC 12 and aggregates inside co_await
  co_await sleeping;
}

Task<void> sleep_for(const Session& session, std::chrono::milliseconds d) { return sleep_for(session.loop(), d); }

}  // namespace zkit
