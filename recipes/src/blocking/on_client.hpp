// Private to the blocking faces: making, reading and closing a coroutine recipe on a Client's
// thread, so each blocking class is only its own calls.
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "zkit/client.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes::blocking::detail {

// What every call of a blocking recipe returns when its Client was closed before the recipe
// could be made (`what` names the recipe's class).
inline Error closed_client(const char* what) {
  return Error(Errc::closing, std::string("the client was closed when this ") + what + " was made");
}

template <class R, class... A>
Task<void> make_into(std::unique_ptr<R>& out, Session& s, A... args) {
  out = std::make_unique<R>(s, std::move(args)...);
  co_return;
}

// Makes a recipe R(session, args...) on the client's thread; empty if the client is closed.
template <class R, class... A>
std::unique_ptr<R> make_on(Client& client, A... args) {
  std::unique_ptr<R> out;
  auto made = client.run([&](Session& s) { return make_into<R>(out, s, std::move(args)...); });
  (void)made;  // only a closed client refuses: `out` stays empty and the calls fail with closing
  return out;
}

template <class R>
Task<void> close_and_drop(std::unique_ptr<R> recipe) {
  co_await recipe->close();
}

// Closes the recipe on the client's thread and destroys it there.
template <class R>
void close_on(Client& client, std::unique_ptr<R>& recipe) {
  if (!recipe) return;
  auto closed = client.run([&](Session&) { return close_and_drop(std::move(recipe)); });
  (void)closed;
}

template <class F>
Task<std::invoke_result_t<F&>> read_now(F f) {
  co_return f();
}

// Runs a plain read of the recipe's state (`f()`, no I/O) on the client's thread.
template <class F>
auto read_on(Client& client, F f) {
  return client.run([&](Session&) { return read_now(std::move(f)); });
}

}  // namespace zkit::recipes::blocking::detail
