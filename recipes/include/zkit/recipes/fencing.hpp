// zkit::recipes::FencingToken and FenceGuard: refusing writes from a holder that lost its lock.
//
// Every lock acquisition and every leadership term carries a fencing token: the czxid (the
// zxid of the create) of the znode that grants it. ZooKeeper orders zxids totally, and a lock
// or leadership passes only from a node to a node created after it, so the tokens of
// successive holders strictly increase. A holder whose session expired while it was paused
// (a GC pause, a partition) still has its old, lower token: a storage service that remembers
// the highest token it saw can refuse it.
//
//   // the storage service, on every write
//   zkit::recipes::FenceGuard guard;              // one per protected resource
//   if (!guard.admit(request.token)) return reject("stale lock holder");
//
//   // the client
//   auto token = co_await mutex.acquire();
//   if (token) storage.write(key, value, *token);
//
// Tokens of exclusive grants (Mutex, the write side of ReadWriteLock, LeaderLatch,
// LeaderSelector) order the holders. Shared grants (read locks, semaphore leases) also carry
// one, but several of them are valid at once.
#pragma once

#include <atomic>
#include <compare>
#include <cstdint>
#include <string>

#include "zkit/result.hpp"

namespace zkit::recipes {

// FencingToken: the czxid of the node that granted a lock or a leadership term; 0 for none.
struct FencingToken {
  std::int64_t zxid = 0;  // the granting node's czxid; 0 for none

  // Whether it is a token at all (not the empty one).
  explicit operator bool() const noexcept { return zxid != 0; }
  friend auto operator<=>(const FencingToken&, const FencingToken&) = default;
};

// "0x1a2b" (hex, as zxids appear in ZooKeeper's logs); "none" for an empty token.
std::string to_string(FencingToken t);

// FenceGuard: the highest token admitted so far for one resource. Thread-safe and lock-free.
class FenceGuard {
 public:
  FenceGuard() = default;
  // Resumes from a highest token kept elsewhere (e.g. persisted next to the data).
  explicit FenceGuard(FencingToken highest) noexcept : highest_(highest.zxid) {}

  // Admits `t` when it is at least the highest admitted so far (the same holder may write many
  // times), and remembers it. Refuses lower tokens and the empty token.
  bool admit(FencingToken t) noexcept;
  // admit() as a Result: Errc::bad_version, naming both tokens, when `t` is refused.
  Result<void> check(FencingToken t);
  // The highest token admitted so far (empty before the first).
  FencingToken highest() const noexcept { return {highest_.load(std::memory_order_acquire)}; }

 private:
  std::atomic<std::int64_t> highest_{0};
};

}  // namespace zkit::recipes
