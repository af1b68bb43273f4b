// zkit::recipes::LeaderLatch: join an election and stay in it; exactly one participant leads
// at a time (Curator's LeaderLatch, same znodes).
//
//   zkit::recipes::LeaderLatch latch(session, "/election/indexer", "node-7");
//   latch.add_listener([&](zkit::recipes::OwnershipEvent e) {
//     if (e == zkit::recipes::OwnershipEvent::acquired) start_indexing(latch.token());
//     if (e == zkit::recipes::OwnershipEvent::lost) stop_indexing();
//   });
//   if (auto started = co_await latch.start(); !started) co_return started.error();
//   ...
//   auto token = co_await latch.await_leadership(std::chrono::seconds(30));
//   ...
//   co_await latch.close();          // leaves the election: deletes our node
//
// Nodes: `<path>/_c_<uuid>-latch-<seq>`, ephemeral-sequential, protected, holding the
// participant id as data. The lowest sequence leads; every other participant watches the node
// just before its own. Before claiming leadership a participant checks that its node's
// ephemeralOwner is its own session (Curator 5 does the same), so a node left by an older
// session is never mistaken for its own. Each term's fencing token is the czxid of the
// leader's node.
//
// Connection loss (zkit/recipes/ownership.hpp): with the default policy the leader is told
// `suspended` and `lost` when the connection drops; when the session comes back it checks
// again and, still first, is told `acquired` (with the same node, so the same token). With
// keep_until_expired it is told `suspended`, then `reconnected`. When the session expires the
// latch is told `lost` and stays out: an expired zkit::Session cannot be used again, so make a
// new session and a new latch. If someone deletes the leader's node, it is told `lost` and
// joins again at the back.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "zkit/recipes/cancel.hpp"
#include "zkit/recipes/fencing.hpp"
#include "zkit/recipes/ownership.hpp"
#include "zkit/recipes/election/participants.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes {

namespace detail {
struct LatchState;
}

// LeaderLatchOptions: how a LeaderLatch treats a lost connection.
struct LeaderLatchOptions {
  SuspendPolicy policy = SuspendPolicy::give_up;  // what a lost connection does to leadership (zkit/recipes/ownership.hpp)
};

class LeaderLatch {
 public:
  // A participant `id` (stored in its node; may be empty) in the election at `path`.
  LeaderLatch(Session& session, std::string path, std::string id,
              LeaderLatchOptions options = {});

  LeaderLatch(LeaderLatch&&) noexcept;
  LeaderLatch& operator=(LeaderLatch&&) noexcept;
  LeaderLatch(const LeaderLatch&) = delete;
  LeaderLatch& operator=(const LeaderLatch&) = delete;
  // Not closed yet: closes in the background.
  ~LeaderLatch();

  // Joins the election (once): the election runs in the background from this call on, and
  // the task completes once our node is in place, so node_path() and participants() show us
  // (await_leadership() waits for a term). Errors: bad_arguments (started before, or closed),
  // closing (closed meanwhile), and what keeps the latch out (session_expired, no_auth...).
  Task<Result<void>> start();
  // Leaves the election: stops and deletes our node. Listeners are not told `lost` (leaving
  // is not a loss); has_leadership() is false from now on. Completes once the node is
  // deleted. Idempotent.
  Task<void> close();

  // Whether this participant leads (as far as it knows: see the policy).
  bool has_leadership() const noexcept;
  // The current term's token; empty when not leading.
  FencingToken token() const noexcept;
  // The participant id this latch joined with.
  const std::string& id() const noexcept;
  // The election's path.
  const std::string& path() const noexcept;
  // Our node's path, "" while there is none (not started, between attempts, closed).
  std::string node_path() const;

  // Waits until this participant leads; returns the term's token. Errors: request_timeout,
  // closing (cancelled, closed), session_expired (the latch cannot lead any more),
  // bad_arguments (not started).
  Task<Result<FencingToken>> await_leadership();
  Task<Result<FencingToken>> await_leadership(std::chrono::milliseconds timeout);
  Task<Result<FencingToken>> await_leadership(std::chrono::milliseconds timeout, CancelToken cancel);

  // Every participant, in order; the first leads (asks the server).
  Task<Result<std::vector<Participant>>> participants();
  // The leader, or nullopt when nobody participates (asks the server).
  Task<Result<std::optional<Participant>>> leader();

  // Names a listener, for remove_listener / remove_state_listener.
  using ListenerId = std::uint64_t;
  // Tells `listener` of acquired / suspended / reconnected / lost.
  ListenerId add_listener(OwnershipListener listener);
  // Removes a listener that add_listener returned.
  void remove_listener(ListenerId id);
  // Tells `listener` of the session's suspended / reconnected / lost, leading or not
  // (zkit/recipes/ownership.hpp).
  ListenerId add_state_listener(RecipeStateListener listener);
  // Removes a listener that add_state_listener returned.
  void remove_state_listener(ListenerId id);

 private:
  std::shared_ptr<detail::LatchState> state_;
};

}  // namespace zkit::recipes
