// zkit::recipes::Barrier: a gate processes wait at until someone removes it (Curator's
// DistributedBarrier, same znode).
//
//   zkit::recipes::Barrier gate(session, "/storage/gates/rebalance");
//   co_await gate.set();                        // the coordinator closes the gate
//   ...                                         // workers:
//   auto r = co_await gate.wait(std::chrono::minutes(5));
//   if (!r) return r.error();                   // request_timeout, closing, session_expired
//   ...                                         // the coordinator, when ready:
//   co_await gate.remove();                     // every waiter goes on
//
// Node: `path` itself, persistent, empty; missing ancestors are created as containers. The
// barrier is up while the node exists. wait() sets an `exists` watch and completes when the
// node is gone; a watch survives reconnections, so a wait goes on across connection losses
// and fails only when the session ends, the timeout passes or the wait is cancelled.
//
// Use on the loop thread of the session; the session must outlive the object.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "zkit/recipes/cancel.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes {

class Barrier {
 public:
  // A barrier at `path` on `session`.
  Barrier(Session& session, std::string path);

  // Puts the barrier up (creates the node; one that exists already is fine).
  // Errors: those of Session::create other than node_exists.
  Task<Result<void>> set();
  // Takes it down (deletes the node, trying again across connection losses; a missing node is
  // fine). Errors: those of Session::remove other than no_node (not_empty: someone put
  // children under it).
  Task<Result<void>> remove();
  // Whether it is up now (asks the server).
  Task<Result<bool>> is_set();

  // Waits until the barrier is down (at once when it is). Errors: request_timeout (the
  // timeout passed), closing (cancelled, or the session was closed), session_expired,
  // auth_failed, no_auth.
  Task<Result<void>> wait();
  Task<Result<void>> wait(std::chrono::milliseconds timeout);
  Task<Result<void>> wait(CancelToken cancel);
  Task<Result<void>> wait(std::chrono::milliseconds timeout, CancelToken cancel);

  // The barrier node's path.
  const std::string& path() const noexcept { return path_; }

 private:
  // A borrowed handle (Session::borrow()), shared with running operations: the Session it
  // was made with may move meanwhile.
  std::shared_ptr<Session> session_;
  std::string path_;
};

}  // namespace zkit::recipes
