// zkit::recipes::MultiLock: several locks taken as one, all or nothing (Curator's
// InterProcessMultiLock over InterProcessMutex paths, same znodes).
//
//   zkit::recipes::MultiLock both(session, {"/locks/volume-3", "/locks/volume-9"});
//   auto tokens = co_await both.acquire(std::chrono::seconds(5));   // one token per path
//   if (!tokens) co_return log(tokens.error().message());           // nothing is held
//   co_await move_extent((*tokens)[0], (*tokens)[1]);
//   auto released = co_await both.release();                        // every lock, last first
//
// Acquiring takes the member locks one after another in the given order, all within one
// timeout and one cancel token. If any of them fails (timeout, cancelled, the session ended,
// an error), the ones already taken are released in reverse order, so nothing stays held and
// no node is left behind, and the error is returned. Processes that must not deadlock take
// overlapping sets in one agreed order (sort the paths); with another order a timeout is what
// breaks the deadlock.
//
// A member lost while the others were still being taken (a connection loss under the default
// policy) makes the acquisition start over from the first path, within the same timeout.
//
// Ownership (zkit/recipes/ownership.hpp): the MultiLock holds while every member holds.
// Listeners are told `suspended` once when any member's ownership becomes uncertain,
// `reconnected` once when it was kept (keep_until_expired), and `lost` once when any member
// is lost; then the remaining members are released at once, since a partial set protects
// nothing and would only block others. The release() owed for a lost hold succeeds and does
// nothing.
//
// Re-entrant per object: acquire() while held succeeds at once (same tokens); each acquire
// needs a release. Use on the loop thread of the session; `session` must outlive the object.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "zkit/recipes/cancel.hpp"
#include "zkit/recipes/fencing.hpp"
#include "zkit/recipes/locks/mutex.hpp"
#include "zkit/recipes/ownership.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes {

namespace detail {
struct MultiLockState;
}

class MultiLock {
 public:
  // A lock over `paths` (each the parent of its lock nodes, as for Mutex), acquired in this
  // order. `options` applies to every member.
  MultiLock(Session& session, std::vector<std::string> paths, MutexOptions options = {});

  MultiLock(MultiLock&&) noexcept;
  MultiLock& operator=(MultiLock&&) noexcept;
  MultiLock(const MultiLock&) = delete;
  MultiLock& operator=(const MultiLock&) = delete;
  // Not closed yet: closes in the background (every node is deleted; nobody is told).
  ~MultiLock();

  // Acquires every member lock, in order, within `timeout` overall and until `cancel` fires.
  // Returns the fencing tokens, one per path, in path order. A timeout of zero tries each
  // lock once. On failure nothing is held.
  // Errors: bad_arguments (no paths, a path given twice, a bad path, an acquire already waits
  // on this object), request_timeout, closing (cancelled, the MultiLock or the session
  // closed), session_expired, and the errors of Mutex::acquire; the message names the path.
  Task<Result<std::vector<FencingToken>>> acquire();
  Task<Result<std::vector<FencingToken>>> acquire(std::chrono::milliseconds timeout);
  Task<Result<std::vector<FencingToken>>> acquire(CancelToken cancel);
  Task<Result<std::vector<FencingToken>>> acquire(std::chrono::milliseconds timeout, CancelToken cancel);

  // Releases one acquisition; the last one releases every member, last path first, and
  // returns the first error met (the others are still released).
  // Errors: bad_arguments (not held by this object), and the errors of Mutex::release.
  Task<Result<void>> release();

  // Stops a waiting acquire (it fails with closing), releases every member and closes them.
  // Idempotent; later acquires fail with closing.
  Task<void> close();

  // Whether every member is held by this object (as far as it knows: see the policy).
  bool is_held() const noexcept;
  // Acquisitions not yet released (0 when not held).
  int hold_count() const noexcept;
  // The tokens of the current hold, in path order; empty when not held.
  std::vector<FencingToken> tokens() const;
  // Our lock nodes while held, in path order; empty when not held.
  std::vector<std::string> node_paths() const;
  // The lock paths, in the order given.
  const std::vector<std::string>& paths() const noexcept;

  // Names a listener, for remove_listener.
  using ListenerId = std::uint64_t;
  // Tells `listener` of suspended / reconnected / lost while this object holds (see above).
  ListenerId add_listener(OwnershipListener listener);
  // Removes a listener that add_listener returned.
  void remove_listener(ListenerId id);

 private:
  std::shared_ptr<detail::MultiLockState> state_;
};

}  // namespace zkit::recipes
