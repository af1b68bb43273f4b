// LockState: what a Mutex is behind its handle: the engine, the hold count, the node that
// grants the hold, and the connection-state policy. ReadWriteLock and LeaderSelector reuse it.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "detail/engine.hpp"
#include "detail/listeners.hpp"
#include "detail/states.hpp"
#include "detail/wake.hpp"
#include "zkit/recipes/cancel.hpp"
#include "zkit/recipes/ownership.hpp"

namespace zkit::recipes::detail {

struct LockState : std::enable_shared_from_this<LockState> {
  // Registers with the session (state listener); close() unregisters.
  static std::shared_ptr<LockState> make(Session& s, LockSpec spec, LockRule rule,
                                         SuspendPolicy policy);

  std::shared_ptr<Engine> engine;
  SuspendPolicy policy = SuspendPolicy::give_up;
  Session::ListenerId session_listener = 0;
  ListenerSet<OwnershipEvent> listeners;
  StateFeed states;
  WaitSet waits;  // the acquire in progress

  int holds = 0;          // acquisitions not yet released
  int owed = 0;           // releases owed for holds that were lost or closed
  std::string node;       // our node while held
  FencingToken token;     // its czxid
  std::uint64_t term = 0; // bumped whenever a hold begins or ends: stale callbacks compare it
  bool acquiring = false;
  WaitSet idle;  // close() waits here for a stopped acquire to delete its node
  bool closed = false;

  // ReadWriteLock: the two sides of one object know each other. A read hold that began while
  // the write side held (a downgrade) keeps the write node alive until the read hold ends: a
  // writer that queued meanwhile sorts before our new read node, and deleting the write node
  // would let it in while we still read.
  std::weak_ptr<LockState> reader;  // on the write side
  std::weak_ptr<LockState> writer;  // on the read side
  bool downgraded = false;          // read side: this hold began as a downgrade
  std::vector<std::string> kept;    // read side: write nodes to delete when this hold ends

  Session& session() const { return *engine->session; }
  const std::string& path() const { return engine->spec.path; }

  void on_session(SessionState st);
  // Ownership ended without a release: tell the listeners `lost`; delete the node if asked
  // (it still exists: given up on suspended).
  void lose(bool delete_node);
  // A data watch on our own node: its deletion by anyone else ends the hold.
  void watch_own_node();
};

Task<Result<FencingToken>> lock_acquire(std::shared_ptr<LockState> m, std::optional<std::chrono::milliseconds> timeout,
                                        CancelToken cancel);
Task<Result<void>> lock_release(std::shared_ptr<LockState> m);
Task<void> lock_close(std::shared_ptr<LockState> m);

inline bool needs_close(const LockState& m) { return !m.closed; }
inline Task<void> close_quietly(std::shared_ptr<LockState> m) { return lock_close(std::move(m)); }

}  // namespace zkit::recipes::detail
