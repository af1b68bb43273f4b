// zkit/coroutines.hpp: running and combining zkit::Task outside and inside coroutines.
//
//   int main() {
//     uv_loop_t* loop = uv_default_loop();
//     auto s = zkit::Session::start(loop, {.connect = "127.0.0.1:2181"});
//     auto r = zkit::sync_wait(loop, work(*s));            // runs the loop until work ends
//   }
//   zkit::Task<void> work(zkit::Session& s) {
//     co_await zkit::sleep_for(s, std::chrono::milliseconds(100));
//     auto [a, b] = co_await zkit::when_all(read(s, "/a"), read(s, "/b"));
//     ...
//   }
//   zkit::spawn(count(s), [](int n) { std::printf("%d\n", n); });   // result to a callback
//
// sync_wait rethrows an exception that escaped the task (a failed doctest REQUIRE inside a
// coroutine), so in a test the check fails the test case and not the whole binary.
#pragma once

#include <chrono>
#include <coroutine>
#include <exception>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "zkit/function.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"
#include "zkit/timer.hpp"

namespace zkit {

namespace detail {
// Runs `loop` one turn at a time until `done` holds (uv_run(UV_RUN_ONCE) behind it). Returns
// false if the loop ran out of work first.
bool run_loop_until(uv_loop_t* loop, const bool& done);

template <class T>
Task<void> deliver(Task<T> t, Function<void(T)> done) {
  T value = co_await std::move(t);
  done(std::move(value));
}
inline Task<void> deliver(Task<void> t, Function<void()> done) {
  co_await std::move(t);
  done();
}

// The outcome of a task run by sync_wait: its value, or the exception that escaped it.
template <class T>
struct Outcome {
  std::optional<std::conditional_t<std::is_void_v<T>, bool, T>> value;
  std::exception_ptr error;
  bool done = false;
};

template <class T>
Task<void> capture(Task<T> t, std::shared_ptr<Outcome<T>> out) {
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(t);
      out->value.emplace(true);
    } else {
      T value = co_await std::move(t);
      out->value.emplace(std::move(value));
    }
  } catch (...) {
    out->error = std::current_exception();
  }
  out->done = true;
}

// Counts the tasks of a when_all down and resumes the awaiting coroutine after the last.
struct Latch {
  std::size_t left = 0;
  std::coroutine_handle<> waiter;
  void arrive() {
    if (--left == 0 && waiter) std::exchange(waiter, nullptr).resume();
  }
  bool await_ready() const noexcept { return left == 0; }
  void await_suspend(std::coroutine_handle<> h) noexcept { waiter = h; }
  void await_resume() const noexcept {}
};

template <class T>
using Stored = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <class T>
Task<void> run_into(Task<T> t, std::optional<Stored<T>>& slot, Latch& latch) {
  if constexpr (std::is_void_v<T>) {
    co_await std::move(t);
    slot.emplace();
  } else {
    T value = co_await std::move(t);
    slot.emplace(std::move(value));
  }
  latch.arrive();
}
}  // namespace detail

// Starts `t` now and lets it run on its own; `done` receives its result when it ends, on the
// thread that resumed it last (for zkit operations, the session's loop thread).
template <class T>
  requires(!std::is_void_v<T>)
void spawn(Task<T> t, std::type_identity_t<Function<void(T)>> done) {
  spawn(detail::deliver<T>(std::move(t), std::move(done)));
}
inline void spawn(Task<void> t, Function<void()> done) { spawn(detail::deliver(std::move(t), std::move(done))); }

// Runs `loop` on this thread until `t` ends, and returns its result (or rethrows what escaped
// it). For main() and tests on a loop of the caller's; never from inside the loop's callbacks.
// If the loop runs out of work before the task ends (nothing left that could resume it),
// ends the process with a message: the task could never complete.
template <class T>
T sync_wait(uv_loop_t* loop, Task<T> t) {
  auto out = std::make_shared<detail::Outcome<T>>();
  spawn(detail::capture<T>(std::move(t), out));
  if (!detail::run_loop_until(loop, out->done)) std::terminate();
  if (out->error) std::rethrow_exception(out->error);
  if constexpr (!std::is_void_v<T>) return std::move(*out->value);
}

// Waits without blocking the loop: resumes the coroutine on the session's loop (or `loop`)
// after `d`.
Task<void> sleep_for(const Session& session, std::chrono::milliseconds d);
Task<void> sleep_for(uv_loop_t* loop, std::chrono::milliseconds d);

// Runs the tasks at once (interleaved on one thread) and completes when all have, with their
// results in order (std::monostate for a Task<void>).
template <class... T>
Task<std::tuple<detail::Stored<T>...>> when_all(Task<T>... tasks) {
  detail::Latch latch{sizeof...(T), {}};
  std::tuple<std::optional<detail::Stored<T>>...> slots;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (spawn(detail::run_into<T>(std::move(tasks), std::get<I>(slots), latch)), ...);
  }(std::index_sequence_for<T...>{});
  co_await latch;
  co_return std::apply([](auto&... s) { return std::tuple<detail::Stored<T>...>(std::move(*s)...); }, slots);
}

}  // namespace zkit
