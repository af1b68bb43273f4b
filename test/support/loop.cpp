#include "loop.hpp"

namespace zkit::test_support {

Loop::Loop() {
  uv_loop_init(&loop_);
  uv_async_init(&loop_, &wake_, [](uv_async_t*) {});  // waking the loop is all it does
  uv_unref(reinterpret_cast<uv_handle_t*>(&wake_));
  // libuv keeps one spare descriptor per loop (/dev/null, for its EMFILE trick) from the first
  // TCP handle until uv_loop_close. Take it now, so a census around a session's lifetime
  // counts only what the session opens.
  uv_tcp_t warm{};
  uv_tcp_init(&loop_, &warm);
  uv_close(reinterpret_cast<uv_handle_t*>(&warm), nullptr);
  uv_run(&loop_, UV_RUN_NOWAIT);
}

Loop::~Loop() {
  drain(scaled(10s));
  // Handles a failed test left open would make uv_loop_close fail: walk and close them.
  uv_walk(
      &loop_, [](uv_handle_t* h, void*) { if (!uv_is_closing(h)) uv_close(h, nullptr); }, nullptr);
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_loop_close(&loop_);
}

bool Loop::run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  if (done()) return true;
  bool expired = false;
  uv_timer_t deadline;
  uv_timer_init(&loop_, &deadline);
  deadline.data = &expired;
  uv_timer_start(&deadline, [](uv_timer_t* t) { *static_cast<bool*>(t->data) = true; },
                 static_cast<std::uint64_t>(timeout.count()), 0);
  while (!done() && !expired) uv_run(&loop_, UV_RUN_ONCE);
  uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
  uv_run(&loop_, UV_RUN_NOWAIT);  // let the close callback run before `deadline` goes away
  return done();
}

void Loop::run_for(std::chrono::milliseconds d) {
  (void)run_until([] { return false; }, d);
}

bool Loop::drain(std::chrono::milliseconds timeout) {
  // Only the unreferenced wake-up handle left: nothing else can happen.
  auto idle = [this] { return !uv_loop_alive(&loop_); };
  if (idle()) return true;
  bool expired = false;
  uv_timer_t deadline;
  uv_timer_init(&loop_, &deadline);
  deadline.data = &expired;
  uv_timer_start(&deadline, [](uv_timer_t* t) { *static_cast<bool*>(t->data) = true; },
                 static_cast<std::uint64_t>(timeout.count()), 0);
  uv_unref(reinterpret_cast<uv_handle_t*>(&deadline));  // the deadline alone keeps nothing alive
  while (!idle() && !expired) uv_run(&loop_, UV_RUN_ONCE);
  uv_close(reinterpret_cast<uv_handle_t*>(&deadline), nullptr);
  uv_run(&loop_, UV_RUN_NOWAIT);
  return idle();
}

}  // namespace zkit::test_support
