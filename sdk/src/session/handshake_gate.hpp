// session::HandshakeGate: how many connection attempts (dial + handshake, and the SetWatches
// that follows a resumption) the sessions of one uv_loop_t have in flight at once. A loop
// that opens thousands of sessions would otherwise dial them all within a millisecond and
// overflow the server's listen queue (ZooKeeper's default backlog is 50), and every attempt
// whose SYN was dropped would wait for the kernel to send it again (Linux: 1 s later).
//
// The limit adapts, like a congestion window that is steered by delay (TCP Vegas, LEDBAT)
// rather than by count. The gate keeps the floor: the shortest attempt among the recent ones,
// what an attempt costs when nothing queues. An attempt that completes near the floor widens
// the limit by one; one that completes much later than the floor (by over half the SYN
// retransmission time: its SYN or its answer was dropped and sent again) or fails (refused,
// reset, timed out) halves it, at most once per round: an attempt that started before the
// last halving says nothing of the narrowed limit. In between, the limit stays. It stays
// within [kMin, kMax]. Sessions over the limit wait in FIFO order. Admitted attempts are
// paced, kPerMs dials a millisecond at most (see kPerMs). The gate also keeps the floor of
// the dials alone, from which syn_patience() tells a Core when a SYN still unanswered was
// dropped (dialing again then beats the kernel's retransmission by most of a second).
// docs/sessions.md says the same for users.
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
#include <optional>

#include <uv.h>

namespace zkit::session {

class HandshakeGate {
 public:
  using milliseconds = std::chrono::milliseconds;

  static constexpr std::size_t kInitial = 32;
  static constexpr std::size_t kMin = 4;
  static constexpr std::size_t kMax = 512;
  // Later than the floor by this much: a packet of the attempt was lost and sent again.
  static constexpr milliseconds kLate{500};
  // "Near the floor": within twice the floor, plus the loop clock's grain (whole ms).
  static constexpr milliseconds kGrain{2};
  // The floor is the shortest of the last kEpoch to 2 * kEpoch completed attempts, so that
  // it follows a server that became slower for good (or a farther one).
  static constexpr std::size_t kEpoch = 1024;

  // Dials started per millisecond at most: the admissions that one batch of answers frees
  // are spread out rather than sent in one loop turn, so that a listen queue of 50 is not
  // filled faster than the server accepts from it.
  static constexpr std::size_t kPerMs = 8;
  // How long a dial's SYN may stay unanswered before the Core drops it and dials again: a
  // multiple of the recent dials' floor, not under kSynPatienceMin. Where that comes to
  // kLate or more the kernel's own retransmission (1 s) is about as soon: no patience.
  static constexpr milliseconds kSynPatienceMin{50};
  static constexpr int kSynPatienceFactor = 8;

  // What waits for a slot. admitted() holds the slot already and dials after `wait`; it must
  // not re-enter the gate synchronously (the Core starts a timer).
  struct Waiter {
    virtual void admitted(milliseconds wait) = 0;

   protected:
    ~Waiter() = default;
  };
  using Ticket = std::list<Waiter*>::iterator;

  enum class Outcome {
    completed,  // the handshake (and SetWatches) was answered: its duration steers the limit
    failed,     // refused, reset or timed out: narrow
    abandoned   // ended for another reason (close, expiry): keep the limit
  };

  // The gate of `loop`, made on first use; it lives as long as a session holds it.
  static std::shared_ptr<HandshakeGate> for_loop(uv_loop_t* loop);

  // Takes a slot and says how long to wait before dialing (0 ms: at once), or queues `w`
  // (nullopt: `ticket` is set, and w.admitted() follows once a slot is free, unless leave()
  // is called first). `now` is loop time.
  std::optional<milliseconds> enter(Waiter& w, Ticket& ticket, milliseconds now);
  void leave(Ticket ticket);
  // Gives back a slot taken by enter() or admitted(), for an attempt that started at
  // `started` and ended at `ended` (loop time).
  void done(Outcome o, milliseconds started, milliseconds ended);

  // Whether other attempts are in flight or waiting (then a first attempt is jittered).
  bool busy() const noexcept { return in_flight_ > 0 || !waiting_.empty(); }
  std::size_t limit() const noexcept { return limit_; }
  std::size_t in_flight() const noexcept { return in_flight_; }
  std::size_t waiting() const noexcept { return waiting_.size(); }
  // The shortest recent attempt; milliseconds::max() before any attempt completed.
  milliseconds floor() const noexcept { return std::min(floor_, last_floor_); }

  // A dial (resolving and the TCP connect) took `took`.
  void dialed(milliseconds took);
  // How long the SYN of a new dial may go unanswered before it is taken as dropped (a full
  // listen queue drops SYNs without a word): nullopt before any dial completed, or where the
  // recent dials are too slow for this to beat the kernel's retransmission.
  std::optional<milliseconds> syn_patience() const noexcept;

 private:
  void admit(milliseconds now);
  // When a dial admitted at `now` may start, kPerMs per millisecond.
  milliseconds pace(milliseconds now);
  // Halves the limit, unless it was already halved after `started`.
  void narrow(milliseconds started, milliseconds ended);

  std::size_t limit_ = kInitial;
  std::size_t in_flight_ = 0;
  std::list<Waiter*> waiting_;
  // The floor of this epoch and of the one before (milliseconds::max(): none yet).
  milliseconds floor_ = milliseconds::max();
  milliseconds last_floor_ = milliseconds::max();
  std::size_t epoch_count_ = 0;
  // The same floor for dials alone.
  milliseconds dial_floor_ = milliseconds::max();
  milliseconds last_dial_floor_ = milliseconds::max();
  std::size_t dial_epoch_count_ = 0;
  milliseconds pace_slot_{0};  // the millisecond the next dial is given
  std::size_t pace_used_ = 0;  // dials already given that millisecond
  bool narrowed_ = false;
  milliseconds last_narrowed_{0};
};

}  // namespace zkit::session
