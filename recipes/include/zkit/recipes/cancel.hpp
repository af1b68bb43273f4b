// zkit::recipes::CancelSource / CancelToken: stopping a wait (a lock acquisition, waiting for
// leadership) from the outside.
//
// A CancelSource hands out tokens; cancel() stops every wait that was given one of them. Waits
// stopped that way fail with Errc::closing and a message that says "cancelled".
//
//   zkit::recipes::CancelSource stop;
//   zkit::spawn(worker(mutex, stop.token()));   // co_await mutex.acquire(token) inside
//   ...
//   stop.cancel();                               // the acquire returns Errc::closing
//
// Both are used on the loop thread that runs the session (like everything in zkit::recipes).
// Copies of a source or a token share one state.
#pragma once

#include <cstdint>
#include <memory>

#include "zkit/function.hpp"

namespace zkit::recipes {

class CancelToken;

// CancelSource: the side that cancels.
class CancelSource {
 public:
  CancelSource();

  // Cancels: every subscribed wait is told, once. Later calls do nothing.
  void cancel();
  // Whether cancel() was called.
  bool cancelled() const noexcept;
  // A token that observes this source.
  CancelToken token() const;

 private:
  struct State;
  friend class CancelToken;
  std::shared_ptr<State> state_;
};

// CancelToken: the side that is told. A default-constructed token is never cancelled.
class CancelToken {
 public:
  CancelToken() = default;

  // Whether the source was cancelled.
  bool cancelled() const noexcept;
  // Whether a source stands behind this token (a default token has none).
  bool can_be_cancelled() const noexcept { return static_cast<bool>(state_); }

  // Names a subscription, for unsubscribing.
  using Subscription = std::uint64_t;
  // Calls `on_cancel` once when the source is cancelled: at once when it already is (then the
  // returned id is 0). Subscriptions of a default token never fire.
  Subscription subscribe(Function<void()> on_cancel) const;
  // Forgets a subscription that has not fired yet.
  void unsubscribe(Subscription id) const;

 private:
  friend class CancelSource;
  explicit CancelToken(std::shared_ptr<CancelSource::State> s) : state_(std::move(s)) {}
  std::shared_ptr<CancelSource::State> state_;
};

}  // namespace zkit::recipes
