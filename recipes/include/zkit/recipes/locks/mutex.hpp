// zkit::recipes::Mutex: a lock shared by processes, re-entrant within one Mutex object, with a
// fencing token per acquisition (Curator's InterProcessMutex, same znodes).
//
//   zkit::recipes::Mutex lock(session, "/locks/ledger");
//   zkit::Task<void> append(zkit::recipes::Mutex& lock, Ledger& ledger) {
//     auto token = co_await lock.acquire(std::chrono::seconds(5));
//     if (!token) co_return log(token.error().message());   // request_timeout, ...
//     co_await ledger.append("entry", *token);               // the storage checks the token
//     auto released = co_await lock.release();
//   }
//   ...
//   co_await lock.close();                                    // deletes our node, always
//
// Nodes: `<path>/_c_<uuid>-lock-<seq>`, ephemeral-sequential, created protected; <path> and
// its ancestors are created as containers. With MutexOptions::layout = LockLayout::kazoo they
// are kazoo's instead (`<path>/<uuid-hex>__lock__<seq>`, persistent parents). The lowest sequence holds the lock; each waiter
// watches only the node just before its own. (docs/recipes-protocol.md has the details.)
//
// Ownership: one Mutex object is one owner. acquire() on an object that holds the lock
// succeeds at once and counts (re-entrancy); each acquire needs a release. For mutual
// exclusion between coroutines of one process, give each its own Mutex object (they may share
// one Session). A second acquire while one is still waiting on the same object fails with
// bad_arguments.
//
// Connection loss: see zkit/recipes/ownership.hpp. With the default policy a holder is told
// `suspended` then `lost` the moment the connection drops, and the node is deleted once the
// session is back. After `lost`, is_held() is false; each release() owed for the lost
// acquisitions then succeeds without doing anything.
//
// Use a Mutex on the loop thread of its session. `session` must outlive it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "zkit/recipes/cancel.hpp"
#include "zkit/recipes/fencing.hpp"
#include "zkit/recipes/locks/lock_engine.hpp"
#include "zkit/recipes/ownership.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes {

namespace detail {
struct LockState;
}

// MutexOptions: everything about a Mutex besides where it is.
struct MutexOptions {
  SuspendPolicy policy = SuspendPolicy::give_up;  // what a lost connection does to a hold (zkit/recipes/ownership.hpp)
  // LockLayout::kazoo: kazoo's Lock nodes (`<path>/<uuid-hex>__lock__<seq>`), so this Mutex
  // and kazoo's Lock on the same path exclude each other (and Curator's do not). The default
  // is Curator's layout, which kazoo's Lock does not see.
  LockLayout layout = LockLayout::curator;
  std::string data{};  // stored in our lock node (Curator stores the host address by default)
};

class Mutex {
 public:
  // A mutex on `path` (the parent of the lock nodes; Curator's InterProcessMutex(client, path)).
  Mutex(Session& session, std::string path, MutexOptions options = {});
  // A lock with its own node names and rule (see zkit/recipes/locks/lock_engine.hpp). `spec.data`
  // is used when options.data is empty.
  Mutex(Session& session, LockSpec spec, LockRule rule, MutexOptions options = {});

  Mutex(Mutex&&) noexcept;
  Mutex& operator=(Mutex&&) noexcept;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;
  // Not closed yet: closes in the background (the node is deleted; nobody is told).
  ~Mutex();

  // Acquires the lock, waiting as long as it takes, up to `timeout`, or until `cancel` fires.
  // Returns the fencing token of this acquisition (the same token again for a re-entrant one).
  // A timeout of zero tries once. On failure our node is deleted.
  // Errors: request_timeout (timed out), closing (cancelled, the Mutex or the session
  // closed), bad_arguments (an acquire already waits on this object; a bad path),
  // session_expired, auth_failed, no_auth, and other errors of create / get_children.
  Task<Result<FencingToken>> acquire();
  Task<Result<FencingToken>> acquire(std::chrono::milliseconds timeout);
  Task<Result<FencingToken>> acquire(CancelToken cancel);
  Task<Result<FencingToken>> acquire(std::chrono::milliseconds timeout, CancelToken cancel);

  // Releases one acquisition; the last one deletes our node (trying again across connection
  // losses) before completing. Errors: bad_arguments (not held by this object), closing, and
  // errors of remove other than no_node.
  Task<Result<void>> release();

  // Stops a waiting acquire (it fails with closing), deletes our node if there is one, and
  // stops listening to the session. Idempotent; later acquires fail with closing.
  Task<void> close();

  // Whether this object holds the lock (as far as it knows: see the policy).
  bool is_held() const noexcept;
  // Acquisitions not yet released (0 when not held).
  int hold_count() const noexcept;
  // The token of the current hold; empty when not held.
  FencingToken token() const noexcept;
  // Our lock node's path while held, else "".
  std::string node_path() const;
  // The lock's path.
  const std::string& path() const noexcept;

  // Names a listener, for remove_listener / remove_state_listener.
  using ListenerId = std::uint64_t;
  // Tells `listener` of suspended / reconnected / lost while this object holds the lock.
  ListenerId add_listener(OwnershipListener listener);
  // Removes a listener that add_listener returned.
  void remove_listener(ListenerId id);
  // Tells `listener` of the session's suspended / reconnected / lost, held or not
  // (zkit/recipes/ownership.hpp).
  ListenerId add_state_listener(RecipeStateListener listener);
  // Removes a listener that add_state_listener returned.
  void remove_state_listener(ListenerId id);

 private:
  friend class ReadWriteLock;
  std::shared_ptr<detail::LockState> state_;
};

}  // namespace zkit::recipes
