// What a recipe object does with its state when it is destroyed or moved onto without a
// close(): the state is closed in the background (a spawned coroutine that keeps it alive),
// telling nobody. Written once here instead of in every recipe.
//
// A state type S provides, in zkit::recipes::detail (found by argument-dependent lookup):
//   bool needs_close(const S&)                  whether closing still has work to do
//   Task<void> close_quietly(std::shared_ptr<S>) closes without telling listeners
//
//   Mutex& Mutex::operator=(Mutex&& o) noexcept { detail::take_state(state_, o.state_); return *this; }
//   Mutex::~Mutex() { detail::close_in_background(state_); }
#pragma once

#include <memory>
#include <utility>

#include "zkit/result.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes::detail {

// A task that is done at once with `r`: what start(), rebind()... return when they refuse
// before doing anything, or when their work goes on in the background.
inline Task<Result<void>> ready(Result<void> r) { co_return r; }

template <class S>
void close_in_background(const std::shared_ptr<S>& state) {
  if (state && needs_close(*state)) spawn(close_quietly(state));
}

// Move-assignment: our own state is closed in the background, then theirs becomes ours.
template <class S>
void take_state(std::shared_ptr<S>& ours, std::shared_ptr<S>& theirs) {
  if (&ours == &theirs) return;
  close_in_background(ours);
  ours = std::move(theirs);
}

}  // namespace zkit::recipes::detail
