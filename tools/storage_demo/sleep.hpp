// sleep_for: a zkit::Timer to co_await (the demo's pauses between ledger writes).
#pragma once

#include <chrono>
#include <coroutine>

#include "zkit/timer.hpp"

namespace zkit::demo {

class SleepFor {
 public:
  SleepFor(uv_loop_t* loop, std::chrono::milliseconds d) : timer_(loop), d_(d) {}
  bool await_ready() const noexcept { return d_.count() <= 0; }
  // The awaiter (and its Timer) goes when the coroutine resumes, inside the timer's callback:
  // a Timer allows that.
  void await_suspend(std::coroutine_handle<> h) { timer_.start(d_, [h] { h.resume(); }); }
  void await_resume() const noexcept {}

 private:
  Timer timer_;
  std::chrono::milliseconds d_;
};

inline SleepFor sleep_for(uv_loop_t* loop, std::chrono::milliseconds d) { return {loop, d}; }

}  // namespace zkit::demo
