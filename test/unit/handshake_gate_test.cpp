// The handshake gate's rules, driven with explicit outcomes and loop times (no loop runs:
// the gate only reads the times it is given).
#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <vector>

#include "session/handshake_gate.hpp"

using namespace std::chrono_literals;
using zkit::session::HandshakeGate;
using Outcome = HandshakeGate::Outcome;

namespace {

struct CountingWaiter final : HandshakeGate::Waiter {
  int admissions = 0;
  std::chrono::milliseconds wait{-1};  // the last admission's
  HandshakeGate::Ticket ticket{};
  void admitted(std::chrono::milliseconds w) override {
    ++admissions;
    wait = w;
  }
};

// Takes a slot and gives it back at once with `o`, for an attempt from `started` to `ended`.
void attempt(HandshakeGate& g, Outcome o, std::chrono::milliseconds started, std::chrono::milliseconds ended) {
  CountingWaiter w;
  REQUIRE(g.enter(w, w.ticket, started));
  g.done(o, started, ended);
}

}  // namespace

TEST_CASE("the gate admits up to its limit and then queues in order") {
  HandshakeGate g;
  std::vector<CountingWaiter> w(HandshakeGate::kInitial + 2);
  // Spread over enough milliseconds that pacing never makes one wait.
  for (std::size_t i = 0; i < HandshakeGate::kInitial; ++i)
    CHECK(g.enter(w[i], w[i].ticket, std::chrono::milliseconds(i)) == 0ms);
  CHECK_FALSE(g.enter(w[HandshakeGate::kInitial], w[HandshakeGate::kInitial].ticket, 100ms));
  CHECK_FALSE(g.enter(w[HandshakeGate::kInitial + 1], w[HandshakeGate::kInitial + 1].ticket, 100ms));
  CHECK(g.waiting() == 2);
  // An abandoned attempt frees its slot without moving the limit: the first waiter goes.
  g.done(Outcome::abandoned, 0ms, 110ms);
  CHECK(g.limit() == HandshakeGate::kInitial);
  CHECK(w[HandshakeGate::kInitial].admissions == 1);
  CHECK(w[HandshakeGate::kInitial + 1].admissions == 0);
  // A waiter that leaves the queue is never admitted.
  g.leave(w[HandshakeGate::kInitial + 1].ticket);
  g.done(Outcome::abandoned, 0ms, 120ms);
  CHECK(w[HandshakeGate::kInitial + 1].admissions == 0);
  CHECK(g.in_flight() == HandshakeGate::kInitial - 1);
}

TEST_CASE("attempts that complete near the floor widen the limit by one each, up to kMax") {
  HandshakeGate g;
  attempt(g, Outcome::completed, 0ms, 10ms);  // the first sets the floor: 10 ms
  CHECK(g.floor() == 10ms);
  CHECK(g.limit() == HandshakeGate::kInitial + 1);
  attempt(g, Outcome::completed, 100ms, 122ms);  // within twice the floor and the clock's grain
  CHECK(g.limit() == HandshakeGate::kInitial + 2);
  for (int i = 0; i < 1000; ++i) attempt(g, Outcome::completed, 0ms, 10ms);
  CHECK(g.limit() == HandshakeGate::kMax);
}

TEST_CASE("attempts that queue (well over the floor, not lost) keep the limit") {
  HandshakeGate g;
  attempt(g, Outcome::completed, 0ms, 10ms);
  std::size_t before = g.limit();
  attempt(g, Outcome::completed, 0ms, 23ms);   // just past twice the floor and the grain
  attempt(g, Outcome::completed, 0ms, 300ms);  // queued for long, but under kLate past the floor
  CHECK(g.limit() == before);
}

TEST_CASE("an attempt later than the floor by a SYN retransmission halves the limit") {
  HandshakeGate g;
  attempt(g, Outcome::completed, 0ms, 5ms);
  CHECK(g.limit() == HandshakeGate::kInitial + 1);
  // Completed, and so counted as slow before: the sign of a dropped SYN sent again 1 s later.
  attempt(g, Outcome::completed, 10ms, 1020ms);
  CHECK(g.limit() == (HandshakeGate::kInitial + 1) / 2);
}

TEST_CASE("the limit is halved once per round: attempts begun before the last halving do not halve it again") {
  HandshakeGate g;
  attempt(g, Outcome::completed, 0ms, 5ms);  // floor 5 ms, limit kInitial + 1
  std::size_t wide = g.limit();
  // A burst whose SYNs were dropped together: all started at 10 ms, answered about 1 s later.
  attempt(g, Outcome::completed, 10ms, 1015ms);
  CHECK(g.limit() == wide / 2);
  attempt(g, Outcome::completed, 10ms, 1016ms);
  attempt(g, Outcome::failed, 12ms, 3012ms);
  CHECK(g.limit() == wide / 2);
  // One that started after the halving and is late too: the narrowed limit is still too wide.
  attempt(g, Outcome::completed, 1020ms, 2030ms);
  CHECK(g.limit() == wide / 4);
}

TEST_CASE("failed attempts halve the limit down to kMin, and it widens again") {
  HandshakeGate g;
  for (int i = 0; i < 20; ++i) attempt(g, Outcome::failed, std::chrono::milliseconds(100 * i + 50), std::chrono::milliseconds(100 * i + 60));
  CHECK(g.limit() == HandshakeGate::kMin);
  attempt(g, Outcome::completed, 5000ms, 5004ms);
  CHECK(g.limit() == HandshakeGate::kMin + 1);
}

