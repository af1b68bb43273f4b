// zkit::recipes::DoubleBarrier: N processes start a computation together and finish it
// together (Curator's DistributedDoubleBarrier, same znodes).
//
//   zkit::recipes::DoubleBarrier round(session, "/storage/compaction/round-42", 3);
//   if (auto in = co_await round.enter(std::chrono::minutes(1)); !in) return in.error();
//   compact_my_share();
//   if (auto out = co_await round.leave(std::chrono::minutes(1)); !out) return out.error();
//
// Nodes under `path` (created, with its ancestors, as containers):
//   <path>/<uuid>   one ephemeral, empty node per member that entered (a random UUID);
//   <path>/ready    persistent, empty: made by the member that sees N members, so that every
//                   member waiting in enter() (each watches it with `exists`) goes on.
// enter(): watch `ready`; create our node; if `ready` exists we are in. Otherwise count the
// members: N or more, create `ready`; fewer, wait for `ready`. member_count is a threshold,
// not a limit: more may enter.
// leave(): delete our node, then wait (watching the highest remaining member node) until no
// member node is left; then delete `ready`, so the path can hold the next round.
//
// A failed enter() (timeout, cancelled) deletes our node again, so it does not count.
// If our node vanishes while we are in (the session expired, someone deleted it), leave()
// still waits for the others. Use on the loop thread of the session; the session must outlive
// the object.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "zkit/recipes/cancel.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes {

class DoubleBarrier {
 public:
  // The child whose creation tells every member that all have entered (Curator's).
  static constexpr const char* kReadyNode = "ready";

  // A barrier at `path` for `member_count` processes.
  DoubleBarrier(Session& session, std::string path, int member_count);

  // Enters and waits until member_count members have entered. Errors: bad_arguments
  // (member_count below 1, a bad path), request_timeout, closing
  // (cancelled, the session closed), session_expired, and errors of create / get_children.
  Task<Result<void>> enter();
  Task<Result<void>> enter(std::chrono::milliseconds timeout);
  Task<Result<void>> enter(std::chrono::milliseconds timeout, CancelToken cancel);

  // Leaves and waits until every member has left. Errors: request_timeout (our node is
  // deleted already; the others are still in), closing, session_expired, and errors of
  // get_children / exists / remove.
  Task<Result<void>> leave();
  Task<Result<void>> leave(std::chrono::milliseconds timeout);
  Task<Result<void>> leave(std::chrono::milliseconds timeout, CancelToken cancel);

  // Our member node: "<path>/<uuid>".
  const std::string& node_path() const noexcept { return node_; }
  // The barrier's path.
  const std::string& path() const noexcept { return path_; }

 private:
  // A borrowed handle (Session::borrow()), shared with running operations: the Session it
  // was made with may move meanwhile.
  std::shared_ptr<Session> session_;
  std::string path_;
  std::string node_;
  int member_count_;
};

}  // namespace zkit::recipes
