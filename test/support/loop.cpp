#include "loop.hpp"

namespace zkit::test_support {

Loop::Loop() {
  uv_loop_init(&loop_);
  wake_ = uv::Handle<uv_async_t>(&loop_, uv_async_init, [](uv_async_t*) {});  // waking is all it does
  uv_unref(wake_.base());
  // libuv keeps one spare descriptor per loop (/dev/null, for its EMFILE trick) from the first
  // TCP handle until uv_loop_close. Take it now, so a census around a session's lifetime
  // counts only what the session opens.
  uv::Handle<uv_tcp_t>(&loop_, uv_tcp_init).close();
  uv_run(&loop_, UV_RUN_NOWAIT);
}

Loop::~Loop() {
  drain(scaled(10s));
  wake_.close();
  // Handles a failed test left open would make uv_loop_close fail: walk and close them.
  uv_walk(
      &loop_, [](uv_handle_t* h, void*) { if (!uv_is_closing(h)) uv_close(h, nullptr); }, nullptr);
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_loop_close(&loop_);
}

bool Loop::run_while_not(const std::function<bool()>& stop, std::chrono::milliseconds timeout,
                         bool keeps_alive) {
  if (stop()) return true;
  bool expired = false;
  uv::Handle<uv_timer_t> deadline(&loop_, uv_timer_init);
  deadline->data = &expired;
  uv_timer_start(deadline.get(), [](uv_timer_t* t) { *static_cast<bool*>(t->data) = true; },
                 static_cast<std::uint64_t>(timeout.count()), 0);
  if (!keeps_alive) uv_unref(deadline.base());
  while (!stop() && !expired) uv_run(&loop_, UV_RUN_ONCE);
  deadline.close();
  uv_run(&loop_, UV_RUN_NOWAIT);  // its close callback, so a drained loop is idle again
  return stop();
}

bool Loop::run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  return run_while_not(done, timeout, true);
}

void Loop::run_for(std::chrono::milliseconds d) {
  (void)run_until([] { return false; }, d);
}

bool Loop::drain(std::chrono::milliseconds timeout) {
  // Only the unreferenced wake-up handle left: nothing else can happen.
  return run_while_not([this] { return !uv_loop_alive(&loop_); }, timeout, false);
}

}  // namespace zkit::test_support