TEST_CASE("a narrowed limit admits no one until enough slots are given back") {
  HandshakeGate g;
  std::vector<CountingWaiter> w(HandshakeGate::kInitial + 1);
  for (std::size_t i = 0; i < HandshakeGate::kInitial; ++i) REQUIRE(g.enter(w[i], w[i].ticket, 0ms));
  CountingWaiter& queued = w[HandshakeGate::kInitial];
  REQUIRE_FALSE(g.enter(queued, queued.ticket, 0ms));
  g.done(Outcome::failed, 0ms, 3000ms);  // limit kInitial / 2; kInitial - 1 still in flight
  CHECK(queued.admissions == 0);
  for (std::size_t i = 0; i < HandshakeGate::kInitial / 2 - 1; ++i) g.done(Outcome::abandoned, 0ms, 3000ms);
  CHECK(queued.admissions == 0);
  g.done(Outcome::abandoned, 0ms, 3000ms);  // under the narrowed limit now
  CHECK(queued.admissions == 1);
}

TEST_CASE("the floor follows the recent attempts: an old fast one is forgotten after two epochs") {
  HandshakeGate g;
  attempt(g, Outcome::completed, 0ms, 2ms);
  CHECK(g.floor() == 2ms);
  // The server became slower for good (or the session moved to a farther one).
  for (std::size_t i = 0; i < 2 * HandshakeGate::kEpoch; ++i) attempt(g, Outcome::completed, 0ms, 40ms);
  CHECK(g.floor() == 40ms);
  // Measured against the new floor, 60 ms is near it (it widens), and 500 ms past it is late.
  std::size_t before = g.limit();
  attempt(g, Outcome::completed, 0ms, 60ms);
  CHECK(g.limit() == before + 1);
  attempt(g, Outcome::completed, 0ms, 540ms);
  CHECK(g.limit() == (before + 1) / 2);
}

TEST_CASE("dials are paced: at most kPerMs start in one millisecond, the rest are told to wait") {
  HandshakeGate g;
  std::vector<CountingWaiter> w(3 * HandshakeGate::kPerMs);
  // All asked for at 50 ms (sessions started together): the first kPerMs dial at once, the
  // next kPerMs one millisecond later, and so on. Each holds its slot while it waits.
  for (std::size_t i = 0; i < w.size(); ++i) {
    std::optional<std::chrono::milliseconds> wait = g.enter(w[i], w[i].ticket, 50ms);
    REQUIRE(wait);
    CHECK(*wait == std::chrono::milliseconds(i / HandshakeGate::kPerMs));
  }
  CHECK(g.in_flight() == w.size());
  // Later asks are not held back by slots long past.
  CountingWaiter later;
  CHECK(g.enter(later, later.ticket, 500ms) == 0ms);
}

TEST_CASE("a batch of answers that frees many slots at once admits its waiters paced") {
  HandshakeGate g;
  std::vector<CountingWaiter> w(2 * HandshakeGate::kInitial);
  for (std::size_t i = 0; i < HandshakeGate::kInitial; ++i)
    REQUIRE(g.enter(w[i], w[i].ticket, std::chrono::milliseconds(10 * i)));
  for (std::size_t i = HandshakeGate::kInitial; i < w.size(); ++i) REQUIRE_FALSE(g.enter(w[i], w[i].ticket, 400ms));
  // One group commit answers every attempt in flight in the same loop turn (at 1000 ms).
  for (std::size_t i = 0; i < HandshakeGate::kInitial; ++i) g.done(Outcome::abandoned, 0ms, 1000ms);
  for (std::size_t i = HandshakeGate::kInitial; i < w.size(); ++i) {
    CHECK(w[i].admissions == 1);
    CHECK(w[i].wait == std::chrono::milliseconds((i - HandshakeGate::kInitial) / HandshakeGate::kPerMs));
  }
}

TEST_CASE("a dial's SYN gets patience from the recent dials: none before the first, none where dials are slow") {
  HandshakeGate g;
  CHECK_FALSE(g.syn_patience());  // nothing to compare with yet: wait for the kernel
  g.dialed(0ms);  // loopback: answered within the loop's clock grain
  REQUIRE(g.syn_patience());
  CHECK(*g.syn_patience() == HandshakeGate::kSynPatienceMin);
  // A server farther away: patience follows the floor of the recent dials.
  HandshakeGate far;
  for (std::size_t i = 0; i < 10; ++i) far.dialed(20ms);
  CHECK(far.syn_patience() == 20ms * HandshakeGate::kSynPatienceFactor);
  // Dials so slow that the patience would reach kLate: the kernel's retransmission is as soon.
  HandshakeGate farther;
  farther.dialed(HandshakeGate::kLate / HandshakeGate::kSynPatienceFactor);
  CHECK_FALSE(farther.syn_patience());
  // The floor is forgotten after two epochs, like the attempts' floor.
  for (std::size_t i = 0; i < 2 * HandshakeGate::kEpoch; ++i) g.dialed(30ms);
  CHECK(g.syn_patience() == 30ms * HandshakeGate::kSynPatienceFactor);
}
