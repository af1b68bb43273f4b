// session::HandshakeGate: how many connection attempts (dial + handshake, and the SetWatches
// that follows a resumption) the sessions of one uv_loop_t have in flight at once. A loop
// that opens thousands of sessions would otherwise dial them all within a millisecond and
// overflow the server's listen queue (ZooKeeper's default backlog is 50), and every attempt
// whose SYN was dropped would wait out its deadline.
//
// The limit adapts, like a congestion window: each attempt that completes fast (within a
// quarter of its deadline) widens it by one; each attempt that fails (refused, reset, timed
// out) halves it; it stays within [kMin, kMax]. Sessions over the limit wait in FIFO order.
//
// Threading: one gate per loop, shared by every Core on it through for_loop(). The registry
// that maps loops to gates is process-wide and locked, but it is touched only when a Core is
// made or destroyed; the gate itself is touched only on its loop's thread, like the Cores
// (DESIGN.md: one loop thread owns a session), so it has no lock.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <memory>

#include <uv.h>

namespace zkit::session {

class HandshakeGate {
 public:
  static constexpr std::size_t kInitial = 32;
  static constexpr std::size_t kMin = 4;
  static constexpr std::size_t kMax = 512;

  // What waits for a slot. admitted() holds the slot already; it must not re-enter the gate
  // synchronously (the Core starts a 0 ms timer).
  struct Waiter {
    virtual void admitted() = 0;

   protected:
    ~Waiter() = default;
  };
  using Ticket = std::list<Waiter*>::iterator;

  enum class Outcome {
    fast,      // completed within a quarter of its deadline: widen
    slow,      // completed, but slowly: keep the limit
    failed,    // refused, reset or timed out: narrow
    abandoned  // ended for another reason (close, expiry): keep the limit
  };

  // The gate of `loop`, made on first use; it lives as long as a session holds it.
  static std::shared_ptr<HandshakeGate> for_loop(uv_loop_t* loop);

  // Takes a slot (true), or queues `w` (false: `ticket` is set, and w.admitted() follows once
  // a slot is free, unless leave() is called first).
  bool enter(Waiter& w, Ticket& ticket);
  void leave(Ticket ticket);
  // Gives back a slot taken by enter() or admitted().
  void done(Outcome o);

  // Whether other attempts are in flight or waiting (then a first attempt is jittered).
  bool busy() const noexcept { return in_flight_ > 0 || !waiting_.empty(); }
  std::size_t limit() const noexcept { return limit_; }
  std::size_t in_flight() const noexcept { return in_flight_; }
  std::size_t waiting() const noexcept { return waiting_.size(); }

 private:
  void admit();

  std::size_t limit_ = kInitial;
  std::size_t in_flight_ = 0;
  std::list<Waiter*> waiting_;
};

}  // namespace zkit::session
