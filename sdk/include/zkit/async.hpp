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
#include <utility>

#include "zkit/function.hpp"
#include "zkit/result.hpp"

namespace zkit {

template <class T>
using Callback = Function<void(Result<T>)>;

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

  bool await_ready() const noexcept { return state_->result.has_value(); }
  void await_suspend(std::coroutine_handle<> h) noexcept { state_->waiter = h; }
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
