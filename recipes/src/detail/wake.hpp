// Private building blocks of the recipes: waking a waiting coroutine from callbacks, and
// deadlines / cancellation bound to one wait (on zkit::Timer: recipes never touch libuv).
//
// The pattern every recipe coroutine follows (one coroutine waits on a Wake at a time):
//
//   auto w = std::make_shared<Wake>();
//   auto got = std::make_shared<std::optional<Result<Data>>>();
//   auto since = w->epoch();
//   session.get(path, w->watcher(), w->fill(got));      // reply pokes, watch wakes
//   while (!*got && !w->abandon(session)) co_await w->next();
//   ...
//   while (w->epoch() == since && !w->stopped()) co_await w->next();   // until the watch fires
//
// poke() only resumes the waiter so it re-checks its condition; wake() also counts an event
// (a watch fired, the session changed state, a deadline passed). Spurious resumptions are
// harmless by construction: every wait is a loop over its condition.
#pragma once

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "zkit/function.hpp"
#include "zkit/recipes/cancel.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"
#include "zkit/timer.hpp"

namespace zkit::recipes::detail {

// Wake: where one waiting coroutine is resumed from callbacks (see above).
class Wake : public std::enable_shared_from_this<Wake> {
 public:
  std::uint64_t epoch() const noexcept { return epoch_; }

  // Resumes the waiting coroutine, if one waits, to re-check its condition.
  void poke() {
    if (auto h = std::exchange(waiter_, nullptr)) h.resume();
  }
  // Counts an event, then pokes.
  void wake() {
    ++epoch_;
    poke();
  }

  // Stops the wait for good: closing (`why`: "closed", "cancelled").
  void stop(std::string why) {
    if (!stopped_) stopped_ = Error(Errc::closing, std::move(why));
    wake();
  }
  // The deadline passed: waits for events end; requests in flight on a connected session are
  // still awaited (so a zero timeout tries once).
  void time_out(std::string what) {
    if (!timed_out_) timed_out_ = Error(Errc::request_timeout, std::move(what));
    wake();
  }
  const std::optional<Error>& stopped() const noexcept { return stopped_; }
  const std::optional<Error>& timed_out() const noexcept { return timed_out_; }
  // The error to end with, stop before timeout; nullopt when neither happened.
  std::optional<Error> ended() const { return stopped_ ? stopped_ : timed_out_; }
  // Whether to stop awaiting a request already sent: on stop, or on timeout while the
  // session is not connected (a request then waits for the next connection).
  bool abandon(const Session& s) const noexcept;

  // Awaitable: suspends until the next poke or wake.
  class Next {
   public:
    explicit Next(Wake* w) : w_(w) {}
    Next(const Next&) = delete;
    ~Next() {
      // A frame destroyed while suspended here must not be resumed later.
      if (h_ && w_->waiter_ == h_) w_->waiter_ = nullptr;
    }
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) noexcept {
      h_ = h;
      w_->waiter_ = h;
    }
    void await_resume() noexcept { h_ = nullptr; }

   private:
    Wake* w_;
    std::coroutine_handle<> h_;
  };
  Next next() { return Next(this); }

  // A completion that stores the result in `slot` and pokes.
  template <class T>
  Callback<T> fill(std::shared_ptr<std::optional<Result<T>>> slot) {
    return [slot = std::move(slot), w = weak_from_this()](Result<T> r) {
      slot->emplace(std::move(r));
      if (auto self = w.lock()) self->poke();
    };
  }
  // A one-shot watcher that wakes.
  Watcher watcher() {
    return [w = weak_from_this()](const WatchEvent&) {
      if (auto self = w.lock()) self->wake();
    };
  }

 private:
  std::coroutine_handle<> waiter_;
  std::uint64_t epoch_ = 0;
  std::optional<Error> stopped_;
  std::optional<Error> timed_out_;
};

// The slot of a request raced against a Wake.
template <class T>
using Slot = std::shared_ptr<std::optional<Result<T>>>;
template <class T>
Slot<T> make_slot() {
  return std::make_shared<std::optional<Result<T>>>();
}

// Bounds: binds a Wake to a timeout and a cancel token for the life of one wait (a local of
// the waiting coroutine: its destructor stops the timer and forgets the subscription).
class Bounds {
 public:
  // The timer runs on `session`'s loop.
  Bounds(const Session& session, const std::shared_ptr<Wake>& w, std::optional<std::chrono::milliseconds> timeout,
         CancelToken cancel);
  ~Bounds();
  Bounds(const Bounds&) = delete;
  Bounds& operator=(const Bounds&) = delete;

 private:
  std::unique_ptr<Timer> timer_;
  CancelToken cancel_;
  CancelToken::Subscription subscription_ = 0;
};

// The wakes of the waits in progress of one recipe object, so close() can stop them all.
class WaitSet {
 public:
  void add(const std::shared_ptr<Wake>& w);
  void remove(const std::shared_ptr<Wake>& w);
  // Stops every wait (they end with closing / `why`), and every wait added later.
  void stop_all(const std::string& why);
  // Wakes every wait (an event they should look at: a state change).
  void wake_all();

 private:
  std::vector<std::weak_ptr<Wake>> waits_;
  std::optional<std::string> stopped_;
};

// Sleeps for `d` on `session`'s loop.
Task<void> sleep_for(const Session& session, std::chrono::milliseconds d);

// Whether a request failing with `e` may simply be sent again: the session queues requests
// until it reconnects, and fails them for good once it ends. (zkit reports a request's
// deadline as request_timeout; request_timeout is the C client's code and never comes back.)
inline bool retryable(Errc e) noexcept { return e == Errc::connection_loss || e == Errc::request_timeout; }
// Whether a request failing with `e` says the session is over (expired, refused, closed, or the
// Session object is being destroyed): then the recipe must not call the session again, and its
// ephemeral nodes are gone with it.
inline bool session_gone(Errc e) noexcept {
  return e == Errc::closing || e == Errc::session_expired || e == Errc::auth_failed;
}

// Whether the session can still be used (not expired, closed, or refused).
bool session_alive(const Session& s) noexcept;
// Whether the session is connected now.
bool session_connected(const Session& s) noexcept;

}  // namespace zkit::recipes::detail
