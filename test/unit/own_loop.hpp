// OwnLoop: a libuv loop for one unit test, run on the test's thread. Its destructor runs the
// loop until nothing is left and checks that it closes: a handle left open fails the test.
#pragma once

#include <doctest/doctest.h>
#include <uv.h>

namespace zkit::unit {

struct OwnLoop {
  OwnLoop() { REQUIRE(uv_loop_init(&loop) == 0); }
  ~OwnLoop() {
    uv_run(&loop, UV_RUN_DEFAULT);
    CHECK_MESSAGE(uv_loop_close(&loop) == 0, "a handle was left open on the loop");
  }
  OwnLoop(const OwnLoop&) = delete;
  OwnLoop& operator=(const OwnLoop&) = delete;
  // Runs until no handle is active or closing (what libuv calls a loop no longer alive).
  void run() { uv_run(&loop, UV_RUN_DEFAULT); }
  uv_loop_t* get() { return &loop; }
  uv_loop_t loop{};
};

}  // namespace zkit::unit
