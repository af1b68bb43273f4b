// Recipes and the connection: RecipeState, what every long-lived recipe tells its state
// listeners when the session's connection fails; OwnershipEvent, what a lock holder or a
// leader is told; and the policy that decides what `suspended` means for ownership.
//
// RecipeState is the same for every recipe that runs in the background (LeaderLatch,
// LeaderSelector, the caches, PersistentNode, SharedCounter, ServiceCache, Partitioner, and
// Mutex / Semaphore): `suspended` when the connection drops (what the recipe knows may be stale
// from now on), `reconnected` when the same session resumed, `lost` when the session ended
// (expired, closed, refused: the recipe does nothing more until rebind(), where it has one).
//
//   cache.add_state_listener([](zkit::recipes::RecipeState s) {
//     if (s == zkit::recipes::RecipeState::suspended) mark_stale();
//   });
//
// ZooKeeper cannot tell a client that is cut off whether its session (and so its lock node)
// still lives: only the servers decide expiry. So a holder is told at once when the
// connection is lost (`suspended`: ownership is uncertain from now on), and told `lost` when
// ownership is gone. The policy chooses when that is:
//   - SuspendPolicy::give_up (the default, and the safe choice): ownership ends at `suspended`.
//     The holder is told `suspended`, then `lost`; the recipe deletes its node as soon as the
//     session reconnects (or the server does, when the session expires). No two holders can
//     ever overlap, even when the old holder's clock or network misbehaves.
//   - SuspendPolicy::keep_until_expired: ownership survives a connection loss. The holder is
//     told `suspended`, then `reconnected` when the same session resumed (its node is still
//     there), or `lost` when the session expired. Fewer leadership changes on flaky networks,
//     at the price of a window (up to the session timeout) in which a cut-off holder may still
//     believe it holds while the servers already let another one in. Fencing tokens close that
//     window for storage writes.
// (Curator's StandardConnectionStateErrorPolicy and SessionConnectionStateErrorPolicy.)
//
//   mutex.add_listener([&](zkit::recipes::OwnershipEvent e) {
//     if (e == zkit::recipes::OwnershipEvent::lost) stop_writing();
//   });
#pragma once

#include <string_view>

#include "zkit/function.hpp"

namespace zkit::recipes {

// SuspendPolicy: what a lost connection means for ownership (see above).
enum class SuspendPolicy {
  give_up,             // suspended ends ownership (safe; the default)
  keep_until_expired,  // only an expired session (or a deleted node) ends it
};

// OwnershipEvent: what a holder is told, in order.
enum class OwnershipEvent {
  acquired,     // ownership began (leader latches and selectors: a new term)
  suspended,    // the connection was lost: ownership is uncertain from now on
  reconnected,  // the same session resumed and ownership was kept (keep_until_expired only)
  lost,         // ownership ended without being released: given up on suspended, session
                // expired, or the node was deleted by someone else
};

// The event's name, e.g. "acquired".
std::string_view to_string(OwnershipEvent e) noexcept;

// RecipeState: the connection under a recipe, as its state listeners are told (see above).
enum class RecipeState {
  suspended,    // the connection was lost: the recipe's view may be stale, ownership uncertain
  reconnected,  // the same session resumed after `suspended`
  lost,         // the session ended (expired, closed, auth_failed)
};

// The state's name, e.g. "suspended".
std::string_view to_string(RecipeState s) noexcept;

// RecipeStateListener: told of RecipeState changes, on the loop thread; must not block.
using RecipeStateListener = Function<void(RecipeState)>;

// OwnershipListener: told of ownership events, on the loop thread. It may call the recipe
// (release, close) but must not block.
using OwnershipListener = Function<void(OwnershipEvent)>;

}  // namespace zkit::recipes
