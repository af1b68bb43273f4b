// zkit::recipes::TreeCache: a subtree of znodes (data and Stat of each) kept current in memory
// (Curator's TreeCache / CuratorCache), with ordered change events.
//
//   zkit::recipes::TreeCache tree(session, "/storage/config");
//   tree.add_listener([](const zkit::recipes::CacheEvent& e) {
//     if (e.type == zkit::recipes::CacheEvent::Type::updated) reload(e.path, e.data);
//   });
//   if (auto r = co_await tree.start(); !r) return r.error();
//   for (const auto& [path, node] : tree.nodes()) std::printf("%s\n", path.c_str());
//
// How: one persistent-recursive watch (addWatch) on the root, set before the first read, then
// a walk of the subtree (get_children and get of each node). A created / changed event is
// followed by a read of that node; events (and walk replies) are applied strictly in the order
// they arrived, an event waiting for its read holding back the ones behind it. So listeners
// hear of changes in the server's order: `added` for a node that appears, `updated` when its
// data changes (or it was re-created), `removed` when it goes (children before their parent).
// A read returns the node as it is by then, so changes in quick succession may reach the
// listener as one (e.g. `added` with the data of a later set, and no `updated`).
// A watch cannot tell what happened while the connection was down, so on `reconnected` the
// cache walks the subtree again and emits the differences (added / updated first, then
// removed), followed by `resynced`. When the session ends the cache emits `lost` and keeps
// its last contents; rebind() continues on a new session the same way (a walk, the
// differences, `resynced`).
//
// Stat of a cached node is the one its last read returned: its child counts (cversion,
// num_children, pzxid) may lag, since child changes do not reread the parent.
// Nodes the session may not read (no_auth) are left out. Use on the loop thread of the
// session; the session must outlive the cache (or rebind()).
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "zkit/recipes/ownership.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"
#include "zkit/types.hpp"

namespace zkit::recipes {

namespace detail {
struct TreeState;
}

// NodeData: one cached node.
struct NodeData {
  std::string path;  // the node's full path
  std::string data;  // its data
  Stat stat;  // its Stat
  friend bool operator==(const NodeData&, const NodeData&) = default;
};

// CacheEvent: what a cache tells its listeners, in order.
struct CacheEvent {
  // What happened.
  enum class Type {
    added,        // a node appeared (path, data, stat)
    updated,      // a node's data changed, or it was deleted and created again (path, data, stat)
    removed,      // a node went (path, and its last data and stat)
    initialized,  // start() finished its first walk: nodes() is the subtree
    suspended,    // the connection was lost: the cache may go stale
    reconnected,  // the session resumed: a walk follows, then `resynced`
    resynced,     // after reconnected or rebind(): the differences were emitted
    lost,         // the session ended: the cache is stale until rebind()
  };
  Type type = Type::initialized;  // what happened
  std::string path;  // the node's full path (node events only)
  std::string data;  // its data (for removed: its last data)
  Stat stat;  // its Stat (for removed: its last Stat)
};

std::string_view to_string(CacheEvent::Type t) noexcept;

// TreeCacheOptions: what to cache.
struct TreeCacheOptions {
  // How deep below the root to cache: 0 is the root alone, 1 the root and its children...
  // A depth of 0 uses a plain persistent watch (WatchMode::persistent) instead of a
  // recursive one.
  int max_depth = std::numeric_limits<int>::max();
};

class TreeCache {
 public:
  // What a listener is called with, once per event, on the loop thread.
  using Listener = Function<void(const CacheEvent&)>;

  // A cache of `root` (which need not exist) and what is below it.
  TreeCache(Session& session, std::string root, TreeCacheOptions options = {});
  TreeCache(TreeCache&&) noexcept;
  TreeCache& operator=(TreeCache&&) noexcept;
  TreeCache(const TreeCache&) = delete;
  TreeCache& operator=(const TreeCache&) = delete;
  ~TreeCache();

  // Sets the watch and reads the subtree; completes once the first walk is done (listeners
  // are told `initialized`; no node events are emitted for this first walk). A walk cut by a
  // connection loss starts again when the session resumes. Errors: bad_arguments (a bad
  // root, started twice, or a persistent watch of the other mode on the root in this
  // session), no_auth, session_expired / closing / auth_failed (the session ended first), and
  // closing after close().
  Task<Result<void>> start();

  // Continues on another session (after the old one ended): sets the watch there, walks the
  // subtree, emits the differences and `resynced`, then completes. Errors: as start().
  Task<Result<void>> rebind(Session& session);

  // Removes the watch and stops; the contents stay readable. Nothing is waited for: the task
  // completes as soon as it runs. Idempotent.
  Task<void> close();

  // Every cached node by path (sorted, so a parent comes before its children).
  const std::map<std::string, NodeData>& nodes() const noexcept;
  // One cached node, or nullptr.
  const NodeData* find(const std::string& path) const;
  // Names of the cached children of `path`, sorted.
  std::vector<std::string> children(const std::string& path) const;
  // The cached subtree's root.
  const std::string& root() const noexcept;
  // Whether the first walk finished and the session has not ended since.
  bool live() const noexcept;

  // Names a listener, for remove_listener / remove_state_listener.
  using ListenerId = std::uint64_t;
  // Tells `listener` of every CacheEvent, in order.
  ListenerId add_listener(Listener listener);
  // Removes a listener that add_listener returned.
  void remove_listener(ListenerId id);
  // Tells `listener` of suspended / reconnected / lost (zkit/recipes/ownership.hpp), as the
  // cache events of the same names (which stay in the cache's event order).
  ListenerId add_state_listener(RecipeStateListener listener);
  // Removes a listener that add_state_listener returned.
  void remove_state_listener(ListenerId id);

 private:
  std::shared_ptr<detail::TreeState> state_;
};

}  // namespace zkit::recipes
