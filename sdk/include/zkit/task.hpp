// zkit::Task<T>: a small coroutine type for code that awaits zkit operations.
//
// A Task starts when it is awaited (or handed to zkit::spawn) and runs on the thread that
// resumes it: for zkit operations, the session's loop thread.
//
//   zkit::Task<int> count(zkit::Session& s) {
//     auto r = co_await s.get_children("/nodes");
//     co_return r ? int(r->names.size()) : -1;
//   }
//   zkit::spawn([](zkit::Session& s) -> zkit::Task<void> {
//     std::printf("%d\n", co_await count(s));
//   }(session));
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

namespace zkit {

template <class T = void>
class Task;

namespace detail {

struct TaskPromiseBase {
  std::coroutine_handle<> continuation;
  bool detached = false;

  std::suspend_always initial_suspend() noexcept { return {}; }

  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      auto& p = h.promise();
      if (p.detached) {
        h.destroy();
        return std::noop_coroutine();
      }
      return p.continuation ? p.continuation : std::noop_coroutine();
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }
  // zkit reports failures as values. An exception escaping a task (a failed doctest REQUIRE,
  // say) is rethrown to whoever awaits the task, or by zkit::sync_wait; a spawned task has no
  // one to tell, so there it ends the process.
  void unhandled_exception() noexcept {
    if (detached) std::terminate();
    error = std::current_exception();
  }
  void rethrow_if_failed() {
    if (error) std::rethrow_exception(std::exchange(error, nullptr));
  }
  std::exception_ptr error;
};

template <class T>
struct TaskPromise : TaskPromiseBase {
  std::optional<T> value;
  Task<T> get_return_object() noexcept;
  template <class U>
  void return_value(U&& v) { value.emplace(std::forward<U>(v)); }
};

template <>
struct TaskPromise<void> : TaskPromiseBase {
  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
};

}  // namespace detail

template <class T>
class [[nodiscard]] Task {
 public:
  // The coroutine machinery (C++20).
  using promise_type = detail::TaskPromise<T>;

  Task(Task&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  Task& operator=(Task&& o) noexcept {
    if (this != &o) {
      if (h_) h_.destroy();
      h_ = std::exchange(o.h_, nullptr);
    }
    return *this;
  }
  Task(const Task&) = delete;
  ~Task() {
    if (h_) h_.destroy();
  }

  // Awaitable protocol: a Task always starts when awaited.
  bool await_ready() const noexcept { return false; }
  // Awaitable protocol: starts the task; `caller` resumes when it ends.
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
    h_.promise().continuation = caller;
    return h_;
  }
  // Awaitable protocol: the task's result, or rethrows what escaped it.
  T await_resume() {
    h_.promise().rethrow_if_failed();
    if constexpr (!std::is_void_v<T>) return std::move(*h_.promise().value);
  }

 private:
  friend promise_type;
  friend void spawn(Task<void> t);
  explicit Task(std::coroutine_handle<promise_type> h) : h_(h) {}
  std::coroutine_handle<promise_type> h_;
};

namespace detail {
template <class T>
Task<T> TaskPromise<T>::get_return_object() noexcept {
  return Task<T>(std::coroutine_handle<TaskPromise<T>>::from_promise(*this));
}
inline Task<void> TaskPromise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<TaskPromise<void>>::from_promise(*this));
}
}  // namespace detail

// Starts a task now and lets it run to completion on its own; its frame is freed at the end.
inline void spawn(Task<void> t) {
  auto h = std::exchange(t.h_, nullptr);
  h.promise().detached = true;
  h.resume();
}

}  // namespace zkit
