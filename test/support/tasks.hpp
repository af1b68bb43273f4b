// Coroutines in tests: start one and look at its result later, run one to completion on a
// test's loop, sleep in one, and a clock for timing what happened.
#pragma once

#include <doctest/doctest.h>
#include <uv.h>

#include <chrono>
#include <memory>
#include <optional>
#include <utility>

#include "loop.hpp"
#include "zkit/coroutines.hpp"
#include "zkit/task.hpp"

namespace zkit::test_support {

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

// A timer as a coroutine: the SDK's own.
using zkit::sleep_for;


// Milliseconds since the test binary started (steady clock).
double now_ms();

}  // namespace zkit::test_support
