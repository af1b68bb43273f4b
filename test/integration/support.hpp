// Shared helpers for integration tests: a loop to drive sessions from the test thread, the
// standalone server most tests share, and unique node names so tests never collide.
#pragma once

#include <doctest/doctest.h>
#include <uv.h>

#include <chrono>
#include <algorithm>
#include <atomic>
#include <numeric>
#include <functional>
#include <future>
#include <optional>
#include <thread>
#include <vector>
#include <memory>
#include <string>

#include "zkit/testing/cluster.hpp"
#include "zkit/zkit.hpp"

namespace zkit::test {

using namespace std::chrono_literals;
using zkit::testing::scaled;

// The standalone server shared by the tests of this binary (started on first use, killed at
// exit by the kit). Fails the test loudly when ZooKeeper cannot be started.
zkit::testing::Cluster& shared_server();

// A fresh path under the root for one test: "/<prefix>-<counter>-<pid>".
std::string unique_path(std::string_view prefix);

// A libuv loop owned by a test. run_until drives it until `done()` holds or `timeout` passes;
// the loop waits for events (no polling sleeps).
class Loop {
 public:
  Loop();
  ~Loop();
  uv_loop_t* get() noexcept { return &loop_; }
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = scaled(20s));
  // Runs until no handle is left (every session closed) or `timeout`.
  bool drain(std::chrono::milliseconds timeout = scaled(20s));

 private:
  uv_loop_t loop_{};
};

// Options for a session on `connect` with short, test-friendly timeouts.
Options options_for(const std::string& connect, std::chrono::milliseconds session_timeout = 6000ms);

// Starts a session and waits until it is connected; fails the test otherwise.
Session connect(Loop& loop, Options options);

// Runs an operation's coroutine form to completion on `loop`.
template <class T>
Result<T> await(Loop& loop, Async<T> op) {
  std::optional<Result<T>> out;
  spawn([](Async<T> op, std::optional<Result<T>>& out) -> Task<void> {
    out.emplace(co_await op);
  }(std::move(op), out));
  REQUIRE(loop.run_until([&] { return out.has_value(); }));
  return std::move(*out);
}

}  // namespace zkit::test
