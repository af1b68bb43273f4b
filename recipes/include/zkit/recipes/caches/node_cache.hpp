// zkit::recipes::NodeCache: one znode's data and Stat kept current in memory (Curator's
// NodeCache), with a listener told of every change.
//
//   zkit::recipes::NodeCache config(session, "/storage/config/replication");
//   config.add_listener([&](const zkit::recipes::CacheEvent& e) {
//     if (auto* n = config.current()) apply(n->data); else use_defaults();
//   });
//   if (auto r = co_await config.start(); !r) return r.error();
//
// How: a persistent watch (WatchMode::persistent) on the path, set before the first read; each
// event is followed by a read, applied in server order. The node need not exist: current() is
// then nullptr, and `added` follows when it is created. Events are those of TreeCache
// (zkit/recipes/caches/tree_cache.hpp) for this one node: added, updated, removed; initialized after
// start(); suspended when the connection drops; reconnected, then a read and resynced when it
// resumes (changes missed meanwhile are emitted as added / updated / removed in between);
// lost when the session ends. rebind() continues on a new session.
//
// One session holds persistent watches of one mode per path: a NodeCache and a TreeCache (or a
// Partitioner) on the very same path need two sessions (start() fails with bad_arguments).
// Use on the loop thread of the session; the session must outlive the cache (or rebind()).
#pragma once

#include <cstdint>
#include <string>

#include "zkit/recipes/caches/tree_cache.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes {

class NodeCache {
 public:
  // What a listener is told: the node's events (added, updated, removed...).
  using Listener = TreeCache::Listener;

  // A cache of the node at `path` (which need not exist) on `session`.
  NodeCache(Session& session, std::string path);

  // Sets the watch and reads the node; completes with the first snapshot in place. Errors: as
  // TreeCache::start().
  Task<Result<void>> start();
  // Continues on another session: reads the node there and emits what changed.
  Task<Result<void>> rebind(Session& session);
  // Removes the watch; current() stays readable. Idempotent.
  Task<void> close();

  // The node as last read, or nullptr when it does not exist (or before start()).
  const NodeData* current() const;
  // The cached node's path.
  const std::string& path() const noexcept;
  // Whether the first read finished and the session has not ended since (as TreeCache::live).
  bool live() const noexcept;

  // Names a listener, for remove_listener / remove_state_listener.
  using ListenerId = TreeCache::ListenerId;
  // Tells `listener` of every change of the node, in order, on the loop thread.
  ListenerId add_listener(Listener listener);
  // Removes a listener that add_listener returned.
  void remove_listener(ListenerId id);
  // Tells `listener` of suspended / reconnected / lost (as TreeCache does).
  ListenerId add_state_listener(RecipeStateListener listener);
  // Removes a listener that add_state_listener returned.
  void remove_state_listener(ListenerId id);

 private:
  TreeCache tree_;
};

}  // namespace zkit::recipes
