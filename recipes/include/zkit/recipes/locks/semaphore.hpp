// zkit::recipes::Semaphore: at most N leases held at once across processes (Curator's
// InterProcessSemaphoreV2, same znodes).
//
//   zkit::recipes::Semaphore slots(session, "/semaphores/compaction", 3);
//   auto leases = co_await slots.acquire(1, std::chrono::seconds(10));
//   if (!leases) co_return;                          // request_timeout, ...
//   co_await compact();
//   auto returned = co_await slots.release(std::move(*leases));
//
// Nodes: a Mutex on `<path>/locks` (nodes `_c_<uuid>-lock-<seq>`) lets one acquirer at a time
// add leases; a lease is an ephemeral-sequential node `<path>/leases/_c_<uuid>-lease-<seq>`.
// Holding the inner lock, an acquirer creates its lease node, then waits (child watch on
// `leases`) until `leases` has at most N children; then it releases the inner lock. Releasing
// a lease deletes its node. Waiters are served in the order they got the inner lock.
//
// Each Lease carries a fencing token (its node's czxid); several leases are valid at once, so
// tokens order grants but do not exclude each other.
//
// One Semaphore object may serve many coroutines at once: each acquire() takes its own place
// in the queue. Connection loss: see zkit/recipes/ownership.hpp; with the default policy every
// lease this object holds is given up (and deleted) when the connection drops.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "zkit/recipes/cancel.hpp"
#include "zkit/recipes/fencing.hpp"
#include "zkit/recipes/ownership.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes {

namespace detail {
struct SemaphoreState;
}

// Lease: one slot of a Semaphore, held until released.
struct Lease {
  std::string path;    // the lease node
  FencingToken token;  // its czxid
};

// SemaphoreOptions: everything about a Semaphore besides where it is and its size.
struct SemaphoreOptions {
  SuspendPolicy policy = SuspendPolicy::give_up;  // what a lost connection does to the leases (zkit/recipes/ownership.hpp)
  std::string data{};  // stored in each lease node
};

class Semaphore {
 public:
  // A semaphore of `max_leases` (>= 1) leases at `path`. Every participant must use the same
  // number (as with Curator; the number is not stored in ZooKeeper).
  Semaphore(Session& session, std::string path, int max_leases, SemaphoreOptions options = {});

  Semaphore(Semaphore&&) noexcept;
  Semaphore& operator=(Semaphore&&) noexcept;
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;
  // Not closed yet: closes in the background (leases are deleted).
  ~Semaphore();

  // Acquires `count` leases (all or none), waiting as long as it takes, up to `timeout`, or
  // until `cancel` fires. A timeout of zero tries once.
  // Errors: bad_arguments (count < 1 or > max_leases), request_timeout, closing (cancelled,
  // closed), session_expired, and errors of create / get_children.
  Task<Result<std::vector<Lease>>> acquire(int count = 1);
  Task<Result<std::vector<Lease>>> acquire(int count, std::chrono::milliseconds timeout);
  Task<Result<std::vector<Lease>>> acquire(int count, CancelToken cancel);
  Task<Result<std::vector<Lease>>> acquire(int count, std::chrono::milliseconds timeout,
                                           CancelToken cancel);

  // Returns leases: deletes their nodes (trying again across connection losses). A lease that
  // this object no longer holds (given up, lost, released) is skipped. Errors: errors of remove
  // other than no_node.
  Task<Result<void>> release(Lease lease);
  Task<Result<void>> release(std::vector<Lease> leases);

  // Stops waiting acquires (closing), returns every lease, stops listening. Idempotent.
  Task<void> close();

  // Leases this object holds now.
  std::size_t leases_held() const noexcept;
  // How many leases may be held at once, across processes.
  int max_leases() const noexcept;
  // The semaphore's path.
  const std::string& path() const noexcept;

  // Names a listener, for remove_listener / remove_state_listener.
  using ListenerId = std::uint64_t;
  // Tells `listener` of suspended / reconnected / lost while this object holds leases.
  ListenerId add_listener(OwnershipListener listener);
  // Removes a listener that add_listener returned.
  void remove_listener(ListenerId id);
  // Tells `listener` of the session's suspended / reconnected / lost, holding leases or not.
  ListenerId add_state_listener(RecipeStateListener listener);
  // Removes a listener that add_state_listener returned.
  void remove_state_listener(ListenerId id);

 private:
  std::shared_ptr<detail::SemaphoreState> state_;
};

}  // namespace zkit::recipes
