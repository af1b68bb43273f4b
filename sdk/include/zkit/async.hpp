// zkit::Async<T>: what the coroutine form of an operation returns; `co_await` it for a Result<T>.
//
// The request is validated and queued when the operation is called, not when it is awaited,
// so requests leave in call order:
//
//   auto a = session.create("/a", "x");   // queued now
//   auto b = session.get("/a");           // queued after it
//   zkit::Result<zkit::Created> ra = co_await a;
//   zkit::Result<zkit::Data> rb = co_await b;
//
// An Async that is dropped without being awaited is harmless: its result is discarded.
// The awaiting coroutine is resumed on the session's loop thread.
#pragma once

#include <coroutine>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "zkit/function.hpp"
#include "zkit/result.hpp"

namespace zkit {

// Callback<T>: what an operation's callback form takes; it runs once, on the loop thread.
template <class T>
using Callback = Function<void(Result<T>)>;

namespace detail {
// GCC 12 (and older) destroys an aggregate temporary with a destructor twice when it sits in
// a co_await expression, which includes a lambda that captures by value
// (`co_await s.exists(p, [state] {...})`): a double free, silent at -O2. Coroutine forms that
// take a callable refuse such a temporary at compile time there; clang and newer GCC take it.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
inline constexpr bool co_await_destroys_temporaries_twice = true;
#else
inline constexpr bool co_await_destroys_temporaries_twice = false;
#endif

// A callable passed as a temporary (not the callback type itself) to a coroutine form.
template <class F, class Fn>
concept TemporaryCallable = !std::is_lvalue_reference_v<F> && !std::is_same_v<std::remove_cvref_t<F>, Fn> &&
                            std::is_constructible_v<Fn, F>;

template <class F>
constexpr void require_safe_in_co_await() {
  static_assert(!co_await_destroys_temporaries_twice || std::is_trivially_destructible_v<std::remove_cvref_t<F>>,
                "GCC 12 destroys a lambda that captures by value twice when it is built inside a co_await "
                "expression: name it first (zkit::Watcher w = [...](const zkit::WatchEvent& e) {...}; "
                "co_await s.exists(path, std::move(w));), or capture by reference");
}
}  // namespace detail

template <class T>
class [[nodiscard]] Async {
 public:
  // An Async and the callback that completes it; operations hand the callback to their
  // callback form, so there is one completion path.
  static std::pair<Async, Callback<T>> make() {
    auto state = std::make_shared<State>();
    Callback<T> complete = [state](Result<T> r) {
      state->result.emplace(std::move(r));
      if (auto waiter = std::exchange(state->waiter, nullptr)) waiter.resume();
    };
    return {Async(std::move(state)), std::move(complete)};
  }

  // Awaitable protocol: whether the result is already there.
  bool await_ready() const noexcept { return state_->result.has_value(); }
  // Awaitable protocol: resumes `h` when the operation completes.
  void await_suspend(std::coroutine_handle<> h) noexcept { state_->waiter = h; }
  // Awaitable protocol: the operation's Result.
  Result<T> await_resume() { return std::move(*state_->result); }

  // True once the operation has completed (the result is waiting to be taken).
  bool ready() const noexcept { return await_ready(); }

 private:
  struct State {
    std::optional<Result<T>> result;
    std::coroutine_handle<> waiter;
  };
  explicit Async(std::shared_ptr<State> s) : state_(std::move(s)) {}
  std::shared_ptr<State> state_;
};

}  // namespace zkit
