// bench::Loop: a private libuv loop that runs on the calling thread only while a call waits.
#pragma once

#include <uv.h>

#include "measure.hpp"
#include "zkit/uv/handle.hpp"

namespace zkit::bench {

// A private loop. A timer wakes it every 200 ms while a call waits, so that a deadline is
// noticed even when nothing else happens; the timer is unreferenced, so it never keeps the loop
// alive on its own.
class Loop {
 public:
  Loop() {
    uv_loop_init(&loop_);
    wake_ = uv::Handle<uv_timer_t>(&loop_, uv_timer_init);
    uv_unref(wake_.base());
  }
  ~Loop() {
    wake_.close();
    // Lets every handle still closing (a session's, after close()) run its close callback.
    while (uv_run(&loop_, UV_RUN_DEFAULT) != 0) {
    }
    uv_loop_close(&loop_);
  }
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  uv_loop_t* get() { return &loop_; }

  // Runs the loop until `done()` holds (true), the deadline passes or nothing is left to wait for
  // (false).
  template <class Done>
  bool run_until(Done&& done, Deadline deadline) {
    uv_timer_start(wake_.get(), [](uv_timer_t*) {}, 200, 200);
    bool ok = true;
    while (!done()) {
      if (Clock::now() >= deadline || uv_run(&loop_, UV_RUN_ONCE) == 0) {
        ok = done();
        break;
      }
    }
    uv_timer_stop(wake_.get());
    return ok;
  }

  // One turn without waiting.
  void poll() { uv_run(&loop_, UV_RUN_NOWAIT); }

 private:
  uv_loop_t loop_{};
  uv::Handle<uv_timer_t> wake_;  // closed by ~Loop, which then runs its close callback
};

}  // namespace zkit::bench
