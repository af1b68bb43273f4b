// Helpers for the recipe tests: the standalone server the binary shares, a loop the test
// thread drives, sessions with test-friendly timeouts, and running coroutines to completion.
#pragma once

#include <doctest/doctest.h>
#include <uv.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "zkit/recipes/fencing.hpp"
#include "zkit/testing/cluster.hpp"
#include "zkit/zkit.hpp"

namespace zkit::recipes::test {

using namespace std::chrono_literals;
using zkit::testing::scaled;

// The standalone server shared by every test of this binary (tick 500 ms: sessions of 1-10 s),
// started on first use. Fails the test loudly when ZooKeeper cannot be started.
zkit::testing::Cluster& shared_server();

// A fresh path for one test: "/<prefix>-<counter>-<pid>".
std::string unique_path(std::string_view prefix);

// A libuv loop owned by the test. run_until drives it until `done()` holds or `timeout` passes.
class Loop {
 public:
  Loop();
  ~Loop();
  uv_loop_t* get() noexcept { return &loop_; }
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = scaled(20s));
  // Runs the loop for `d` (timers, replies and watches are processed meanwhile).
  void run_for(std::chrono::milliseconds d);

 private:
  uv_loop_t loop_{};
};

Options options_for(const std::string& connect, std::chrono::milliseconds session_timeout = 6000ms);
// Starts a session and waits until it is connected.
Session connect(Loop& loop, Options options);
Session connect(Loop& loop);  // to the shared server
// Closes a session and waits for it.
void close(Loop& loop, Session& s);

// A task started now, whose result lands in `*result` (for tests that let it run meanwhile).
template <class T>
std::shared_ptr<std::optional<T>> start(Task<T> t) {
  auto out = std::make_shared<std::optional<T>>();
  spawn([](Task<T> t, std::shared_ptr<std::optional<T>> out) -> Task<void> {
    out->emplace(co_await std::move(t));
  }(std::move(t), out));
  return out;
}
inline std::shared_ptr<bool> start(Task<void> t) {
  auto out = std::make_shared<bool>(false);
  spawn([](Task<void> t, std::shared_ptr<bool> out) -> Task<void> {
    co_await std::move(t);
    *out = true;
  }(std::move(t), out));
  return out;
}

// Runs a task to completion on `loop`.
template <class T>
T run(Loop& loop, Task<T> t, std::chrono::milliseconds timeout = scaled(30s)) {
  auto out = start(std::move(t));
  REQUIRE_MESSAGE(loop.run_until([&] { return out->has_value(); }, timeout), "the task did not complete");
  return std::move(**out);
}
inline void run(Loop& loop, Task<void> t, std::chrono::milliseconds timeout = scaled(30s)) {
  auto out = start(std::move(t));
  REQUIRE_MESSAGE(loop.run_until([&] { return *out; }, timeout), "the task did not complete");
}

// Runs a session operation to completion on `loop`.
template <class T>
Result<T> await(Loop& loop, Async<T> op) {
  return run(loop, [](Async<T> op) -> Task<Result<T>> { co_return co_await op; }(std::move(op)));
}

// A timer as a coroutine.
Task<void> sleep_for(uv_loop_t* loop, std::chrono::milliseconds d);

// The children of `path` (names), failing the test on an error other than no_node.
std::vector<std::string> children(Loop& loop, Session& s, const std::string& path);

// Milliseconds since the test binary started (steady clock).
double now_ms();

}  // namespace zkit::recipes::test
