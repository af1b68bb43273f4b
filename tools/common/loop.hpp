// Loop: the libuv loop a zkit tool runs on its main thread (`zkit lock`, `zkit elect`, the
// storage demo's orchestrator and nodes).
//
// Its destructor runs the loop until every handle on it has closed, then closes it: the
// uv::Handle and zkit::Timer members of its owner free their memory in close callbacks, which
// only a running loop calls. Declare a Loop before the members that have handles on it, so they
// are destroyed (and their handles closed) first.
//
//   class Tool {
//     tools::Loop loop_;          // first: outlives everything below
//     zkit::Timer deadline_{loop_.get()};
//   };
#pragma once

#include <uv.h>

namespace zkit::tools {

class Loop {
 public:
  Loop() { uv_loop_init(&loop_); }
  ~Loop() {
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_loop_close(&loop_);
  }
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  uv_loop_t* get() noexcept { return &loop_; }
  // Runs until nothing active is left on the loop.
  void run() { uv_run(&loop_, UV_RUN_DEFAULT); }

 private:
  uv_loop_t loop_{};
};

}  // namespace zkit::tools
