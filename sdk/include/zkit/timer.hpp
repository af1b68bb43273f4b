// zkit::Timer: a one-shot timer on a session's loop, for code above the session (recipes, an
// application's retries and leases) that must not touch libuv itself.
//
// A Timer may be destroyed at any time, also from inside its own callback; once it is stopped
// or destroyed its callback does not run. It runs on the loop thread of the Session it was
// made from, and like that Session is used from that thread only.
//
//   zkit::Timer retry(session);
//   retry.start(std::chrono::milliseconds(250), [&] { try_again(); });
#pragma once

#include <chrono>

#include "zkit/function.hpp"
#include "zkit/session.hpp"

namespace zkit {

class Timer {
 public:
  // A timer on the loop `session` runs on. It does not keep the session alive and may outlive
  // it (not the loop: destroy it before the loop is closed).
  explicit Timer(const Session& session);
  explicit Timer(uv_loop_t* loop);
  // A moved-from Timer may only be destroyed or assigned to.
  Timer(Timer&&) noexcept;
  Timer& operator=(Timer&&) noexcept;
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;
  ~Timer();

  // (Re)starts: `fire` runs once, `after` from now (0 or less: on the next loop turn), unless
  // the timer is stopped, restarted or destroyed first.
  void start(std::chrono::milliseconds after, Function<void()> fire);
  // Stops a waiting start(): `fire` is not called. Idempotent.
  void stop();
  // Whether a start() is waiting to fire.
  bool active() const noexcept;

 private:
  struct State;
  State* state_;
};

}  // namespace zkit
